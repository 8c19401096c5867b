// Operator decisions: a picked winner settles the conflict it was picked for, and stops
// holding as soon as a source involved says something new.
import { describe, expect, it } from 'vitest';
import {
  conflictChoices,
  decisionsFor,
  offeredChoices,
  underPreference,
} from '../../src/core/reconcile/choices.js';
import {
  decisionHolds,
  indexDecisions,
  parseDecisions,
  serializeDecisions,
  withDecisions,
  withoutAction,
  type Decision,
} from '../../src/core/reconcile/decisions.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { AgentState } from '../../src/core/types.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const at = '2026-03-02T09:03:00Z';

function beta(recon: ReturnType<typeof reconcile>): AgentState {
  return recon.agents.find((a) => a.id === 'beta')!;
}

/** file and realtime say different fsm states at the same instant: a tie. */
function tie(eventFsm = 'ACTIVE', eventAt = at) {
  return incidentReads(
    { beta: { status: 'IDLE', fsm: 'IDLE', at } },
    { onboarded: { beta: true }, fsm: { beta: 'uninitialized' } },
    [{ agent: 'beta', fsm: eventFsm, at: eventAt }],
  );
}

describe('conflict choices', () => {
  it('previews what each winner writes, and offers only winners that settle the conflict', () => {
    const config = incidentConfig(true);
    const a = beta(reconcile(tie(), config, NOW));
    expect(a.verdict).toBe('conflict');
    const choices = conflictChoices(a, config, NOW);
    expect(
      choices.map((c) => [
        c.source,
        c.ok,
        c.writes.map((w) => `${w.field}:${String(w.before)}->${String(w.after)}`),
        c.fields,
      ]),
    ).toEqual([
      ['file', true, ['fsm:uninitialized->idle'], ['fsm']],
      ['display', true, [], ['fsm']],
      ['realtime', true, ['fsm:uninitialized->active'], ['fsm']],
    ]);
  });

  it('does not offer a winner whose value is unknown: picking it would still be a conflict', () => {
    const config = incidentConfig(true);
    const a = beta(reconcile(tie('WARP_SPEED'), config, NOW));
    const choices = conflictChoices(a, config, NOW);
    const realtime = choices.find((c) => c.source === 'realtime')!;
    expect(realtime.ok).toBe(false);
    expect(realtime.why).toBe("fsm: realtime holds unknown value 'WARP_SPEED'");
    expect(offeredChoices(a, config, NOW).map((c) => c.source)).toEqual(['file', 'display']);
  });
});

describe('decisions', () => {
  const config = incidentConfig(true);
  const conflicted = beta(reconcile(tie(), config, NOW));

  function decide(source: string): Decision[] {
    return decisionsFor(
      conflicted,
      underPreference(conflicted, config, source, NOW),
      config,
      source,
      '2026-03-02T09:05:00.000Z',
      'a-1',
    );
  }

  it('records one decision per settled field, with what every source involved said', () => {
    const [d, ...rest] = decide('realtime');
    expect(rest).toEqual([]);
    expect(d).toMatchObject({
      agent: 'beta',
      field: 'fsm',
      source: 'realtime',
      value: 'ACTIVE',
      action: 'a-1',
    });
    // The target is not involved when it is not the winner: resolving writes it.
    expect(Object.keys(d!.marks)).toEqual(['file', 'realtime']);
    expect(d!.marks['realtime']).toEqual({ present: true, raw: 'ACTIVE', at: Date.parse(at) });
  });

  it('a decision that holds settles the field: the agent drifts toward the winner, then is in sync once written', () => {
    const decisions = indexDecisions(decide('realtime'));
    const a = beta(reconcile(tie(), config, NOW, decisions));
    expect(a.verdict).toBe('drift');
    expect(a.plan.map((w) => w.after)).toEqual(['active']);
    expect(a.decisions).toEqual({
      fsm: { source: 'realtime', value: 'ACTIVE', at: '2026-03-02T09:05:00.000Z', action: 'a-1' },
    });
    const written = incidentReads(
      { beta: { status: 'IDLE', fsm: 'IDLE', at } },
      { onboarded: { beta: true }, fsm: { beta: 'active' } },
      [{ agent: 'beta', fsm: 'ACTIVE', at }],
    );
    expect(beta(reconcile(written, config, NOW, decisions)).verdict).toBe('in-sync');
    // Without the decision the same data is the same conflict as before.
    expect(beta(reconcile(written, config, NOW)).verdict).toBe('conflict');
  });

  it('stops holding when a source involved changes: a new event, even with the same value', () => {
    const [d] = decide('realtime');
    const later = '2026-03-02T09:04:00Z';
    const moved = beta(reconcile(tie('ACTIVE', later), config, NOW));
    expect(decisionHolds(d!, new Map(Object.entries(moved.observations)), config)).toBe(false);
    const a = beta(reconcile(tie('BLOCKED', at), config, NOW, indexDecisions([d!])));
    expect(a.verdict).toBe('conflict');
    expect(a.decisions).toBeUndefined();
  });

  it('accepting the target as it is needs no write and holds while the target is unchanged', () => {
    const [d] = decide('display');
    expect(Object.keys(d!.marks)).toEqual(['file', 'display', 'realtime']);
    const a = beta(reconcile(tie(), config, NOW, indexDecisions([d!])));
    expect(a.verdict).toBe('in-sync');
    const other = incidentReads(
      { beta: { status: 'IDLE', fsm: 'IDLE', at } },
      { onboarded: { beta: true }, fsm: { beta: 'idle' } },
      [{ agent: 'beta', fsm: 'ACTIVE', at }],
    );
    expect(beta(reconcile(other, config, NOW, indexDecisions([d!]))).verdict).toBe('conflict');
  });

  it('a one-run preference wins over a decision', () => {
    const decisions = indexDecisions(decide('realtime'));
    const a = beta(
      reconcile(tie(), { ...config, policy: { ...config.policy, prefer: 'file' } }, NOW, decisions),
    );
    expect(a.truth['fsm']).toMatchObject({ value: 'IDLE', from: 'file' });
  });

  it('round-trips through decisions.json; a later decision replaces an earlier one; undo removes an action', () => {
    const first = decide('realtime');
    const second = decide('file').map((d) => ({ ...d, action: 'a-2' }));
    const both = withDecisions(first, second);
    expect(both.map((d) => [d.source, d.action])).toEqual([['file', 'a-2']]);
    expect(parseDecisions(serializeDecisions(both), 'd.json')).toEqual({ decisions: both, problems: [] });
    expect(withoutAction(both, 'a-2')).toEqual([]);
  });

  it('says which entry of a damaged file is skipped, and never throws', () => {
    expect(parseDecisions('{"v":1,"decisions":[{"agent":"x"}]}', '.sync-tui/decisions.json')).toEqual({
      decisions: [],
      problems: [
        '.sync-tui/decisions.json: decision 1 is not {agent, field, source, marks, at, action}; skipped',
      ],
    });
    expect(parseDecisions('{', 'd.json').problems[0]).toMatch(/^d\.json: not valid JSON/);
    expect(parseDecisions('[]', 'd.json').problems).toEqual([
      'd.json: expected {"v": 1, "decisions": [...]}; decisions ignored',
    ]);
  });
});
