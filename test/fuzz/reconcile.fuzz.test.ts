// Fuzzing observation (src/core/observe/normalize.ts observeSource) and reconciliation
// (src/core/reconcile/reconcile.ts) with documents read from damaged fixtures, noise and registries
// of arbitrary shape. Run counts scale with FUZZ_RUNS (a multiplier; see harness.ts).
// The plan/order properties on well-formed data live in test/core/reconcile.property.test.ts.
import { isRecord } from '../../src/core/record.js';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { unsafeAgentId } from '../../src/core/ids.js';
import {
  FUTURE_TOLERANCE_MS,
  observeSource,
  registryAgents,
  sourceProblems,
} from '../../src/core/observe/normalize.js';
import { detectFormat, parseDocument } from '../../src/core/read/parse.js';
import { applyWrites } from '../../src/core/plan/plan.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type {
  Config,
  FieldObservation,
  Observation,
  Reconciliation,
  SourceDocument,
  SourceRead,
  SourceSpec,
  TimeZonePolicy,
} from '../../src/core/types.js';
import { VERDICTS } from '../../src/core/types.js';
import { eventDocuments } from '../../src/shell/sources.js';
import {
  agentId,
  checkDiagnostic,
  CONFIGS,
  CONTROL,
  documentText,
  fuzz,
  JSON_TOKENS,
  memoryReads,
  mutatedText,
  NOW,
  registryValue,
  reportAfterAll,
  SEEDS,
  T0,
  testTimeout,
  workspaceFiles,
  YAML_TOKENS,
} from './harness.js';

reportAfterAll();

const timezone: fc.Arbitrary<TimeZonePolicy> = fc.constantFrom<TimeZonePolicy>(
  'UTC',
  'local',
  { offsetMinutes: 120 },
  { offsetMinutes: -14 * 60 },
);

function spec(config: Config, kind: SourceSpec['kind']): SourceSpec {
  return config.sources.find((s) => s.kind === kind)!;
}

/** The contract of one field observation under its mapping. */
function checkField(config: Config, s: SourceSpec, name: string, f: FieldObservation): void {
  const field = config.fields.find((x) => x.name === name)!;
  const mapping = s.fields[name]!;
  expect(
    f.raw === null || ['string', 'number', 'boolean'].includes(typeof f.raw),
    'raw values are scalars',
  ).toBe(true);
  if (f.value !== null) {
    expect(f.unknown).toBeUndefined();
    if (mapping.type === 'boolean') expect(typeof f.value).toBe('boolean');
    else expect(field.vocabulary.values).toContain(f.value);
  }
  if (f.unknown) expect(f.value).toBeNull();
}

/** The contract of one observation; true when it carries diagnostics. */
function checkObservation(config: Config, s: SourceSpec, agent: string, o: Observation): boolean {
  expect(o.source).toBe(s.name);
  expect(o.agent).toBe(agent);
  expect(o.present).toBe(true);
  if (!o.readable)
    expect(
      o.diagnostics.some((d) => d.severity === 'error'),
      'an unreadable document says why',
    ).toBe(true);
  for (const [name, f] of Object.entries(o.fields)) checkField(config, s, name, f);
  // (An event log keeps only each agent's latest diagnostics, by design: not checked there.)
  if (s.kind !== 'event-log' && Object.values(o.fields).some((f) => f.unknown))
    expect(o.diagnostics.some((d) => d.code === 'unknown-value')).toBe(true);
  if (o.updatedAt !== null) {
    expect(Number.isFinite(o.updatedAt)).toBe(true);
    if (o.updatedAtFrom === 'document') expect(o.updatedAt).toBeLessThanOrEqual(NOW + FUTURE_TOLERANCE_MS);
    if (o.updatedAtFrom === 'mtime') expect(o.updatedAt).toBe(T0);
  } else expect(o.updatedAtFrom).toBe('none');
  for (const d of o.diagnostics) checkDiagnostic(d);
  return o.diagnostics.length > 0;
}

describe('observeSource: status files', () => {
  const target = 'normalize.observeSource[status-files]';
  for (const [layout, seeds, tokens] of [
    ['incident', SEEDS.statusJson, JSON_TOKENS],
    ['generic', SEEDS.statusYaml, YAML_TOKENS],
  ] as const) {
    it(
      `${layout}: every agent's document gives an observation; unreadable ones say why`,
      () => {
        const config = CONFIGS[layout];
        const s = spec(config, 'status-files');
        const ext = layout === 'incident' ? 'json' : 'yaml';
        // Status files are found by folder name; the reader skips unsafe names (ids.fuzz covers those).
        const docs = fc.array(
          fc.tuple(
            agentId.filter((id) => unsafeAgentId(id) === null),
            documentText(seeds, tokens),
          ),
          { minLength: 1, maxLength: 4 },
        );
        fuzz(target, fc.tuple(docs, timezone), 50, ([entries, tz]) => {
          const documents: SourceDocument[] = entries.map(([agent, text]) => {
            const file = s.path.replace('{agent}', () => agent).replace(/\.(json|yaml)$/, `.${ext}`);
            return {
              agent,
              file,
              parse: parseDocument(text, detectFormat(file, text), { file }),
              mtimeMs: T0,
            };
          });
          const read: SourceRead = { source: s.name, documents, diagnostics: [], healthy: true };
          const out = observeSource(read, s, { fields: config.fields, timezone: tz, now: NOW });
          expect(new Set(out.keys())).toEqual(new Set(entries.map(([a]) => a)));
          let flagged = false;
          for (const [agent, o] of out) {
            const last = documents.filter((d) => d.agent === agent).pop()!;
            expect(o.readable).toBe(last.parse.ok && isRecord(last.parse.value));
            flagged = checkObservation(config, s, agent, o) || flagged;
            for (const d of o.diagnostics) expect(d.file).toBe(last.file);
          }
          return flagged;
        });
      },
      testTimeout(50),
    );
  }
});

const registryText = (layout: 'incident' | 'generic') =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: documentText(
        layout === 'incident' ? SEEDS.registryJson : SEEDS.registryYaml,
        layout === 'incident' ? JSON_TOKENS : YAML_TOKENS,
      ),
    },
    {
      weight: 2,
      arbitrary: registryValue.map((v) =>
        layout === 'incident' ? JSON.stringify(v, null, 2) : yamlStringify(v),
      ),
    },
  );

describe('observeSource: registries', () => {
  const target = 'normalize.observeSource[registry]';
  for (const layout of ['incident', 'generic'] as const) {
    it(
      `${layout}: only listed agents are observed; an unreadable registry is a source problem`,
      () => {
        const config = CONFIGS[layout];
        const s = spec(config, 'registry');
        fuzz(target, fc.tuple(registryText(layout), timezone), 60, ([text, tz]) => {
          const doc: SourceDocument = {
            file: s.path,
            parse: parseDocument(text, detectFormat(s.path, text), { file: s.path }),
            mtimeMs: T0,
          };
          const read: SourceRead = { source: s.name, documents: [doc], diagnostics: [], healthy: true };
          const out = observeSource(read, s, { fields: config.fields, timezone: tz, now: NOW });
          const problems = sourceProblems(read, s);
          for (const d of problems) checkDiagnostic(d);
          if (!doc.parse.ok || !isRecord(doc.parse.value)) {
            expect(out.size).toBe(0);
            expect(
              problems.some((d) => d.severity === 'error'),
              'an unreadable registry says why',
            ).toBe(true);
            return true;
          }
          const listed = new Set(registryAgents(doc.parse.value, s));
          let flagged = problems.length > 0;
          for (const [agent, o] of out) {
            expect(listed.has(agent)).toBe(true);
            expect(
              Object.values(o.fields).some((f) => f.raw !== null),
              'a listed agent holds a field',
            ).toBe(true);
            flagged = checkObservation(config, s, agent, o) || flagged;
          }
          return flagged;
        });
      },
      testTimeout(60),
    );
  }
});

describe('observeSource: event logs', () => {
  const target = 'normalize.observeSource[event-log]';
  it(
    'agents come from readable records only; fields keep the latest value',
    () => {
      const config = CONFIGS.incident;
      const s = spec(config, 'event-log');
      const lines = fc.array(
        fc.oneof(
          mutatedText(
            SEEDS.events.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== ''),
            3,
          ),
          fc
            .record(
              {
                agent: agentId,
                status: fc.constantFrom('ACTIVE', 'idle', 'x', ''),
                fsm: fc.constantFrom('TASK_EXECUTION', 'IDLE', 'nope'),
                at: fc.constantFrom(
                  '2026-03-02T09:09:00Z',
                  '2026-03-02T08:00:00Z',
                  'never',
                  '2099-01-01T00:00:00Z',
                ),
              },
              { requiredKeys: ['agent'] },
            )
            .map((e) => JSON.stringify(e)),
        ),
        { maxLength: 12 },
      );
      fuzz(target, fc.tuple(lines, timezone), 80, ([ls, tz]) => {
        const text = ls.join('\n') + '\n';
        const got = eventDocuments(text, s.path);
        const read: SourceRead = {
          source: s.name,
          documents: got.documents,
          diagnostics: got.diagnostics,
          healthy: true,
        };
        const out = observeSource(read, s, { fields: config.fields, timezone: tz, now: NOW });
        const ids = new Set(
          got.documents
            .flatMap((d) =>
              isRecord(d.parse.value)
                ? ['agent', 'agent_id', 'id'].map((k) => (d.parse.value as Record<string, unknown>)[k])
                : [],
            )
            .filter((x): x is string => typeof x === 'string'),
        );
        let flagged = got.diagnostics.length > 0;
        for (const [agent, o] of out) {
          expect(agent).not.toBe('');
          expect(ids.has(agent)).toBe(true);
          flagged = checkObservation(config, s, agent, o) || flagged;
        }
        return flagged;
      });
    },
    testTimeout(80),
  );
});

/** The contract of a reconciliation. True when any agent is not in sync. */
function checkReconciliation(config: Config, r: Reconciliation): boolean {
  expect(r.summary.agents).toBe(r.agents.length);
  expect(VERDICTS.reduce((n, v) => n + r.summary[v], 0)).toBe(r.agents.length);
  expect(new Set(r.agents.map((a) => a.id)).size).toBe(r.agents.length);
  for (const a of r.agents) {
    expect(VERDICTS).toContain(a.verdict);
    expect(a.verdict === 'in-sync', `${a.id}: reasons ${JSON.stringify(a.reasons)} for ${a.verdict}`).toBe(
      a.reasons.length === 0,
    );
    for (const reason of a.reasons) expect(reason, 'reasons are safe to print').not.toMatch(CONTROL);
    if (a.plan.length > 0) expect(['missing', 'conflict', 'drift']).toContain(a.verdict);
    if (a.verdict === 'drift') expect(a.plan.length).toBeGreaterThan(0);
    for (const w of a.plan) {
      expect(w.agent).toBe(a.id);
      expect(w.target).toBe(config.policy.target);
      expect(w.path.length).toBeGreaterThan(0);
      expect(w.after === null || ['string', 'number', 'boolean'].includes(typeof w.after)).toBe(true);
      if (config.sources.find((s) => s.name === w.target)!.fields[w.field]!.type === 'boolean')
        expect(typeof w.after).toBe('boolean');
    }
    for (const o of Object.values(a.observations)) for (const d of o.diagnostics) checkDiagnostic(d);
    if (a.lastSeen !== null) expect(Number.isFinite(a.lastSeen)).toBe(true);
  }
  return r.agents.some((a) => a.verdict !== 'in-sync');
}

/** A fixture workspace with some files damaged, removed or added (names fuzzed too). */
const workspace = (layout: 'incident' | 'generic') => {
  const base = workspaceFiles(layout);
  if (layout === 'incident')
    base.set(
      'events.jsonl',
      '{"agent":"Agent-1","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:20:00Z"}\n',
    );
  const names = [...base.keys()];
  const statusSeeds = layout === 'incident' ? SEEDS.statusJson : SEEDS.statusYaml;
  const tokens = layout === 'incident' ? JSON_TOKENS : YAML_TOKENS;
  const damage = fc.record({
    file: fc.constantFrom(...names),
    how: fc.oneof(
      { weight: 4, arbitrary: documentText([...base.values()], tokens).map((t) => ({ text: t })) },
      { weight: 1, arbitrary: fc.constant({ text: undefined }) },
    ),
  });
  const pattern = spec(CONFIGS[layout], 'status-files').path;
  const extra = fc
    .tuple(agentId, documentText(statusSeeds, tokens))
    .map(([id, text]) => [pattern.replace('{agent}', () => id), text] as const);
  return fc
    .tuple(
      fc.array(damage, { maxLength: 4 }),
      fc.array(extra, { maxLength: 3 }),
      fc.option(registryText(layout), { nil: undefined }),
      fc.option(documentText(SEEDS.events, JSON_TOKENS), { nil: undefined }),
    )
    .map(([damages, extras, registry, events]) => {
      const files = new Map(base);
      for (const d of damages) {
        if (d.how.text === undefined) files.delete(d.file);
        else files.set(d.file, d.how.text);
      }
      for (const [rel, text] of extras) files.set(rel, text);
      const reg = spec(CONFIGS[layout], 'registry').path;
      if (registry !== undefined) files.set(reg, registry);
      if (events !== undefined) files.set('events.jsonl', events);
      return files;
    });
};

describe('reconcile: whole workspaces read from damaged fixtures', () => {
  const target = 'reconcile.reconcile';
  for (const layout of ['incident', 'generic'] as const) {
    it(
      `${layout}: verdicts, reasons and plans stay consistent; unreadable sources make agents invalid`,
      () => {
        const config = CONFIGS[layout];
        fuzz(target, workspace(layout), 60, (files) => {
          const { reads } = memoryReads(config, files);
          const r = reconcile(reads, config, NOW);
          const flagged = checkReconciliation(config, r);
          const statusRead = reads.find((x) => x.source === spec(config, 'status-files').name)!;
          for (const d of statusRead.documents) {
            if (d.parse.ok && isRecord(d.parse.value)) continue;
            const a = r.agents.find((x) => x.id === d.agent);
            expect(a?.verdict, `${d.agent}: its status file cannot be read`).toBe('invalid');
          }
          const registry = reads.find((x) => x.source === config.policy.target)!;
          const regDoc = registry.documents[0];
          if (!registry.healthy || !regDoc || !regDoc.parse.ok || !isRecord(regDoc.parse.value)) {
            for (const a of r.agents) {
              expect(a.verdict, `${a.id}: the registry cannot be read`).toBe('invalid');
              expect(a.plan).toEqual([]);
            }
          }
          return flagged;
        });
      },
      testTimeout(60),
    );
  }

  it(
    'registries of arbitrary shape: plans write only what the target can hold, and applying them settles those fields',
    () => {
      for (const layout of ['incident', 'generic'] as const) {
        const config = CONFIGS[layout];
        const files = workspaceFiles(layout);
        const base = memoryReads(config, files).reads;
        const regSpec = spec(config, 'registry');
        fuzz(target, registryValue, 50, (value) => {
          const regDoc: SourceDocument = {
            file: regSpec.path,
            parse: { ok: true, value, diagnostics: [] },
            mtimeMs: T0,
          };
          const reads = base.map((r) => (r.source === regSpec.name ? { ...r, documents: [regDoc] } : r));
          const before = reconcile(reads, config, NOW);
          const flagged = checkReconciliation(config, before);
          const writes = before.agents.flatMap((a) => a.plan);
          if (writes.length === 0) return flagged;
          const settled: SourceDocument = {
            ...regDoc,
            parse: { ...regDoc.parse, value: applyWrites(value, writes) },
          };
          const after = reconcile(
            base.map((r) => (r.source === regSpec.name ? { ...r, documents: [settled] } : r)),
            config,
            NOW,
          );
          checkReconciliation(config, after);
          for (const w of writes) {
            const a = after.agents.find((x) => x.id === w.agent)!;
            expect(
              a.differences.filter((d) => d.field === w.field && d.source === w.target),
              `${w.agent}.${w.field} after writing ${JSON.stringify(w.after)}`,
            ).toEqual([]);
          }
          return flagged;
        });
      }
    },
    testTimeout(100),
  );
});
