#!/usr/bin/env node
// The long fuzz run: `vitest run test/fuzz` with many more cases per property than CI runs,
// then a table of every target and how many inputs it received.
//
//   node scripts/fuzz.mjs [--runs X] [--seed N] [--report FILE] [--max-minutes M]
//
// --runs X         FUZZ_RUNS multiplier of every property's CI run count (default: the
//                  FUZZ_RUNS environment variable, else 100). CI's plain `vitest run` is 1.
// --seed N         fixes fast-check's seed (FUZZ_SEED), to replay a run.
// --report FILE    where the JSON tally goes (FUZZ_REPORT; default a temp file, removed after).
// --max-minutes M  stops the run (kills vitest and its workers) after M minutes (default 120).
// Exit code: vitest's, or 1 when a target threw or hung, the run was stopped, or no report
// was written. See test/fuzz/harness.ts for what the suite checks and how hangs are caught.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function usage(message) {
  process.stderr.write(
    `fuzz: ${message}\nusage: node scripts/fuzz.mjs [--runs X] [--seed N] [--report FILE] [--max-minutes M]\n`,
  );
  process.exit(2);
}

const opts = {
  runs: process.env.FUZZ_RUNS || '100',
  seed: process.env.FUZZ_SEED,
  report: undefined,
  maxMinutes: 120,
};
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
  const a = args[i];
  const value = () => (i + 1 < args.length ? args[++i] : usage(`${a} needs a value`));
  if (a === '--runs') opts.runs = value();
  else if (a === '--seed') opts.seed = value();
  else if (a === '--report') opts.report = value();
  else if (a === '--max-minutes') opts.maxMinutes = Number(value());
  else if (a === '--help' || a === '-h') usage('fuzzes every reader and the reconciler');
  else usage(`unknown argument ${a}`);
}
if (!(Number(opts.runs) > 0)) usage(`--runs ${opts.runs}: expected a positive number`);
if (opts.seed !== undefined && !Number.isInteger(Number(opts.seed)))
  usage(`--seed ${opts.seed}: expected an integer`);
if (!(opts.maxMinutes > 0)) usage('--max-minutes: expected a positive number');

const keepReport = opts.report !== undefined;
const report = path.resolve(opts.report ?? path.join(os.tmpdir(), `sync-tui-fuzz-${process.pid}.json`));
fs.rmSync(report, { force: true });
fs.rmSync(`${report}.lock`, { recursive: true, force: true });

const env = { ...process.env, FUZZ_RUNS: String(opts.runs), FUZZ_REPORT: report };
if (opts.seed !== undefined) env.FUZZ_SEED = String(opts.seed);
else delete env.FUZZ_SEED;

const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
if (!fs.existsSync(vitest)) usage(`${vitest} is missing: run npm install`);
process.stdout.write(
  `fuzz: FUZZ_RUNS=${opts.runs}${opts.seed !== undefined ? ` FUZZ_SEED=${opts.seed}` : ''}, stopping after ${opts.maxMinutes} min\n`,
);

const started = Date.now();
// Its own process group, so that a stop takes the vitest workers with it.
const child = spawn(process.execPath, [vitest, 'run', 'test/fuzz'], {
  cwd: root,
  env,
  stdio: 'inherit',
  detached: true,
});
let stopped = false;
const stop = (signal) => {
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
};
const timer = setTimeout(() => {
  stopped = true;
  process.stderr.write(`\nfuzz: stopped after ${opts.maxMinutes} min\n`);
  stop('SIGTERM');
  setTimeout(() => stop('SIGKILL'), 5000).unref();
}, opts.maxMinutes * 60_000);
for (const s of ['SIGINT', 'SIGTERM']) {
  process.on(s, () => {
    stopped = true;
    stop(s);
  });
}

const code = await new Promise((resolve) => child.on('exit', (c, signal) => resolve(c ?? (signal ? 1 : 0))));
clearTimeout(timer);
const minutes = ((Date.now() - started) / 60_000).toFixed(1);

let tally;
try {
  tally = JSON.parse(fs.readFileSync(report, 'utf8'));
} catch {
  process.stderr.write(`fuzz: no report was written to ${report}\n`);
  process.exit(1);
}
if (!keepReport) fs.rmSync(report, { force: true });

const rows = Object.entries(tally).sort(([a], [b]) => a.localeCompare(b));
const total = { cases: 0, diagnostics: 0, throws: 0, hangs: 0, maxMs: 0 };
for (const [, t] of rows) {
  for (const k of ['cases', 'diagnostics', 'throws', 'hangs']) total[k] += t[k] ?? 0;
  total.maxMs = Math.max(total.maxMs, t.maxMs ?? 0);
}
const width = Math.max(6, ...rows.map(([name]) => name.length));
const num = (n) => String(n).padStart(11);
const line = (name, t) =>
  `${name.padEnd(width)} ${num(t.cases)} ${num(t.diagnostics)} ${num(t.throws)} ${num(t.hangs)} ${num(t.maxMs ?? 0)}`;
const out = [
  '',
  `${'target'.padEnd(width)} ${'cases'.padStart(11)} ${'diagnostics'.padStart(11)} ${'throws'.padStart(11)} ${'hangs'.padStart(11)} ${'slowest ms'.padStart(11)}`,
  '-'.repeat(width + 60),
  ...rows.map(([name, t]) => line(name, t)),
  '-'.repeat(width + 60),
  line('TOTAL', total),
  '',
  `fuzz: ${total.cases} inputs to ${rows.length} targets in ${minutes} min (FUZZ_RUNS=${opts.runs}); vitest exited with ${code}${stopped ? ' (stopped)' : ''}${keepReport ? `; report: ${report}` : ''}`,
  '',
];
process.stdout.write(out.join('\n'));
process.exit(code !== 0 || stopped || total.throws > 0 || total.hangs > 0 ? 1 : 0);
