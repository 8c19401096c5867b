// The frozen plan: what the operator approved is what may be written, or nothing.
import { describe, expect, it } from 'vitest';
import { changedSince, freezePlan, guardAgent, sameWrites } from '../../src/core/plan/frozen-plan.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const fresh = '2026-03-02T09:04:00Z';

function recon(registryFsm: string, fileFsm = 'BLOCKED') {
  return reconcile(
    incidentReads(
      {
        'Agent-6': { status: 'ACTIVE', fsm: fileFsm, at: fresh },
        'Agent-7': { status: 'ACTIVE', fsm: 'ACTIVE', at: fresh },
      },
      {
        onboarded: { 'Agent-6': true, 'Agent-7': true },
        fsm: { 'Agent-6': registryFsm, 'Agent-7': 'uninitialized' },
      },
    ),
    incidentConfig(),
    NOW,
  );
}

describe('frozen plans', () => {
  it('lets the writes through when resolving now would write exactly them', () => {
    const plan = freezePlan(['Agent-6', 'Agent-7'], recon('idle').agents);
    expect(plan.writes).toBe(2);
    for (const f of plan.agents)
      expect(
        guardAgent(
          f,
          recon('idle').agents.find((a) => a.id === f.id),
        ),
      ).toEqual({ ok: true });
  });

  it('refuses an agent whose truth changed since it was shown, saying what it is now', () => {
    const plan = freezePlan(['Agent-6'], recon('idle').agents);
    const now = recon('idle', 'ERROR').agents.find((a) => a.id === 'Agent-6');
    expect(guardAgent(plan.agents[0]!, now)).toEqual({
      ok: false,
      cause: 'changed-since-planned',
      reason: 'Agent-6 changed since you looked: now fsm: "idle" -> "error"; not written',
      detail: 'changed since you looked: now fsm: "idle" -> "error"; not written',
    });
  });

  it('refuses an agent whose target moved under it (same truth, other before-value)', () => {
    const plan = freezePlan(['Agent-6'], recon('idle').agents);
    const g = guardAgent(
      plan.agents[0]!,
      recon('active').agents.find((a) => a.id === 'Agent-6'),
    );
    expect(g).toMatchObject({ ok: false, cause: 'changed-since-planned' });
  });

  it('refuses an agent shown with nothing to write that has writes now, and one that is gone', () => {
    const plan = freezePlan(['Agent-6', 'Gone'], recon('blocked').agents);
    expect(plan.agents.map((a) => [a.id, a.verdict, a.writes.length])).toEqual([
      ['Agent-6', 'in-sync', 0],
      ['Gone', 'gone', 0],
    ]);
    const now = new Map(recon('idle').agents.map((a) => [a.id, a]));
    expect(guardAgent(plan.agents[0]!, now.get('Agent-6'))).toMatchObject({
      ok: false,
      reason: 'Agent-6 changed since you looked: now fsm: "idle" -> "blocked"; not written',
    });
    expect(guardAgent(plan.agents[1]!, undefined)).toEqual({ ok: true });
    const shown = freezePlan(['Agent-7'], recon('idle').agents);
    expect(guardAgent(shown.agents[0]!, undefined)).toMatchObject({ ok: false, cause: 'gone-since-planned' });
    expect([...changedSince(plan, now).keys()]).toEqual(['Agent-6']);
  });

  it('compares writes in any order, values as JSON', () => {
    const a = { field: 'fsm', path: ['x'], before: 'idle', after: 'active' };
    const b = { field: 'status', path: ['y'], before: { nested: 1 }, after: true };
    expect(sameWrites([a, b], [b, { ...a }])).toBe(true);
    expect(sameWrites([a, b], [a, { ...b, before: { nested: 2 } }])).toBe(false);
    expect(sameWrites([a], [a, b])).toBe(false);
  });
});
