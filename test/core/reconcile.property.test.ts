// Properties of the reconciler: applying a plan and reconciling again gives no drift;
// the order in which sources load does not change any verdict.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FSM_VALUES, STATUS_VALUES } from '../../src/core/config/defaults.js';
import { applyWrites } from '../../src/core/plan/plan.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { SourceRead } from '../../src/core/types.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 10 * MIN;
const statusWord = fc.constantFrom(
  ...Object.keys(STATUS_VALUES),
  ...Object.values(STATUS_VALUES).flat(),
  'onboarded',
  'active',
  'WEIRD',
);
const fsmWord = fc.constantFrom(...Object.keys(FSM_VALUES), 'idle', 'ready', 'task_execution', 'NOPE');
const stamp = fc.integer({ min: 0, max: 20 }).map((m) => new Date(T0 - m * MIN).toISOString());
const ids = fc.uniqueArray(
  fc.constantFrom('Agent-1', 'Agent-2', 'Agent-3', 'Agent-4', 'Agent-10', 'a.b', '__proto__'),
  { minLength: 1, maxLength: 5 },
);

const workspace = ids.chain((agents) =>
  fc.record({
    files: fc.dictionary(
      fc.constantFrom(...agents),
      fc.record({
        status: fc.option(statusWord, { nil: undefined }),
        fsm: fc.option(fsmWord, { nil: undefined }),
        at: stamp,
      }),
    ),
    onboarded: fc.dictionary(fc.constantFrom(...agents), fc.oneof(fc.boolean(), fc.constant('yes'))),
    fsm: fc.dictionary(
      fc.constantFrom(...agents),
      fc.oneof(
        fsmWord,
        fsmWord.map((s) => s.toLowerCase()),
      ),
    ),
    events: fc.array(
      fc.record({ agent: fc.constantFrom(...agents), status: statusWord, fsm: fsmWord, at: stamp }),
      { maxLength: 6 },
    ),
  }),
);

describe('reconcile properties', () => {
  it('after applying the plan, no agent drifts and planned fields match', () => {
    fc.assert(
      fc.property(workspace, (w) => {
        const config = incidentConfig(true);
        const reads = incidentReads(w.files, { onboarded: w.onboarded, fsm: w.fsm }, w.events);
        const before = reconcile(reads, config, NOW);
        const writes = before.agents.flatMap((a) => a.plan);
        const registry = reads[1]!.documents[0]!;
        const after = reconcile(
          [
            reads[0]!,
            {
              ...reads[1]!,
              documents: [
                {
                  ...registry,
                  parse: { ...registry.parse, value: applyWrites(registry.parse.value, writes) },
                },
              ],
            },
            reads[2]!,
          ],
          config,
          NOW,
        );
        for (const a of after.agents) {
          expect(a.verdict).not.toBe('drift');
          expect(a.plan).toEqual([]);
        }
        for (const w2 of writes) {
          const a = after.agents.find((x) => x.id === w2.agent)!;
          expect(a.differences.filter((d) => d.field === w2.field)).toEqual([]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the order in which sources load does not change verdicts', () => {
    fc.assert(
      fc.property(workspace, fc.integer({ min: 0, max: 5 }), (w, rot) => {
        const config = incidentConfig(true);
        const reads = incidentReads(w.files, { onboarded: w.onboarded, fsm: w.fsm }, w.events);
        const permuted: SourceRead[] = [...reads.slice(rot % 3), ...reads.slice(0, rot % 3)].reverse();
        const a = reconcile(reads, config, NOW);
        const b = reconcile(permuted, config, NOW);
        const c = reconcile(reads, { ...config, sources: [...config.sources].reverse() }, NOW);
        const verdicts = (r: typeof a) => r.agents.map((x) => [x.id, x.verdict, x.plan.length]);
        expect(verdicts(b)).toEqual(verdicts(a));
        expect(verdicts(c)).toEqual(verdicts(a));
      }),
      { numRuns: 300 },
    );
  });
});
