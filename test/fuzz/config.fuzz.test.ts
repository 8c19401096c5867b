// Fuzzing the config reader (src/core/config/config.ts parseConfig) and the time readers
// (src/core/time.ts parseTimestamp, parseDuration): arbitrary text, token soups, mutations
// of the configs `init` writes for our fixtures, and generated configs of odd shape.
// Run counts scale with FUZZ_RUNS (a multiplier; see harness.ts).
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig, parseTimeZone } from '../../src/core/config/config.js';
import { configYaml } from '../../src/core/config/config-writer.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { parseDuration, parseTimestamp } from '../../src/core/time.js';
import type { Config, TimeZonePolicy } from '../../src/core/types.js';
import { VERDICTS } from '../../src/core/types.js';
import {
  bytesText,
  checkDiagnostic,
  CONFIG_TOKENS,
  fuzz,
  lineCount,
  memoryReads,
  mutatedText,
  NOW,
  reportAfterAll,
  SEEDS,
  testTimeout,
  TIME_TOKENS,
  tokenSoup,
  unicodeText,
  workspaceFiles,
} from './harness.js';

reportAfterAll();

const FILE = 'sync-tui.config.yaml';

/** What a config that parsed must hold. */
function checkConfig(c: Config): void {
  expect(c.sources.length).toBeGreaterThan(0);
  const names = c.sources.map((s) => s.name);
  expect(new Set(names).size).toBe(names.length);
  // A source to write to, or none ('') when the config names no registry (README.md "No registry").
  if (c.policy.target === '') expect(c.sources.some((s) => s.kind === 'registry')).toBe(false);
  else expect(names).toContain(c.policy.target);
  expect(c.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['status', 'fsm']));
  for (const s of c.sources) {
    expect(s.name).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(s.path.startsWith('/')).toBe(false);
    expect(s.path.split('/')).not.toContain('..');
    if (s.kind === 'status-files')
      expect(s.path.split('/').filter((x) => x.includes('{agent}')).length).toBe(1);
    else if (s.kind === 'event-log') expect(s.path.split('{agent}').length).toBeLessThanOrEqual(2);
    else expect(s.path).not.toContain('{agent}');
    if (s.kind === 'registry')
      for (const m of Object.values(s.fields))
        expect(m.paths.some((p) => p.split('.').includes('{agent}'))).toBe(true);
    expect(Number.isFinite(s.staleAfterMs) && s.staleAfterMs >= 0).toBe(true);
    for (const m of Object.values(s.fields)) {
      expect(m.paths.length).toBeGreaterThan(0);
      if (m.type === 'boolean') expect(m.trueValues?.length).toBeGreaterThan(0);
    }
  }
  for (const rule of Object.values(c.policy.truth))
    if (rule !== 'newest') for (const n of rule) expect(names).toContain(n);
  for (const f of c.fields) {
    if (!f.fsm) continue;
    for (const [from, tos] of Object.entries(f.fsm.transitions)) {
      expect(f.vocabulary.values).toContain(from);
      for (const t of tos) expect(f.vocabulary.values).toContain(t);
    }
  }
}

/** Configs of odd but plausible shape, written as YAML or JSON. */
const generatedConfig: fc.Arbitrary<string> = (() => {
  const word = fc.oneof(
    fc.constantFrom(
      'file',
      'display',
      'realtime',
      'reg',
      'a-b_1',
      'bad name',
      '',
      '__proto__',
      'constructor',
      'x.y',
    ),
    unicodeText(6),
  );
  const pathText = fc.oneof(
    fc.constantFrom(
      'agents/{agent}/status.json',
      'agents/{agent}.yaml',
      '{agent}',
      'x/{agent}/{agent}.json',
      'registry.yaml',
      'coordination_system_state.json',
      'events.jsonl',
      '../up',
      '/abs',
      'a/../b',
      '',
      'agents/pre{agent}suf/s.json',
    ),
    unicodeText(10),
  );
  const fieldPaths = fc.oneof(
    fc.constantFrom(
      'agents.{agent}.status',
      'onboarding_status.{agent}',
      'agent_fsm_states.{agent}',
      '{agent}',
      'a..{agent}.',
      'status',
      '',
    ),
    unicodeText(8),
  );
  const mapping = fc.oneof(
    fieldPaths,
    fc.array(fieldPaths, { maxLength: 3 }),
    fc.record(
      {
        paths: fc.array(fieldPaths, { maxLength: 3 }),
        type: fc.constantFrom('enum', 'boolean', 'other'),
        true: fc.array(fc.constantFrom('ACTIVE', 'ONBOARDED', 'x'), { maxLength: 2 }),
        false: fc.array(fc.constantFrom('PENDING', 'y'), { maxLength: 2 }),
        case: fc.constantFrom('upper', 'lower', 'as-is', 'title'),
        aliases: fc.dictionary(word, fc.constantFrom('ACTIVE', 'IDLE', 'nope')),
      },
      { requiredKeys: [] },
    ),
  );
  const source = fc.record(
    {
      kind: fc.constantFrom('status-files', 'registry', 'event-log', 'other'),
      path: pathText,
      format: fc.constantFrom('json', 'yaml', 'xml'),
      fields: fc.dictionary(fc.constantFrom('status', 'fsm', 'other'), mapping, { maxKeys: 3 }),
      updated_at: fc.oneof(fieldPaths, fc.array(fieldPaths, { maxLength: 2 })),
      id: fc.oneof(fieldPaths, fc.array(fieldPaths, { maxLength: 2 })),
      required: fc.oneof(fc.boolean(), fc.constant('yes')),
      stale: fc.oneof(
        fc.constantFrom('15m', '1h30m', '0', '-1m', 'soon', '1e400'),
        fc.double(),
        fc.integer(),
      ),
    },
    { requiredKeys: ['kind', 'path'] },
  );
  const state = fc.constantFrom(
    'UNINITIALIZED',
    'IDLE',
    'ACTIVE',
    'NEW_STATE',
    'idle',
    '',
    'constructor',
    '__proto__',
    'hasOwnProperty',
  );
  const config = fc.record(
    {
      version: fc.constantFrom(1, 2, '1'),
      timezone: fc.oneof(
        fc.constantFrom('UTC', 'local', '+02:00', '-14:00', '+15:00', 'utc+5', 'Europe/Paris'),
        unicodeText(5),
      ),
      stale: fc.oneof(fc.constantFrom('15m', '2h', '1.5h', '30', '-5m'), fc.double()),
      state: fc.oneof(fc.constantFrom('.sync-tui', '', '../x'), unicodeText(5)),
      fields: fc.dictionary(
        fc.constantFrom('status', 'fsm', 'extra', '__proto__'),
        fc.record(
          {
            values: fc.dictionary(state, fc.oneof(fc.constant(null), fc.array(state, { maxLength: 2 }))),
            replace: fc.boolean(),
            transitions: fc.dictionary(state, fc.array(state, { maxLength: 3 })),
          },
          { requiredKeys: [] },
        ),
        { maxKeys: 2 },
      ),
      sources: fc.dictionary(word, source, { minKeys: 1, maxKeys: 4 }),
      policy: fc.record(
        {
          target: word,
          truth: fc.dictionary(
            fc.constantFrom('status', 'fsm', 'other'),
            fc.oneof(fc.constant('newest'), fc.array(word, { maxLength: 2 }), fc.constant(3)),
          ),
          auto_resolve: fc.oneof(fc.boolean(), fc.constant('on')),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: ['sources'] },
  );
  return fc
    .tuple(config, fc.boolean())
    .map(([c, json]) => (json ? JSON.stringify(c, null, 2) : yamlStringify(c)));
})();

describe('parseConfig on any text', () => {
  const target = 'config.parseConfig';
  const incident = workspaceFiles('incident');
  incident.set('events.jsonl', '{"agent":"Agent-1","status":"ACTIVE","at":"2026-03-02T09:20:00Z"}\n');

  it(
    'a config, or errors naming the file, line and column; never a throw',
    () => {
      const text = fc.oneof(
        { weight: 5, arbitrary: mutatedText(SEEDS.config, 6) },
        { weight: 1, arbitrary: fc.constantFrom(...SEEDS.config) },
        { weight: 4, arbitrary: generatedConfig },
        { weight: 3, arbitrary: tokenSoup(CONFIG_TOKENS, 60) },
        { weight: 1, arbitrary: bytesText(200) },
        { weight: 1, arbitrary: unicodeText(120) },
      );
      fuzz(target, text, 200, (t) => {
        const r = parseConfig(t, FILE);
        if (!r.ok) {
          expect(r.diagnostics.length, 'a rejected config says why').toBeGreaterThan(0);
          const lines = lineCount(t);
          for (const d of r.diagnostics) {
            checkDiagnostic(d, lines);
            expect(d.severity).toBe('error');
            expect(d.file).toBe(FILE);
            expect(['config', 'config-syntax']).toContain(d.code);
            expect(d.line !== undefined && d.column !== undefined, `${d.message}: where?`).toBe(true);
          }
          return true;
        }
        checkConfig(r.config);
        // What `init` would write for it reads back the same.
        const again = parseConfig(configYaml(r.config, { layout: 'generic' }), FILE);
        expect(again.ok ? [] : again.diagnostics.map((d) => d.message)).toEqual([]);
        if (again.ok)
          expect(again.config.sources.map((s) => [s.name, s.kind, s.path])).toEqual(
            r.config.sources.map((s) => [s.name, s.kind, s.path]),
          );
        // And the reconciler takes whatever it describes.
        const rec = reconcile(memoryReads(r.config, incident).reads, r.config, NOW);
        for (const a of rec.agents) expect(VERDICTS).toContain(a.verdict);
        return false;
      });
    },
    testTimeout(200),
  );
});

describe('parseTimeZone', () => {
  it(
    'null or a policy with an offset of at most 14 hours',
    () => {
      fuzz(
        'config.parseTimeZone',
        fc.oneof(
          tokenSoup([
            'utc',
            'UTC',
            'gmt',
            'z',
            'local',
            '+',
            '-',
            '1',
            '2',
            '14',
            '15',
            ':',
            '00',
            '59',
            '60',
            ' ',
            '\n',
          ]),
          unicodeText(12),
        ),
        100,
        (t) => {
          const tz = parseTimeZone(t);
          if (tz === null || typeof tz === 'string') return tz === null;
          expect(Number.isInteger(tz.offsetMinutes) && Math.abs(tz.offsetMinutes) <= 14 * 60 + 59).toBe(true);
          return false;
        },
      );
    },
    testTimeout(100),
  );
});

const timezones: fc.Arbitrary<TimeZonePolicy> = fc.oneof(
  fc.constantFrom<TimeZonePolicy>('UTC', 'local'),
  fc.integer({ min: -14 * 60, max: 14 * 60 }).map((offsetMinutes) => ({ offsetMinutes })),
  // Not reachable through a config, but the reader must not care.
  fc.oneof(fc.integer(), fc.double()).map((offsetMinutes) => ({ offsetMinutes })),
);
const MAX_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

describe('parseTimestamp', () => {
  const target = 'time.parseTimestamp';
  const stamps = [
    '2025-09-14 00:05:28',
    '2025-09-14T00:08:48Z',
    '2025-09-13T23:24:48.000000',
    '2025-08-29T22:31:00.000000+00:00',
    '2025-09-14 00:08:48 UTC',
    '2026-01-12T08',
    '2025-10-11',
    '2026-03-02T09:41:12',
    '2026-03-02T07:30:00.512311',
  ];

  it(
    'a time in range, or a bad-timestamp warning that says what was expected',
    () => {
      const value = fc.oneof(
        { weight: 4, arbitrary: mutatedText(stamps, 3, stamps) },
        { weight: 3, arbitrary: tokenSoup(TIME_TOKENS, 12) },
        { weight: 2, arbitrary: unicodeText(80) },
        { weight: 2, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.double({ min: 1e8, max: 3e14 })) },
        {
          weight: 1,
          arbitrary: fc.anything({
            withBigInt: true,
            withDate: true,
            withMap: true,
            withSet: true,
            withNullPrototype: true,
            withBoxedValues: true,
            withTypedArray: true,
            withSparseArray: true,
          }),
        },
      );
      fuzz(target, fc.tuple(value, timezones), 200, ([v, tz]) => {
        const r = parseTimestamp(v, tz);
        if (r.ok) {
          // Whole milliseconds, except under a fractional offset (no config can give one: then finite is enough).
          const whole = typeof tz === 'string' || Number.isInteger(tz.offsetMinutes);
          expect(
            (whole ? Number.isInteger(r.ms) : Number.isFinite(r.ms)) && r.ms >= 0 && r.ms <= MAX_MS,
            `${String(r.ms)} for ${String(v)}`,
          ).toBe(true);
          expect(['hour', 'minute', 'second', 'fraction', 'day']).toContain(r.precision);
          return false;
        }
        checkDiagnostic(r.diagnostic);
        expect(r.diagnostic.code).toBe('bad-timestamp');
        expect(r.diagnostic.severity).toBe('warning');
        expect(r.diagnostic.message.length).toBeLessThan(600);
        return true;
      });
    },
    testTimeout(200),
  );

  it(
    'ISO-8601 with Z, as any writer prints it, reads as the same instant',
    () => {
      const iso = fc
        .date({ min: new Date(0), max: new Date(MAX_MS), noInvalidDate: true })
        .filter((d) => d.getTime() > 0);
      fuzz(
        target,
        fc.tuple(iso, timezones, fc.constantFrom('T', 't', ' '), fc.boolean()),
        100,
        ([d, tz, sep, micros]) => {
          let text = d.toISOString().replace('T', sep);
          if (micros) text = text.replace('Z', '123Z');
          const r = parseTimestamp(text, tz);
          expect(r.ok && r.ms).toBe(d.getTime());
          return false;
        },
      );
    },
    testTimeout(100),
  );
});

describe('parseDuration', () => {
  const target = 'time.parseDuration';
  it(
    'null, or a safe non-negative number of milliseconds',
    () => {
      fuzz(
        target,
        fc.oneof(
          tokenSoup([
            '1',
            '2',
            '0',
            '.',
            '5',
            'ms',
            's',
            'm',
            'h',
            'd',
            'w',
            ' ',
            '-',
            'e',
            '9999999999',
            'x',
            'H',
          ]),
          unicodeText(20),
          fc.double().map(String),
        ),
        100,
        (t) => {
          const ms = parseDuration(t);
          if (ms === null) return true;
          expect(Number.isSafeInteger(ms) && ms >= 0).toBe(true);
          return false;
        },
      );
    },
    testTimeout(100),
  );

  it(
    'combinations of units add up',
    () => {
      const units = { w: 604_800_000, d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000, ms: 1 } as const;
      const parts = fc
        .subarray(Object.keys(units) as (keyof typeof units)[], { minLength: 1 })
        .chain((us) =>
          fc.tuple(
            fc.constant(us),
            fc.array(fc.integer({ min: 0, max: 10_000 }), { minLength: us.length, maxLength: us.length }),
            fc.constantFrom('', ' '),
          ),
        );
      fuzz(target, parts, 60, ([us, ns, sep]) => {
        const text = us.map((u, i) => `${ns[i]}${u}`).join(sep);
        expect(parseDuration(text)).toBe(us.reduce((sum, u, i) => sum + (ns[i] as number) * units[u], 0));
        return false;
      });
    },
    testTimeout(60),
  );
});
