import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { O, realFs, type FsLayer } from '../../src/shell/fs-layer.js';
import { appendJsonLines, readJsonLines, type JsonlDoing, type JsonlReading } from '../../src/shell/jsonl.js';

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

describe('readJsonLines (the journal and the history)', () => {
  const reading: JsonlReading = {
    label: 'state/log.jsonl',
    check: (v) => (typeof v === 'object' && v !== null && 'n' in v ? null : 'no "n"'),
    codes: { torn: 't-torn', corrupt: 't-corrupt', bad: 't-bad' },
    badEntry: (line, problem) => `line ${line}: ${problem}; skipped`,
  };

  it('reports a torn last line by its number and keeps the lines before it', async () => {
    const file = tempFile('{"n":1}\n{"n":2}\n{"n":3,"x":"cut');
    const got = await readJsonLines<{ n: number }>(realFs, file, 1 << 20, reading);
    expect(got?.entries.map((e) => e.n)).toEqual([1, 2]);
    expect(got?.diagnostics).toEqual([
      {
        severity: 'warning',
        code: 't-torn',
        message: 'line 3 is cut off (an interrupted write); skipped',
        file: 'state/log.jsonl',
        line: 3,
        column: 1,
      },
    ]);
  });

  it('names a line that is not JSON and a value the check refuses by their numbers, and reads on', async () => {
    const file = tempFile('\uFEFF{"n":1}\r\n\nnot json\n{"m":2}\n{"n":5}\n');
    const got = await readJsonLines<{ n: number }>(realFs, file, 1 << 20, reading);
    expect(got?.entries.map((e) => e.n)).toEqual([1, 5]);
    expect(got?.diagnostics.map((d) => [d.line, d.code, d.message])).toEqual([
      [3, 't-corrupt', 'line 3 is not valid JSON; skipped'],
      [4, 't-bad', 'line 4: no "n"; skipped'],
    ]);
  });

  it('gives null for a file that does not exist and throws, naming the file, past the size bound', async () => {
    const file = tempFile('{"n":1}\n{"n":2}\n');
    expect(await readJsonLines(realFs, file + '.missing', 1 << 20, reading)).toBeNull();
    await expect(readJsonLines(realFs, file, 4, reading)).rejects.toThrow(/log\.jsonl/);
  });
});
