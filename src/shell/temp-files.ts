// Our temp files (`.<base>.sync-tui-<pid>-<hex>.tmp`, written next to the file they will
// replace, atomic.ts): their names, and the removal of those a killed process left behind.
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { realFs, type FsLayer } from './fs-layer.js';

const TEMP_INFIX = '.sync-tui-';

export function tempName(base: string, pid = process.pid, random = randomBytes(6).toString('hex')): string {
  return `.${base}${TEMP_INFIX}${pid}-${random}.tmp`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function isTempFor(name: string, base: string): boolean {
  return new RegExp(`^\\.${escapeRegExp(base)}${escapeRegExp(TEMP_INFIX)}\\d+-[0-9a-f]+\\.tmp$`).test(name);
}

/**
 * Removes our own temp files for `basename` in `dir` (left behind by a killed process)
 * that are older than `olderThanMs` (default 60 s; 0 removes all of them). Returns the
 * names removed. Never throws.
 */
export async function cleanupStaleTemps(
  dir: string,
  basename: string,
  opts: { olderThanMs?: number; fs?: FsLayer; now?: number } = {},
): Promise<string[]> {
  const fs = opts.fs ?? realFs;
  const olderThan = opts.olderThanMs ?? 60_000;
  const now = opts.now ?? Date.now();
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    if (!isTempFor(name, basename)) continue;
    const full = path.join(dir, name);
    try {
      const st = await fs.lstat(full);
      if (!st.isFile()) continue;
      if (olderThan > 0 && now - st.mtimeMs < olderThan) continue;
      await fs.unlink(full);
      removed.push(name);
    } catch {
      // gone already, or not ours to remove
    }
  }
  return removed;
}
