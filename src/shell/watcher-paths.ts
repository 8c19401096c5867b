// The watcher's helpers (watcher.ts): paths relative to the root, which paths a target
// admits, what chokidar tracks, a file's signature for the recheck, and errors as one line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { FSWatcher } from 'chokidar';
import { errorCode } from './fs-errors.js';
import type { WatchTarget } from './watcher-types.js';

export const ROOT_GONE = (root: string) => `root folder ${root} is gone; checking every second`;

/** Errors that mean "the kernel will not give us more watches": fall back to polling. */
export const LIMIT_ERRORS: Record<string, string> = {
  ENOSPC: process.platform === 'linux' ? 'inotify watch limit reached' : 'file watch limit reached',
  EMFILE: 'too many open files',
};

// ---------------------------------------------------------------------------------------
// Paths

/** `a/b/../c` -> `a/c`; '' for the root itself; null for an absolute path. */
export function posixRel(p: string): string | null {
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(norm)) return null;
  return norm === '.' ? '' : norm.replace(/\/+$/, '');
}

export function segments(rel: string): number {
  return rel === '' ? 0 : rel.split('/').length;
}

/** Path relative to the root, posix; null when outside it. */
export function relFromRoot(rootAbs: string, p: string): string | null {
  const rel = path.relative(rootAbs, p);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** Whether `rel` is `base` or one of its ancestors (the chain chokidar must walk down). */
export function onChainTo(rel: string, base: string): boolean {
  return rel === '' || rel === base || base.startsWith(rel + '/');
}

/** Which paths (relative to the root) belong to a target. */
export function admitter(target: WatchTarget, rel: string | null, baseRel: string): (p: string) => boolean {
  if (rel === null) return () => false;
  if (target.kind === 'file') return (p) => p === rel || onChainTo(p, baseRel);
  const levels = Math.max(0, target.depth ?? 1) + 1;
  const accept = target.accept;
  const prefix = baseRel === '' ? '' : baseRel + '/';
  return (p) => {
    if (onChainTo(p, baseRel)) return true;
    if (!p.startsWith(prefix)) return false;
    const k = segments(p.slice(prefix.length));
    if (k < levels) return true;
    return k === levels && (accept === undefined || accept(p));
  };
}

/** Entries chokidar tracks under the anchor. */
export function countWatched(w: FSWatcher, anchorAbs: string): number {
  let n = 0;
  try {
    for (const [dir, children] of Object.entries(w.getWatched())) {
      const rel = path.relative(anchorAbs, dir);
      if (!rel.startsWith('..') && !path.isAbsolute(rel)) n += children.length;
    }
  } catch {
    // a fake or a closing watcher: leave the count at 0
  }
  return n;
}

/** What a path looks like now: identity, size and times, or `none`. */
export function signature(abs: string): string {
  try {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    return st ? `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : 'none';
  } catch {
    return 'error';
  }
}

/** The kernel's inotify queue length (Linux); the usual default elsewhere. */
export function maxQueuedEvents(): number {
  try {
    const n = Number.parseInt(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'), 10);
    if (Number.isFinite(n) && n > 0) return n;
  } catch {
    // not Linux, or not readable
  }
  return 16384;
}

export async function closeQuietly(w: FSWatcher): Promise<void> {
  try {
    const done = w.close();
    // close() removes every listener; a late internal error must not become an
    // unhandled 'error' event that ends the process.
    w.on('error', () => undefined);
    await done;
  } catch {
    // closing is best effort
  }
}

// ---------------------------------------------------------------------------------------
// Errors

export function limitError(e: unknown): boolean {
  return errorCode(e) in LIMIT_ERRORS;
}

export function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function describe(e: unknown): string {
  const code = errorCode(e);
  const msg = message(e);
  return code !== 'EUNKNOWN' && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

export function interval(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
