// A folder of agents watched with the platform's own events (fs.watch), without chokidar.
//
// Why: chokidar keeps one watch per folder AND per file, stats every path it sees, and
// scans the whole tree before it is ready: at 10,000 agents that is 20,000 handles,
// ~65 MB of heap and 5-9 s before the first event can be trusted. What a folder of
// agents needs is much less: one watch on the agents folder (agents come and go) and,
// when status files live one level down (`{agent}/status.json`), one watch per agent
// folder, whose events name the file that changed. No stat per event, no scan: the
// engine reads the files itself.
//
// The contract is the adapter's (watcher.ts): after the last write to an admitted path,
// that path (or its agent's folder, or the whole agents folder) is emitted after the write.
// - A new agent folder is watched first and then emitted, so a file written into it
//   right away is either read by the engine or reported by the new watch.
// - The agents folder deleted: every watch is dropped, the whole folder is emitted, and
//   the nearest existing ancestor is watched until it comes back (then emitted whole).
// - The root itself gone: checked once a second until it is back.
// - A watch refused for lack of kernel resources (ENOSPC, EMFILE) is reported through
//   `onLimit`; the owner then falls back to polling.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode, isNotFound } from './fs-errors.js';

export type FsWatch = (
  abs: string,
  listener: (event: string, filename: string | Buffer | null) => void,
) => fs.FSWatcher;

export interface FolderWatchOptions {
  rootAbs: string;
  /** The agents folder relative to the root (posix, '' for the root itself). */
  baseRel: string;
  /** 0: `{agent}.json` directly in the folder; 1: `{agent}/status.json`. */
  depth: 0 | 1;
  /** Which paths (relative to the root) are worth emitting. */
  admit: (rel: string) => boolean;
  /** A path that changed: a file, an agent's folder, or `wholeRel` meaning "everything". */
  emit: (rel: string) => void;
  /** What stands for "re-read everything" (default `baseRel`; a single file's own path). */
  wholeRel?: string;
  /** The kernel refused a watch (ENOSPC, EMFILE): the owner should poll instead. */
  onLimit: (err: NodeJS.ErrnoException) => void;
  /** Something worth showing in the source's health (null clears it). */
  onStatus: (message: string | null) => void;
  fsWatch?: FsWatch;
  /** How often to look for a root that has gone (default 1000 ms). */
  rootCheckMs?: number;
}

export interface FolderWatch {
  /** Watch handles held: the agents folder and one per agent folder. */
  watched(): number;
  close(): void;
}

const defaultWatch: FsWatch = (abs, listener) => fs.watch(abs, { persistent: true }, listener);

export function watchFolder(o: FolderWatchOptions): FolderWatch {
  const fsWatch = o.fsWatch ?? defaultWatch;
  const baseAbs = path.join(o.rootAbs, o.baseRel);
  const prefix = o.baseRel === '' ? '' : o.baseRel + '/';
  const whole = o.wholeRel ?? o.baseRel;
  let closed = false;
  let limited = false;
  let base: fs.FSWatcher | null = null;
  const children = new Map<string, fs.FSWatcher>();
  // While the agents folder is missing: the deepest existing ancestor we watch instead.
  let waiting: { rel: string; watcher: fs.FSWatcher | null } | null = null;
  let rootTimer: ReturnType<typeof setInterval> | undefined;

  function limit(e: NodeJS.ErrnoException): void {
    if (limited || closed) return;
    limited = true;
    teardown();
    o.onLimit(e);
  }

  /** Opens a watch; null when the path is gone (or not a folder), after reporting limits. */
  function open(
    abs: string,
    listener: (event: string, filename: string | Buffer | null) => void,
  ): fs.FSWatcher | null {
    try {
      const w = fsWatch(abs, listener);
      return w;
    } catch (e) {
      const code = errorCode(e);
      if (code === 'ENOSPC' || code === 'EMFILE') limit(e as NodeJS.ErrnoException);
      else if (!isNotFound(e))
        o.onStatus(
          `cannot watch ${rel(abs)}: ${code === 'EUNKNOWN' && e instanceof Error ? e.message : code}`,
        );
      return null;
    }
  }

  function rel(abs: string): string {
    const r = path.relative(o.rootAbs, abs).split(path.sep).join('/');
    return r === '' ? '.' : r;
  }

  function name(filename: string | Buffer | null): string | null {
    if (filename === null) return null;
    return typeof filename === 'string' ? filename : filename.toString('utf8');
  }

  function closeQuiet(w: fs.FSWatcher | null): void {
    if (!w) return;
    try {
      w.close();
    } catch {
      // already closed
    }
  }

  function teardown(): void {
    closeQuiet(base);
    base = null;
    for (const w of children.values()) closeQuiet(w);
    children.clear();
    if (waiting) closeQuiet(waiting.watcher);
    waiting = null;
    if (rootTimer !== undefined) clearInterval(rootTimer);
    rootTimer = undefined;
  }

  /** The agents folder vanished or its watch broke: drop everything, emit it whole, wait. */
  function lost(): void {
    if (closed || limited) return;
    teardown();
    o.emit(whole);
    wait();
  }

  function watchChild(entry: string): void {
    if (children.has(entry) || closed || limited) return;
    const folderRel = prefix + entry;
    const w = open(path.join(baseAbs, entry), (_event, filename) => {
      if (closed || children.get(entry) !== w) return;
      const f = name(filename);
      if (f === null) {
        o.emit(folderRel);
        return;
      }
      const fileRel = `${folderRel}/${f}`;
      if (o.admit(fileRel)) o.emit(fileRel);
      else if (f === entry && !isDir(path.join(baseAbs, entry))) {
        // The agent folder itself went away (IN_DELETE_SELF / IN_MOVE_SELF).
        closeQuiet(w);
        children.delete(entry);
        o.emit(folderRel);
      }
    });
    if (!w) return;
    w.on('error', () => {
      if (children.get(entry) !== w) return;
      closeQuiet(w);
      children.delete(entry);
      o.emit(folderRel);
    });
    children.set(entry, w);
  }

  function onBaseEvent(_event: string, filename: string | Buffer | null): void {
    if (closed || limited || !base) return;
    const f = name(filename);
    if (f === null) {
      o.emit(whole);
      return;
    }
    const entryAbs = path.join(baseAbs, f);
    if (!isDir(baseAbs)) {
      lost();
      return;
    }
    if (o.depth === 0) {
      const fileRel = prefix + f;
      if (o.admit(fileRel)) o.emit(fileRel);
      return;
    }
    // depth 1: an agent folder came, went, or was renamed; keep the child watches in step.
    const folderRel = prefix + f;
    if (!o.admit(folderRel)) return;
    if (isRealDir(entryAbs)) {
      const fresh = !children.has(f);
      watchChild(f);
      // Files written into a new folder before its watch existed: name them now.
      if (fresh)
        for (const file of list(entryAbs))
          if (o.admit(`${folderRel}/${file}`)) o.emit(`${folderRel}/${file}`);
    } else if (children.has(f)) {
      closeQuiet(children.get(f)!);
      children.delete(f);
    }
    o.emit(folderRel);
  }

  function start(): boolean {
    const w = open(baseAbs, onBaseEvent);
    if (!w) return false;
    base = w;
    w.on('error', () => {
      if (base === w) lost();
    });
    if (o.depth === 1) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(baseAbs, { withFileTypes: true });
      } catch {
        lost();
        return true;
      }
      for (const d of entries) {
        if (limited || closed) break;
        // Real folders only: a symlinked agent folder is not followed (the reader says why).
        if (d.isDirectory() && o.admit(prefix + d.name)) watchChild(d.name);
      }
    }
    return true;
  }

  /** Watch the deepest existing ancestor of the agents folder until the folder is back. */
  function wait(): void {
    if (closed || limited) return;
    if (waiting) closeQuiet(waiting.watcher);
    waiting = null;
    if (rootTimer !== undefined) clearInterval(rootTimer);
    rootTimer = undefined;
    if (isDir(baseAbs)) {
      if (start()) {
        o.onStatus(null);
        o.emit(whole);
        return;
      }
    }
    // The agents folder is missing here; when it is the root itself, there is no ancestor.
    const anc = o.baseRel === '' ? null : existingAncestor(o.rootAbs, posixDir(o.baseRel));
    if (anc === null) {
      o.onStatus(`root folder ${o.rootAbs} is gone; checking every second`);
      rootTimer = setInterval(() => {
        if (isDir(o.rootAbs)) wait();
      }, o.rootCheckMs ?? 1000);
      return;
    }
    o.onStatus(`${o.baseRel || '.'} is missing; waiting for it`);
    const w = open(path.join(o.rootAbs, anc), () => {
      if (closed || waiting?.watcher !== w) return;
      // Something appeared or went below the ancestor: look again (maybe one level deeper).
      wait();
    });
    waiting = { rel: anc, watcher: w };
    w?.on('error', () => {
      if (waiting?.watcher === w) wait();
    });
    // Created between the check and the watch: look once more.
    if (isDir(baseAbs) || !isDir(path.join(o.rootAbs, anc)))
      queueMicrotask(() => waiting?.watcher === w && wait());
  }

  if (!start()) wait();

  return {
    watched: () => (base ? 1 : 0) + children.size,
    close: () => {
      closed = true;
      teardown();
    },
  };
}

function list(abs: string): string[] {
  try {
    return fs.readdirSync(abs);
  } catch {
    return [];
  }
}

function isDir(abs: string): boolean {
  try {
    return fs.statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

function isRealDir(abs: string): boolean {
  try {
    return fs.lstatSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/** The folder part of a root-relative posix path ('' at the root). */
export function posixDir(rel: string | null): string {
  if (!rel) return '';
  const d = path.posix.dirname(rel);
  return d === '.' ? '' : d;
}

/** The deepest existing folder on the way from the root to `rel` ('' for the root); null if not even the root. */
export function existingAncestor(rootAbs: string, rel: string): string | null {
  let cur = rel;
  for (;;) {
    if (isDir(path.join(rootAbs, cur))) return cur;
    if (cur === '') return null;
    cur = posixDir(cur);
  }
}
