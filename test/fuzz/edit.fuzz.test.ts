// Fuzzing text edits of registries (src/core/write/edit.ts editDocument): the writes of real
// plans and arbitrary writes, applied to damaged fixture registries and registries of
// arbitrary shape in JSON and YAML. Either the edit succeeds and the output reads back
// (with our own reader) holding exactly the new values and nothing else changed, or it is
// refused with a reason. Run counts scale with FUZZ_RUNS (a multiplier; see harness.ts).
import { isRecord } from '../../src/core/record.js';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { editDocument, type EditValue, type EditWrite } from '../../src/core/write/edit.js';
import { getAt } from '../../src/core/observe/normalize.js';
import { setAt } from '../../src/core/plan/plan.js';
import { detectFormat, parseDocument } from '../../src/core/read/parse.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { DataFormat, SourceRead } from '../../src/core/types.js';
import {
  agentId,
  CONFIGS,
  documentText,
  fuzz,
  JSON_TOKENS,
  memoryReads,
  NOW,
  registryValue,
  reportAfterAll,
  SEEDS,
  T0,
  testTimeout,
  unicodeText,
  workspaceFiles,
  YAML_TOKENS,
} from './harness.js';

reportAfterAll();

const target = 'edit.editDocument';

/** Registry texts of one format: damaged fixtures and arbitrary registries laid out in several styles. */
const registryText = (format: DataFormat): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 3,
      arbitrary: documentText(
        format === 'json' ? SEEDS.registryJson : SEEDS.registryYaml,
        format === 'json' ? JSON_TOKENS : YAML_TOKENS,
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(registryValue, fc.constantFrom(0, 1, 2, 4, '\t'), fc.boolean(), fc.boolean())
        .map(([v, indent, flow, crlf]) => {
          let text =
            format === 'json'
              ? JSON.stringify(v, null, indent)
              : yamlStringify(v, {
                  indent: typeof indent === 'number' && indent >= 2 ? indent : 2,
                  collectionStyle: flow ? 'flow' : 'any',
                });
          if (crlf) text = text.replace(/\n/g, '\r\n');
          return text;
        }),
    },
  );

const baseReads = {
  incident: memoryReads(CONFIGS.incident, workspaceFiles('incident')).reads,
  generic: memoryReads(CONFIGS.generic, workspaceFiles('generic')).reads,
};

/** The writes of the plan reconciliation makes for a fixture workspace whose registry is `text`. */
function planWrites(
  layout: 'incident' | 'generic',
  text: string,
): { writes: EditWrite[]; plan: { agent: string; field: string }[] } {
  const config = CONFIGS[layout];
  const reg = config.sources.find((s) => s.kind === 'registry')!;
  const registry: SourceRead = {
    source: reg.name,
    documents: [
      {
        file: reg.path,
        parse: parseDocument(text, reg.format ?? detectFormat(reg.path, text), { file: reg.path }),
        mtimeMs: T0,
      },
    ],
    diagnostics: [],
    healthy: true,
  };
  const r = reconcile(
    baseReads[layout].map((x) => (x.source === reg.name ? registry : x)),
    config,
    NOW,
  );
  const plan = r.agents.flatMap((a) => a.plan);
  return {
    writes: plan.map((w) => ({ path: w.path, after: w.after })),
    plan: plan.map((w) => ({ agent: w.agent, field: w.field })),
  };
}

/** Writes whose result is decided by no later write (same path, or one above or below it). */
function lastingWrites(writes: readonly EditWrite[]): EditWrite[] {
  const related = (a: readonly string[], b: readonly string[]) =>
    a.slice(0, Math.min(a.length, b.length)).every((s, i) => s === b[i]);
  return writes.filter((w, i) => !writes.slice(i + 1).some((later) => related(w.path, later.path)));
}

/** Our model of the writes on a parsed document (sets create objects on the way; undefined removes). */
function applyModel(doc: unknown, writes: readonly EditWrite[]): unknown {
  const copy: unknown = structuredClone(doc);
  for (const w of writes) {
    if (!isRecord(copy)) return copy;
    if (w.after === undefined) {
      const parent = getAt(copy, w.path.slice(0, -1));
      if (isRecord(parent)) delete parent[w.path[w.path.length - 1]!];
      continue;
    }
    // plan.ts's model of a set (objects made on the way); edit.ts is what is under test.
    setAt(copy, w.path, Object.is(w.after, -0) ? 0 : w.after);
  }
  return copy;
}

/**
 * The contract of one edit. Refused: a reason, and never an internal error. Done: the
 * output reads back cleanly, every lasting write holds, and (when the input read cleanly
 * too) nothing else changed. True when the edit was refused.
 */
function checkEdit(text: string, format: DataFormat, writes: readonly EditWrite[]): boolean {
  const r = editDocument(text, format, writes);
  if (!r.ok) {
    expect(typeof r.message === 'string' && r.message.length > 0).toBe(true);
    expect(r.message, 'the editor failed unexpectedly').not.toMatch(/internal error/);
    return true;
  }
  // Nothing to do (no writes, values already there, removing what is absent): the bytes stay.
  if (r.text === text) return false;
  const back = parseDocument(r.text, format);
  // Removing the only key of a YAML document leaves its comments only (as edit.ts documents);
  // our reader reports such a file as `empty` where the editor reads it as {}. Not reachable
  // from a resolve or an undo (a registry must read as a mapping to be planned for).
  const emptied =
    format === 'yaml' &&
    writes.some((w) => w.after === undefined) &&
    !back.ok &&
    back.diagnostics.every((d) => d.severity !== 'error' || d.code === 'empty');
  if (emptied) {
    expect(
      isRecord(applyModel(parseDocument(text, format).value, writes)) &&
        Object.keys(applyModel(parseDocument(text, format).value, writes) as object).length === 0,
    ).toBe(true);
    return false;
  }
  expect(
    back.ok,
    `the edited text reads back: ${JSON.stringify(back.diagnostics.filter((d) => d.severity === 'error').slice(0, 2))}`,
  ).toBe(true);
  // Our reader drops `__proto__` keys on purpose: such writes are checked by the editor's own model only.
  const plain = writes.every((w) => !w.path.includes('__proto__'));
  if (plain) {
    for (const w of lastingWrites(writes)) {
      const got = getAt(back.value, w.path);
      if (w.after === undefined) expect(got, `${JSON.stringify(w.path)} removed`).toBeUndefined();
      else
        expect(got, `${JSON.stringify(w.path)} holds the new value`).toEqual(
          Object.is(w.after, -0) ? 0 : w.after,
        );
    }
    const before = parseDocument(text, format);
    if (before.ok && before.diagnostics.length === 0 && isRecord(before.value)) {
      expect(back.value, 'nothing else changed').toEqual(applyModel(before.value, writes));
    }
  }
  return false;
}

describe('editDocument with the writes of real plans', () => {
  for (const [layout, format] of [
    ['incident', 'json'],
    ['generic', 'yaml'],
  ] as const) {
    it(
      `${layout} (${format}): the edited registry holds the plan, and reconciling it again settles those fields`,
      () => {
        fuzz(target, registryText(format), 70, (text) => {
          const { writes, plan } = planWrites(layout, text);
          if (writes.length === 0) return checkEdit(text, format, []);
          const refused = checkEdit(text, format, writes);
          if (refused) return true;
          const edited = editDocument(text, format, writes);
          if (!edited.ok) return true;
          const again = planWrites(layout, edited.text);
          for (const p of plan) expect(again.plan, `${p.agent}.${p.field} is settled`).not.toContainEqual(p);
          return false;
        });
      },
      testTimeout(70),
    );
  }
});

const scalar: fc.Arbitrary<EditValue | undefined> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'ACTIVE',
      'idle',
      'yes',
      'No',
      'on',
      'null',
      '~',
      '1e3',
      '0x1F',
      '2025-09-14',
      '',
      ' ',
      ' lead',
      'trail ',
      'a: b',
      '- x',
      '#x',
      'x #y',
      '"q"',
      "'",
      "it's",
      '\\',
      '\n',
      'two\nlines',
      '\r\n',
      '\u0085',
      '\u2028',
      '\t',
      '[x]',
      '{y}',
      '*a',
      '&a',
      '!t',
      '%',
      '@',
      '`',
      '|',
      '>',
      '?',
      '---',
      '...',
      '<<',
    ),
  },
  { weight: 2, arbitrary: unicodeText(12) },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.integer(),
      fc.double(),
      fc.constantFrom(-0, 1e21, 2 ** 60, 0.1 + 0.2, Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity),
    ),
  },
  { weight: 1, arbitrary: fc.constant(undefined) },
);

/** Keys found in a parsed document (two levels down), to aim writes at what is there. */
function keysOf(value: unknown): string[] {
  const out = new Set<string>();
  if (!isRecord(value)) return [];
  for (const [k, v] of Object.entries(value)) {
    out.add(k);
    if (isRecord(v))
      for (const [k2, v2] of Object.entries(v)) {
        out.add(k2);
        if (isRecord(v2)) for (const k3 of Object.keys(v2)) out.add(k3);
      }
  }
  return [...out];
}

const anyDocument = (format: DataFormat): fc.Arbitrary<string> =>
  fc.oneof(
    registryText(format),
    documentText(
      format === 'json' ? SEEDS.statusJson : SEEDS.statusYaml,
      format === 'json' ? JSON_TOKENS : YAML_TOKENS,
    ),
  );

describe('editDocument with arbitrary writes', () => {
  for (const format of ['json', 'yaml'] as const) {
    it(
      `${format}: done exactly as asked, or refused with a reason`,
      () => {
        const input = anyDocument(format).chain((text) => {
          const parsed = parseDocument(text, format);
          const keys = keysOf(parsed.value);
          const seg =
            keys.length > 0
              ? fc.oneof(
                  { weight: 3, arbitrary: fc.constantFrom(...keys) },
                  { weight: 1, arbitrary: agentId },
                )
              : agentId;
          const write = fc
            .record({ path: fc.array(seg, { minLength: 1, maxLength: 3 }), after: scalar })
            .map((w): EditWrite => ({ path: w.path, after: w.after }));
          return fc.tuple(fc.constant(text), fc.array(write, { minLength: 1, maxLength: 4 }));
        });
        fuzz(target, input, 100, ([text, writes]) => checkEdit(text, format, writes));
      },
      testTimeout(100),
    );
  }
});
