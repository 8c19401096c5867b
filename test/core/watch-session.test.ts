// The decisions of a watch session (core/watch-session.ts): which events and history lines a
// snapshot makes, and what a resolve's outcome makes, from real reconciliations.
import { describe, expect, it } from 'vitest';
import { initialAutoState, type AutoState } from '../../src/core/plan/autoresolve.js';
import { metricsPicture, parseMetricsAddress } from '../../src/core/report/metrics-model.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import {
  observeSnapshot,
  operatorActions,
  resolveOutcome,
  watchSettings,
  HOOK_TIMEOUT_MS,
  PER_AGENT_CAP,
  type SnapshotLike,
} from '../../src/core/report/watch-session.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const at = '2026-03-02T09:04:00Z';
const files = {
  'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at },
  'Agent-6': { status: 'OPERATIONAL', fsm: 'IDLE', at },
};

function snap(
  seq: number,
  agent2: string,
  healthy = true,
  lastAction: SnapshotLike['lastAction'] = null,
): SnapshotLike {
  const recon = reconcile(
    incidentReads(files, {
      onboarded: { 'Agent-2': true, 'Agent-6': true },
      fsm: { 'Agent-2': agent2, 'Agent-6': 'idle' },
    }),
    incidentConfig(),
    NOW,
  );
  return {
    seq,
    at: NOW + seq,
    recon,
    health: [{ name: 'display', healthy, lastError: healthy ? null : 'bad JSON' }],
    pending: new Set(),
    lastAction,
    error: null,
  };
}

describe('observeSnapshot', () => {
  it('starts with a start line naming the agents not in sync', () => {
    const first = observeSnapshot(null, snap(1, 'uninitialized'), 42);
    expect(first.history).toEqual([
      {
        v: 1,
        kind: 'start',
        at: new Date(NOW + 1).toISOString(),
        pid: 42,
        agents: 2,
        notInSync: { 'Agent-2': 'drift' },
        reasons: { 'Agent-2': expect.stringContaining('fsm') },
      },
    ]);
    expect(first.events.map((e) => [e.type, e.agent, e.seq])).toEqual([
      ['initial', null, 1],
      ['initial', 'Agent-2', 1],
    ]);
  });

  it('records verdict transitions and source health, naming our own action', () => {
    const a = snap(1, 'uninitialized');
    const action = {
      action: 'a-1',
      message: 'ok',
      agents: [
        {
          agent: 'Agent-2',
          status: 'resolved',
          cause: 'verified',
          writes: [
            { field: 'fsm', path: ['agent_fsm_states', 'Agent-2'], before: 'uninitialized', after: 'ready' },
          ],
        },
      ],
    };
    const b = snap(2, 'ready', false, action);
    const r = observeSnapshot(a, b, 42);
    expect(r.history).toEqual([
      {
        v: 1,
        kind: 'verdict',
        at: new Date(NOW + 2).toISOString(),
        agent: 'Agent-2',
        before: 'drift',
        after: 'in-sync',
        reasons: [],
        action: 'a-1',
      },
      // Which source value changed, from what to what (the timeline's lines).
      {
        v: 1,
        kind: 'values',
        at: new Date(NOW + 2).toISOString(),
        agent: 'Agent-2',
        changes: [{ source: 'display', field: 'fsm', before: 'UNINITIALIZED', after: 'READY' }],
      },
      {
        v: 1,
        kind: 'source',
        at: new Date(NOW + 2).toISOString(),
        source: 'display',
        healthy: false,
        error: 'bad JSON',
      },
    ]);
    expect(r.events.map((e) => [e.type, e.agent, e.action])).toEqual([
      ['change', 'Agent-2', 'a-1'],
      ['source', null, undefined],
    ]);
    // The same picture again makes nothing.
    expect(observeSnapshot(b, { ...b, seq: 3 }, 42)).toEqual({ events: [], history: [] });
  });
});

describe('resolve outcomes and operator actions', () => {
  it('makes a resolved event with the writes, a failed one with its reason, none for an agent in sync by itself', () => {
    const after = snap(2, 'ready').recon;
    const before = new Map([
      ['Agent-2', 'drift' as const],
      ['Agent-6', 'in-sync' as const],
      ['Agent-9', 'drift' as const],
    ]);
    const writes = [
      { field: 'fsm', path: ['agent_fsm_states', 'Agent-2'], before: 'uninitialized', after: 'ready' },
    ];
    const r = resolveOutcome(
      initialAutoState(),
      ['Agent-2', 'Agent-6', 'Agent-9'],
      before,
      {
        action: 'a-7',
        message: 'resolved 1',
        agents: [
          { agent: 'Agent-2', status: 'resolved', cause: 'verified', writes },
          { agent: 'Agent-6', status: 'in-sync', cause: 'in-sync', writes: [] },
          { agent: 'Agent-9', status: 'failed', cause: 'write-failed', reason: 'disk full', writes: [] },
        ],
      },
      after,
      NOW,
    );
    expect(r.events.map((e) => [e.type, e.agent, e.action, e.message, e.verdict.before])).toEqual([
      ['resolved', 'Agent-2', 'a-7', 'resolved 1', 'drift'],
      ['resolve-failed', 'Agent-9', undefined, 'disk full', 'drift'],
    ]);
    expect(r.events[0]!.writes).toEqual(writes);
  });

  it('takes only verified resolves and applied undos by others from the journal', () => {
    const entries = [
      { action: 'ours', agent: 'Agent-2', kind: 'resolve', outcome: 'verified' },
      { action: 'x', agent: 'Agent-2', kind: 'resolve', outcome: 'intent' },
      { action: 'y', agent: 'Agent-2', kind: 'note', outcome: 'verified' },
      'garbage',
    ];
    const flapping: AutoState = {
      agents: new Map([
        [
          'Agent-2',
          {
            attempts: 3,
            nextAllowedAt: 0,
            inSyncSince: null,
            armed: {},
            reverts: [1, 2, 3],
            revertedFields: ['fsm'],
            flapping: { since: 1, fields: ['fsm'] },
          },
        ],
      ]),
    };
    const ignored = operatorActions(flapping, entries, ['ours']);
    expect(ignored.events).toEqual([]);
    expect(ignored.state).toBe(flapping);
    const undone = operatorActions(
      flapping,
      [...entries, { action: 'u-1', agent: 'Agent-2', kind: 'undo', outcome: 'applied' }],
      ['ours'],
    );
    expect(undone.events).toEqual([
      {
        kind: 'resumed',
        agent: 'Agent-2',
        why: 'operator',
        message: 'auto-resolve resumed for Agent-2: an operator acted on it (u-1)',
      },
    ]);
    expect(undone.state.agents.has('Agent-2')).toBe(false);
  });
});

describe('the metrics picture', () => {
  it('counts verdicts, drift by field and source, and caps per-agent series worst first', () => {
    const s = snap(1, 'uninitialized');
    const p = metricsPicture(
      s.recon,
      [
        { name: 'display', healthy: true, lastReadAt: NOW - 2500 },
        { name: 'file', healthy: false, lastReadAt: null },
      ],
      NOW,
      1,
    );
    expect(p.verdicts).toMatchObject({ drift: 1, 'in-sync': 1, conflict: 0 });
    expect(p.drift).toEqual([{ field: 'fsm', source: 'display', agents: 1 }]);
    expect(p.sources).toEqual([
      { name: 'display', healthy: true, lastReadAgeSeconds: 2.5 },
      { name: 'file', healthy: false, lastReadAgeSeconds: null },
    ]);
    expect(p.perAgent).toEqual([{ agent: 'Agent-2', verdict: 'drift' }]);
    expect(p.perAgentDropped).toBe(1);
    expect(metricsPicture(s.recon, [], NOW, null)).toMatchObject({ perAgent: null, perAgentDropped: 0 });
  });

  it('reads a metrics address, loopback unless a host is named', () => {
    expect(parseMetricsAddress('9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddress(':9464')).toEqual({ host: '127.0.0.1', port: 9464 });
    expect(parseMetricsAddress('0.0.0.0:80')).toEqual({ host: '0.0.0.0', port: 80 });
    expect(parseMetricsAddress('[::1]:9464')).toEqual({ host: '::1', port: 9464 });
    expect(parseMetricsAddress('99999')).toEqual({ message: 'port 99999 is out of range (0-65535)' });
    expect(parseMetricsAddress('host')).toHaveProperty('message');
  });
});

describe('watchSettings (the options of watch)', () => {
  it('gives the defaults when nothing is asked, and the parsed values when something is', () => {
    expect(watchSettings({})).toEqual({
      interval: null,
      hookTimeout: HOOK_TIMEOUT_MS,
      metrics: null,
      perAgentCap: null,
    });
    const s = watchSettings({ interval: '5m', hookTimeout: '2s', metrics: '9464', metricsPerAgent: true });
    expect(s).toMatchObject({ interval: 300_000, hookTimeout: 2000, perAgentCap: PER_AGENT_CAP });
    expect(watchSettings({ metrics: '9464', metricsPerAgent: '7' })).toMatchObject({ perAgentCap: 7 });
  });

  it('names the option and what was expected when a value is wrong', () => {
    expect(watchSettings({ interval: '50ms' })).toBe(
      "--interval: expected a duration of at least 100 ms like 30s, 5m or 1h, found '50ms'",
    );
    expect(watchSettings({ hookTimeout: 'soon' })).toMatch(/^--hook-timeout: expected a duration/);
    expect(watchSettings({ onDrift: '  ' })).toBe('--on-drift: expected a command');
    expect(watchSettings({ metrics: 'nope' })).toMatch(/^--metrics: expected PORT or HOST:PORT/);
    expect(watchSettings({ metricsPerAgent: true })).toBe('--metrics-per-agent: needs --metrics');
    expect(watchSettings({ metrics: '9464', metricsPerAgent: '0' })).toBe(
      "--metrics-per-agent: expected a whole number of at least 1, found '0'",
    );
  });
});
