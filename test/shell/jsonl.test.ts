import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { O, realFs, type FsLayer } from '../../src/shell/fs-layer.js';
import { appendJsonLines, type JsonlDoing } from '../../src/shell/jsonl.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function tempFile(content: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'jsonl-'));
  dirs.push(dir);
  const file = path.join(dir, 'log.jsonl');
  fs.writeFileSync(file, content);
  return file;
}
async function append(file: string, body: string, layer: FsLayer = realFs): Promise<string | null> {
  const fd = await layer.open(file, O.RDWR | O.APPEND | O.CREAT, 0o644);
  try {
    await appendJsonLines(
      layer,
      fd,
      Buffer.from(body),
      (e, doing: JsonlDoing) => new Error(`${doing}: ${String(e)}`),
    );
    return null;
  } catch (e) {
    return (e as Error).message;
  } finally {
    await layer.close(fd);
  }
}

describe('appendJsonLines (the journal and the history)', () => {
  it('appends after a file that ends with a line break', async () => {
    const file = tempFile('{"a":1}\n');
    expect(await append(file, '{"b":2}\n')).toBeNull();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"b":2}\n');
  });

  it('ends a torn last line first, so the new record is a line of its own', async () => {
    const file = tempFile('{"a":1}\n{"cut');
    expect(await append(file, '{"b":2}\n')).toBeNull();
    expect(fs.readFileSync(file, 'utf8')).toBe('{"a":1}\n{"cut\n{"b":2}\n');
  });

  it('says it was flushing when fsync fails', async () => {
    const file = tempFile('');
    const failing: FsLayer = {
      ...realFs,
      fsync: () => Promise.reject(Object.assign(new Error('EIO'), { code: 'EIO' })),
    };
    expect(await append(file, '{"b":2}\n', failing)).toMatch(/^flushing: /);
    expect(fs.readFileSync(file, 'utf8')).toBe('{"b":2}\n');
  });
});
