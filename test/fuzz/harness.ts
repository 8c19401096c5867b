// Fuzz harness: shared input generators, byte-level mutation operators, the run-count
// logic, a per-case hang guard and a tally of what every target received.
//
// The suite (test/fuzz/*.fuzz.test.ts) feeds arbitrary bytes, arbitrary unicode, token
// soups and byte-level mutations of our own fixtures (fixtures/) to every reader and to
// the reconciler. Each property checks: no throw, no hang, and a diagnostic (or a refusal
// with a reason) for whatever cannot be read. regressions.fuzz.test.ts keeps the minimized
// inputs it found, as fixed cases.
//
// Environment:
//   FUZZ_RUNS=<x>     MULTIPLIER of every property's base run count (default 1; decimals
//                     allowed, e.g. 0.2). CI runs the base counts: a few thousand inputs in
//                     total, well under a minute. `npm run fuzz` (scripts/fuzz.mjs) uses 100.
//   FUZZ_SEED=<n>     fixes fast-check's seed (default: random; a failure prints its seed
//                     and path, so it can be replayed with FUZZ_SEED and fast-check's path).
//   FUZZ_HANG_MS=<ms> the bound for ONE case (default 2000). Generous on purpose: most
//                     cases take well under a millisecond, the largest generated documents
//                     a few hundred.
//   FUZZ_REPORT=<file> when set, each test file merges its tally into this JSON file in
//                     afterAll: { target: { cases, diagnostics, throws, hangs, maxMs } }.
//
// No hang: every synchronous case runs through `guard`, which calls the target inside a
// `node:vm` script with a `timeout`. V8's watchdog interrupts even an endless loop or a
// catastrophic regex, so a case over FUZZ_HANG_MS is recorded as a HANG (with a preview
// of its input) and the property goes on; at the end of the property `expectNoHangs`
// fails the test when the count is not zero. No shrinking of slow cases (each try would
// cost the bound again) and no assertion on normal speed: a loaded 2-core machine only
// makes cases slower by a small factor, far from the bound. Asynchronous cases (the
// journal read from a temp file) are timed with the monotonic clock and counted alike.
//
// A failed assertion is a failure like a throw: among the assertions, a reader's own
// safety net (parse.ts's `internal-error` diagnostic, edit.ts's "internal error" refusal)
// counts as a crash, and every diagnostic message must be safe to print.
//
// Tally, per target: `cases` = inputs the target received (shrink re-runs included),
// `diagnostics` = cases in which the target reported a problem (a diagnostic, an error,
// a refusal, a null or "unsafe" answer, a verdict other than in-sync), `throws` = cases
// that threw or failed an assertion (a failed test),
// `hangs` = cases over the bound (a failed test), `maxMs` = the slowest case that finished
// (information only, never asserted).
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vm from 'node:vm';
import fc from 'fast-check';
import { afterAll, expect } from 'vitest';
import { configYaml, templateConfig } from '../../src/core/config/config-writer.js';
import { detectLayout, type LayoutProbe } from '../../src/core/config/detect.js';
import { agentFromEntry, splitAgentPattern, unsafeAgentId } from '../../src/core/ids.js';
import { detectFormat, parseDocument } from '../../src/core/read/parse.js';
import type { Config, SourceDocument, SourceRead, SourceSpec } from '../../src/core/types.js';
import { eventDocuments } from '../../src/shell/sources.js';
import { FIXTURES } from '../helpers/cli.js';

// ---------------------------------------------------------------------------------------
// Run counts

function envNumber(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name}=${raw}: expected a positive number`);
  return n;
}

export const FUZZ_RUNS = envNumber('FUZZ_RUNS', 1);
export const HANG_MS = envNumber('FUZZ_HANG_MS', 2000);
const SEED = ((raw) => {
  if (raw === undefined || raw.trim() === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n))
    throw new Error(`FUZZ_SEED=${raw}: expected an integer (fast-check prints it on a failure)`);
  return n;
})(process.env['FUZZ_SEED']);

/** The run count of a property whose CI count is `base`. */
export function runs(base: number): number {
  return Math.max(1, Math.round(base * FUZZ_RUNS));
}

/** fast-check options for a property of `base` runs. */
export function options(base: number): { numRuns: number; seed?: number } {
  const o: { numRuns: number; seed?: number } = { numRuns: runs(base) };
  if (SEED !== undefined) o.seed = SEED;
  return o;
}

/** Vitest timeout for a test running properties worth `base` runs in total. Synchronous
 * properties cannot be interrupted by it (the per-case guard is what catches hangs); it
 * only bounds the asynchronous ones. */
export function testTimeout(base: number): number {
  return Math.max(60_000, runs(base) * 50);
}

// ---------------------------------------------------------------------------------------
// Tally

export interface TargetTally {
  cases: number;
  diagnostics: number;
  throws: number;
  hangs: number;
  /** The slowest case that finished, in ms (information only: never asserted). */
  maxMs: number;
}

const tally = new Map<string, TargetTally>();
const hangs = new Map<string, string[]>();

function entry(target: string): TargetTally {
  let t = tally.get(target);
  if (!t) {
    t = { cases: 0, diagnostics: 0, throws: 0, hangs: 0, maxMs: 0 };
    tally.set(target, t);
  }
  return t;
}

/** A short, printable preview of an input for a hang report. */
export function preview(input: unknown): string {
  let s: string;
  try {
    s =
      typeof input === 'string'
        ? JSON.stringify(input)
        : (JSON.stringify(input, (_k, v: unknown) =>
            v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v,
          ) ?? String(input));
  } catch {
    s = String(input);
  }
  return s.length > 300 ? `${s.slice(0, 300)}... (${s.length} chars)` : s;
}

const context = vm.createContext({});
const script = new vm.Script('__fuzzCase()');

/**
 * Runs one synchronous case of `target`. `body` returns true when the target reported a
 * problem for this input (counted as a diagnostic). A throw is counted and re-thrown (the
 * property fails and fast-check shrinks the input); a case over HANG_MS is interrupted,
 * counted and remembered, and the property goes on.
 */
export function guard(target: string, input: unknown, body: () => boolean): void {
  const t = entry(target);
  t.cases++;
  let flagged = false;
  (context as { __fuzzCase?: () => void }).__fuzzCase = () => {
    flagged = body();
  };
  const start = performance.now();
  try {
    script.runInContext(context, { timeout: HANG_MS });
    t.maxMs = Math.max(t.maxMs, performance.now() - start);
  } catch (e) {
    if ((e as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      t.hangs++;
      const list = hangs.get(target) ?? [];
      if (list.length < 5) list.push(preview(input));
      hangs.set(target, list);
      return;
    }
    t.throws++;
    throw e;
  } finally {
    (context as { __fuzzCase?: () => void }).__fuzzCase = undefined;
  }
  if (flagged) t.diagnostics++;
}

/** The asynchronous form of `guard`: timed, not interruptible (file reads). */
export async function guardAsync(
  target: string,
  input: unknown,
  body: () => Promise<boolean>,
): Promise<void> {
  const t = entry(target);
  t.cases++;
  const start = performance.now();
  let flagged: boolean;
  try {
    flagged = await body();
  } catch (e) {
    t.throws++;
    throw e;
  }
  const ms = performance.now() - start;
  if (ms > HANG_MS) {
    t.hangs++;
    const list = hangs.get(target) ?? [];
    if (list.length < 5) list.push(preview(input));
    hangs.set(target, list);
    return;
  }
  t.maxMs = Math.max(t.maxMs, ms);
  if (flagged) t.diagnostics++;
}

/** Fails when any case of `target` went over the bound, listing the inputs. */
export function expectNoHangs(target: string): void {
  const list = hangs.get(target) ?? [];
  expect(list, `${target}: ${entry(target).hangs} case(s) took longer than ${HANG_MS} ms`).toEqual([]);
}

/** Runs a synchronous property of `target` through the guard, then checks for hangs. */
export function fuzz<T>(
  target: string,
  arb: fc.Arbitrary<T>,
  base: number,
  body: (input: T) => boolean,
): void {
  fc.assert(
    fc.property(arb, (input) => guard(target, input, () => body(input))),
    options(base),
  );
  expectNoHangs(target);
}

export async function fuzzAsync<T>(
  target: string,
  arb: fc.Arbitrary<T>,
  base: number,
  body: (input: T) => Promise<boolean>,
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, (input) => guardAsync(target, input, () => body(input))),
    options(base),
  );
  expectNoHangs(target);
}

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Merges this file's tally into FUZZ_REPORT (files run in parallel workers: locked). */
function writeReport(file: string): void {
  if (tally.size === 0) return;
  const lock = `${file}.lock`;
  for (let i = 0; ; i++) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      if (i > 500) fs.rmSync(lock, { recursive: true, force: true }); // a stale lock (killed run)
      sleepSync(10);
    }
  }
  try {
    let report: Record<string, TargetTally> = {};
    try {
      report = JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, TargetTally>;
    } catch {
      report = {};
    }
    for (const [target, t] of tally) {
      const r = report[target] ?? { cases: 0, diagnostics: 0, throws: 0, hangs: 0, maxMs: 0 };
      report[target] = {
        cases: r.cases + t.cases,
        diagnostics: r.diagnostics + t.diagnostics,
        throws: r.throws + t.throws,
        hangs: r.hangs + t.hangs,
        maxMs: Math.round(Math.max(r.maxMs ?? 0, t.maxMs)),
      };
    }
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(report, null, 2) + '\n');
    fs.renameSync(tmp, file);
  } finally {
    fs.rmSync(lock, { recursive: true, force: true });
  }
}

/** Call once at the top level of every fuzz test file. */
export function reportAfterAll(): void {
  afterAll(() => {
    const file = process.env['FUZZ_REPORT'];
    if (file) writeReport(path.resolve(file));
  });
}

// ---------------------------------------------------------------------------------------
// Checks shared by the targets

// checkDiagnostic, CONTROL and lineCount live in test/helpers/diagnostics.ts (the parse
// tests share them); re-exported here for the fuzz targets.
export { checkDiagnostic, CONTROL, lineCount } from '../helpers/diagnostics.js';

// ---------------------------------------------------------------------------------------
// Fixtures: our own files under fixtures/

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out.sort();
}

/** Every fixture file (relative path -> text), README files aside. */
export const FIXTURE_FILES: ReadonlyMap<string, string> = new Map(
  walk(FIXTURES)
    .filter((p) => !p.endsWith('README.md'))
    .map((p) => [path.relative(FIXTURES, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8')]),
);

function fixtures(test: (rel: string) => boolean): string[] {
  return [...FIXTURE_FILES].filter(([rel]) => test(rel)).map(([, text]) => text);
}

/** A workspace fixture as a map of paths (relative to its root) to text. */
export function workspaceFiles(name: 'incident' | 'generic'): Map<string, string> {
  const prefix = `workspaces/${name}/`;
  return new Map(
    [...FIXTURE_FILES]
      .filter(([rel]) => rel.startsWith(prefix))
      .map(([rel, text]) => [rel.slice(prefix.length), text]),
  );
}

/** An in-memory layout probe over a map of files (folders are implied by the paths). */
export function memoryProbe(
  files: ReadonlyMap<string, unknown>,
  read?: (rel: string) => unknown,
): LayoutProbe {
  return {
    entries(dir) {
      const prefix = dir === '' ? '' : `${dir}/`;
      const seen = new Map<string, boolean>();
      for (const rel of files.keys()) {
        if (!rel.startsWith(prefix)) continue;
        const rest = rel.slice(prefix.length);
        const slash = rest.indexOf('/');
        const name = slash < 0 ? rest : rest.slice(0, slash);
        if (name === '') continue;
        seen.set(name, (seen.get(name) ?? false) || slash >= 0);
      }
      if (seen.size === 0 && dir !== '') return null;
      return [...seen].map(([name, isDir]) => ({ name, dir: isDir }));
    },
    read(rel) {
      if (read) return read(rel);
      const text = files.get(rel);
      if (typeof text !== 'string') return undefined;
      const r = parseDocument(text, detectFormat(rel, text), { file: rel });
      return r.ok ? r.value : undefined;
    },
  };
}

function detected(name: 'incident' | 'generic', withEvents: boolean): Config {
  const files = workspaceFiles(name);
  if (withEvents) files.set('events.jsonl', '');
  const d = detectLayout(memoryProbe(files));
  if (!d.ok) throw new Error(`the ${name} fixture is no longer detected`);
  return d.config;
}

/** The configs detection builds for our workspace fixtures (incident with an event log too). */
export const CONFIGS = {
  incident: detected('incident', true),
  generic: detected('generic', false),
};

const HAND_CONFIG = `# a hand-written config (JSON is YAML too)
{"version": 1, "timezone": "+02:00", "stale": "1h30m", "state": ".state",
 "fields": {"status": {"values": {"GREEN": ["ok", "fine"]}}},
 "sources": {"me": {"kind": "status-files", "path": "status/{agent}.yaml", "format": "yaml", "id": ["agent_id"], "updated_at": "ts"},
             "reg": {"kind": "registry", "path": "reg.json", "fields": {"status": {"paths": ["x.{agent}.on"], "type": "boolean", "true": ["ACTIVE"], "false": ["PENDING"]}, "fsm": "x.{agent}.fsm"}},
             "log": {"kind": "event-log", "path": "logs/e.jsonl", "required": false, "stale": 120}},
 "policy": {"target": "reg", "truth": {"status": "newest", "fsm": ["log", "me"]}, "auto_resolve": false}}
`;

/** Seeds per kind of input, all from fixtures/ (configs are what `init` writes for them). */
export const SEEDS = {
  statusJson: fixtures((r) => /agent_workspaces\/.*\.json$/.test(r) || /^malformed\/.*\.json$/.test(r)),
  statusYaml: fixtures(
    (r) => /^workspaces\/generic\/agents\/.*\.yaml$/.test(r) || /^malformed\/.*\.yaml$/.test(r),
  ),
  registryJson: fixtures((r) => r.endsWith('coordination_system_state.json')),
  registryYaml: fixtures((r) => r.endsWith('registry.yaml')),
  events: fixtures((r) => r.endsWith('.jsonl')),
  config: [
    configYaml(CONFIGS.incident, { layout: 'coordination-system', now: '2026-03-02T09:00:00Z' }),
    configYaml(CONFIGS.generic, { layout: 'generic' }),
    configYaml(templateConfig(), { layout: 'template' }),
    HAND_CONFIG,
  ],
};
for (const [k, v] of Object.entries(SEEDS)) if (v.length === 0) throw new Error(`no fixtures for ${k}`);

export const ALL_SEEDS: string[] = Object.values(SEEDS).flat();

// ---------------------------------------------------------------------------------------
// Generators

/** Bytes decoded as UTF-8 the way the shell decodes files (invalid sequences -> U+FFFD). */
export function decodeUtf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

const encoder = new TextEncoder();
export function encodeUtf8(text: string): Uint8Array {
  return encoder.encode(text);
}

/** Bytes that matter to UTF-8, JSON and YAML readers. */
const INTERESTING_BYTES = [
  0x00, 0x09, 0x0a, 0x0d, 0x20, 0x22, 0x23, 0x26, 0x27, 0x2a, 0x2c, 0x2d, 0x3a, 0x3c, 0x3e, 0x5b, 0x5c, 0x5d,
  0x7b, 0x7c, 0x7d, 0x7f, 0x80, 0xbf, 0xc0, 0xc2, 0xe2, 0xed, 0xef, 0xf0, 0xf4, 0xf8, 0xfe, 0xff,
];
const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...INTERESTING_BYTES));

/** Arbitrary bytes (biased towards structural and UTF-8 lead/continuation bytes). */
export const bytes = (maxLength = 300): fc.Arbitrary<Uint8Array> =>
  fc.array(byte, { maxLength }).map((a) => Uint8Array.from(a));

/** Arbitrary bytes decoded as UTF-8, invalid sequences included. */
export const bytesText = (maxLength = 300): fc.Arbitrary<string> => bytes(maxLength).map(decodeUtf8);

/** Code points of every kind, lone surrogates, BOM, bidi controls and line separators included. */
export const unicodeText = (maxLength = 200): fc.Arbitrary<string> =>
  fc.string({
    unit: fc.oneof(
      { weight: 6, arbitrary: fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }) },
      { weight: 3, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }) },
      {
        weight: 2,
        arbitrary: fc.constantFrom(
          '\uD800',
          '\uDFFF',
          '\uFEFF',
          '\u202E',
          '\u2028',
          '\u0085',
          '\u0000',
          '\u001B[31m',
          '\r\n',
          '\t',
          '\u00A0',
          '\uFFFD',
          '\u{10FFFF}',
        ),
      },
    ),
    maxLength,
  });

/** Concatenations of tokens from a dictionary (plus a few arbitrary characters). */
export const tokenSoup = (tokens: readonly string[], maxLength = 80): fc.Arbitrary<string> =>
  fc
    .array(
      fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...tokens) },
        { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 3 }) },
      ),
      { maxLength },
    )
    .map((parts) => parts.join(''));

export const JSON_TOKENS = [
  '{',
  '}',
  '[',
  ']',
  ',',
  ':',
  '"',
  '\\',
  '\\u',
  '\\ud800',
  ' ',
  '\n',
  '\r\n',
  '\t',
  '0',
  '-1',
  '1.5e3',
  '1e999',
  '1,084',
  'true',
  'false',
  'null',
  'NaN',
  '"agent_id"',
  '"status"',
  '"fsm_state"',
  '"current_state"',
  '"last_updated"',
  '"ACTIVE"',
  '"ONBOARDED"',
  '"2026-03-02T09:41:12"',
  '"__proto__"',
  '"constructor"',
  '//',
  '/*',
  '*/',
  '\uFEFF',
  '<<<<<<< HEAD\n',
  '=======\n',
  '>>>>>>> x\n',
  '}{',
  'Sure! Here is the file:',
  '🚀',
  'é',
];
export const YAML_TOKENS = [
  'a',
  'agent_id',
  'status',
  'fsm_state',
  'last_updated',
  'ACTIVE',
  ':',
  ': ',
  ' ',
  '  ',
  '    ',
  '\n',
  '\r\n',
  '\t',
  '- ',
  '? ',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&x ',
  '*x',
  '&y ',
  '*y',
  '<<: *x',
  '|',
  '>-',
  '"',
  "'",
  '#',
  ' # c',
  '---\n',
  '...\n',
  '!!str ',
  '!!binary ',
  '!!timestamp ',
  '!custom ',
  '%YAML 1.1\n',
  '%TAG ! tag:x:\n',
  '~',
  'yes',
  'null',
  '2026-03-02 09:10:00',
  '0x1F',
  '.inf',
  '1_000',
  '\uFEFF',
  '🚀',
  '__proto__',
];
export const CONFIG_TOKENS = [
  'version: 1\n',
  'timezone: ',
  'UTC',
  'local',
  '+02:00',
  '+99:99',
  'stale: ',
  '15m',
  '1h30m',
  '-5m',
  '1e400',
  'state: ',
  'fields:\n',
  'sources:\n',
  'policy:\n',
  '  ',
  '    ',
  '      ',
  'file:\n',
  'display:\n',
  'kind: ',
  'status-files',
  'registry',
  'event-log',
  'path: ',
  'agents/{agent}/status.json',
  '{agent}',
  '../x',
  '/abs',
  'registry.yaml',
  'format: ',
  'json',
  'yaml',
  'fields:',
  'status: ',
  'fsm: ',
  'paths: ',
  '[a.{agent}.s]',
  'type: boolean',
  'true: [ACTIVE]',
  'false: [PENDING]',
  'case: lower',
  'aliases: {x: ACTIVE}',
  'values: {A: [b]}',
  'transitions: {A: [B]}',
  'replace: true',
  'target: ',
  'truth: ',
  'newest',
  '[file]',
  'auto_resolve: ',
  'true',
  'yes',
  'required: false',
  'id: agent',
  'updated_at: at',
  '\n',
  '- ',
  '&a ',
  '*a',
  '#',
  '"',
  "'",
  ',',
  '{',
  '}',
  '[',
  ']',
  '\t',
  '\uFEFF',
  '__proto__: 1\n',
  '<<: *a\n',
];
export const TIME_TOKENS = [
  '2025',
  '2026',
  '1969',
  '10000',
  '-',
  '09',
  '14',
  '00',
  '13',
  '31',
  '29',
  '02',
  '23',
  '24',
  '59',
  '60',
  ':',
  'T',
  't',
  ' ',
  'Z',
  'z',
  ' UTC',
  ' GMT',
  '+',
  '+00:00',
  '-05:00',
  '+0200',
  '+05',
  '+24:00',
  '.',
  ',',
  '000000',
  '999999999',
  '1757830719',
  '1e3',
  'now',
  'TIMESTAMP',
  'YYYY',
  '\u0661',
  '\uFF12',
  '\u00A0',
  '\n',
];

export const DICTIONARY = [...new Set([...JSON_TOKENS, ...YAML_TOKENS, '<<<<<<< ', '\u0000', '\uFFFD'])];

type Op =
  | { kind: 'flip'; at: number; bit: number }
  | { kind: 'set'; at: number; value: number }
  | { kind: 'insert'; at: number; bytes: Uint8Array }
  | { kind: 'token'; at: number; token: string }
  | { kind: 'delete'; at: number; len: number }
  | { kind: 'duplicate'; at: number; len: number; to: number }
  | { kind: 'truncate'; at: number }
  | { kind: 'splice'; at: number; other: number; from: number };

/** One mutation operator; `token` inserts a word of `dictionary`. */
const op = (dictionary: readonly string[]): fc.Arbitrary<Op> =>
  fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: byte }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), bytes: bytes(16) }),
    fc.record({ kind: fc.constant('token' as const), at: fc.nat(), token: fc.constantFrom(...dictionary) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      len: fc.integer({ min: 1, max: 64 }),
      to: fc.nat(),
    }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('splice' as const), at: fc.nat(), other: fc.nat(), from: fc.nat() }),
  );

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Applies byte-level mutation operators to `base`; `pool` feeds the splices. */
export function mutate(base: Uint8Array, ops: readonly Op[], pool: readonly Uint8Array[]): Uint8Array {
  let b = base;
  for (const o of ops) {
    const n = b.length;
    const at = n === 0 ? 0 : o.at % (n + 1);
    switch (o.kind) {
      case 'flip':
        if (n > 0) {
          b = b.slice();
          b[at % n] = (b[at % n] as number) ^ (1 << o.bit);
        }
        break;
      case 'set':
        if (n > 0) {
          b = b.slice();
          b[at % n] = o.value;
        }
        break;
      case 'insert':
        b = concat(b.subarray(0, at), o.bytes, b.subarray(at));
        break;
      case 'token':
        b = concat(b.subarray(0, at), encodeUtf8(o.token), b.subarray(at));
        break;
      case 'delete':
        b = concat(b.subarray(0, at), b.subarray(at + o.len));
        break;
      case 'duplicate': {
        const slice = b.subarray(at, at + o.len);
        const to = o.to % (n + 1);
        b = concat(b.subarray(0, to), slice, b.subarray(to));
        break;
      }
      case 'truncate':
        b = b.subarray(0, at);
        break;
      case 'splice': {
        const other = pool[o.other % pool.length] as Uint8Array;
        b = concat(b.subarray(0, at), other.subarray(o.from % (other.length + 1)));
        break;
      }
    }
    if (b.length > 64 * 1024) b = b.subarray(0, 64 * 1024);
  }
  return b;
}

/** Byte-level mutations (1 to `maxOps` operators) of one of `seeds`; splices take from `pool`. */
export const mutatedBytes = (
  seeds: readonly string[],
  maxOps = 6,
  pool: readonly string[] = ALL_SEEDS,
  dictionary: readonly string[] = DICTIONARY,
): fc.Arbitrary<Uint8Array> => {
  const seedBytes = seeds.map(encodeUtf8);
  const poolBytes = pool.map(encodeUtf8);
  return fc
    .tuple(fc.nat({ max: seeds.length - 1 }), fc.array(op(dictionary), { minLength: 1, maxLength: maxOps }))
    .map(([i, ops]) => mutate(seedBytes[i] as Uint8Array, ops, poolBytes));
};

/** The same, decoded as UTF-8 (invalid sequences -> U+FFFD), as the shell reads a file. */
export const mutatedText = (
  seeds: readonly string[],
  maxOps = 6,
  pool: readonly string[] = ALL_SEEDS,
): fc.Arbitrary<string> => mutatedBytes(seeds, maxOps, pool).map(decodeUtf8);

/** The document texts a reader of `seeds` may meet: mostly mutations, some pure noise. */
export const documentText = (seeds: readonly string[], tokens: readonly string[]): fc.Arbitrary<string> =>
  fc.oneof(
    { weight: 6, arbitrary: mutatedText(seeds) },
    { weight: 1, arbitrary: fc.constantFrom(...seeds) },
    { weight: 2, arbitrary: bytesText() },
    { weight: 2, arbitrary: unicodeText() },
    { weight: 3, arbitrary: tokenSoup(tokens) },
  );

/** Agent ids as they come from folder names, registry keys and event lines. */
export const agentId: fc.Arbitrary<string> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom('Agent-1', 'Agent-2', 'Agent-10', 'alpha', 'beta', 'gamma', 'delta'),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom(
      '',
      '.',
      '..',
      '../x',
      '/etc',
      'a/b',
      'a\\b',
      'x\u0000y',
      '__proto__',
      'constructor',
      'toString',
      'hasOwnProperty',
      'a.b',
      '{agent}',
      ' ',
      'Agent-1\u200B',
      'Agent-1\u001B[31m',
      '🚀',
      'x'.repeat(201),
    ),
  },
  { weight: 2, arbitrary: unicodeText(12) },
);

/** JSON-ish values of a registry of fuzzed shape (objects keyed by agent ids, odd values). */
export const registryValue: fc.Arbitrary<Record<string, unknown>> = (() => {
  const scalar = fc.oneof(
    fc.boolean(),
    fc.constantFrom(
      'idle',
      'IDLE',
      'active',
      'uninitialized',
      'task_execution',
      'ONBOARDED',
      'PENDING',
      'yes',
      '',
      'WEIRD',
      'Idle\u200B',
      '2026-03-02T09:00:00Z',
    ),
    fc.constant(null),
    fc.integer(),
    fc.double(),
    unicodeText(10),
  );
  const value = fc.oneof(
    { weight: 5, arbitrary: scalar },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
  const byAgent = fc.dictionary(agentId, value, { maxKeys: 6 });
  const stamp = fc.oneof(
    fc.constantFrom(
      '2026-03-02T07:30:00.512311',
      '2026-03-02 09:05:00',
      'TIMESTAMP',
      '',
      '9999-12-31T23:59:59Z',
    ),
    fc.integer(),
    unicodeText(10),
  );
  return fc.oneof(
    fc.record(
      {
        last_updated: stamp,
        onboarding_status: fc.oneof(
          { weight: 4, arbitrary: byAgent },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        ),
        agent_fsm_states: fc.oneof(
          { weight: 4, arbitrary: byAgent },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 1 }) },
        ),
      },
      { requiredKeys: [] },
    ),
    fc.record(
      {
        last_updated: stamp,
        agents: fc.dictionary(
          agentId,
          fc.oneof(
            {
              weight: 4,
              arbitrary: fc.record({ status: value, fsm: value, last_seen: stamp }, { requiredKeys: [] }),
            },
            { weight: 1, arbitrary: value },
          ),
          { maxKeys: 6 },
        ),
      },
      { requiredKeys: [] },
    ),
  );
})();

// ---------------------------------------------------------------------------------------
// An in-memory workspace read the way src/shell/sources.ts reads a real one

export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
export const NOW = T0 + 30 * 60_000;

export interface MemoryRead {
  reads: SourceRead[];
  /** Status-file entries skipped for an unsafe id (as the shell skips them). */
  skipped: string[];
}

function parseFile(
  files: ReadonlyMap<string, string>,
  rel: string,
  spec: SourceSpec,
  agent?: string,
): SourceDocument | null {
  const text = files.get(rel);
  if (text === undefined) return null;
  const doc: SourceDocument = {
    file: rel,
    parse: parseDocument(text, spec.format ?? detectFormat(rel, text), { file: rel }),
    mtimeMs: T0,
  };
  if (agent !== undefined) doc.agent = agent;
  return doc;
}

/** Every source of `config` read from `files` (path -> text), as the shell would. */
export function memoryReads(config: Config, files: ReadonlyMap<string, string>): MemoryRead {
  const skipped: string[] = [];
  const probe = memoryProbe(files);
  const reads = config.sources.map((spec): SourceRead => {
    const read: SourceRead = { source: spec.name, documents: [], diagnostics: [], healthy: true };
    if (spec.kind === 'status-files') {
      const p = splitAgentPattern(spec.path);
      const entries = p ? probe.entries(p.dir) : null;
      if (!p || !entries) {
        read.healthy = false;
        read.diagnostics.push({ severity: 'error', code: 'not-found', message: 'folder cannot be read' });
        return read;
      }
      for (const e of entries) {
        const agent = agentFromEntry(p, e.name);
        if (agent === null || (p.rest !== '') !== e.dir) continue;
        if (unsafeAgentId(agent)) {
          skipped.push(agent);
          continue;
        }
        const rel = [p.dir, e.name, p.rest].filter((s) => s !== '').join('/');
        const doc = parseFile(files, rel, spec, agent);
        if (doc) read.documents.push(doc);
      }
    } else if (spec.kind === 'registry') {
      const doc = parseFile(files, spec.path, spec);
      if (doc) read.documents.push(doc);
      else {
        read.healthy = false;
        read.diagnostics.push({
          severity: 'error',
          code: 'not-found',
          message: 'registry file not found',
          file: spec.path,
        });
      }
    } else {
      const text = files.get(spec.path);
      if (text !== undefined) {
        const got = eventDocuments(text, spec.path);
        read.documents = got.documents;
        read.diagnostics = got.diagnostics;
      }
    }
    return read;
  });
  return { reads, skipped };
}
