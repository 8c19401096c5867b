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
import * as path from 'node:path';
import { watch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { Batcher } from './batcher.js';
import { existingAncestor, posixDir, watchFolder } from './folder-watch.js';
import { errorCode } from './fs-errors.js';
import {
  LIMIT_ERRORS,
  ROOT_GONE,
  posixRel,
  segments,
  relFromRoot,
  admitter,
  countWatched,
  signature,
  maxQueuedEvents,
  closeQuietly,
  limitError,
  message,
  describe,
  interval,
} from './watcher-paths.js';
import type { FileWatcher, Slot, WatchOptions, WatchTarget } from './watcher-types.js';

export type { FileWatcher, WatchHealth, WatchTarget } from './watcher-types.js';

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
