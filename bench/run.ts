// `npm run bench`: generates workspaces of 1,000, 10,000 and 100,000 agents in a temporary
// folder, measures the figures of the benchmark issue over the built code (dist/), prints a
// table and writes it, with the machine and the date, into BENCHMARKS.md (between the
// generated-section markers; the notes around them are kept).
//
//   tsx bench/run.ts [--sizes 1000,10000,100000] [--main 10000] [--quick] [--profile]
//                    [--out BENCHMARKS.md | --out -] [--json FILE] [--work DIR] [--keep]
//                    [--only 1,2,3,4,5,6,7,8]   (8: NATS beside files, bench/nats.ts)
//
// --quick shortens every figure (fewer repetitions and changes, a 10 s idle window) for the
// smoke test; --profile writes CPU profiles (node --cpu-prof) of the slow paths and adds
// their summaries to the report. Timings are reported, never asserted.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  BIN,
  CLK_TCK,
  fmtMB,
  fmtMs,
  installInterruptHandler,
  median,
  onInterrupt,
  parseResult,
  PROJECT,
  sleep,
} from './lib.js';
import { newestProfile, profileText, summarize } from './profile.js';
import { hasTmux, runTui, type TuiRun } from './tui.js';
import { generateWorkspace, generateYamlWorkspace, REGISTRY, type Workspace } from './workspace.js';

// ---------------------------------------------------------------------------------------
// Options

interface Options {
  sizes: number[];
  main: number;
  quick: boolean;
  profile: boolean;
  out: string | null;
  json: string | null;
  work: string;
  keep: boolean;
  only: Set<number>;
}

/**
 * Where the workspaces go: a RAM-backed folder when there is one. On this kind of VM, ext4
 * flushes a file's data on close after a truncate or a rename over it (auto_da_alloc), so
 * 10,000 agents rewriting their files take 5-7 s; the storm figure needs them to be able to
 * do it within a second, and the benchmark measures sync-tui, not the disk.
 */
function defaultWorkParent(): string {
  try {
    const shm = '/dev/shm';
    const st = fs.statfsSync(shm);
    if (st.bavail * st.bsize > 4 * 2 ** 30) {
      fs.accessSync(shm, fs.constants.W_OK);
      return shm;
    }
  } catch {
    // no /dev/shm here
  }
  return os.tmpdir();
}

const FS_TYPES: Record<number, string> = {
  0x01021994: 'tmpfs',
  0xef53: 'ext4',
  0x58465342: 'xfs',
  0x9123683e: 'btrfs',
  0x794c7630: 'overlayfs',
  0x6969: 'nfs',
};

function fsType(dir: string): string {
  try {
    const t = fs.statfsSync(dir).type;
    return FS_TYPES[t] ?? `0x${t.toString(16)}`;
  } catch {
    return 'unknown';
  }
}

function parseArgs(argv: string[]): Options {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const has = (name: string) => argv.includes(`--${name}`);
  const sizes = (get('sizes') ?? '1000,10000,100000')
    .split(',')
    .map((s) => Number(s.trim().replace(/_/g, '')))
    .filter((n) => Number.isInteger(n) && n > 0);
  if (sizes.length === 0) throw new Error('--sizes: expected a comma-separated list of agent counts');
  sizes.sort((a, b) => a - b);
  const main = Number(
    get('main') ??
      (sizes.includes(10_000) ? 10_000 : ([...sizes].reverse().find((n) => n <= 10_000) ?? sizes[0]!)),
  );
  const out = get('out') ?? path.join(PROJECT, 'BENCHMARKS.md');
  return {
    sizes,
    main,
    quick: has('quick'),
    profile: has('profile'),
    out: out === '-' ? null : path.resolve(out),
    json: get('json') ? path.resolve(get('json')!) : null,
    work: fs.mkdtempSync(
      path.join(get('work') ? path.resolve(get('work')!) : defaultWorkParent(), 'sync-tui-bench-'),
    ),
    keep: has('keep'),
    only: new Set((get('only') ?? '1,2,3,4,5,6,7,8').split(',').map(Number)),
  };
}

// ---------------------------------------------------------------------------------------
// Results

export interface Row {
  figure: string;
  name: string;
  measured: string;
  target: string;
  /** null: informational, or not measured. */
  pass: boolean | null;
}

interface Results {
  machine: Record<string, string>;
  options: { sizes: number[]; main: number; quick: boolean; profile: boolean };
  startedAt: string;
  durationS: number;
  loadBefore: number[];
  loadAfter: number[];
  rows: Row[];
  details: Record<string, unknown>;
  errors: string[];
  profiles: { title: string; text: string }[];
}

function machine(work: string): Record<string, string> {
  const cpus = os.cpus();
  const inotify = (k: string) => {
    try {
      return fs.readFileSync(`/proc/sys/fs/inotify/${k}`, 'utf8').trim();
    } catch {
      return 'n/a';
    }
  };
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: String(cpus.length),
    memory: `${(os.totalmem() / 2 ** 30).toFixed(1)} GiB`,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
    platform: `${os.platform()} ${os.arch()}`,
    inotify: `max_user_watches ${inotify('max_user_watches')}, max_queued_events ${inotify('max_queued_events')}`,
    clkTck: String(CLK_TCK),
    workspaces: `${path.dirname(work)} (${fsType(work)})`,
  };
}

// ---------------------------------------------------------------------------------------
// Running things

const CHILD_ENV = (() => {
  const env: NodeJS.ProcessEnv = { ...process.env, TZ: 'UTC' };
  delete env['CI'];
  delete env['NODE_ENV'];
  delete env['NODE_OPTIONS'];
  return env;
})();

const hasTime = fs.existsSync('/usr/bin/time');

/** Run a command, its stdout into a file; wall time, and peak RSS through /usr/bin/time. */
function timed(
  cmd: string[],
  stdoutFile: string,
  work: string,
): { wallMs: number; rssMB: number; code: number | null; stderr: string } {
  const timeFile = path.join(work, `time-${process.pid}.txt`);
  const argv = hasTime ? ['/usr/bin/time', '-f', '%e %M', '-o', timeFile, ...cmd] : cmd;
  const fd = fs.openSync(stdoutFile, 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(argv[0]!, argv.slice(1), {
      stdio: ['ignore', fd, 'pipe'],
      env: CHILD_ENV,
      cwd: PROJECT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallMs = performance.now() - t0;
    let rssMB = NaN;
    if (hasTime && fs.existsSync(timeFile)) {
      const kb = Number(fs.readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ')[1]);
      rssMB = kb / 1024;
      fs.rmSync(timeFile, { force: true });
    }
    return { wallMs, rssMB, code: r.status, stderr: r.stderr ?? '' };
  } finally {
    fs.closeSync(fd);
  }
}

/** A live.ts figure in its own process; resolves with its result. */
/** bench/nats.ts in a child: its rows (figure 8). */
function natsFigures(
  sizes: number[],
  main: number,
  changes: number,
): Promise<{ rows: { name: string; files: string; nats: string }[] }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        path.join(PROJECT, 'bench/nats.ts'),
        '--sizes',
        sizes.join(','),
        '--main',
        String(main),
        '--changes',
        String(changes),
        '--json',
      ],
      { cwd: PROJECT, env: CHILD_ENV, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      const r = parseResult<{ rows: { name: string; files: string; nats: string }[] }>(out);
      if (r !== null) resolve(r);
      else
        reject(
          new Error(
            `bench/nats.ts ended with ${signal ?? code}: ${err.trim().split('\n').slice(-3).join(' / ')}`,
          ),
        );
    });
  });
}

function live<T>(
  mode: string,
  args: string[],
  opts: { profileDir?: string; timeoutMs?: number } = {},
): Promise<T> {
  const nodeArgs = ['--expose-gc', '--import', 'tsx'];
  if (opts.profileDir) nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, path.join(PROJECT, 'bench/live.ts'), mode, ...args], {
      cwd: PROJECT,
      env: CHILD_ENV,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 600_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const r = parseResult<T>(out);
      if (r !== null) resolve(r);
      else
        reject(
          new Error(
            `live.ts ${mode} ended with ${signal ?? code}: ${err.trim().split('\n').slice(-5).join(' / ')}`,
          ),
        );
    });
  });
}

function log(msg: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
}

// ---------------------------------------------------------------------------------------
// Figure 1: cold `check --json` against the baseline

interface CheckFigure {
  agents: number;
  checkMs: number;
  checkRssMB: number;
  baselineMs: number;
  baselineRssMB: number;
  startupMs: number;
  timeRatio: number;
  rssRatio: number;
  usPerAgent: number;
  /** Per agent without the Node start (the `--version` floor). */
  marginalUsPerAgent: number;
  checkRuns: number[];
  baselineRuns: number[];
  summary: string;
  unhealthy: string[];
  outputMB: number;
}

async function figureCheck(
  ws: Workspace,
  reps: number,
  work: string,
  profileDir: string | null,
): Promise<CheckFigure> {
  const out = path.join(work, `check-${ws.agents}.json`);
  const checks: { wallMs: number; rssMB: number }[] = [];
  const bases: { wallMs: number; rssMB: number }[] = [];
  const starts: number[] = [];
  for (let i = 0; i < reps; i++) {
    starts.push(timed([process.execPath, BIN, '--version'], path.join(work, 'version.txt'), work).wallMs);
    const b = timed(
      [process.execPath, path.join(PROJECT, 'bench/baseline.mjs'), ws.root],
      path.join(work, 'baseline.txt'),
      work,
    );
    if (b.code !== 0) throw new Error(`baseline failed: ${b.stderr.trim()}`);
    bases.push(b);
    const c = timed([process.execPath, BIN, 'check', '--json', '--root', ws.root], out, work);
    // Exit 1 is "some agent drifted": the normal answer for these workspaces.
    if (c.code !== 0 && c.code !== 1) throw new Error(`check --json exited ${c.code}: ${c.stderr.trim()}`);
    checks.push(c);
  }
  // What it said: the summary sits at the top of the document, source health at the end.
  const size = fs.statSync(out).size;
  const fd = fs.openSync(out, 'r');
  const head = Buffer.alloc(Math.min(size, 4096));
  fs.readSync(fd, head, 0, head.length, 0);
  const tail = Buffer.alloc(Math.min(size, 64 * 1024));
  fs.readSync(fd, tail, 0, tail.length, size - tail.length);
  fs.closeSync(fd);
  const summaryText = /"summary":\s*(\{[^}]*\})/.exec(head.toString('utf8'))?.[1] ?? '{}';
  const summary = JSON.parse(summaryText) as Record<string, number>;
  if (summary['agents'] !== ws.agents)
    throw new Error(`check --json listed ${summary['agents']} agents, expected ${ws.agents}`);
  const unhealthy = [
    ...tail
      .toString('utf8')
      .matchAll(/"(\w+)":\s*\{\s*"healthy":\s*false,\s*"diagnostics":\s*\[\s*"([^"]*)"/g),
  ].map((m) => `${m[1]}: ${m[2]}`);
  fs.rmSync(out, { force: true });
  if (profileDir) {
    const dir = profileFolder(profileDir, `check-${ws.agents}`);
    spawnSync(
      process.execPath,
      ['--cpu-prof', `--cpu-prof-dir=${dir}`, BIN, 'check', '--json', '--root', ws.root],
      { stdio: 'ignore', env: CHILD_ENV, cwd: PROJECT },
    );
    addProfile(dir, `check --json, ${ws.agents.toLocaleString('en-US')} agents`, { top: 14 });
  }
  const checkMs = median(checks.map((c) => c.wallMs));
  const baselineMs = median(bases.map((b) => b.wallMs));
  const startupMs = median(starts);
  const checkRssMB = median(checks.map((c) => c.rssMB));
  const baselineRssMB = median(bases.map((b) => b.rssMB));
  return {
    agents: ws.agents,
    checkMs,
    checkRssMB,
    baselineMs,
    baselineRssMB,
    startupMs,
    timeRatio: checkMs / baselineMs,
    rssRatio: checkRssMB / baselineRssMB,
    usPerAgent: (checkMs * 1000) / ws.agents,
    marginalUsPerAgent: (Math.max(0, checkMs - startupMs) * 1000) / ws.agents,
    checkRuns: checks.map((c) => Math.round(c.wallMs)),
    baselineRuns: bases.map((b) => Math.round(b.wallMs)),
    summary: Object.entries(summary)
      .filter(([k, v]) => k !== 'agents' && v > 0)
      .map(([k, v]) => `${v} ${k}`)
      .join(', '),
    unhealthy,
    outputMB: size / 1048576,
  };
}

// ---------------------------------------------------------------------------------------
// Figure 6: resolve --all with every agent drifted

interface ResolveFigure {
  binaryMs: number;
  binaryRssMB: number;
  binaryRuns: number[];
  binaryExit: number | null;
  binaryMessage: string;
  inProcess: {
    openMs: number;
    resolveMs: number;
    drifted: number;
    outcomes: Record<string, number>;
    writes: number;
    message: string;
  };
  inProcessRuns: number[];
}

async function figureResolve(
  ws: Workspace,
  reps: number,
  work: string,
  profileDir: string | null,
): Promise<ResolveFigure> {
  const registry = path.join(ws.root, REGISTRY);
  const original = fs.readFileSync(registry, 'utf8');
  const reset = () => {
    fs.writeFileSync(registry, original);
    fs.rmSync(path.join(ws.root, '.sync-tui'), { recursive: true, force: true });
  };
  const runs: { wallMs: number; rssMB: number; code: number | null }[] = [];
  let message = '';
  const out = path.join(work, 'resolve.txt');
  for (let i = 0; i < reps; i++) {
    reset();
    const r = timed([process.execPath, BIN, 'resolve', '--all', '--root', ws.root], out, work);
    runs.push(r);
    message = fs.readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '';
    if (r.code !== 0 && r.code !== 1) throw new Error(`resolve --all exited ${r.code}: ${r.stderr.trim()}`);
  }
  fs.rmSync(out, { force: true });
  const inProc: ResolveFigure['inProcess'][] = [];
  const dir = profileDir ? profileFolder(profileDir, 'resolve') : null;
  for (let i = 0; i < reps; i++) {
    reset();
    inProc.push(
      await live<ResolveFigure['inProcess']>(
        'resolve',
        ['--root', ws.root],
        i === 0 && dir ? { profileDir: dir } : {},
      ),
    );
  }
  if (dir)
    addProfile(
      dir,
      `engine.resolve('all'), ${ws.agents.toLocaleString('en-US')} agents drifted: inside doResolve`,
      { top: 14, within: /^doResolve / },
    );
  reset();
  const best = inProc.find((r) => r.resolveMs === median(inProc.map((x) => x.resolveMs))) ?? inProc[0]!;
  return {
    binaryMs: median(runs.map((r) => r.wallMs)),
    binaryRssMB: median(runs.map((r) => r.rssMB)),
    binaryRuns: runs.map((r) => Math.round(r.wallMs)),
    binaryExit: runs.at(-1)!.code,
    binaryMessage: message,
    inProcess: best,
    inProcessRuns: inProc.map((r) => Math.round(r.resolveMs)),
  };
}

// ---------------------------------------------------------------------------------------
// The report

const profiles: { title: string; text: string }[] = [];

/** A fresh folder for one figure's CPU profiles. */
function profileFolder(base: string, name: string): string {
  const dir = path.join(base, name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

function addProfile(dir: string, title: string, opts: Parameters<typeof summarize>[1]): void {
  const prof = newestProfile(dir, 0);
  if (prof)
    profiles.push({
      title,
      text: profileText(summarize(prof, opts), `${title} (${path.relative(PROJECT, prof)})`),
    });
}

function passText(p: boolean | null): string {
  return p === null ? '' : p ? 'pass' : 'MISS';
}

export function tableText(rows: Row[]): string {
  const head = ['#', 'figure', 'measured', 'target', ''];
  const cells = rows.map((r) => [r.figure, r.name, r.measured, r.target, passText(r.pass)]);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: string[]) =>
    c
      .map((x, i) => x.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function markdownTable(rows: Row[]): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    '| # | figure | measured | target | result |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.figure} | ${esc(r.name)} | ${esc(r.measured)} | ${esc(r.target)} | ${r.pass === null ? '' : r.pass ? 'pass' : '**miss**'} |`,
    ),
  ].join('\n');
}

const BEGIN = '<!-- bench:begin (generated by `npm run bench`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

function markdown(res: Results): string {
  const m = res.machine;
  const lines: string[] = [];
  lines.push(BEGIN, '');
  lines.push(
    `Measured ${res.startedAt.slice(0, 16).replace('T', ' ')} UTC in ${res.durationS.toFixed(0)} s${res.options.quick ? ' (**--quick**: shortened figures, not the real benchmark)' : ''}.`,
  );
  lines.push('');
  lines.push(
    `- Machine: ${m['cpu']}, ${m['cores']} cores, ${m['memory']}; ${m['kernel']}; Node ${m['node']}`,
  );
  lines.push(`- ${m['inotify']}; workspaces in ${m['workspaces']}`);
  lines.push(
    `- Load average before / after: ${res.loadBefore.map((x) => x.toFixed(2)).join(' ')} / ${res.loadAfter.map((x) => x.toFixed(2)).join(' ')} (a shared machine: other work competes for the 2 cores)`,
  );
  lines.push(
    `- Sizes: ${res.options.sizes.map((n) => n.toLocaleString('en-US')).join(', ')} agents; live figures at ${res.options.main.toLocaleString('en-US')}`,
  );
  lines.push('');
  lines.push(markdownTable(res.rows));
  lines.push('');
  if (res.errors.length > 0) {
    lines.push('Errors:', '', ...res.errors.map((e) => `- ${e}`), '');
  }
  lines.push(
    '<details><summary>Raw figures (JSON)</summary>',
    '',
    '```json',
    JSON.stringify(res.details, null, 1),
    '```',
    '',
    '</details>',
    '',
  );
  if (res.profiles.length > 0) {
    lines.push('### CPU profiles', '');
    for (const p of res.profiles) lines.push(p.text);
  }
  lines.push(END);
  return lines.join('\n');
}

function writeMarkdown(file: string, res: Results): void {
  const generated = markdown(res);
  let text: string;
  if (fs.existsSync(file)) {
    const old = fs.readFileSync(file, 'utf8');
    const a = old.indexOf(BEGIN);
    const b = old.indexOf(END);
    text =
      a >= 0 && b > a
        ? old.slice(0, a) + generated + old.slice(b + END.length)
        : old.trimEnd() + '\n\n' + generated + '\n';
  } else {
    text = [
      '# Benchmarks',
      '',
      "`npm run bench` builds, generates workspaces of the demo's shape (one folder per agent with its",
      "`status.json`, the coordinator's registry, an `events.jsonl` log) in a temporary folder, measures",
      'the built code and rewrites the section below. `npm run bench -- --sizes 1000,10000` skips',
      '100,000; `--profile` adds CPU profiles of the slow paths. See bench/run.ts for how each figure',
      'is taken.',
      '',
      generated,
      '',
      '## Notes',
      '',
    ].join('\n');
  }
  fs.writeFileSync(file, text);
}

/** resolve --all (the binary) on a generic workspace with a YAML registry, every agent behind. */
function figureYamlResolve(
  agents: number,
  reps: number,
  work: string,
): { ms: number; rssMB: number; runs: number[]; writes: number; message: string } {
  const root = path.join(work, `yaml-${agents}`);
  generateYamlWorkspace(root, agents);
  const registry = path.join(root, 'registry.yaml');
  const original = fs.readFileSync(registry, 'utf8');
  const out = path.join(work, 'resolve-yaml.txt');
  const runs: { wallMs: number; rssMB: number }[] = [];
  let message = '';
  try {
    for (let i = 0; i < reps; i++) {
      fs.writeFileSync(registry, original);
      fs.rmSync(path.join(root, '.sync-tui'), { recursive: true, force: true });
      const r = timed([process.execPath, BIN, 'resolve', '--all', '--root', root], out, work);
      message = fs.readFileSync(out, 'utf8').trim().split('\n').at(-1) ?? '';
      if (r.code !== 0)
        throw new Error(`resolve --all (YAML) exited ${r.code}: ${r.stderr.trim() || message}`);
      runs.push(r);
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(out, { force: true });
  }
  const writes = Number(/\((\d+) writes\)/.exec(message)?.[1] ?? NaN);
  return {
    ms: median(runs.map((r) => r.wallMs)),
    rssMB: median(runs.map((r) => r.rssMB)),
    runs: runs.map((r) => Math.round(r.wallMs)),
    writes,
    message,
  };
}

// ---------------------------------------------------------------------------------------

async function main(): Promise<number> {
  const opts = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const reps = opts.quick ? 1 : 3;
  const profileDir = opts.profile ? path.join(PROJECT, 'bench/.work/profiles') : null;
  if (profileDir) fs.mkdirSync(profileDir, { recursive: true });
  fs.mkdirSync(opts.work, { recursive: true });
  const forgetWork = onInterrupt(() => {
    if (!opts.keep) fs.rmSync(opts.work, { recursive: true, force: true });
  });
  if (!fs.existsSync(BIN)) throw new Error(`${BIN} is missing: run npm run build (npm run bench does)`);
  const res: Results = {
    machine: machine(opts.work),
    options: { sizes: opts.sizes, main: opts.main, quick: opts.quick, profile: opts.profile },
    startedAt: new Date(t0).toISOString(),
    durationS: 0,
    loadBefore: os.loadavg(),
    loadAfter: [],
    rows: [],
    details: {},
    errors: [],
    profiles,
  };
  const rows = res.rows;
  const N = opts.main;
  const n = (x: number) => x.toLocaleString('en-US');
  const attempt = async (figure: string, names: string[], fn: () => Promise<void>): Promise<void> => {
    try {
      await fn();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      log(`figure ${figure} failed: ${msg}`);
      res.errors.push(`figure ${figure}: ${msg}`);
      for (const name of names)
        rows.push({ figure, name, measured: `error: ${msg.slice(0, 80)}`, target: '', pass: false });
    }
  };
  const workspaces = new Map<number, Workspace>();
  const workspace = async (
    agents: number,
    registry: 'lagging' | 'all-drifted' = 'lagging',
  ): Promise<Workspace> => {
    const key = registry === 'lagging' ? agents : -agents;
    const have = workspaces.get(key);
    if (have) return have;
    log(`generating ${n(agents)} agents (${registry}) ...`);
    const ws = await generateWorkspace(path.join(opts.work, `ws-${agents}-${registry}`), {
      agents,
      registry,
    });
    log(
      `  ${(ws.generatedMs / 1000).toFixed(1)} s; registry ${(ws.bytes.registry / 1048576).toFixed(1)} MB, log ${(ws.bytes.events / 1048576).toFixed(1)} MB`,
    );
    workspaces.set(key, ws);
    return ws;
  };
  const drop = (agents: number, registry: 'lagging' | 'all-drifted' = 'lagging') => {
    const key = registry === 'lagging' ? agents : -agents;
    const ws = workspaces.get(key);
    if (!ws || opts.keep) return;
    fs.rmSync(ws.root, { recursive: true, force: true });
    workspaces.delete(key);
  };

  try {
    // 1. Cold check --json, every size.
    if (opts.only.has(1)) {
      const checks: CheckFigure[] = [];
      for (const size of opts.sizes) {
        await attempt('1', [`check --json, ${n(size)} agents`], async () => {
          const ws = await workspace(size);
          log(`figure 1: check --json at ${n(size)} (${reps}x, with the baseline)`);
          const c = await figureCheck(ws, reps, opts.work, profileDir && size >= N ? profileDir : null);
          checks.push(c);
          const limit = size === 100_000 ? 15_000 : size === 10_000 ? 1500 : null;
          const note = c.unhealthy.length > 0 ? ` [unhealthy: ${c.unhealthy.join('; ')}]` : '';
          rows.push({
            figure: '1',
            name: `check --json, ${n(size)} agents: wall / peak RSS`,
            measured: `${fmtMs(c.checkMs)} / ${fmtMB(c.checkRssMB)}${note}`,
            target: limit === null ? '' : `<= ${fmtMs(limit)}`,
            pass: limit === null ? null : c.checkMs <= limit && c.unhealthy.length === 0,
          });
          rows.push({
            figure: '1',
            name: `  baseline (read + JSON.parse), ${n(size)}: wall / peak RSS`,
            measured: `${fmtMs(c.baselineMs)} / ${fmtMB(c.baselineRssMB)}`,
            target: '',
            pass: null,
          });
          rows.push({
            figure: '1',
            name: `  check / baseline, ${n(size)}: time / RSS`,
            measured: `${c.timeRatio.toFixed(2)}x / ${c.rssRatio.toFixed(2)}x`,
            target: '<= 2x',
            pass: c.timeRatio <= 2 && c.rssRatio <= 2,
          });
          if (size !== opts.main) drop(size);
        });
      }
      if (checks.length > 1) {
        // The cost of one more agent: the slope between consecutive sizes (fixed costs such
        // as starting Node and loading modules cancel out).
        const slopes = checks
          .slice(1)
          .map((c, i) => ((c.checkMs - checks[i]!.checkMs) * 1000) / (c.agents - checks[i]!.agents));
        const spread = slopes.length > 1 ? Math.max(...slopes) / Math.min(...slopes) : 1;
        const anyUnhealthy = checks.some((c) => c.unhealthy.length > 0);
        rows.push({
          figure: '1',
          name: `check time per added agent, ${checks.map((c) => n(c.agents)).join(' -> ')}`,
          measured: `${slopes.map((x) => `${x.toFixed(0)} µs`).join(' -> ')} (max/min ${spread.toFixed(2)}; per agent incl. start ${checks.map((c) => `${c.usPerAgent.toFixed(0)}`).join(' / ')} µs)${anyUnhealthy ? ' [a source was rejected at some size]' : ''}`,
          target: 'roughly constant (max/min <= 1.5)',
          pass: spread <= 1.5 && !anyUnhealthy,
        });
      }
      res.details['check'] = checks;
      // The same at the main size on a disk-backed folder (ext4 here; the page cache holds
      // the files once written, so this mostly adds what the first reads and the writes
      // cost), and resolve --all there, whose writes fsync.
      const diskParent = os.tmpdir();
      if (fsType(diskParent) !== 'tmpfs' && fsType(opts.work) === 'tmpfs') {
        await attempt('1', [`check --json on disk`], async () => {
          const diskWork = fs.mkdtempSync(path.join(diskParent, 'sync-tui-bench-disk-'));
          try {
            log(`figure 1: check --json and resolve --all at ${n(N)} on ${fsType(diskWork)} (${diskWork})`);
            const ws = await generateWorkspace(path.join(diskWork, 'ws'), {
              agents: N,
              registry: 'all-drifted',
            });
            const c = await figureCheck(ws, reps, diskWork, null);
            const out = path.join(diskWork, 'resolve.txt');
            const original = fs.readFileSync(path.join(ws.root, REGISTRY), 'utf8');
            const runs: number[] = [];
            for (let i = 0; i < reps; i++) {
              fs.writeFileSync(path.join(ws.root, REGISTRY), original);
              fs.rmSync(path.join(ws.root, '.sync-tui'), { recursive: true, force: true });
              const r = timed([process.execPath, BIN, 'resolve', '--all', '--root', ws.root], out, diskWork);
              if (r.code !== 0 && r.code !== 1)
                throw new Error(`resolve --all exited ${r.code}: ${r.stderr.trim()}`);
              runs.push(r.wallMs);
            }
            res.details['disk'] = { fs: fsType(diskWork), check: c, resolveRuns: runs };
            rows.push({
              figure: '1',
              name: `check --json, ${n(N)} agents (all drifted) on disk (${fsType(diskWork)}): wall / peak RSS`,
              measured: `${fmtMs(c.checkMs)} / ${fmtMB(c.checkRssMB)} (baseline ${fmtMs(c.baselineMs)}: ${c.timeRatio.toFixed(2)}x)`,
              target: '',
              pass: null,
            });
            rows.push({
              figure: '6',
              name: `resolve --all (the binary), ${n(N)} drifted, on disk (${fsType(diskWork)})`,
              measured: `${fmtMs(median(runs))} (runs ${runs.map((x) => fmtMs(x)).join(', ')})`,
              target: '',
              pass: null,
            });
          } finally {
            fs.rmSync(diskWork, { recursive: true, force: true });
          }
        });
      }
    }

    // 2 and 5. The TUI in tmux: first full frame, peak RSS, idle CPU.
    if (opts.only.has(2) || opts.only.has(5)) {
      await attempt('2', ['TUI first full frame', 'TUI peak RSS', 'TUI idle CPU'], async () => {
        if (!hasTmux()) {
          for (const [figure, name] of [
            ['2', 'TUI first full frame'],
            ['2', 'TUI peak RSS'],
            ['5', 'TUI idle CPU'],
          ] as const)
            rows.push({ figure, name, measured: 'skipped: tmux is not installed', target: '', pass: null });
          return;
        }
        const ws = await workspace(N);
        const windows = opts.quick ? [10_000] : [60_000, 60_000];
        log(
          `figures 2 and 5: the TUI in tmux at ${n(N)} (start, watcher, then ${windows.map((w) => `${w / 1000} s`).join(' + ')} idle)`,
        );
        const runs: TuiRun[] = [];
        const dir = profileDir ? profileFolder(profileDir, 'tui') : null;
        // The measured runs are never profiled: the CPU profiler's own sampling costs several
        // percent of a core, more than the idle target. A separate run is profiled.
        runs.push(
          await runTui({
            root: ws.root,
            agents: N,
            socket: `sync-tui-bench-${process.pid}-0`,
            idleWindowsMs: windows,
            work: opts.work,
          }),
        );
        for (let i = 1; i < reps; i++) {
          runs.push(
            await runTui({
              root: ws.root,
              agents: N,
              socket: `sync-tui-bench-${process.pid}-${i}`,
              firstFrameOnly: true,
              work: opts.work,
            }),
          );
        }
        const full = runs[0]!;
        const first = median(runs.map((r) => r.firstFrameMs));
        res.details['tui'] = runs.map(({ screen: _s, ...r }) => r);
        res.details['tuiScreen'] = full.screen.split('\n').slice(0, 8).join('\n');
        if (opts.only.has(2)) {
          const useful = median(runs.map((r) => r.usefulFrameMs ?? r.firstFrameMs));
          rows.push({
            figure: '2',
            name: `TUI first useful frame (count read so far + first rows), ${n(N)} agents (median of ${runs.length})`,
            measured: `${fmtMs(useful)} (runs ${runs.map((r) => fmtMs(r.usefulFrameMs ?? NaN)).join(', ')})`,
            target: '<= 0.5 s',
            pass: useful <= 500,
          });
          const paint = median(runs.map((r) => r.firstPaintMs ?? r.firstFrameMs));
          rows.push({
            figure: '2',
            name: '  first paint (the header, "reading…")',
            measured: fmtMs(paint),
            target: '',
            pass: null,
          });
          rows.push({
            figure: '2',
            name: `TUI complete frame, ${n(N)} agents (median of ${runs.length})`,
            measured: `${fmtMs(first)} (runs ${runs.map((r) => fmtMs(r.firstFrameMs)).join(', ')})`,
            target: '<= 1.5 s',
            pass: first <= 1500,
          });
          rows.push({
            figure: '2',
            name: '  watcher ready / settled after start',
            measured: `${fmtMs(full.watchReadyMs ?? NaN)} / ${fmtMs(full.settledMs ?? NaN)}`,
            target: '',
            pass: null,
          });
          rows.push({
            figure: '2',
            name: `TUI peak RSS (VmHWM), ${n(N)} agents`,
            measured: `${fmtMB(full.hwmMB)} (steady ${fmtMB(full.rssMB)})`,
            target: '<= 200 MB',
            pass: full.hwmMB <= 200,
          });
        }
        if (opts.only.has(5)) {
          const w = full.idle[0]!;
          rows.push({
            figure: '5',
            name: `TUI idle CPU over ${(w.windowMs / 1000).toFixed(0)} s after settling`,
            measured: `${w.cpuPct.toFixed(2)}% of a core (${fmtMs(w.cpuMs)} CPU, ${w.redraws} redraws)`,
            target: '< 1%',
            pass: w.cpuPct < 1,
          });
          for (const later of full.idle.slice(1)) {
            rows.push({
              figure: '5',
              name: `  the next ${(later.windowMs / 1000).toFixed(0)} s`,
              measured: `${later.cpuPct.toFixed(2)}% of a core (${fmtMs(later.cpuMs)} CPU, ${later.redraws} redraws)`,
              target: '< 1%',
              pass: later.cpuPct < 1,
            });
          }
        }
        if (dir) {
          const prof = await runTui({
            root: ws.root,
            agents: N,
            socket: `sync-tui-bench-${process.pid}-prof`,
            idleWindowsMs: [opts.quick ? 5_000 : 30_000],
            work: opts.work,
            profileDir: dir,
          });
          addProfile(dir, 'TUI, start to first frame (a separate, profiled run)', {
            top: 12,
            toMs: prof.firstFrameMs,
          });
          addProfile(dir, 'TUI, first frame to settled', {
            top: 12,
            fromMs: prof.firstFrameMs,
            toMs: prof.settledMs ?? undefined,
          });
          if (prof.settledMs !== null)
            addProfile(dir, 'TUI, idle after settling (main thread; the profiler adds its own load)', {
              top: 12,
              fromMs: prof.settledMs,
            });
        }
      });
      // The start in-process: where the time and the memory go.
      await attempt('2', ['startup phases (in-process)'], async () => {
        const ws = await workspace(N);
        const s = await live<{
          phases: Record<string, number>;
          memory: Record<string, { rss: number; heapUsed: number }>;
        }>('startup', ['--root', ws.root]);
        res.details['startupInProcess'] = s;
        const ph = s.phases;
        const mm = s.memory;
        const heap = (k: string) => mm[k]?.heapUsed ?? NaN;
        rows.push({
          figure: '2',
          name: '  in-process: engine open (watchers up, sources read) / first frame',
          measured: `${fmtMs((ph['engineOpen'] ?? NaN) - (ph['config'] ?? NaN))} / +${fmtMs((ph['firstFrame'] ?? NaN) - (ph['engineOpen'] ?? NaN))}`,
          target: '',
          pass: null,
        });
        rows.push({
          figure: '2',
          name: '  in-process heap used: engine (with watchers) / UI',
          measured: `+${fmtMB(heap('engineOpen') - heap('config'))} / +${fmtMB(heap('firstFrame') - heap('engineOpen'))} (RSS settled ${fmtMB(mm['settled']?.rss ?? NaN)})`,
          target: '',
          pass: null,
        });
      });
    }

    // 3. Change-to-screen latency.
    if (opts.only.has(3)) {
      await attempt('3', ['latency'], async () => {
        const ws = await workspace(N);
        const changes = opts.quick ? 20 : 250;
        log(`figure 3: ${changes} single changes at ${n(N)}`);
        type Stats = { p50: number; p90: number; p99: number; max: number };
        const dir = profileDir ? profileFolder(profileDir, 'latency') : null;
        const r = await live<{
          measured: number;
          timeouts: number;
          raw: Stats;
          engine: Stats;
          screen: Stats;
          atomic: { n: number; screen: Stats };
          inPlace: { n: number; screen: Stats };
          activity: {
            runMs: number;
            renders: number;
            snapshots: number;
            frames: number;
            inkRenderMsMean: number;
          };
        }>(
          'latency',
          [
            '--root',
            ws.root,
            '--changes',
            String(changes),
            '--gap-min',
            opts.quick ? '10' : '30',
            '--gap-max',
            opts.quick ? '30' : '150',
          ],
          dir ? { profileDir: dir } : {},
        );
        res.details['latency'] = r;
        const ok = (s: Stats) => s.p50 <= 50 && s.p99 <= 150;
        rows.push({
          figure: '3',
          name: `  raw fs.watch (the floor), ${r.measured} changes`,
          measured: `p50 ${fmtMs(r.raw.p50)}, p99 ${fmtMs(r.raw.p99)}`,
          target: '',
          pass: null,
        });
        rows.push({
          figure: '3',
          name: 'change -> engine snapshot',
          measured: `p50 ${fmtMs(r.engine.p50)}, p99 ${fmtMs(r.engine.p99)}, max ${fmtMs(r.engine.max)}`,
          target: 'p50 <= 50 ms, p99 <= 150 ms',
          pass: ok(r.engine) && r.timeouts === 0,
        });
        rows.push({
          figure: '3',
          name: 'change -> frame on screen',
          measured: `p50 ${fmtMs(r.screen.p50)}, p99 ${fmtMs(r.screen.p99)}, max ${fmtMs(r.screen.max)}${r.timeouts ? `, ${r.timeouts} never shown` : ''}`,
          target: 'p50 <= 50 ms, p99 <= 150 ms',
          pass: ok(r.screen) && r.timeouts === 0,
        });
        const cost = await live<{
          idle: { renders: number; cpuMsPerRender: number; inkMsPerRender: number };
          change: { engineMs: number; renderToFrameMs: number; cpuMs: number; inkMsPerRender: number };
        }>('costs', [
          '--root',
          ws.root,
          '--changes',
          opts.quick ? '5' : '30',
          '--idle',
          opts.quick ? '3000' : '10000',
        ]);
        res.details['costs'] = cost;
        rows.push({
          figure: '3',
          name: '  one change handed to the engine: applyChanges / to the frame / CPU',
          measured: `${fmtMs(cost.change.engineMs)} / ${fmtMs(cost.change.renderToFrameMs)} / ${fmtMs(cost.change.cpuMs)} (Ink layout+output ${fmtMs(cost.change.inkMsPerRender)} per render)`,
          target: '',
          pass: null,
        });
        rows.push({
          figure: '3',
          name: '  a render that only moves ages: CPU / of which Ink',
          measured: `${fmtMs(cost.idle.cpuMsPerRender)} / ${fmtMs(cost.idle.inkMsPerRender)} (${cost.idle.renders} such renders in the window)`,
          target: '',
          pass: null,
        });
        rows.push({
          figure: '3',
          name: '  screen: atomic saves / in-place writes',
          measured: `p50 ${fmtMs(r.atomic.screen.p50)} p99 ${fmtMs(r.atomic.screen.p99)} (${r.atomic.n}) / p50 ${fmtMs(r.inPlace.screen.p50)} p99 ${fmtMs(r.inPlace.screen.p99)} (${r.inPlace.n})`,
          target: '',
          pass: null,
        });
        const a = r.activity;
        rows.push({
          figure: '3',
          name: '  renders / snapshots during the run; Ink time per render',
          measured: `${a.renders} / ${a.snapshots} in ${fmtMs(a.runMs)}; ${fmtMs(a.inkRenderMsMean)}`,
          target: '',
          pass: null,
        });
        if (dir) {
          addProfile(dir, 'latency run, whole process', { top: 14 });
          addProfile(dir, 'latency run, engine: a watcher batch to a published snapshot (inside deliver)', {
            top: 10,
            within: /^deliver /,
          });
          addProfile(dir, 'latency run, UI: React render and Ink output (inside performWorkOnRoot)', {
            top: 14,
            within: /^performWorkOnRoot /,
          });
        }
      });
    }

    // 4. Storm.
    if (opts.only.has(4)) {
      await attempt('4', ['storm'], async () => {
        const ws = await workspace(N);
        log(`figure 4: storm, all ${n(N)} status files rewritten within a second`);
        const dir = profileDir ? profileFolder(profileDir, 'storm') : null;
        type Rate = { n: number; perSecMax: number; perSecAvg?: number };
        const r = await live<{
          files: number;
          writeSpanMs: number;
          engineCompleteAfterLastWriteMs: number;
          screenCorrectAfterLastWriteMs: number;
          lost: number;
          finalCountsOk: boolean;
          snapshots: Rate;
          renders: Rate;
          frames: Rate;
        }>(
          'storm',
          ['--root', ws.root, '--work', opts.work, '--spread', opts.quick ? '300' : '800'],
          dir ? { profileDir: dir } : {},
        );
        res.details['storm'] = r;
        rows.push({
          figure: '4',
          name: `storm: ${n(r.files)} files written by another process in (the premise)`,
          measured: fmtMs(r.writeSpanMs),
          target: '<= 1 s',
          pass: r.writeSpanMs <= 1000,
        });
        rows.push({
          figure: '4',
          name: '  last write -> engine has every change',
          measured: fmtMs(r.engineCompleteAfterLastWriteMs),
          target: '',
          pass: null,
        });
        rows.push({
          figure: '4',
          name: 'last write -> correct screen',
          measured: fmtMs(r.screenCorrectAfterLastWriteMs),
          target: '<= 2 s',
          pass: r.screenCorrectAfterLastWriteMs <= 2000,
        });
        rows.push({
          figure: '4',
          name: 'lost changes',
          measured: String(r.lost),
          target: '0',
          pass: r.lost === 0 && r.finalCountsOk,
        });
        rows.push({
          figure: '4',
          name: 'renders per second during the storm (max in 1 s / mean)',
          measured: `${r.renders.perSecMax} / ${(r.renders.perSecAvg ?? NaN).toFixed(1)} (snapshots ${r.snapshots.perSecMax} / ${(r.snapshots.perSecAvg ?? NaN).toFixed(1)})`,
          target: 'capped (<= 30/s)',
          pass: r.renders.perSecMax <= 30,
        });
        if (dir) addProfile(dir, 'storm run, whole process', { top: 14 });
      });
    }

    // 7. Event log.
    if (opts.only.has(7)) {
      await attempt('7', ['event log'], async () => {
        const ws = await workspace(N);
        const lines = opts.quick ? 5000 : 100_000;
        const chunk = opts.quick ? 500 : 1000;
        log(`figure 7: ${n(lines)} event lines appended in ${n(chunk)}-line chunks`);
        const dir = profileDir ? profileFolder(profileDir, 'events') : null;
        const r = await live<{
          appendSpanMs: number;
          doneAfterFirstMs: number;
          doneAfterLastMs: number;
          usPerLine: number;
          cpuUsPerLine: number;
          snapshots: number;
          renders: number;
          rssAfterMB: number;
        }>(
          'events',
          ['--root', ws.root, '--work', opts.work, '--lines', String(lines), '--chunk', String(chunk)],
          dir ? { profileDir: dir } : {},
        );
        res.details['events'] = r;
        rows.push({
          figure: '7',
          name: `event log: ${n(lines)} lines appended in`,
          measured: fmtMs(r.appendSpanMs),
          target: '',
          pass: null,
        });
        rows.push({
          figure: '7',
          name: 'last append -> engine has the last line',
          measured: fmtMs(r.doneAfterLastMs),
          target: 'keeps up (<= 2 s behind)',
          pass: r.doneAfterLastMs <= 2000,
        });
        rows.push({
          figure: '7',
          name: '  time per line (wall, first append to caught up) / CPU',
          measured: `${r.usPerLine.toFixed(1)} µs / ${r.cpuUsPerLine.toFixed(1)} µs (${r.snapshots} snapshots, ${r.renders} renders; RSS after ${fmtMB(r.rssAfterMB)})`,
          target: 'reported',
          pass: null,
        });
        if (dir) addProfile(dir, 'event log run, inside readEvents', { top: 12, within: /^readEvents / });
      });
    }
    drop(N);

    // 6. resolve --all, every agent drifted.
    if (opts.only.has(6)) {
      await attempt('6', ['resolve'], async () => {
        const ws = await workspace(N, 'all-drifted');
        log(`figure 6: resolve --all at ${n(N)}, every agent drifted`);
        const r = await figureResolve(ws, reps, opts.work, profileDir);
        res.details['resolve'] = r;
        rows.push({
          figure: '6',
          name: `resolve --all (the binary), ${n(N)} drifted`,
          measured: `${fmtMs(r.binaryMs)} / ${fmtMB(r.binaryRssMB)} (exit ${r.binaryExit}: ${r.binaryMessage.replace(/, action \S+$/, '')})`,
          target: '<= 1 s',
          pass: r.binaryMs <= 1000,
        });
        rows.push({
          figure: '6',
          name: "engine.resolve('all') in-process (plan, write, verify, journal)",
          measured: `${fmtMs(r.inProcess.resolveMs)} (open ${fmtMs(r.inProcess.openMs)}; ${r.inProcess.writes} writes)`,
          target: '<= 1 s',
          pass: r.inProcess.resolveMs <= 1000,
        });
        drop(N, 'all-drifted');
      });
      // The same with a YAML registry, at half and full size: linear in writes.
      await attempt('6', ['resolve --all, YAML registry'], async () => {
        const half = Math.max(1, Math.round(N / 2));
        log(`figure 6: resolve --all with a YAML registry at ${n(half)} and ${n(N)}`);
        const a = figureYamlResolve(half, reps, opts.work);
        const b = figureYamlResolve(N, reps, opts.work);
        res.details['resolveYaml'] = { [half]: a, [N]: b };
        const perA = a.ms / a.writes;
        const perB = b.ms / b.writes;
        rows.push({
          figure: '6',
          name: `resolve --all (the binary), YAML registry, ${n(N)} drifted`,
          measured: `${fmtMs(b.ms)} / ${fmtMB(b.rssMB)} (${b.writes} writes; runs ${b.runs.map((x) => fmtMs(x)).join(', ')})`,
          target: '<= 1.5 s',
          pass: b.ms <= 1500,
        });
        rows.push({
          figure: '6',
          name: `  YAML: time per write, ${n(a.writes)} -> ${n(b.writes)} writes`,
          measured: `${(perA * 1000).toFixed(0)} µs -> ${(perB * 1000).toFixed(0)} µs (ratio ${(perB / perA).toFixed(2)})`,
          target: 'linear (ratio <= 1.5)',
          pass: perB / perA <= 1.5,
        });
      });
    }

    // 8. NATS (README.md "Several hosts"), each beside the same figure for files: a real
    // nats-server in bench/nats.ts; skipped where none is installed.
    if (opts.only.has(8)) {
      await attempt('8', ['NATS'], async () => {
        const { natsServerBinary } = await import('../test/helpers/nats.js');
        if (natsServerBinary() === null) {
          log('figure 8: no nats-server installed, skipped');
          return;
        }
        const sizes = opts.quick ? [N] : opts.sizes.filter((s) => s >= 10_000);
        log(`figure 8: NATS at ${sizes.map(n).join(', ')} (main ${n(N)})`);
        const r = await natsFigures([...new Set([...sizes, N])], N, opts.quick ? 20 : 100);
        res.details['nats'] = r;
        for (const row of r.rows)
          rows.push({
            figure: '8',
            name: row.name,
            measured: `files ${row.files} · NATS ${row.nats}`,
            target: 'reported',
            pass: null,
          });
      });
    }
  } finally {
    forgetWork();
    if (!opts.keep) fs.rmSync(opts.work, { recursive: true, force: true });
    else log(`workspaces kept in ${opts.work}`);
  }

  // Rows by figure number, in the order each figure added them.
  const order = rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => Number(a.r.figure) - Number(b.r.figure) || a.i - b.i);
  rows.splice(0, rows.length, ...order.map((x) => x.r));
  res.durationS = (Date.now() - t0) / 1000;
  res.loadAfter = os.loadavg();
  process.stdout.write('\n' + tableText(rows) + '\n');
  if (res.errors.length > 0)
    process.stdout.write(
      `\n${res.errors.length} figure(s) failed:\n${res.errors.map((e) => `  ${e}`).join('\n')}\n`,
    );
  if (opts.out) {
    writeMarkdown(opts.out, res);
    log(`wrote ${path.relative(process.cwd(), opts.out) || opts.out}`);
  }
  if (opts.json) fs.writeFileSync(opts.json, JSON.stringify(res, null, 2));
  return res.errors.length > 0 ? 1 : 0;
}

installInterruptHandler(log);

main().then(
  async (code) => {
    await sleep(0);
    process.exit(code);
  },
  (e: unknown) => {
    process.stderr.write(`bench: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
