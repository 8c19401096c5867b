// In-process figures over the engine exactly as the TUI uses it: loadConfig, Engine.open
// with watch, the real App rendered by Ink (default options, as runTui) into a recording
// terminal. Run by run.ts as a child process, one figure per process:
//   node --import tsx bench/live.ts MODE --root DIR [options]
// MODE: startup | latency | nats-latency | costs | storm | events | resolve. Prints one `BENCH-RESULT {json}` line.
import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as EngineMod from '../src/shell/engine.js';
import type * as ProbeMod from '../src/shell/probe.js';
import type * as AppMod from '../src/ui/App.js';
import type { AgentState, Config } from '../src/core/types.js';
import type { EngineSnapshot } from '../src/shell/engine-types.js';
import { BENCH, dist, emitResult, mean, percentile, sleep, stripAnsi, until, wallNow } from './lib.js';
import { statusPath, stampOf, withFsm, writeLikeAnAgent } from './workspace.js';

// React and Ink as the CLI runs them (main.ts sets this before loading the live view).
process.env['NODE_ENV'] ??= 'production';
delete process.env['CI'];

type Engine = EngineMod.Engine;

// ---------------------------------------------------------------------------------------
// A terminal that records frames

/** A frame as the terminal received it: when, and its lines without escapes. */
export interface Frame {
  t: number;
  lines: string[];
}

class Terminal extends EventEmitter {
  readonly isTTY = true;
  columns: number;
  rows: number;
  writes = 0;
  bytes = 0;
  frames = 0;
  last: Frame | null = null;
  onFrame: ((f: Frame) => void) | null = null;
  constructor(columns: number, rows: number) {
    super();
    this.columns = columns;
    this.rows = rows;
  }
  write = (chunk: string | Uint8Array, enc?: unknown, cb?: unknown): boolean => {
    const t = performance.now();
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    this.writes++;
    this.bytes += text.length;
    // Ink rewrites the whole live area per frame; synchronisation markers come separately.
    if (text.includes('AGENT')) {
      this.frames++;
      const f: Frame = { t, lines: stripAnsi(text).split('\n') };
      this.last = f;
      this.onFrame?.(f);
    }
    const done = typeof enc === 'function' ? enc : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
}

class Keyboard extends EventEmitter {
  readonly isTTY = true;
  setEncoding(): void {}
  setRawMode(): void {}
  resume(): void {}
  pause(): void {}
  ref(): void {}
  unref(): void {}
  read = (): null => null;
}

/** The table's header line and where a column's cells start and end in it. */
export function columnSpan(
  lines: readonly string[],
  label: string,
): { header: number; start: number; end: number } | null {
  const header = lines.findIndex((l) => l.includes('AGENT') && l.includes('VERDICT'));
  if (header < 0) return null;
  const h = lines[header]!;
  const start = h.indexOf(label);
  if (start < 0) return null;
  let end = start + label.length;
  while (end < h.length && h[end] === ' ') end++;
  return { header, start, end: end >= h.length ? Infinity : end };
}

/** The cell of an agent's row under a column, or null when the row is not on screen. */
export function cellOf(f: Frame, agent: string, label = 'FSM file'): string | null {
  const span = columnSpan(f.lines, label);
  if (!span) return null;
  const re = new RegExp(`^..${agent.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s`);
  for (let i = span.header + 1; i < f.lines.length; i++) {
    const l = f.lines[i]!;
    if (re.test(l)) return l.slice(span.start, span.end).trim();
  }
  return null;
}

/** Agent ids of the rows on screen, top to bottom. */
export function rowsOf(f: Frame): string[] {
  const span = columnSpan(f.lines, 'AGENT');
  if (!span) return [];
  const out: string[] = [];
  for (let i = span.header + 1; i < f.lines.length; i++) {
    const m = /^..(Agent-\d+)\s/.exec(f.lines[i]!);
    if (m) out.push(m[1]!);
  }
  return out;
}

/** The header line with the counts per verdict. */
export function countsOf(f: Frame): string {
  return (f.lines.find((l) => /\d+ agents?\s/.test(l) && l.includes('in-sync')) ?? '')
    .replace(/\s+sort .*$/, '')
    .trim();
}

// ---------------------------------------------------------------------------------------
// The live view, as runTui builds it

interface Live {
  engine: Engine;
  term: Terminal;
  config: Config;
  fileSource: string;
  renders: number[];
  /** Ink's own time per render (layout and output, not React), ms. */
  renderMs: number[];
  snapshots: number[];
  phases: Record<string, number>;
  memory: Record<string, { rss: number; heapUsed: number; heapTotal: number; external: number }>;
  close(): Promise<void>;
}

function mem(): { rss: number; heapUsed: number; heapTotal: number; external: number } {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  const mb = (n: number) => Math.round((n / 1048576) * 10) / 10;
  return { rss: mb(m.rss), heapUsed: mb(m.heapUsed), heapTotal: mb(m.heapTotal), external: mb(m.external) };
}

async function openLive(
  root: string,
  opts: { render?: boolean; measureMemory?: boolean } = {},
): Promise<Live> {
  const phases: Record<string, number> = {};
  const memory: Live['memory'] = {};
  const t0 = performance.now();
  const lap = (name: string) => {
    phases[name] = performance.now() - t0;
    if (opts.measureMemory) memory[name] = mem();
  };
  const { loadConfig } = await dist<typeof ProbeMod>('shell/probe.js');
  const { Engine } = await dist<typeof EngineMod>('shell/engine.js');
  const React = (await import('react')).default;
  const { render } = await import('ink');
  const { App } = await dist<typeof AppMod>('ui/App.js');
  lap('imports');
  const config = loadConfig(path.resolve(root));
  lap('config');
  const engine = await Engine.open(path.resolve(root), config, { watch: true });
  lap('engineOpen');
  const snapshots: number[] = [];
  engine.subscribe(() => snapshots.push(performance.now()));
  const term = new Terminal(160, 50);
  const renders: number[] = [];
  const renderMs: number[] = [];
  let unmount = (): void => undefined;
  if (opts.render !== false) {
    const firstFrame = new Promise<void>((resolve) => {
      term.onFrame = (f) => {
        if (rowsOf(f).length > 0) resolve();
      };
    });
    const instance = render(
      React.createElement(App, {
        engine,
        writeSnapshot: async () => '/dev/null',
        readOnly: false,
        color: true,
        quiet: true,
        bell: () => undefined,
      }),
      {
        stdout: term as unknown as NodeJS.WriteStream,
        stdin: new Keyboard() as unknown as NodeJS.ReadStream,
        stderr: term as unknown as NodeJS.WriteStream,
        exitOnCtrlC: false,
        patchConsole: false,
        onRender: ({ renderTime }) => {
          renders.push(performance.now());
          renderMs.push(renderTime);
        },
      },
    );
    unmount = () => instance.unmount();
    await firstFrame;
    term.onFrame = null;
    lap('firstFrame');
  }
  const fileSource = config.sources.find((s) => s.kind === 'status-files')!.name;
  return {
    engine,
    term,
    config,
    fileSource,
    renders,
    renderMs,
    snapshots,
    phases,
    memory,
    close: async () => {
      unmount();
      await engine.close();
    },
  };
}

/**
 * Wait until the engine has published nothing for `quietMs` and the screen has caught up
 * with its last snapshot (bounded). Renders that only move an age ("5s" -> "6s") go on all
 * the time and do not count.
 */
async function settle(live: Live, quietMs = 600, maxMs = 30_000): Promise<void> {
  const deadline = performance.now() + maxMs;
  for (;;) {
    const lastSnapshot = live.snapshots.at(-1) ?? 0;
    const lastRender = live.renders.at(-1) ?? 0;
    const quiet =
      performance.now() - lastSnapshot >= quietMs &&
      (lastRender >= lastSnapshot || live.renders.length === 0);
    if (quiet || performance.now() > deadline) return;
    await sleep(50);
  }
}

function fsmOf(a: AgentState | undefined, source: string): unknown {
  return a?.observations[source]?.fields['fsm']?.value;
}

function agentIn(s: EngineSnapshot, id: string): AgentState | undefined {
  // Agents are sorted by id (Agent-1, Agent-2, ...): try the index first.
  const n = Number(/^Agent-(\d+)$/.exec(id)?.[1] ?? NaN);
  const guess = Number.isFinite(n) ? s.recon.agents[n - 1] : undefined;
  return guess?.id === id ? guess : s.recon.agents.find((a) => a.id === id);
}

function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Most events in any window of `windowMs` (a rate cap check). */
function maxInWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let j = 0;
  for (let i = 0; i < times.length; i++) {
    while (times[i]! - times[j]! > windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

function countBetween(times: readonly number[], from: number, to: number): number {
  return times.filter((t) => t >= from && t <= to).length;
}

// ---------------------------------------------------------------------------------------
// Figures

/** Phases and memory of opening the live view (in-process; the tmux figure is the real one). */
async function startup(root: string): Promise<unknown> {
  const base = mem();
  const live = await openLive(root, { measureMemory: true });
  await settle(live);
  const settled = mem();
  const result = {
    phases: live.phases,
    memory: { base, ...live.memory, settled },
    renders: live.renders.length,
    frames: live.term.frames,
  };
  await live.close();
  return result;
}

const CYCLE = ['IDLE', 'ACTIVE', 'READY', 'BLOCKED', 'OFFLINE', 'ERROR', 'ONBOARDED'];

/** Change-to-screen latency: one status file at a time, spread over time. */
async function latency(root: string, changes: number, gapMs: [number, number]): Promise<unknown> {
  const live = await openLive(root);
  await settle(live);
  const first = live.term.last!;
  const visible = rowsOf(first);
  const markers = visible.slice(0, Math.min(30, Math.max(1, visible.length - 2)));
  if (markers.length === 0) throw new Error('no agent rows on screen');
  const random = rng(7);

  // The floor: plain fs.watch on the same folders, same writes.
  let rawHit: ((t: number) => void) | null = null;
  const watchers = markers.map((id) =>
    fs.watch(path.dirname(statusPath(root, id)), () => {
      const t = performance.now();
      rawHit?.(t);
    }),
  );

  const rendersBefore = live.renders.length;
  const snapshotsBefore = live.snapshots.length;
  const framesBefore = live.term.frames;
  const runStart = performance.now();
  const texts = new Map(markers.map((id) => [id, fs.readFileSync(statusPath(root, id), 'utf8')]));
  const current = new Map(
    markers.map((id) => [id, String(fsmOf(agentIn(live.engine.getSnapshot(), id), live.fileSource) ?? '')]),
  );
  const samples: { raw: number; engine: number; screen: number; atomic: boolean }[] = [];
  let timeouts = 0;
  let prev = '';
  for (let i = 0; i < changes; i++) {
    let id = markers[Math.floor(random() * markers.length)]!;
    if (id === prev && markers.length > 1) id = markers[(markers.indexOf(id) + 1) % markers.length]!;
    prev = id;
    const cur = current.get(id)!;
    const choices = CYCLE.filter((v) => v !== cur);
    const value = choices[Math.floor(random() * choices.length)]!;
    const text = withFsm(texts.get(id)!, value, stampOf(Date.now()));
    const atomic = random() < 0.7;
    let tRaw = NaN;
    let tEngine = NaN;
    let tScreen = NaN;
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (!Number.isNaN(tRaw) && !Number.isNaN(tEngine) && !Number.isNaN(tScreen)) resolve();
      };
      rawHit = (t) => {
        if (Number.isNaN(tRaw)) tRaw = t;
        check();
      };
      const unsub = live.engine.subscribe(() => {
        if (!Number.isNaN(tEngine)) return;
        if (fsmOf(agentIn(live.engine.getSnapshot(), id), live.fileSource) === value) {
          tEngine = performance.now();
          unsub();
          check();
        }
      });
      live.term.onFrame = (f) => {
        if (Number.isNaN(tScreen) && cellOf(f, id) === value) {
          tScreen = f.t;
          check();
        }
      };
    });
    const t0 = performance.now();
    writeLikeAnAgent(statusPath(root, id), text, atomic);
    const timedOut = await Promise.race([done.then(() => false), sleep(5000).then(() => true)]);
    rawHit = null;
    live.term.onFrame = null;
    texts.set(id, text);
    current.set(id, value);
    if (timedOut) {
      timeouts++;
    } else {
      samples.push({ raw: tRaw - t0, engine: tEngine - t0, screen: tScreen - t0, atomic });
    }
    await sleep(gapMs[0] + random() * (gapMs[1] - gapMs[0]));
  }
  for (const w of watchers) w.close();
  const runMs = performance.now() - runStart;
  const activity = {
    runMs,
    renders: live.renders.length - rendersBefore,
    snapshots: live.snapshots.length - snapshotsBefore,
    frames: live.term.frames - framesBefore,
    inkRenderMsMean: mean(live.renderMs.slice(rendersBefore)),
  };
  await live.close();
  const stats = (xs: number[]) => ({
    p50: percentile(xs, 50),
    p90: percentile(xs, 90),
    p99: percentile(xs, 99),
    max: Math.max(...xs),
    mean: mean(xs),
  });
  return {
    changes,
    activity,
    measured: samples.length,
    timeouts,
    markers: markers.length,
    raw: stats(samples.map((s) => s.raw)),
    engine: stats(samples.map((s) => s.engine)),
    screen: stats(samples.map((s) => s.screen)),
    atomic: {
      n: samples.filter((s) => s.atomic).length,
      screen: stats(samples.filter((s) => s.atomic).map((s) => s.screen)),
    },
    inPlace: {
      n: samples.filter((s) => !s.atomic).length,
      screen: stats(samples.filter((s) => !s.atomic).map((s) => s.screen)),
    },
  };
}

/**
 * Where the time of one change goes, without the watcher's timing in the way: CPU per
 * render when nothing changes (an age ticking), then single changes handed straight to
 * the engine (`applyChanges`, what a watcher batch calls) and the time to the frame.
 */
async function costs(root: string, changes: number, idleMs: number): Promise<unknown> {
  const live = await openLive(root);
  await settle(live);
  // Idle: renders that only move ages.
  const r0 = live.renders.length;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await sleep(idleMs);
  const idleCpu = process.cpuUsage(c0);
  const idleRenders = live.renders.length - r0;
  const idle = {
    windowMs: performance.now() - t0,
    renders: idleRenders,
    cpuMs: (idleCpu.user + idleCpu.system) / 1000,
    cpuMsPerRender: idleRenders > 0 ? (idleCpu.user + idleCpu.system) / 1000 / idleRenders : NaN,
    inkMsPerRender: mean(live.renderMs.slice(r0)),
  };
  // Single changes, straight to the engine.
  const visible = rowsOf(live.term.last!);
  const id = visible[Math.min(2, visible.length - 1)]!;
  const file = statusPath(root, id);
  const rel = path.relative(root, file);
  let text = fs.readFileSync(file, 'utf8');
  const engineMs: number[] = [];
  const screenMs: number[] = [];
  const cpuMs: number[] = [];
  const inkMs: number[] = [];
  for (let i = 0; i < changes; i++) {
    const value = CYCLE[i % CYCLE.length]!;
    text = withFsm(text, value, stampOf(Date.now()));
    fs.writeFileSync(file, text);
    const shown = new Promise<number>((resolve) => {
      live.term.onFrame = (f) => {
        if (cellOf(f, id) === value) resolve(f.t);
      };
    });
    const rBefore = live.renders.length;
    const c = process.cpuUsage();
    const a = performance.now();
    live.engine.applyChanges([rel]);
    const b = performance.now();
    const t = await Promise.race([shown, sleep(5000).then(() => NaN)]);
    await sleep(5);
    const used = process.cpuUsage(c);
    live.term.onFrame = null;
    engineMs.push(b - a);
    screenMs.push(t - b);
    cpuMs.push((used.user + used.system) / 1000);
    inkMs.push(...live.renderMs.slice(rBefore));
    await sleep(120);
  }
  await live.close();
  return {
    agents: live.engine.getSnapshot().recon.agents.length,
    idle,
    change: {
      n: changes,
      engineMs: percentile(engineMs, 50),
      renderToFrameMs: percentile(screenMs, 50),
      cpuMs: percentile(cpuMs, 50),
      inkMsPerRender: mean(inkMs),
    },
  };
}

/** Run a writer child (bench/writer.mjs); resolves with its report. */
function runWriter(args: string[]): Promise<{ first: number; last: number; writes: number; lines?: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(BENCH, 'writer.mjs'), ...args], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`writer exited with ${code}`));
      try {
        resolve(
          JSON.parse(out.trim().split('\n').at(-1)!) as { first: number; last: number; writes: number },
        );
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}

/** Storm: every status file rewritten within about a second, by another process. */
async function storm(root: string, spreadMs: number, work: string): Promise<unknown> {
  const live = await openLive(root);
  await settle(live);
  const snap0 = live.engine.getSnapshot();
  const ids = snap0.recon.agents.map((a) => a.id);
  const expected = new Map<string, string>();
  const plan: [string, string, boolean][] = [];
  const random = rng(11);
  for (const a of snap0.recon.agents) {
    const file = statusPath(root, a.id);
    if (!fs.existsSync(file)) continue;
    const value = fsmOf(a, live.fileSource) === 'BLOCKED' ? 'OFFLINE' : 'BLOCKED';
    expected.set(a.id, value);
    plan.push([file, withFsm(fs.readFileSync(file, 'utf8'), value, stampOf(Date.now())), random() < 0.7]);
  }
  const planFile = path.join(work, `storm-plan-${process.pid}.json`);
  fs.writeFileSync(planFile, JSON.stringify(plan));

  const matches = (s: EngineSnapshot) => {
    let n = 0;
    for (const [id, v] of expected) if (fsmOf(agentIn(s, id), live.fileSource) === v) n++;
    return n;
  };
  // What the engine and the screen did, with when.
  const snaps: { t: number; matched: number }[] = [];
  let complete = NaN;
  const unsub = live.engine.subscribe(() => {
    const t = performance.now();
    const m = matches(live.engine.getSnapshot());
    snaps.push({ t, matched: m });
    if (m === expected.size && Number.isNaN(complete)) complete = t;
  });
  const frames: { t: number; visibleOk: boolean; counts: string }[] = [];
  live.term.onFrame = (f) => {
    const rows = rowsOf(f);
    frames.push({
      t: f.t,
      visibleOk: rows.length > 0 && rows.every((id) => cellOf(f, id) === expected.get(id)),
      counts: countsOf(f),
    });
  };
  const rendersBefore = live.renders.length;
  const tStart = performance.now();
  const offset = wallNow() - performance.now(); // writer times are epoch ms
  const w = await runWriter(['storm', planFile, String(spreadMs)]);
  const firstWrite = w.first - offset;
  const lastWrite = w.last - offset;
  try {
    await until('every change in the engine', () => !Number.isNaN(complete), 60_000, 20);
  } catch {
    // reported as lost below
  }
  await settle(live, 1500, 20_000);
  unsub();
  live.term.onFrame = null;
  const final = live.engine.getSnapshot();
  const finalMatched = matches(final);
  const finalFrame = live.term.last!;
  const finalCounts = countsOf(finalFrame);
  const expectedCounts = `${final.recon.summary.agents} agents`;
  // The screen is correct from the first frame after which every frame is.
  let correctFrom = NaN;
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i]!.visibleOk && frames[i]!.counts === finalCounts) correctFrom = frames[i]!.t;
    else break;
  }
  const stormEnd = Number.isNaN(correctFrom) ? performance.now() : Math.max(correctFrom, complete || 0);
  const renderTimes = live.renders.slice(rendersBefore);
  fs.rmSync(planFile, { force: true });
  await live.close();
  const secs = Math.max(0.001, (stormEnd - firstWrite) / 1000);
  return {
    agents: ids.length,
    files: plan.length,
    writeSpanMs: lastWrite - firstWrite,
    engineCompleteAfterLastWriteMs: complete - lastWrite,
    screenCorrectAfterLastWriteMs: correctFrom - lastWrite,
    lost: expected.size - finalMatched,
    finalCountsOk: finalCounts.startsWith(expectedCounts),
    snapshots: {
      n: countBetween(
        snaps.map((s) => s.t),
        tStart,
        stormEnd,
      ),
      perSecMax: maxInWindow(
        snaps.map((s) => s.t),
        1000,
      ),
      perSecAvg:
        countBetween(
          snaps.map((s) => s.t),
          firstWrite,
          stormEnd,
        ) / secs,
    },
    renders: {
      n: countBetween(renderTimes, tStart, stormEnd),
      perSecMax: maxInWindow(renderTimes, 1000),
      perSecAvg: countBetween(renderTimes, firstWrite, stormEnd) / secs,
    },
    frames: {
      n: countBetween(
        frames.map((f) => f.t),
        tStart,
        stormEnd,
      ),
      perSecMax: maxInWindow(
        frames.map((f) => f.t),
        1000,
      ),
    },
  };
}

/** Event log: 100,000 lines appended in chunks by another process, as fast as it can. */
async function events(root: string, lines: number, chunk: number, work: string): Promise<unknown> {
  const live = await openLive(root);
  await settle(live);
  const snap0 = live.engine.getSnapshot();
  const realtime = live.config.sources.find((s) => s.kind === 'event-log');
  if (!realtime) throw new Error('the workspace has no event log');
  // The last line names an agent that no other appended line names, with a value it does not have.
  const marker = snap0.recon.agents.at(-1)!.id;
  const value = fsmOf(agentIn(snap0, marker), realtime.name) === 'BLOCKED' ? 'OFFLINE' : 'BLOCKED';
  const others = snap0.recon.agents.slice(0, -1).map((a) => a.id);
  const idsFile = path.join(work, `event-ids-${process.pid}.json`);
  fs.writeFileSync(idsFile, JSON.stringify({ ids: others, marker, value }));
  let tDone = NaN;
  const snapsBefore = live.snapshots.length;
  const rendersBefore = live.renders.length;
  const unsub = live.engine.subscribe(() => {
    if (Number.isNaN(tDone) && fsmOf(agentIn(live.engine.getSnapshot(), marker), realtime.name) === value)
      tDone = performance.now();
  });
  const cpu0 = process.cpuUsage();
  const offset = wallNow() - performance.now();
  const w = await runWriter([
    'events',
    path.join(root, realtime.path),
    idsFile,
    String(lines),
    String(chunk),
  ]);
  const first = w.first - offset;
  const last = w.last - offset;
  try {
    await until('the last line in the engine', () => !Number.isNaN(tDone), 60_000, 10);
  } catch {
    // reported as NaN
  }
  const cpu = process.cpuUsage(cpu0);
  unsub();
  await settle(live, 500, 10_000);
  const m = mem();
  fs.rmSync(idsFile, { force: true });
  const result = {
    lines,
    chunk,
    appendSpanMs: last - first,
    doneAfterFirstMs: tDone - first,
    doneAfterLastMs: tDone - last,
    usPerLine: ((tDone - first) * 1000) / lines,
    cpuUsPerLine: (cpu.user + cpu.system) / lines,
    snapshots: live.snapshots.length - snapsBefore,
    renders: live.renders.length - rendersBefore,
    rssAfterMB: m.rss,
    heapUsedAfterMB: m.heapUsed,
  };
  await live.close();
  return result;
}

/** `engine.resolve('all')` in-process, engine opened as `sync-tui resolve` opens it. */
async function resolveAll(root: string): Promise<unknown> {
  const { loadConfig } = await dist<typeof ProbeMod>('shell/probe.js');
  const { Engine } = await dist<typeof EngineMod>('shell/engine.js');
  const t0 = performance.now();
  const engine = await Engine.open(path.resolve(root), loadConfig(path.resolve(root)));
  const t1 = performance.now();
  const before = engine.getSnapshot().recon.summary;
  const r = await engine.resolve('all');
  const t2 = performance.now();
  await engine.close();
  const counts: Record<string, number> = {};
  for (const a of r.agents) counts[a.status] = (counts[a.status] ?? 0) + 1;
  return {
    openMs: t1 - t0,
    resolveMs: t2 - t1,
    drifted: before.drift,
    outcomes: counts,
    writes: r.agents.reduce((n, a) => n + a.writes.length, 0),
    message: r.message,
  };
}

// ---------------------------------------------------------------------------------------

function arg(name: string, fallback?: string): string {
  const i = process.argv.indexOf(`--${name}`);
  if (i >= 0 && process.argv[i + 1] !== undefined) return process.argv[i + 1]!;
  if (fallback === undefined) throw new Error(`--${name} is required`);
  return fallback;
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const root = arg('root');
  const work = arg('work', path.dirname(root));
  let result: unknown;
  switch (mode) {
    case 'startup':
      result = await startup(root);
      break;
    case 'latency':
      result = await latency(root, Number(arg('changes', '200')), [
        Number(arg('gap-min', '30')),
        Number(arg('gap-max', '120')),
      ]);
      break;
    case 'storm':
      result = await storm(root, Number(arg('spread', '800')), work);
      break;
    case 'events':
      result = await events(root, Number(arg('lines', '100000')), Number(arg('chunk', '1000')), work);
      break;
    case 'resolve':
      result = await resolveAll(root);
      break;
    case 'nats-latency': {
      // Through a NATS bucket (README.md "Several hosts"): bench/nats-latency.ts.
      const { natsLatency } = await import('./nats-latency.js');
      const live = await openLive(root);
      result = await natsLatency(
        live,
        { settle: () => settle(live), rowsOf, cellOf },
        {
          root,
          url: arg('url'),
          bucket: arg('bucket', 'status'),
          changes: Number(arg('changes', '200')),
          gapMs: [Number(arg('gap-min', '30')), Number(arg('gap-max', '120'))],
        },
      );
      break;
    }
    case 'costs':
      result = await costs(root, Number(arg('changes', '30')), Number(arg('idle', '10000')));
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  emitResult(result);
  // Ink and chokidar are closed; anything left (a stray timer) must not keep us here.
  process.exit(0);
}

void (async () => {
  try {
    await main();
  } catch (e) {
    process.stderr.write(`live.ts: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  }
})();
