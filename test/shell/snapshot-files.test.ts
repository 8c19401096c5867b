// The live view's snapshot files (src/shell/snapshot-files.ts): confined to the root like
// the journal, or in a private folder of their own; never through a link, never over a file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { snapshotWriter } from '../../src/shell/snapshot-files.js';
import { tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const dir = () => {
  const d = tempDir('sync-tui-snapfiles-');
  made.push(d);
  return d;
};
const T = Date.parse('2026-12-04T01:42:00.123Z');

describe('snapshotWriter', () => {
  it('writes under the state folder and returns the full path, named by the injected clock', async () => {
    const root = dir();
    const w = snapshotWriter({ kind: 'root', root, dir: path.join(root, '.sync-tui/snapshots') }, () => T);
    const file = await w.write('hello\n', 'svg');
    expect(file).toBe(path.join(root, '.sync-tui/snapshots/snapshot-2026-12-04T01-42-00.123Z.svg'));
    expect(fs.readFileSync(file, 'utf8')).toBe('hello\n');
    expect(await w.write('again\n', 'svg')).toBe(
      path.join(root, '.sync-tui/snapshots/snapshot-2026-12-04T01-42-00.123Z-1.svg'),
    );
    expect(w.folder).toBe(path.join(root, '.sync-tui/snapshots'));
  });

  it('refuses a state folder that is a symlink out of the root, and writes nothing there', async () => {
    const root = dir();
    const elsewhere = dir();
    fs.symlinkSync(elsewhere, path.join(root, '.sync-tui'));
    const w = snapshotWriter({ kind: 'root', root, dir: path.join(root, '.sync-tui/snapshots') }, () => T);
    await expect(w.write('x', 'txt')).rejects.toThrow(
      /not written into .*\.sync-tui\/snapshots: a symlink on the way leads outside the root/,
    );
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });

  it('never follows a link planted where the file would go', async () => {
    const root = dir();
    const outside = path.join(dir(), 'victim');
    fs.writeFileSync(outside, 'keep me');
    const snaps = path.join(root, '.sync-tui/snapshots');
    fs.mkdirSync(snaps, { recursive: true });
    fs.symlinkSync(outside, path.join(snaps, 'snapshot-2026-12-04T01-42-00.123Z.txt'));
    const file = await snapshotWriter({ kind: 'root', root, dir: snaps }, () => T).write('new', 'txt');
    expect(path.basename(file)).toBe('snapshot-2026-12-04T01-42-00.123Z-1.txt');
    expect(fs.readFileSync(outside, 'utf8')).toBe('keep me');
  });

  it('private: a folder of its own (0700), made on first use, one per session, not a fixed shared one', async () => {
    const parent = dir();
    const a = snapshotWriter({ kind: 'private', parent }, () => T);
    expect(a.folder).toBeNull();
    expect(fs.readdirSync(parent)).toEqual([]);
    const fa = await a.write('a', 'md');
    const fb = await snapshotWriter({ kind: 'private', parent }, () => T).write('b', 'md');
    expect(path.dirname(fa)).not.toBe(path.dirname(fb));
    expect(path.dirname(path.dirname(fa))).toBe(parent);
    expect(path.basename(path.dirname(fa))).toMatch(/^sync-tui-snapshots-/);
    expect(fs.statSync(path.dirname(fa)).mode & 0o777).toBe(0o700);
    expect(a.folder).toBe(path.dirname(fa));
  });
});
