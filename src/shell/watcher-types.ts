// What the watcher (watcher.ts) is given and gives back: the targets, the options, the
// health per target, the handle; and the per-target slot it keeps while watching.
import type { watch, FSWatcher } from 'chokidar';
import type { FolderWatch, FsWatch } from './folder-watch.js';

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

/** What one target is being watched through, and how that is going. */
export interface Slot {
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
