// The --on-drift hook: runs a shell command per event, the event as one JSON line on its
// stdin. Bounded in every direction, because `watch` runs unattended for days:
//   - at most `concurrency` hooks run at once (default 4); the rest wait in a queue;
//   - the queue holds at most `maxQueue` events (default 100): when full, the OLDEST
//     waiting event is dropped and counted; the count is reported (as a failure with
//     `dropped`) when a slot frees up, so a storm yields a few reports, not one per drop;
//   - each run gets `timeoutMs` (default 10 s), then its whole process group is killed
//     with SIGKILL (`sh -c 'sleep 100'` leaves no orphan);
//   - what a hook prints is captured, keeping only the last `maxOutputBytes` (4 KiB) of
//     stdout and of stderr, and reported with a non-zero exit, a timeout or a failed start.
// Nothing here throws: every failure goes to `onFailure`.
import { spawn, type ChildProcess } from 'node:child_process';
import type { HookReport, WatchEvent } from '../core/report/watch-events.js';

export interface HookOptions {
  command: string;
  /** Report of a failed run or of dropped events; must not throw (it is guarded anyway). */
  onFailure: (report: HookReport) => void;
  concurrency?: number;
  timeoutMs?: number;
  maxQueue?: number;
  maxOutputBytes?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Extra environment per event (added to `env`), e.g. SYNC_TUI_AGENT. */
  envFor?: (event: WatchEvent) => Record<string, string>;
  /** The shell (default /bin/sh). */
  shell?: string;
}

export interface HookStats {
  started: number;
  failed: number;
  dropped: number;
  running: number;
  queued: number;
}

/** Keeps the last `max` bytes written to it. */
class Tail {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly max: number) {}
  push(b: Buffer): void {
    this.chunks.push(b);
    this.size += b.length;
    while (this.size > this.max && this.chunks.length > 0) {
      const first = this.chunks[0]!;
      const excess = this.size - this.max;
      if (first.length <= excess) {
        this.chunks.shift();
        this.size -= first.length;
      } else {
        this.chunks[0] = first.subarray(excess);
        this.size -= excess;
      }
    }
  }
  text(): string {
    return Buffer.concat(this.chunks)
      .toString('utf8')
      .replace(/^\uFFFD+/, '');
  }
}

export class HookRunner {
  private readonly queue: WatchEvent[] = [];
  private readonly running = new Set<ChildProcess>();
  private readonly idleWaiters: (() => void)[] = [];
  private stats_ = { started: 0, failed: 0, dropped: 0 };
  private droppedSinceReport = 0;
  private closed = false;
  private readonly concurrency: number;
  private readonly timeoutMs: number;
  private readonly maxQueue: number;
  private readonly maxOutput: number;

  constructor(private readonly opts: HookOptions) {
    this.concurrency = Math.max(1, opts.concurrency ?? 4);
    this.timeoutMs = Math.max(1, opts.timeoutMs ?? 10_000);
    this.maxQueue = Math.max(1, opts.maxQueue ?? 100);
    this.maxOutput = Math.max(64, opts.maxOutputBytes ?? 4096);
  }

  stats(): HookStats {
    return { ...this.stats_, running: this.running.size, queued: this.queue.length };
  }

  /** Queue the hook for an event (dropped silently once closed). */
  enqueue(event: WatchEvent): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueue) {
      this.queue.shift();
      this.stats_.dropped++;
      this.droppedSinceReport++;
    }
    this.queue.push(event);
    this.pump();
  }

  /** Stop taking events; wait up to `timeoutMs` for queued and running hooks, then kill the rest. Resolves true when all finished. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.closed = true;
    if (this.running.size === 0 && this.queue.length === 0) {
      this.reportDrops();
      return true;
    }
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => this.idleWaiters.push(() => resolve(true)));
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), Math.max(0, timeoutMs));
    });
    const done = await Promise.race([idle, late]);
    clearTimeout(timer);
    if (!done) {
      const left = this.queue.length;
      this.queue.length = 0;
      if (left > 0) {
        this.stats_.dropped += left;
        this.droppedSinceReport += left;
      }
      for (const child of this.running) this.kill(child);
      // The killed children report their end (timed out) through onFailure; wait briefly for it.
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(() => resolve())),
        new Promise<void>((resolve) => setTimeout(resolve, 500).unref()),
      ]);
    }
    this.reportDrops();
    return done;
  }

  private kill(child: ChildProcess): void {
    if (child.pid === undefined) return;
    try {
      process.kill(-child.pid, 'SIGKILL'); // the hook's own process group (detached)
    } catch {
      try {
        child.kill('SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  private report(r: HookReport): void {
    try {
      this.opts.onFailure(r);
    } catch {
      // a failing reporter must not stop the runner
    }
  }

  private reportDrops(): void {
    if (this.droppedSinceReport === 0) return;
    const since = this.droppedSinceReport;
    this.droppedSinceReport = 0;
    this.report({
      command: this.opts.command,
      event: null,
      exitCode: null,
      signal: null,
      timedOut: false,
      durationMs: 0,
      stdout: '',
      stderr: '',
      dropped: { since, total: this.stats_.dropped },
    });
  }

  private pump(): void {
    while (this.running.size < this.concurrency && this.queue.length > 0) {
      this.start(this.queue.shift()!);
    }
    if (this.running.size === 0 && this.queue.length === 0) {
      for (const w of this.idleWaiters.splice(0)) w();
    }
  }

  private start(event: WatchEvent): void {
    this.stats_.started++;
    const started = performance.now();
    const out = new Tail(this.maxOutput);
    const err = new Tail(this.maxOutput);
    let timedOut = false;
    let finished = false;
    let spawnError: string | null = null;
    let child: ChildProcess;
    try {
      child = spawn(this.opts.shell ?? '/bin/sh', ['-c', this.opts.command], {
        stdio: ['pipe', 'pipe', 'pipe'],
        detached: true,
        cwd: this.opts.cwd,
        env: { ...(this.opts.env ?? process.env), ...(this.opts.envFor?.(event) ?? {}) },
      });
    } catch (e) {
      this.stats_.failed++;
      this.report({
        command: this.opts.command,
        event: { type: event.type, agent: event.agent },
        exitCode: null,
        signal: null,
        timedOut: false,
        durationMs: 0,
        stdout: '',
        stderr: `could not start: ${e instanceof Error ? e.message : String(e)}`,
      });
      return;
    }
    this.running.add(child);
    const timer = setTimeout(() => {
      timedOut = true;
      this.kill(child);
    }, this.timeoutMs);
    child.stdout?.on('data', (b: Buffer) => out.push(b));
    child.stderr?.on('data', (b: Buffer) => err.push(b));
    // A hook that does not read its stdin (or exits early) gives EPIPE: not our problem.
    child.stdin?.on('error', () => undefined);
    child.on('error', (e) => {
      spawnError = e.message;
      finish(null, null);
    });
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      this.running.delete(child);
      if (code !== 0 || timedOut || spawnError !== null) {
        this.stats_.failed++;
        const stderr =
          err.text() +
          (spawnError !== null ? `${err.text() ? '\n' : ''}could not run: ${spawnError}` : '') +
          (timedOut ? `${err.text() ? '\n' : ''}killed after ${this.timeoutMs} ms` : '');
        this.report({
          command: this.opts.command,
          event: { type: event.type, agent: event.agent },
          exitCode: code,
          signal,
          timedOut,
          durationMs: Math.round(performance.now() - started),
          stdout: out.text(),
          stderr,
        });
      }
      this.reportDrops();
      this.pump();
    };
    // 'close' waits for the hook's output pipes; a grandchild that escaped the process
    // group could hold them open forever, so after the exit give them a moment, then cut.
    child.on('exit', (code, signal) => {
      const grace = setTimeout(() => {
        child.stdout?.destroy();
        child.stderr?.destroy();
        finish(code, signal);
      }, 1000);
      grace.unref();
      child.once('close', () => clearTimeout(grace));
    });
    child.on('close', (code, signal) => finish(code, signal));
    try {
      child.stdin?.end(JSON.stringify(event) + '\n');
    } catch {
      // see the error handler above
    }
  }
}
