// Shared helpers of the benchmark: loading the built code, statistics, clocks, /proc.
// The benchmark measures what ships: every import of the product goes to ../dist (built
// by `npm run bench` first), typed against the sources it was built from.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const BIN = path.join(PROJECT, 'dist/cli.js');
export const BENCH = path.join(PROJECT, 'bench');

/** Import a module of the built product (`dist/<rel>`), typed by its source. */
export async function dist<T>(rel: string): Promise<T> {
  const file = path.join(PROJECT, 'dist', rel);
  if (!fs.existsSync(file))
    throw new Error(`${file} is missing: run npm run build first (npm run bench does)`);
  return (await import(pathToFileURL(file).href)) as T;
}

/** Wall clock with sub-millisecond precision, comparable across processes (epoch ms). */
export function wallNow(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function median(xs: readonly number[]): number {
  return percentile(xs, 50);
}

/** Nearest-rank percentile; NaN for an empty list. */
export function percentile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))]!;
}

export function mean(xs: readonly number[]): number {
  return xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length;
}

/** Wait for a condition with a deadline; resolves with its first truthy value. */
export async function until<T>(
  what: string,
  probe: () => T | null | undefined | false,
  timeoutMs: number,
  intervalMs = 20,
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(intervalMs);
  }
}

// ---------------------------------------------------------------------------------------
// /proc (Linux): CPU time and memory of another process

/** Clock ticks per second of /proc/<pid>/stat times (`getconf CLK_TCK`, 100 on Linux). */
export const CLK_TCK = ((): number => {
  const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
  const n = Number(r.stdout?.trim());
  return Number.isFinite(n) && n > 0 ? n : 100;
})();

/** utime + stime of a process in milliseconds, or null when it is gone. */
export function cpuMs(pid: number): number | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(rest[11]);
    const stime = Number(rest[12]);
    return ((utime + stime) * 1000) / CLK_TCK;
  } catch {
    return null;
  }
}

/** VmHWM (peak RSS) and VmRSS of a process in MB, or null when it is gone. */
export function memMB(pid: number): { hwm: number; rss: number } | null {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) =>
      Number(/^\S+:\s+(\d+)/.exec(status.split('\n').find((l) => l.startsWith(key + ':')) ?? '')?.[1] ?? NaN);
    return { hwm: kb('VmHWM') / 1024, rss: kb('VmRSS') / 1024 };
  } catch {
    return null;
  }
}

/** Direct children of a process (Linux 3.5+). */
export function childrenOf(pid: number): number[] {
  try {
    return fs
      .readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter((s) => s !== '')
      .map(Number);
  } catch {
    return [];
  }
}

export function commOf(pid: number): string {
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

/** The `node` process at or below `pid` (a shell may sit between tmux and node). */
export function findNode(pid: number): number | null {
  const queue = [pid];
  while (queue.length > 0) {
    const p = queue.shift()!;
    if (commOf(p) === 'node' || commOf(p).startsWith('node')) return p;
    queue.push(...childrenOf(p));
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// Child results: a child prints one line `BENCH-RESULT <json>` on stdout

export const RESULT_PREFIX = 'BENCH-RESULT ';

export function emitResult(value: unknown): void {
  process.stdout.write(RESULT_PREFIX + JSON.stringify(value) + '\n');
}

export function parseResult<T>(stdout: string): T | null {
  const line = stdout.split('\n').find((l) => l.startsWith(RESULT_PREFIX));
  return line ? (JSON.parse(line.slice(RESULT_PREFIX.length)) as T) : null;
}

const ANSI =
  /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)|\u001B[()][0-9A-B]|\u001B[=>78]/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

export function fmtMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms >= 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${(ms / 1000).toFixed(2)} s`;
  if (ms >= 10) return `${ms.toFixed(0)} ms`;
  return `${ms.toFixed(1)} ms`;
}

export function fmtMB(mb: number): string {
  return Number.isFinite(mb) ? `${mb.toFixed(0)} MB` : 'n/a';
}

// ---------------------------------------------------------------------------------------
// Cleaning up on Ctrl-C: temp folders and tmux servers must not outlive an interrupted run

const cleanups = new Set<() => void>();

/** Register a synchronous cleanup; returns a function that unregisters it. */
export function onInterrupt(fn: () => void): () => void {
  cleanups.add(fn);
  return () => cleanups.delete(fn);
}

export function installInterruptHandler(log: (msg: string) => void): void {
  const handler = (signal: NodeJS.Signals) => {
    log(`${signal}: cleaning up`);
    for (const fn of [...cleanups].reverse()) {
      try {
        fn();
      } catch {
        // best effort
      }
    }
    process.exit(130);
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
