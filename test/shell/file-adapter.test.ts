// File sources behind the source seam (src/shell/sources/file-adapter.ts): a full read, a
// target read that is also the read-back, a guarded write that refuses a changed file, and
// the watch stream, on real files in a temp copy of the incident workspace.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shell/probe.js';
import { FileSources } from '../../src/shell/sources/file-adapter.js';
import { copyFixture } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function workspace(): string {
  const root = copyFixture('incident');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('FileSources', () => {
  it('reads a target whole with its exact text, and a status-files folder agent by agent', () => {
    const root = workspace();
    const config = loadConfig(root);
    const files = new FileSources(root);
    const target = config.sources.find((s) => s.kind === 'registry')!;
    const got = files.readTarget(target);
    expect(got.text).toBe(fs.readFileSync(path.join(root, target.path), 'utf8'));
    expect(got.read.healthy).toBe(true);
    const status = config.sources.find((s) => s.kind === 'status-files')!;
    const read = files.read(status);
    expect(read.documents.length).toBeGreaterThan(0);
    expect(read.documents.every((d) => typeof d.agent === 'string')).toBe(true);
  });

  it('writes a target only while it holds the text planned from; the read-back shows the write', async () => {
    const root = workspace();
    const target = loadConfig(root).sources.find((s) => s.kind === 'registry')!;
    const files = new FileSources(root);
    const before = files.readTarget(target).text!;
    const next = before.replace(/\}\s*$/, '}\n');
    expect(next).not.toBe(before);

    const ok = await files.write(target, before, next);
    expect(ok.ok).toBe(true);
    expect(files.readTarget(target).text).toBe(next);

    // Planned from `before`, but the file now holds `next`: refused, the file left as it is.
    const refused = await files.write(target, before, before + ' ');
    expect(refused.ok).toBe(false);
    expect(refused.ok ? null : refused.reason).toBe('changed');
    expect(files.readTarget(target).text).toBe(next);
  });

  it('streams a changed registry as a batch naming its path', async () => {
    const root = workspace();
    const config = loadConfig(root);
    const target = config.sources.find((s) => s.kind === 'registry')!;
    const files = new FileSources(root);
    const seen: string[] = [];
    const watcher = files.watch(config, (batches) => seen.push(...batches.flatMap((b) => [...b.paths])), {
      quietMs: 20,
      maxWaitMs: 100,
    });
    cleanup.push(() => watcher.close());
    await watcher.ready;
    fs.appendFileSync(path.join(root, target.path), '\n');
    await waitFor(() => seen.map((p) => p.split(path.sep).join('/')).includes(target.path));
    expect(seen.map((p) => p.split(path.sep).join('/'))).toContain(target.path);
  });
});
