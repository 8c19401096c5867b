// The one writer of `<stateDir>/history.jsonl` for a session over a live engine: `watch`
// and the live view both record through it, so `sync-tui report` covers TUI sessions too
// (README.md "report"). It looks at each new snapshot once (core/watch-session.ts decides
// the lines), writes a start line first and a stop line on close.
import type { HistoryEntry } from '../core/report/history-report.js';
import type { WatchEvent } from '../core/report/watch-events.js';
import { observeSnapshot, stopLine, type SnapshotLike } from '../core/report/watch-session.js';
import type { EngineLike } from './engine-types.js';
import { HistoryWriter } from './history.js';

export interface RecorderOptions {
  root: string;
  clock?: () => number;
  pid?: number;
  /** A write failed (once per failure streak). */
  onError?: (message: string) => void;
}

export class HistoryRecorder {
  private prev: SnapshotLike | null = null;
  private readonly writer: HistoryWriter;
  private readonly clock: () => number;
  private readonly pid: number;
  private closed = false;

  constructor(stateDir: string, opts: RecorderOptions) {
    this.clock = opts.clock ?? Date.now;
    this.pid = opts.pid ?? process.pid;
    this.writer = new HistoryWriter(stateDir, { root: opts.root, clock: this.clock, onError: opts.onError });
  }

  get file(): string {
    return this.writer.file;
  }

  /**
   * Take in a snapshot: its events (for watch to print) once per new seq, and its history
   * lines queued. An already seen snapshot makes nothing.
   */
  observe(snap: SnapshotLike): WatchEvent[] {
    if (this.closed || (this.prev !== null && snap.seq === this.prev.seq)) return [];
    const { events, history } = observeSnapshot(this.prev, snap, this.pid);
    this.prev = snap;
    this.writer.append(history);
    return events;
  }

  /** Lines decided elsewhere (auto-resolve's flapping and resumed). */
  append(lines: readonly HistoryEntry[]): void {
    if (!this.closed) this.writer.append(lines);
  }

  /** Write the stop line; resolves once everything is written (or failed). */
  async close(): Promise<void> {
    if (this.closed) return;
    if (this.prev !== null) this.writer.append([stopLine(this.clock(), this.pid)]);
    this.closed = true;
    await this.writer.flush();
  }
}

/** A recording of an engine's history: stop it to write the stop line and flush. */
export interface EngineHistory {
  recorder: HistoryRecorder;
  stop: () => Promise<void>;
}

/** Record an engine's snapshots as they come (the live view); returns the stop function. */
export function recordEngineHistory(
  engine: EngineLike,
  stateDir: string,
  opts: RecorderOptions,
): EngineHistory {
  const recorder = new HistoryRecorder(stateDir, opts);
  const look = () => {
    try {
      recorder.observe(engine.getSnapshot());
    } catch (e) {
      opts.onError?.(e instanceof Error ? e.message : String(e));
    }
  };
  const unsubscribe = engine.subscribe(look);
  look();
  return {
    recorder,
    stop: async () => {
      unsubscribe();
      look();
      await recorder.close();
    },
  };
}
