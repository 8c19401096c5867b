// chokidar adapter: turns file-system events on the watched sources into batches of
// changed paths. The consumer re-reads every path it is given from disk; the event type
// is never trusted (an editor's atomic save is unlink+add or change depending on the
// editor, and chokidar merges or drops events). What this adapter guarantees is narrower
// and checkable: after the last write to a watched path, that path shows up in a batch
// delivered after the write.
//
// A path in a batch is a file, an agent's folder (added or removed), or the agents folder
// or one of its ancestors: that one means "re-list and re-read the whole target" (the
// folder came or went, or the watcher restarted and may have missed changes).
//
// Scale: on Linux every target is watched with the platform's own events (folder-watch.ts:
// a folder of agents is one watch on the agents folder and one per agent folder, no stat,
// no scan, 10,000 agents up in ~0.1 s; a single file is one watch on its folder, filtered
// to its name). Other platforms and the polling fallback use chokidar, one instance per
// target over the target's folder with a depth limit. When the kernel runs out of watches
// (ENOSPC/EMFILE) the target falls back to polling and says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { Batcher } from './batcher.js';
import { existingAncestor, posixDir, watchFolder, type FolderWatch, type FsWatch } from './folder-watch.js';
import { errorCode } from './fs-errors.js';

export interface WatchTarget {
  /** A source name; batches are grouped by it. */
  id: string;
  /** Absolute root; paths in batches are relative to it (posix). */
  root: string;
  kind: 'folder-of-agents' | 'file';
  /** The agents folder (`agent_workspaces`, `.` for the root) or the file; relative to the root, or absolute inside it. */
  path: string;
  /**
   * For folder-of-agents: how deep below the folder the files live, 1 for
   * `{agent}/status.json` (the default), 0 for `{agent}.json`.
   */
  depth?: number;
  /**
   * For folder-of-agents: which entries at the deepest level (`depth + 1` segments below
   * the folder) are worth watching, given their path relative to the root. Agents keep
   * inboxes, notes and reports beside their status file; leaving them out saves one
   * inotify watch per file and the events they cause. Default: every entry.
   */
  accept?: (relPath: string) => boolean;
}

export interface WatchHealth {
  id: string;
  mode: 'events' | 'polling' | 'failed';
  /** Watch handles (native: the agents folder and each agent folder; chokidar: files and folders it tracks). */
  watched: number;
  lastEventAt: number | null;
  lastError: string | null;
}

export interface FileWatcher {
  /**
   * Resolves once every target is watching (or has failed); never rejects. A polling
   * target waits one more interval (at least 100 ms), until fs.watchFile has its baselines.
   */
  ready: Promise<void>;
  health(): WatchHealth[];
  /** Stops watching. Paths not yet delivered are dropped: nothing is delivered after close. */
  close(): Promise<void>;
}

export interface WatchOptions {
  /** Flush a batch after this long without events (default 10 ms). */
  quietMs?: number;
  /** Flush at most this long after the first event of a batch (default 150 ms). */
  maxWaitMs?: number;
  /** Poll from the start instead of using native events. */
  forcePolling?: boolean;
  /** Polling interval, when polling (default 1000 ms). */
  pollIntervalMs?: number;
  /**
   * After a batch, look at its paths again this much later and deliver those that changed
   * since (default 100 ms). chokidar drops a second `change` of a path within 50 ms of the
   * first, so a file written in two steps could otherwise end half-written in the picture.
   */
  recheckMs?: number;
  /**
   * A batch holding at least this many paths of one target may mean the kernel's event
   * queue overflowed: inotify then drops events without telling anyone (Node does not
   * surface IN_Q_OVERFLOW). Once such a burst is over, the whole target is handed to the
   * consumer to re-read. Default: an eighth of fs.inotify.max_queued_events (2048 for the
   * usual 16384), since one write costs up to four queued events (file and folder, truncate
   * and write).
   */
  overflowPaths?: number;
  /** Time source for `lastEventAt` (default Date.now). */
  clock?: () => number;
  /** chokidar's `watch`, replaceable so tests can inject failures (ENOSPC). */
  chokidarWatch?: typeof watch;
  /**
   * Watch folders of agents with fs.watch directly (default: on Linux, where one inotify
   * watch per folder is cheap). false: chokidar for every target.
   */
  native?: boolean;
  /** fs.watch for the native folder watcher, replaceable so tests can inject failures. */
  fsWatch?: FsWatch;
}

const ROOT_GONE = (root: string) => `root folder ${root} is gone; checking every second`;

/** Errors that mean "the kernel will not give us more watches": fall back to polling. */
const LIMIT_ERRORS: Record<string, string> = {
  ENOSPC: process.platform === 'linux' ? 'inotify watch limit reached' : 'file watch limit reached',
  EMFILE: 'too many open files',
};

/** What one target is being watched through, and how that is going. */
interface Slot {
  index: number;
  target: WatchTarget;
  rootAbs: string;
  /** The folder the target lives in (the agents folder, or the file's folder), posix rel. */
  baseRel: string;
  /** The path that stands for the whole target: the agents folder, or the file. */
  whole: string;
  /** The folder chokidar actually watches: an existing ancestor of baseRel, posix rel. */
  anchorRel: string;
  admit: (rel: string) => boolean;
  /** Bumped on every (re)start; events from older chokidar instances are ignored. */
  gen: number;
  watcher: FSWatcher | null;
  /** The native folder watcher, when this target uses one instead of chokidar. */
  native: FolderWatch | null;
  polling: boolean;
  failed: boolean;
  watched: number;
  lastEventAt: number | null;
  lastError: string | null;
  readyDone: boolean;
  /** Hand the whole target to the consumer once the next watcher is ready (after a restart). */
  rescan: boolean;
  /** Polling: the wait for fs.watchFile's first stats (see the ready handler). */
  settleTimer: ReturnType<typeof setTimeout> | undefined;
  resolveReady: () => void;
  ready: Promise<void>;
}

export function watchTargets(
  targets: WatchTarget[],
  onBatch: (changed: { id: string; paths: Set<string> }[]) => void,
  opts: WatchOptions = {},
): FileWatcher {
  const clock = opts.clock ?? Date.now;
  const chokidarWatch = opts.chokidarWatch ?? watch;
  const pollIntervalMs = opts.pollIntervalMs ?? 1000;
  const recheckMs = opts.recheckMs ?? 100;
  const overflowPaths = Math.max(1, opts.overflowPaths ?? Math.floor(maxQueuedEvents() / 8));
  const native = opts.native ?? process.platform === 'linux';
  // chokidar's own switch to polling, honoured for the native watcher too.
  const envPolling = /^(1|true)$/i.test(process.env['CHOKIDAR_USEPOLLING'] ?? '');
  let closed = false;

  // Keys are `${slot index}:${relative path}`: one batcher across targets, so a change that
  // touches the status files and the registry at once arrives as one batch.
  const batcher = new Batcher<string>(deliver, {
    quietMs: opts.quietMs ?? 10,
    maxWaitMs: opts.maxWaitMs ?? 150,
  });

  // Paths delivered recently, with what they looked like just before delivery.
  const recheck = new Map<string, { sig: string; due: number }>();
  let recheckTimer: ReturnType<typeof setTimeout> | undefined;

  // Targets whose last burst was big enough to have overflowed the kernel's queue.
  const overflowed = new Set<number>();
  let overflowTimer: ReturnType<typeof setTimeout> | undefined;

  const slots: Slot[] = targets.map((target, index) => makeSlot(target, index));

  function deliver(keys: Set<string>): void {
    if (closed) return;
    const byTarget = new Map<number, Set<string>>();
    const due = performance.now() + recheckMs;
    for (const key of keys) {
      const colon = key.indexOf(':');
      const index = Number(key.slice(0, colon));
      const rel = key.slice(colon + 1);
      let paths = byTarget.get(index);
      if (!paths) byTarget.set(index, (paths = new Set()));
      paths.add(rel);
      // Signature taken before the consumer reads, so anything written after it differs.
      // Native events are never merged away: every write after the read reports itself.
      if (recheckMs >= 0 && !slots[index]!.native)
        recheck.set(key, { sig: signature(path.join(slots[index]!.rootAbs, rel)), due });
    }
    for (const [index, paths] of byTarget) {
      if (paths.size >= overflowPaths && !slots[index]!.polling) overflowed.add(index);
    }
    if (overflowed.size > 0) {
      // Wait for the burst to end (each big batch pushes this back), then re-read once.
      if (overflowTimer !== undefined) clearTimeout(overflowTimer);
      overflowTimer = setTimeout(rescanOverflowed, Math.max(250, recheckMs * 2));
    }
    const changed = [...byTarget]
      .sort((a, b) => a[0] - b[0])
      .map(([index, paths]) => ({ id: slots[index]!.target.id, paths }));
    try {
      onBatch(changed);
    } catch (e) {
      // A throw here would surface from a timer and end the process; keep watching.
      for (const [index] of byTarget) slots[index]!.lastError = `the change handler failed: ${message(e)}`;
    }
    armRecheck();
  }

  function rescanOverflowed(): void {
    overflowTimer = undefined;
    if (closed) return;
    for (const index of overflowed) batcher.add(`${index}:${slots[index]!.whole}`);
    overflowed.clear();
  }

  function armRecheck(): void {
    if (recheckTimer !== undefined || recheck.size === 0 || closed) return;
    let next = Infinity;
    for (const entry of recheck.values()) next = Math.min(next, entry.due);
    recheckTimer = setTimeout(runRecheck, Math.max(0, next - performance.now()));
  }

  function runRecheck(): void {
    recheckTimer = undefined;
    if (closed) return;
    const now = performance.now();
    for (const [key, entry] of recheck) {
      if (entry.due > now) continue;
      recheck.delete(key);
      const colon = key.indexOf(':');
      const slot = slots[Number(key.slice(0, colon))]!;
      if (signature(path.join(slot.rootAbs, key.slice(colon + 1))) !== entry.sig) batcher.add(key);
    }
    armRecheck();
  }

  function makeSlot(target: WatchTarget, index: number): Slot {
    let resolveReady!: () => void;
    const ready = new Promise<void>((r) => (resolveReady = r));
    const rootAbs = path.resolve(target.root);
    const rel = posixRel(path.isAbsolute(target.path) ? path.relative(rootAbs, target.path) : target.path);
    const baseRel = target.kind === 'file' ? posixDir(rel) : (rel ?? '');
    const slot: Slot = {
      index,
      target,
      rootAbs,
      baseRel,
      whole: target.kind === 'file' ? (rel ?? '') : baseRel,
      anchorRel: '',
      admit: admitter(target, rel, baseRel),
      gen: 0,
      watcher: null,
      native: null,
      polling: opts.forcePolling === true || envPolling,
      failed: false,
      watched: 0,
      lastEventAt: null,
      lastError: null,
      readyDone: false,
      rescan: false,
      settleTimer: undefined,
      resolveReady: () => {
        if (slot.readyDone) return;
        slot.readyDone = true;
        resolveReady();
      },
      ready,
    };
    if (rel === null || rel.startsWith('../') || rel === '..') {
      fail(slot, `${target.path}: the path leads outside the root; not watched`);
    } else if (target.kind === 'file' && rel === '') {
      fail(slot, `${target.path}: expected a file path below the root`);
    } else {
      start(slot);
    }
    return slot;
  }

  function fail(slot: Slot, why: string): void {
    slot.failed = true;
    slot.lastError = why;
    slot.resolveReady();
  }

  /** Start (or restart) chokidar for one slot, in the slot's current mode. */
  function start(slot: Slot): void {
    if (closed) return;
    const gen = ++slot.gen;
    const anchor = existingAncestor(slot.rootAbs, slot.baseRel === '' ? '' : posixDir(slot.baseRel));
    if (anchor === null) {
      if (!slot.readyDone) {
        fail(slot, `root folder ${slot.rootAbs} cannot be read`);
        return;
      }
      // The root went away while watching: look for it once a second, then start again
      // and have the consumer re-read the whole target.
      slot.lastError = ROOT_GONE(slot.rootAbs);
      slot.rescan = true;
      // Re-read now: the consumer sees the target gone (and shows why) without waiting.
      batcher.add(`${slot.index}:${slot.whole}`);
      slot.settleTimer = setTimeout(() => {
        slot.settleTimer = undefined;
        if (!closed && gen === slot.gen) start(slot);
      }, 1000);
      return;
    }
    slot.anchorRel = anchor;
    const depth = slot.target.kind === 'file' ? 0 : (slot.target.depth ?? 1);
    if (native && !slot.polling && (depth === 0 || depth === 1)) {
      startNative(slot, gen, depth);
      return;
    }
    const anchorAbs = path.join(slot.rootAbs, anchor);
    const below = segments(slot.baseRel) - segments(anchor);
    const levels = slot.target.kind === 'file' ? 0 : Math.max(0, slot.target.depth ?? 1);
    const options: ChokidarOptions = {
      persistent: true,
      ignoreInitial: true, // the consumer does its own initial read
      followSymlinks: false,
      alwaysStat: false,
      // Editors' atomic saves (write temp, rename over) become one change. No
      // awaitWriteFinish: it polls sizes and delays every event; a half-written file is
      // simply read again on its next event (and by the re-check after each batch).
      atomic: true,
      depth: below + levels,
      ignored: (p: string) => {
        const rel = relFromRoot(slot.rootAbs, p);
        return rel !== null && !slot.admit(rel);
      },
      ignorePermissionErrors: false,
      usePolling: slot.polling,
      interval: pollIntervalMs,
      binaryInterval: pollIntervalMs,
    };
    let w: FSWatcher;
    try {
      w = chokidarWatch(anchorAbs, options);
    } catch (e) {
      if (!slot.polling && limitError(e)) {
        fallBack(slot, e);
        return;
      }
      fail(slot, `cannot watch ${slot.target.path || '.'}: ${message(e)}`);
      return;
    }
    slot.watcher = w;
    // CHOKIDAR_USEPOLLING in the environment overrides the option; report what is true.
    if ((w as { options?: { usePolling?: boolean } }).options?.usePolling === true) slot.polling = true;

    w.on('all', (event: string, p: string) => {
      if (closed || gen !== slot.gen) return;
      const rel = relFromRoot(slot.rootAbs, p);
      if (rel === null || !slot.admit(rel)) return;
      slot.lastEventAt = clock();
      if (event === 'add' || event === 'addDir') slot.watched++;
      else if ((event === 'unlink' || event === 'unlinkDir') && slot.watched > 0) slot.watched--;
      batcher.add(`${slot.index}:${rel}`);
      // chokidar cannot outlive the folder it was started on; start again from an ancestor.
      if (event === 'unlinkDir' && rel === slot.anchorRel) void restart(slot, null);
    });
    w.on('error', (err: unknown) => {
      if (closed || gen !== slot.gen) return;
      if (!slot.polling && limitError(err)) fallBack(slot, err);
      else slot.lastError = describe(err);
    });
    w.on('ready', () => {
      if (closed || gen !== slot.gen) return;
      slot.watched = countWatched(w, anchorAbs);
      const settled = () => {
        slot.settleTimer = undefined;
        if (closed || gen !== slot.gen) return;
        if (slot.lastError === ROOT_GONE(slot.rootAbs)) slot.lastError = null;
        slot.resolveReady();
        if (slot.rescan) {
          // Changes made while no watcher was listening are unknown: have the consumer
          // re-read the whole target (the agents folder, or the file).
          slot.rescan = false;
          batcher.add(`${slot.index}:${slot.whole}`);
        }
      };
      // fs.watchFile takes each file's baseline with a first stat some time after it
      // starts; a write before that stat is never reported. One interval later it is.
      if (slot.polling) slot.settleTimer = setTimeout(settled, Math.max(100, pollIntervalMs));
      else settled();
    });
  }

  function startNative(slot: Slot, gen: number, depth: 0 | 1): void {
    const handle = watchFolder({
      rootAbs: slot.rootAbs,
      baseRel: slot.baseRel,
      depth,
      wholeRel: slot.whole,
      admit: slot.admit,
      emit: (rel) => {
        if (closed || gen !== slot.gen) return;
        slot.lastEventAt = clock();
        batcher.add(`${slot.index}:${rel}`);
      },
      onLimit: (err) => {
        if (closed || gen !== slot.gen) return;
        fallBack(slot, err);
      },
      onStatus: (msg) => {
        if (closed || gen !== slot.gen) return;
        slot.lastError = msg;
      },
      ...(opts.fsWatch ? { fsWatch: opts.fsWatch } : {}),
    });
    // A limit hit while starting has already moved this slot to polling.
    if (closed || gen !== slot.gen) {
      handle.close();
      return;
    }
    slot.native = handle;
    slot.resolveReady();
    if (slot.rescan) {
      slot.rescan = false;
      batcher.add(`${slot.index}:${slot.whole}`);
    }
  }

  /** The kernel refused more watches: poll this target instead, and say so. */
  function fallBack(slot: Slot, err: unknown): void {
    const code = errorCode(err) === 'EUNKNOWN' ? 'ENOSPC' : errorCode(err);
    slot.polling = true;
    const why = `${LIMIT_ERRORS[code] ?? 'file watch limit reached'} (${code}); polling every ${interval(pollIntervalMs)}`;
    void restart(slot, why);
  }

  async function restart(slot: Slot, why: string | null): Promise<void> {
    const old = slot.watcher;
    slot.watcher = null;
    slot.native?.close();
    slot.native = null;
    slot.gen++; // silence the old instance at once
    if (why !== null) slot.lastError = why;
    if (slot.settleTimer !== undefined) clearTimeout(slot.settleTimer);
    slot.settleTimer = undefined;
    slot.rescan = true;
    if (old) await closeQuietly(old);
    if (closed) return;
    start(slot);
  }

  return {
    ready: Promise.all(slots.map((s) => s.ready)).then(() => undefined),
    health: () =>
      slots.map((s) => ({
        id: s.target.id,
        mode: s.failed ? 'failed' : s.polling ? 'polling' : 'events',
        watched: s.failed ? 0 : s.native ? s.native.watched() : s.watched,
        lastEventAt: s.lastEventAt,
        lastError: s.lastError,
      })),
    close: async () => {
      if (closed) return;
      closed = true;
      batcher.close(); // delivers nothing: deliver() checks `closed`
      if (recheckTimer !== undefined) clearTimeout(recheckTimer);
      if (overflowTimer !== undefined) clearTimeout(overflowTimer);
      recheck.clear();
      const closing: Promise<void>[] = [];
      for (const s of slots) {
        s.gen++;
        if (s.settleTimer !== undefined) clearTimeout(s.settleTimer);
        s.resolveReady();
        if (s.watcher) closing.push(closeQuietly(s.watcher));
        s.watcher = null;
        s.native?.close();
        s.native = null;
      }
      await Promise.all(closing);
    },
  };
}

// ---------------------------------------------------------------------------------------
// Paths

/** `a/b/../c` -> `a/c`; '' for the root itself; null for an absolute path. */
function posixRel(p: string): string | null {
  const norm = path.posix.normalize(p.replace(/\\/g, '/'));
  if (path.posix.isAbsolute(norm)) return null;
  return norm === '.' ? '' : norm.replace(/\/+$/, '');
}

function segments(rel: string): number {
  return rel === '' ? 0 : rel.split('/').length;
}

/** Path relative to the root, posix; null when outside it. */
function relFromRoot(rootAbs: string, p: string): string | null {
  const rel = path.relative(rootAbs, p);
  if (rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return path.sep === '/' ? rel : rel.split(path.sep).join('/');
}

/** Whether `rel` is `base` or one of its ancestors (the chain chokidar must walk down). */
function onChainTo(rel: string, base: string): boolean {
  return rel === '' || rel === base || base.startsWith(rel + '/');
}

/** Which paths (relative to the root) belong to a target. */
function admitter(target: WatchTarget, rel: string | null, baseRel: string): (p: string) => boolean {
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
function countWatched(w: FSWatcher, anchorAbs: string): number {
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
function signature(abs: string): string {
  try {
    const st = fs.statSync(abs, { throwIfNoEntry: false });
    return st ? `${st.ino}:${st.size}:${st.mtimeMs}:${st.ctimeMs}` : 'none';
  } catch {
    return 'error';
  }
}

/** The kernel's inotify queue length (Linux); the usual default elsewhere. */
function maxQueuedEvents(): number {
  try {
    const n = Number.parseInt(fs.readFileSync('/proc/sys/fs/inotify/max_queued_events', 'utf8'), 10);
    if (Number.isFinite(n) && n > 0) return n;
  } catch {
    // not Linux, or not readable
  }
  return 16384;
}

async function closeQuietly(w: FSWatcher): Promise<void> {
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

function limitError(e: unknown): boolean {
  return errorCode(e) in LIMIT_ERRORS;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function describe(e: unknown): string {
  const code = errorCode(e);
  const msg = message(e);
  return code !== 'EUNKNOWN' && !msg.includes(code) ? `${code}: ${msg}` : msg;
}

function interval(ms: number): string {
  return ms >= 1000 && ms % 100 === 0 ? `${ms / 1000}s` : `${ms}ms`;
}
