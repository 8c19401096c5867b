// The soak test: the built binary's `watch --json` under steady churn for a long time
// (30 minutes by default), watched from outside through /proc: does its memory or its
// number of open files grow? Not part of CI (test/soak.smoke.test.ts runs it for seconds).
//   npm run soak -- [--minutes N | --seconds N] [--agents N] [--auto-resolve] [--rate W]
//                   [--out FILE] [--sample-every S] [--warmup S] [--rotate-every S]
//                   [--seed N] [--work DIR] [--node-args="..."] [--keep]
// It builds a workspace (bench/workspace.ts), starts `node dist/cli.js watch --json --root
// WS` and reads every line it prints (each must parse as JSON), starts bench/churn.mjs
// writing status files, the registry's unrelated fields and event-log lines at a steady
// rate, and every --sample-every seconds reads the watcher's VmRSS, VmHWM, open fds and CPU
// time. At the end: a table of the first 3 minutes after the warm-up against the last 3
// (RSS as its floor, the lowest sample: GC makes a sawtooth of tens of MB above it), the
// slopes, a verdict (flat / growing) and a JSON result (--out, default in the temp folder). Shutdown: churn stopped, the watcher sent SIGINT and expected to exit 0, the
// workspace removed; the same on Ctrl-C (exit 130; a second Ctrl-C kills at once).
// Exit 0: flat and the watcher healthy; 1: growing, or the watcher misbehaved; 2: usage.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { BENCH, BIN, cpuMs, median, memMB, PROJECT, sleep } from './lib.js';
import { generateWorkspace } from './workspace.js';

// ---------------------------------------------------------------------------------------
// Options

const USAGE = `usage: tsx bench/soak.ts [--minutes N | --seconds N] [--agents N] [--auto-resolve]
  [--rate WRITES_PER_S] [--out FILE] [--sample-every S] [--warmup S] [--rotate-every S]
  [--seed N] [--work DIR] [--node-args="FLAGS"] [--keep]
  --node-args: flags for the node running the watcher, e.g. --node-args="--heapsnapshot-signal=SIGUSR2"`;

export interface SoakOptions {
  agents: number;
  durationMs: number;
  autoResolve: boolean;
  rate: number;
  sampleMs: number;
  warmupMs: number;
  rotateMs: number;
  seed: number;
  work: string;
  out: string;
  nodeArgs: string[];
  keep: boolean;
}

class Usage extends Error {}

function num(text: string | undefined, flag: string, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isFinite(n) || n < min)
    throw new Usage(`${flag}: expected a number of at least ${min}, found '${text}'`);
  return n;
}

export function parseOptions(argv: string[]): SoakOptions {
  const { values: v } = parseArgs({
    args: argv,
    options: {
      agents: { type: 'string' },
      minutes: { type: 'string' },
      seconds: { type: 'string' },
      'auto-resolve': { type: 'boolean', default: false },
      rate: { type: 'string' },
      out: { type: 'string' },
      'sample-every': { type: 'string' },
      warmup: { type: 'string' },
      'rotate-every': { type: 'string' },
      seed: { type: 'string' },
      work: { type: 'string' },
      'node-args': { type: 'string' },
      keep: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (v.help) throw new Usage(USAGE);
  const durationMs =
    v.seconds !== undefined
      ? num(v.seconds, '--seconds', 0, 1) * 1000
      : num(v.minutes, '--minutes', 30, 0.05) * 60_000;
  const sampleMs = num(v['sample-every'], '--sample-every', 10, 0.2) * 1000;
  // The first minute is warm-up (caches fill, the JIT settles); a short run keeps a quarter.
  const warmupMs =
    v.warmup !== undefined ? num(v.warmup, '--warmup', 0, 0) * 1000 : Math.min(60_000, durationMs / 4);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-').slice(0, 19);
  return {
    agents: Math.floor(num(v.agents, '--agents', 1000, 1)),
    durationMs,
    autoResolve: v['auto-resolve'] === true,
    rate: num(v.rate, '--rate', 30, 0.1),
    sampleMs,
    warmupMs,
    rotateMs: num(v['rotate-every'], '--rotate-every', 120, 0) * 1000,
    seed: Math.floor(num(v.seed, '--seed', 20250914, 1)),
    work: path.resolve(v.work ?? os.tmpdir()),
    out: path.resolve(v.out ?? path.join(os.tmpdir(), `sync-tui-soak-${stamp}.json`)),
    nodeArgs: (v['node-args'] ?? '').split(/\s+/).filter((s) => s !== ''),
    keep: v.keep === true,
  };
}

// ---------------------------------------------------------------------------------------
// Samples and the verdict

export interface Sample {
  /** ms since the churn started. */
  t: number;
  rssMB: number;
  hwmMB: number;
  fds: number;
  cpuMs: number;
  /** CPU use since the previous sample, % of one core. */
  cpuPct: number;
  events: number;
  writes: number;
}

export interface Figures {
  /** Time of the window's first (start) or last (end) sample. */
  t: number;
  /** The lowest RSS in the window: the floor after a GC. A heap that is only waiting for its next GC sits above it. */
  rssMB: number;
  /** The median RSS in the window. */
  rssMedianMB: number;
  /** VmHWM at the window's last sample (it only grows). */
  hwmMB: number;
  fds: number;
  cpuPct: number;
}

export type Verdict = 'flat' | 'growing' | 'too-short';

export interface Analysis {
  /** Samples after the warm-up that the figures come from. */
  samples: number;
  /** Samples per window (the start and end figures, the floors). */
  window: number;
  start: Figures | null;
  end: Figures | null;
  /**
   * Least-squares slopes per 10 minutes. `rssMBPer10Min` is over every sample: a GC
   * sawtooth (tens of MB) moves it by its phase. `rssFloorMBPer10Min` is over the lowest
   * sample of each window: that one moves only when what survives a GC grows.
   */
  slope: { rssMBPer10Min: number; rssFloorMBPer10Min: number; hwmMBPer10Min: number; fdsPer10Min: number };
  /** The lowest RSS of each window after the warm-up: [t, MB]. */
  floors: [number, number][];
  cpu: { meanPct: number };
  verdict: Verdict;
  rule: string;
  reasons: string[];
}

/** Figures over a window of samples: RSS its floor and median, fds the median, CPU the mean. */
function figures(xs: readonly Sample[], at: 'first' | 'last'): Figures {
  const cpu = xs.map((s) => s.cpuPct).filter((x) => Number.isFinite(x));
  return {
    t: (at === 'first' ? xs[0] : xs[xs.length - 1])!.t,
    rssMB: Math.min(...xs.map((s) => s.rssMB)),
    rssMedianMB: median(xs.map((s) => s.rssMB)),
    hwmMB: xs[xs.length - 1]!.hwmMB,
    fds: median(xs.map((s) => s.fds)),
    cpuPct: cpu.length > 0 ? cpu.reduce((a, x) => a + x, 0) / cpu.length : NaN,
  };
}

/** Least-squares slope of y over t (ms), per 10 minutes. */
function slopePer10Min(xs: readonly (readonly [number, number])[]): number {
  if (xs.length < 2) return NaN;
  const mt = xs.reduce((a, p) => a + p[0], 0) / xs.length;
  const my = xs.reduce((a, p) => a + p[1], 0) / xs.length;
  let num = 0;
  let den = 0;
  for (const [t, y] of xs) {
    num += (t - mt) * (y - my);
    den += (t - mt) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 600_000;
}

/** A window is 3 minutes of samples (at least 3, at most half of them). */
export const WINDOW_MS = 180_000;

export const RULE =
  'flat when the end RSS floor <= start RSS floor x 1.2 + 10 MB and end fds - start fds <= 2 (floor: the lowest RSS in the first / last 3 minutes after the warm-up; fds: their medians)';

export function analyse(all: readonly Sample[], warmupMs: number, sampleMs: number): Analysis {
  const xs = all.filter((s) => s.t >= warmupMs);
  const k = Math.max(1, Math.min(Math.max(3, Math.round(WINDOW_MS / sampleMs)), Math.floor(xs.length / 2)));
  const start = xs.length > 0 ? figures(xs.slice(0, k), 'first') : null;
  const end = xs.length > 0 ? figures(xs.slice(-k), 'last') : null;
  const floors: [number, number][] = [];
  for (let i = 0; i + k <= xs.length; i += k) {
    const low = xs.slice(i, i + k).reduce((m, s) => (s.rssMB < m.rssMB ? s : m));
    floors.push([low.t, low.rssMB]);
  }
  const slope = {
    rssMBPer10Min: slopePer10Min(xs.map((s) => [s.t, s.rssMB])),
    rssFloorMBPer10Min: slopePer10Min(floors),
    hwmMBPer10Min: slopePer10Min(xs.map((s) => [s.t, s.hwmMB])),
    fdsPer10Min: slopePer10Min(xs.map((s) => [s.t, s.fds])),
  };
  const span = xs.length > 1 ? xs[xs.length - 1]!.t - xs[0]!.t : 0;
  const cpuTotal = xs.length > 1 ? xs[xs.length - 1]!.cpuMs - xs[0]!.cpuMs : 0;
  const cpu = { meanPct: span > 0 ? (cpuTotal / span) * 100 : NaN };
  const reasons: string[] = [];
  let verdict: Verdict;
  if (start === null || end === null || xs.length < 2) {
    verdict = 'too-short';
    reasons.push(`${xs.length} sample(s) after the warm-up: too few to compare`);
  } else {
    const rssLimit = start.rssMB * 1.2 + 10;
    if (end.rssMB > rssLimit)
      reasons.push(
        `RSS floor ${end.rssMB.toFixed(1)} MB > ${rssLimit.toFixed(1)} MB (start ${start.rssMB.toFixed(1)} MB x 1.2 + 10)`,
      );
    if (end.fds - start.fds > 2) reasons.push(`open fds ${start.fds} -> ${end.fds} (more than 2 up)`);
    verdict = reasons.length === 0 ? 'flat' : 'growing';
  }
  return { samples: xs.length, window: k, start, end, slope, floors, cpu, verdict, rule: RULE, reasons };
}

// ---------------------------------------------------------------------------------------
// The watcher, from outside

/** Open file descriptors of a process, or null when it is gone. */
export function openFds(pid: number): number | null {
  try {
    return fs.readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return null;
  }
}

interface Child {
  proc: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  done: boolean;
}

function start(cmd: string, args: string[], env: NodeJS.ProcessEnv): Child {
  // Its own process group: a Ctrl-C in the terminal reaches only the soak, which then
  // stops the children in order (churn first, then SIGINT to the watcher once).
  const proc = spawn(cmd, args, { cwd: PROJECT, env, stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const c: Child = { proc, done: false, exited: null as never };
  c.exited = new Promise((resolve) =>
    proc.on('exit', (code, signal) => {
      c.done = true;
      resolve({ code, signal });
    }),
  );
  proc.on('error', () => {
    c.done = true;
  });
  return c;
}

/** Split a stream into lines. */
function onLines(stream: NodeJS.ReadableStream, fn: (line: string) => void): void {
  let buf = '';
  stream.setEncoding('utf8');
  stream.on('data', (d: string) => {
    buf += d;
    let i: number;
    while ((i = buf.indexOf('\n')) >= 0) {
      fn(buf.slice(0, i));
      buf = buf.slice(i + 1);
    }
  });
  stream.on('end', () => {
    if (buf !== '') fn(buf);
    buf = '';
  });
}

async function stopChild(
  c: Child,
  signal: NodeJS.Signals,
  graceMs: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; killed: boolean }> {
  if (c.done) return { ...(await c.exited), killed: false };
  try {
    c.proc.kill(signal);
  } catch {
    // already gone
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((r) => (timer = setTimeout(() => r(null), graceMs)));
  const r = await Promise.race([c.exited, timeout]);
  clearTimeout(timer);
  if (r) return { ...r, killed: false };
  try {
    c.proc.kill('SIGKILL');
  } catch {
    // already gone
  }
  return { ...(await c.exited), killed: true };
}

// ---------------------------------------------------------------------------------------
// The run

export interface ChurnCounts {
  final: boolean;
  elapsedMs: number;
  writes: number;
  status: number;
  broken: number;
  repairs: number;
  events: number;
  registry: number;
  registrySkipped: number;
  rotations: number;
  failed: number;
}

export interface SoakResult {
  version: 1;
  startedAt: string;
  finishedAt: string;
  interrupted: boolean;
  options: Omit<SoakOptions, 'out' | 'work'> & { bin: string };
  machine: { node: string; platform: string; cpus: number; cpu: string; memGB: number };
  workspace: { root: string; agents: number; generatedMs: number; removed: boolean };
  watcher: {
    pid: number;
    readyMs: number;
    exitCode: number | null;
    signal: string | null;
    killed: boolean;
    cleanExit: boolean;
    stderrBytes: number;
    stderrTail: string;
  };
  events: { lines: number; badLines: number; badSamples: string[]; byType: Record<string, number> };
  writes: ChurnCounts | null;
  churnExit: number | null;
  samples: Sample[];
  analysis: Analysis;
  ok: boolean;
}

const log = (msg: string) => process.stdout.write(msg + '\n');

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export async function soak(opts: SoakOptions): Promise<{ result: SoakResult; code: number }> {
  if (!fs.existsSync(BIN)) throw new Usage(`${BIN} is missing: run npm run build first (npm run soak does)`);
  if (process.platform !== 'linux') throw new Usage('the soak reads /proc: Linux only');
  const startedAt = new Date().toISOString();

  // Ctrl-C: the first asks for a clean stop, a second kills everything at once.
  let interrupted = false;
  let wake!: () => void;
  const stopRequested = new Promise<void>((r) => (wake = r));
  const children: Child[] = [];
  let root: string | null = null; // for a second Ctrl-C
  const onSignal = (sig: NodeJS.Signals) => {
    if (interrupted) {
      log(`${sig} again: killing the watcher and the churn`);
      for (const c of children) if (!c.done) c.proc.kill('SIGKILL');
      if (root && !opts.keep) fs.rmSync(root, { recursive: true, force: true });
      process.exit(130);
    }
    interrupted = true;
    log(`${sig}: stopping cleanly (again to kill)`);
    wake();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  fs.mkdirSync(opts.work, { recursive: true });
  const dir = fs.mkdtempSync(path.join(opts.work, 'sync-tui-soak-'));
  root = dir;
  let ws: Awaited<ReturnType<typeof generateWorkspace>>;
  try {
    ws = await generateWorkspace(dir, { agents: opts.agents, registry: 'lagging', seed: opts.seed });
  } catch (e) {
    fs.rmSync(dir, { recursive: true, force: true });
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    throw e;
  }
  log(`workspace: ${root} (${opts.agents} agents, ${Math.round(ws.generatedMs)} ms)`);

  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['NODE_OPTIONS']; // tsx's loader is for us, not for the binary under test
  const watchArgs = [
    ...opts.nodeArgs,
    BIN,
    'watch',
    '--json',
    '--root',
    root,
    ...(opts.autoResolve ? ['--auto-resolve'] : []),
  ];
  const t0 = performance.now();
  const watcher = start(process.execPath, watchArgs, env);
  children.push(watcher);
  watcher.proc.stdin!.end();
  const events = { lines: 0, badLines: 0, badSamples: [] as string[], byType: {} as Record<string, number> };
  onLines(watcher.proc.stdout!, (line) => {
    events.lines++;
    try {
      const e = JSON.parse(line) as { type?: unknown };
      const type = typeof e === 'object' && e !== null && typeof e.type === 'string' ? e.type : '(no type)';
      events.byType[type] = (events.byType[type] ?? 0) + 1;
    } catch {
      events.badLines++;
      if (events.badSamples.length < 5) events.badSamples.push(line.slice(0, 300));
    }
  });
  let stderr = '';
  let stderrBytes = 0;
  watcher.proc.stderr!.setEncoding('utf8');
  watcher.proc.stderr!.on('data', (d: string) => {
    stderrBytes += Buffer.byteLength(d);
    stderr = (stderr + d).slice(-4000);
  });

  let readyMs = NaN;
  let churn: Child | null = null;
  let counts: ChurnCounts | null = null;
  const samples: Sample[] = [];
  let churnStart = 0;

  const sample = (): Sample | null => {
    const pid = watcher.proc.pid!;
    const mem = memMB(pid);
    const fds = openFds(pid);
    const cpu = cpuMs(pid);
    if (!mem || fds === null || cpu === null || watcher.done) return null;
    const t = performance.now() - churnStart;
    const prev = samples[samples.length - 1];
    const cpuPct = prev ? ((cpu - prev.cpuMs) / Math.max(1, t - prev.t)) * 100 : NaN;
    const s: Sample = {
      t: Math.round(t),
      rssMB: +mem.rss.toFixed(2),
      hwmMB: +mem.hwm.toFixed(2),
      fds,
      cpuMs: Math.round(cpu),
      cpuPct: +cpuPct.toFixed(1),
      events: events.lines,
      writes: counts?.writes ?? 0,
    };
    samples.push(s);
    return s;
  };

  let churnExit: number | null = null;
  let w: { code: number | null; signal: NodeJS.Signals | null; killed: boolean } = {
    code: null,
    signal: null,
    killed: false,
  };
  let removed = false;
  try {
    // Ready: the watcher has printed its initial events (the first line).
    for (;;) {
      if (events.lines > 0 || watcher.done || interrupted) break;
      if (performance.now() - t0 > 120_000) throw new Error('the watcher printed nothing within 120 s');
      await sleep(20);
    }
    if (watcher.done)
      throw new Error(`the watcher exited before it was ready: ${stderr.trim().split('\n').pop() ?? ''}`);
    readyMs = performance.now() - t0;
    if (!interrupted) {
      await sleep(200); // the rest of the initial burst
      log(
        `watcher: pid ${watcher.proc.pid} ready in ${Math.round(readyMs)} ms, ${events.lines} initial line(s); watch --json${opts.autoResolve ? ' --auto-resolve' : ''}`,
      );
      const c = start(
        process.execPath,
        [
          path.join(BENCH, 'churn.mjs'),
          '--root',
          root,
          '--agents',
          String(opts.agents),
          '--seed',
          String(opts.seed),
          '--rate',
          String(opts.rate),
          '--rotate-every',
          String(opts.rotateMs),
          '--report-every',
          '1000',
        ],
        env,
      );
      churn = c;
      children.push(c);
      c.proc.stderr!.setEncoding('utf8');
      c.proc.stderr!.on('data', (d: string) => process.stderr.write(`churn: ${d}`));
      onLines(c.proc.stdout!, (line) => {
        try {
          counts = JSON.parse(line) as ChurnCounts;
        } catch {
          // not a count line
        }
      });
      churnStart = performance.now();
      sample();
      log(
        `churn: ${opts.rate} writes/s over ${opts.agents} agents for ${clock(opts.durationMs)}, sampling every ${opts.sampleMs / 1000} s, warm-up ${clock(opts.warmupMs)}`,
      );
      log('   time    RSS MB   peak MB   fds   CPU %    events    writes');
      for (let n = 1; ; n++) {
        const due = churnStart + n * opts.sampleMs;
        const last = due >= churnStart + opts.durationMs;
        const target = last ? churnStart + opts.durationMs : due;
        // (a timer may fire a millisecond early: a sample is never taken before its time)
        while (!interrupted && performance.now() < target)
          await Promise.race([sleep(Math.ceil(target - performance.now())), stopRequested]);
        if (interrupted) break;
        if (watcher.done) {
          log('the watcher exited during the run');
          break;
        }
        if (c.done) {
          log('the churn exited during the run');
          break;
        }
        const s = sample();
        if (s)
          log(
            `${clock(s.t).padStart(7)}  ${s.rssMB.toFixed(1).padStart(8)}  ${s.hwmMB.toFixed(1).padStart(8)}  ${String(s.fds).padStart(4)}  ${s.cpuPct.toFixed(1).padStart(6)}  ${String(s.events).padStart(8)}  ${String(s.writes).padStart(8)}`,
          );
        if (last) break;
      }
    }
  } finally {
    // Shutdown in order: no more writes, then the watcher (SIGINT, exit 0 expected), then the folder.
    if (churn) churnExit = (await stopChild(churn, 'SIGTERM', 5000)).code;
    // Let the watcher catch up with the last writes before it is stopped, unless in a hurry.
    if (churn && !interrupted && !watcher.done) await Promise.race([sleep(1000), stopRequested]);
    w = await stopChild(watcher, 'SIGINT', 20_000);
    if (!opts.keep) {
      fs.rmSync(root, { recursive: true, force: true });
      removed = !fs.existsSync(root);
    } else log(`workspace kept: ${root}`);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }

  const analysis = analyse(samples, opts.warmupMs, opts.sampleMs);
  const cleanExit = w.code === 0 && w.signal === null && !w.killed;
  const ok = cleanExit && events.badLines === 0 && analysis.verdict !== 'growing';
  const cpus = os.cpus();
  const result: SoakResult = {
    version: 1,
    startedAt,
    finishedAt: new Date().toISOString(),
    interrupted,
    options: {
      agents: opts.agents,
      durationMs: opts.durationMs,
      autoResolve: opts.autoResolve,
      rate: opts.rate,
      sampleMs: opts.sampleMs,
      warmupMs: opts.warmupMs,
      rotateMs: opts.rotateMs,
      seed: opts.seed,
      nodeArgs: opts.nodeArgs,
      keep: opts.keep,
      bin: BIN,
    },
    machine: {
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
      cpus: cpus.length,
      cpu: cpus[0]?.model ?? 'unknown',
      memGB: +(os.totalmem() / 2 ** 30).toFixed(1),
    },
    workspace: { root, agents: opts.agents, generatedMs: Math.round(ws.generatedMs), removed },
    watcher: {
      pid: watcher.proc.pid!,
      readyMs: Math.round(readyMs),
      exitCode: w.code,
      signal: w.signal,
      killed: w.killed,
      cleanExit,
      stderrBytes,
      stderrTail: stderr.slice(-1000),
    },
    events,
    writes: counts,
    churnExit,
    samples,
    analysis,
    ok,
  };
  fs.mkdirSync(path.dirname(opts.out), { recursive: true });
  fs.writeFileSync(opts.out, JSON.stringify(result, null, 2) + '\n');
  printSummary(result, opts.out);
  return { result, code: interrupted ? 130 : ok ? 0 : 1 };
}

function printSummary(r: SoakResult, out: string): void {
  const a = r.analysis;
  const f = (x: number | undefined, d = 1) => (x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));
  const sign = (x: number, d = 1) => (!Number.isFinite(x) ? 'n/a' : (x >= 0 ? '+' : '') + x.toFixed(d));
  log('');
  log(
    `soak: watch --json${r.options.autoResolve ? ' --auto-resolve' : ''}, ${r.options.agents} agents, ${r.samples.length} samples over ${clock(r.samples[r.samples.length - 1]?.t ?? 0)}${r.interrupted ? ' (interrupted)' : ''}`,
  );
  const head = `start ${a.start ? clock(a.start.t) : '-'}`;
  const tail = `end ${a.end ? clock(a.end.t) : '-'}`;
  log(`  ${''.padEnd(16)}${head.padStart(12)}${tail.padStart(12)}${'per 10 min'.padStart(13)}`);
  log(
    `  ${'RSS floor (MB)'.padEnd(16)}${f(a.start?.rssMB).padStart(12)}${f(a.end?.rssMB).padStart(12)}${sign(a.slope.rssFloorMBPer10Min, 2).padStart(13)}`,
  );
  log(
    `  ${'RSS median (MB)'.padEnd(16)}${f(a.start?.rssMedianMB).padStart(12)}${f(a.end?.rssMedianMB).padStart(12)}${sign(a.slope.rssMBPer10Min, 2).padStart(13)}`,
  );
  log(
    `  ${'peak RSS (MB)'.padEnd(16)}${f(a.start?.hwmMB).padStart(12)}${f(a.end?.hwmMB).padStart(12)}${sign(a.slope.hwmMBPer10Min, 2).padStart(13)}`,
  );
  log(
    `  ${'open fds'.padEnd(16)}${f(a.start?.fds, 0).padStart(12)}${f(a.end?.fds, 0).padStart(12)}${sign(a.slope.fdsPer10Min, 2).padStart(13)}`,
  );
  log(
    `  ${'CPU (%)'.padEnd(16)}${f(a.start?.cpuPct).padStart(12)}${f(a.end?.cpuPct).padStart(12)}${`mean ${f(a.cpu.meanPct)}`.padStart(13)}`,
  );
  log(
    `  (start/end: the first/last ${a.window} samples after the warm-up; per 10 min: least-squares slope, RSS floor over each window's lowest sample, RSS median over every sample)`,
  );
  log(`  verdict: ${a.verdict}${a.reasons.length > 0 ? ` (${a.reasons.join('; ')})` : ''}`);
  log(`  rule: ${a.rule}`);
  const byType = Object.entries(r.events.byType)
    .sort((x, y) => y[1] - x[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  log(`  events: ${r.events.lines} line(s) (${byType || 'none'}), ${r.events.badLines} not JSON`);
  const w = r.writes;
  if (w)
    log(
      `  writes: ${w.writes} in ${clock(w.elapsedMs)} (${((w.writes * 1000) / Math.max(1, w.elapsedMs)).toFixed(1)}/s): status ${w.status} (${w.broken} broken, ${w.repairs} repaired), event lines ${w.events}, registry ${w.registry}, rotations ${w.rotations}, failed ${w.failed}`,
    );
  else log('  writes: none');
  log(
    `  watcher: exit ${r.watcher.exitCode ?? r.watcher.signal}${r.watcher.killed ? ' (killed after 20 s)' : ''}, ${r.watcher.cleanExit ? 'clean' : 'NOT clean'}, stderr ${r.watcher.stderrBytes} bytes${r.watcher.stderrBytes > 0 ? `: ${r.watcher.stderrTail.trim().split('\n').slice(-3).join(' | ')}` : ''}`,
  );
  log(`  workspace ${r.workspace.removed ? 'removed' : 'kept'}; result: ${out}`);
}

// ---------------------------------------------------------------------------------------

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.join(BENCH, 'soak.ts');
if (isMain) {
  let opts: SoakOptions;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(e instanceof Usage && e.message === USAGE ? 0 : 2);
  }
  soak(opts)
    .then(({ code }) => process.exit(code))
    .catch((e: unknown) => {
      process.stderr.write(`soak: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(e instanceof Usage ? 2 : 1);
    });
}
