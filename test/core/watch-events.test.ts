// The events `watch` prints, from pairs of reconciliations.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { diffHealth, diffSnapshots, WATCH_EVENT_TYPES } from '../../src/core/report/watch-events.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const fresh = '2026-03-02T09:04:00Z';
const later = '2026-03-02T09:04:30Z';

type Files = Parameters<typeof incidentReads>[0];
type Registry = Exclude<Parameters<typeof incidentReads>[1], 'bad'>;

function recon(files: Files, registry: Registry | 'bad') {
  return reconcile(incidentReads(files, registry), incidentConfig(), NOW);
}

const baseFiles: Files = {
  'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: fresh },
  'Agent-6': { status: 'OPERATIONAL', fsm: 'IDLE', at: fresh },
};
const baseRegistry: Registry = {
  onboarded: { 'Agent-2': true, 'Agent-6': true },
  fsm: { 'Agent-2': 'uninitialized', 'Agent-6': 'idle' },
};

describe('diffSnapshots: the first snapshot', () => {
  it('gives one initial summary, then one initial event per agent not in sync, with alerts on drift', () => {
    const events = diffSnapshots(null, recon(baseFiles, baseRegistry), NOW);
    expect(events.map((e) => [e.type, e.agent])).toEqual([
      ['initial', null],
      ['initial', 'Agent-2'],
    ]);
    expect(events[0]).toMatchObject({
      at: new Date(NOW).toISOString(),
      verdict: { before: null, after: null },
      differences: [],
      truth: {},
      reasons: [],
      message: 'watching 2 agents: 1 drift, 1 in-sync',
      summary: { agents: 2, drift: 1, 'in-sync': 1 },
    });
    expect(events[1]).toEqual({
      type: 'initial',
      at: new Date(NOW).toISOString(),
      agent: 'Agent-2',
      verdict: { before: null, after: 'drift' },
      differences: [
        {
          field: 'fsm',
          source: 'display',
          expected: 'READY',
          actual: 'UNINITIALIZED',
          actualRaw: 'uninitialized',
        },
      ],
      truth: { status: 'ONBOARDED', fsm: 'READY' },
      reasons: ["fsm: display has 'uninitialized', expected 'ready'"],
      alert: 'drift',
    });
  });

  it('is JSON-safe and uses only the documented types', () => {
    const events = diffSnapshots(null, recon(baseFiles, baseRegistry), NOW);
    for (const e of events) {
      expect(JSON.parse(JSON.stringify(e))).toEqual(e);
      expect(WATCH_EVENT_TYPES).toContain(e.type);
    }
  });
});

describe('diffSnapshots: changes', () => {
  const before = recon(baseFiles, baseRegistry);

  it('gives nothing when nothing changed (a heartbeat that moves only timestamps included)', () => {
    expect(diffSnapshots(before, recon(baseFiles, baseRegistry), NOW)).toEqual([]);
    const heartbeat = recon(
      { ...baseFiles, 'Agent-6': { status: 'OPERATIONAL', fsm: 'IDLE', at: later } },
      baseRegistry,
    );
    expect(diffSnapshots(before, heartbeat, NOW)).toEqual([]);
  });

  it('reports a verdict change with before and after, and an alert when the agent enters drift', () => {
    const next = recon(
      { ...baseFiles, 'Agent-6': { status: 'OPERATIONAL', fsm: 'ACTIVE', at: later } },
      baseRegistry,
    );
    const events = diffSnapshots(before, next, NOW);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'change',
      agent: 'Agent-6',
      verdict: { before: 'in-sync', after: 'drift' },
      truth: { fsm: 'ACTIVE' },
      differences: [{ field: 'fsm', expected: 'ACTIVE', actual: 'IDLE' }],
      alert: 'drift',
    });
  });

  it('reports getting back in sync without an alert', () => {
    const fixed = recon(baseFiles, { ...baseRegistry, fsm: { 'Agent-2': 'ready', 'Agent-6': 'idle' } });
    const [e, ...rest] = diffSnapshots(before, fixed, NOW);
    expect(rest).toEqual([]);
    expect(e).toMatchObject({
      type: 'change',
      agent: 'Agent-2',
      verdict: { before: 'drift', after: 'in-sync' },
      differences: [],
    });
    expect(e!.alert).toBeUndefined();
  });

  it('reports a change of differences or truth when the verdict stays the same, without a new alert', () => {
    // Still drift, but the truth moved on: READY -> ACTIVE.
    const moved = recon(
      { ...baseFiles, 'Agent-2': { status: 'ONBOARDED', fsm: 'ACTIVE', at: later } },
      baseRegistry,
    );
    const [e] = diffSnapshots(before, moved, NOW);
    expect(e).toMatchObject({
      type: 'change',
      agent: 'Agent-2',
      verdict: { before: 'drift', after: 'drift' },
      truth: { fsm: 'ACTIVE' },
    });
    expect(e!.alert).toBeUndefined();
  });

  it('alerts when an agent goes from one bad verdict to another, saying which', () => {
    const conflicting = recon(baseFiles, {
      ...baseRegistry,
      fsm: { 'Agent-2': 'warp_speed', 'Agent-6': 'idle' },
    });
    const [e] = diffSnapshots(before, conflicting, NOW);
    expect(e).toMatchObject({ verdict: { before: 'drift', after: 'conflict' }, alert: 'conflict' });
  });

  it('reports agents that appear (before null) and leave (after null)', () => {
    const files = { ...baseFiles, 'Agent-12': { status: 'IDLE', fsm: 'IDLE', at: fresh } };
    const grown = recon(files, {
      onboarded: { ...baseRegistry.onboarded, 'Agent-12': true },
      fsm: { ...baseRegistry.fsm, 'Agent-12': 'idle' },
    });
    expect(
      diffSnapshots(before, grown, NOW).map((e) => [e.agent, e.verdict.before, e.verdict.after]),
    ).toEqual([['Agent-12', null, 'in-sync']]);
    const shrunk = diffSnapshots(grown, before, NOW);
    expect(shrunk).toMatchObject([
      {
        type: 'change',
        agent: 'Agent-12',
        verdict: { before: 'in-sync', after: null },
        message: 'no source lists this agent any more',
      },
    ]);
  });

  it('turns an unreadable registry into invalid alerts for every agent', () => {
    const events = diffSnapshots(before, recon(baseFiles, 'bad'), NOW);
    expect(events.map((e) => [e.agent, e.verdict.after, e.alert])).toEqual([
      ['Agent-2', 'invalid', 'invalid'],
      ['Agent-6', 'invalid', 'invalid'],
    ]);
  });
});

describe('diffHealth', () => {
  const ok = { name: 'display', healthy: true, lastError: null };
  const bad = {
    name: 'display',
    healthy: false,
    lastError: 'coordination_system_state.json: unexpected end of input',
  };

  it('reports unhealthy sources on the first look, and only changes after', () => {
    expect(diffHealth(null, [ok], NOW)).toEqual([]);
    const [first] = diffHealth(null, [bad], NOW);
    expect(first).toMatchObject({
      type: 'source',
      agent: null,
      source: { name: 'display', healthy: { before: null, after: false }, error: bad.lastError },
    });
    expect(diffHealth([bad], [bad], NOW)).toEqual([]);
    expect(diffHealth([bad], [ok], NOW)).toMatchObject([
      {
        message: 'source display is healthy again',
        source: { healthy: { before: false, after: true }, error: null },
      },
    ]);
  });
});
