// `<state dir>/decisions.json`: the operator's decisions (src/core/reconcile/decisions.ts), read at
// every load and replaced atomically (temp file, fsync, rename; guarded against another
// writer by replaceIfUnchanged) when a resolve records or an undo removes one.
import * as path from 'node:path';
import {
  indexDecisions,
  parseDecisions,
  serializeDecisions,
  type Decision,
  type DecisionIndex,
} from '../core/reconcile/decisions.js';
import { sanitizeText } from '../core/sanitize.js';
import { replaceIfUnchanged } from './atomic.js';
import { realFs, type FsLayer } from './fs-layer.js';
import { escapesRoot, readBounded } from './fsread.js';

export const DECISIONS_FILE = 'decisions.json';
/** The journal's `target` for entries that record a decision (not a source). */
export const DECISIONS_TARGET = 'decisions';
const MAX_DECISIONS_BYTES = 16 * 1024 * 1024;

export interface LoadedDecisions {
  list: Decision[];
  index: DecisionIndex;
  /** The text read (the guard for the next replace); '' when there is no file. */
  text: string;
  problems: string[];
}

export function decisionsPath(stateDir: string): string {
  return path.posix.join(stateDir.split(path.sep).join('/'), DECISIONS_FILE);
}

/** Reads the decisions under the root; a missing file is no decisions. Never throws. */
export function loadDecisions(root: string, stateDir: string): LoadedDecisions {
  const rel = decisionsPath(stateDir);
  const got = readBounded(root, rel, MAX_DECISIONS_BYTES);
  if (!got.ok) {
    const problems = got.missing
      ? []
      : [`${sanitizeText(rel)}: ${sanitizeText(got.diagnostic.message)}; decisions ignored`];
    return { list: [], index: new Map(), text: '', problems };
  }
  const { decisions, problems } = parseDecisions(got.text, rel);
  return { list: decisions, index: indexDecisions(decisions), text: got.text, problems };
}

/** Replaces decisions.json with `next` if it still holds `loaded.text`. Resolves to an error
 *  message, or null when written. */
export async function saveDecisions(
  root: string,
  stateDir: string,
  loaded: LoadedDecisions,
  next: readonly Decision[],
  fs: FsLayer = realFs,
): Promise<string | null> {
  const rel = decisionsPath(stateDir);
  const abs = path.resolve(root, rel);
  const why = escapesRoot(root, path.dirname(abs));
  if (why !== null) return `${rel} is not written: ${why}`;
  try {
    await fs.mkdir(path.dirname(abs), { recursive: true });
  } catch (e) {
    return `${rel}: the state folder cannot be made (${e instanceof Error ? e.message : String(e)})`;
  }
  const r = await replaceIfUnchanged(abs, loaded.text, serializeDecisions(next), { fs });
  return r.ok ? null : r.message;
}
