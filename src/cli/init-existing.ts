// What `init` says and does about a sync-tui.config.yaml that is already there (README,
// "init"): whether it loads, a backup before --force replaces it, and the difference --print shows.
import * as fs from 'node:fs';
import { createTwoFilesPatch } from 'diff';
import { errorCode } from '../shell/fs-errors.js';
import { sanitizeText } from '../core/sanitize.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { writeFileAtomic } from './snapshot.js';

export interface ExistingConfig {
  text: string;
  /** "loads (sources a, b)" or "does not load: file:line:column: message". */
  state: string;
  loads: boolean;
}

/** The config file at `target` as `check` would read it, or null when there is none. */
export function readExisting(root: string, target: string): ExistingConfig | null {
  let text: string;
  try {
    text = fs.readFileSync(target, 'utf8');
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new UsageError(`${target} is a folder; move it away first`);
    throw new UsageError(`${target} exists but cannot be read (${code})`);
  }
  try {
    const config = loadConfig(root, target);
    const names = config.sources.map((s) => sanitizeText(s.name));
    return {
      text,
      loads: true,
      state: `loads (${names.length === 0 ? 'no sources' : `sources ${names.join(', ')}`})`,
    };
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    return { text, loads: false, state: `does not load: ${e.message}` };
  }
}

/** `20261204T012900Z`: a backup name that sorts by time and needs no quoting. */
export function backupStamp(now: number): string {
  return new Date(now)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

/** Copies the config to `<target>.bak-<stamp>` (never over another file); returns the path. */
export function backupConfig(target: string, text: string, now: number): string {
  const stamp = backupStamp(now);
  for (let n = 0; n < 100; n++) {
    const file = `${target}.bak-${stamp}${n === 0 ? '' : `-${n}`}`;
    if (writeFileAtomic(file, text, { noClobber: true })) return file;
  }
  throw new UsageError(`cannot find a free backup name for ${target}`);
}

/** A unified diff from the existing config to the new one, each line made inert for the terminal. */
export function configDiff(target: string, before: string, after: string): string {
  if (before === after) return '';
  const patch = createTwoFilesPatch(`${target} (now)`, `${target} (init)`, before, after, '', '', {
    context: 3,
  });
  // The first line is a separator ("====="), not part of a unified diff.
  const lines = patch.split('\n').filter((l, i) => !(i === 0 && /^=+$/.test(l)));
  return lines.map((l) => (l === '' ? l : sanitizeText(l))).join('\n');
}
