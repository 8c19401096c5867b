// One way for every end-to-end test to run the built binary's `watch` and read what it
// prints: spawn it, split stdout into lines, parse JSON lines into events (a line that is
// not JSON is kept in `badLines`, so a test can assert there are none), collect stderr,
// and stop it (SIGTERM, with SIGKILL after a grace period). `stopAllWatches()` in an
// afterEach kills whatever a failed test left running. SYNC_TUI_BIN runs another build.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WatchEvent } from '../../src/core/report/watch-events.js';
import { BIN, PROJECT } from './cli.js';
import { waitFor } from './wait.js';

export type ReceivedEvent = WatchEvent & {
  /** performance.now() when its line arrived. */ receivedAt: number;
};

export interface WatchProcess {
  child: ChildProcess;
  /** Every complete line of stdout, in order. */
  lines: string[];
  /** The lines that parsed as JSON (with `--json`), in order. */
  events: ReceivedEvent[];
  /** Lines that did not parse as JSON although `--json` was given. */
  badLines: string[];
  stderr: () => string;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
  /** Send `signal` (default SIGTERM); SIGKILL after `graceMs` (default 10 s). */
  stop: (signal?: NodeJS.Signals, graceMs?: number) => Promise<number | null>;
  /** Events of a type, optionally for one agent. */
  of: (type: string, agent?: string) => ReceivedEvent[];
}

export interface StartWatchOptions {
  /** Arguments after `watch` (e.g. ['--json', '--root', root]). */
  args: string[];
  env?: Record<string, string>;
  /** Node options placed before the binary (e.g. ['--import', tracer]). */
  nodeArgs?: string[];
  /** What "started" means; default: the `initial` event with --json, else the first line. */
  ready?: (w: WatchProcess) => boolean;
  readyTimeoutMs?: number;
  /** Run the command line ([node, ...]) under another program (e.g. strace): returns [program, ...args]. */
  wrap?: (argv: string[]) => string[];
  /** The pid that `stop` signals (default the child); a wrapper that forwards no signal names the node below it. */
  signalPid?: (child: ChildProcess) => number;
}

const running = new Set<WatchProcess>();

export async function startWatch(opts: StartWatchOptions): Promise<WatchProcess> {
  const json = opts.args.includes('--json');
  const argv = [
    process.execPath,
    ...(opts.nodeArgs ?? []),
    process.env['SYNC_TUI_BIN'] ?? BIN,
    'watch',
    ...opts.args,
  ];
  const [command, ...args] = opts.wrap ? opts.wrap(argv) : argv;
  const child = spawn(command!, args, {
    cwd: PROJECT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (opts.signalPid) return void process.kill(opts.signalPid(child), signal);
    } catch {
      // The process below the wrapper is gone or not there yet: signal the wrapper.
    }
    child.kill(signal);
  };
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  let buf = '';
  let err = '';
  const w: WatchProcess = {
    child,
    lines: [],
    events: [],
    badLines: [],
    stderr: () => err,
    exited,
    stop: async (signal = 'SIGTERM', graceMs = 10_000) => {
      if (child.exitCode === null && child.signalCode === null) kill(signal);
      const timer = setTimeout(() => kill('SIGKILL'), graceMs);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
        running.delete(w);
      }
    },
    of: (type, agent) =>
      w.events.filter((e) => e.type === type && (agent === undefined || e.agent === agent)),
  };
  running.add(w);
  child.stdout!.setEncoding('utf8');
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => (err += d));
  child.stdout!.on('data', (d: string) => {
    const now = performance.now();
    buf += d;
    const parts = buf.split('\n');
    buf = parts.pop()!;
    for (const line of parts) {
      w.lines.push(line);
      if (!json) continue;
      try {
        w.events.push({ ...(JSON.parse(line) as WatchEvent), receivedAt: now });
      } catch {
        w.badLines.push(line);
      }
    }
  });
  const ready =
    opts.ready ??
    (json
      ? (x: WatchProcess) => x.events.some((e) => e.type === 'initial')
      : (x: WatchProcess) => x.lines.length > 0);
  await waitFor(() => ready(w) || child.exitCode !== null, {
    timeoutMs: opts.readyTimeoutMs ?? 15_000,
    what: `watch to start (stderr: ${err})`,
  });
  if (!ready(w)) throw new Error(`watch exited with ${child.exitCode} before it started; stderr: ${err}`);
  return w;
}

/** Kill every watch a test started and did not stop (for afterEach). */
export async function stopAllWatches(): Promise<void> {
  await Promise.all([...running].map((w) => w.stop('SIGKILL', 1000)));
}
