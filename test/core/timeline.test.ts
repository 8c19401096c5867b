// The detail pane's timeline (src/core/report/timeline.ts) and the `values` history lines it
// reads (src/core/report/value-changes.ts), from real reconciliations and history lines.
import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { historyEntryProblem, type HistoryEntry } from '../../src/core/report/history-report.js';
import { agentTimeline } from '../../src/core/report/timeline.js';
import { valueLines } from '../../src/core/report/value-changes.js';
import type { JournalEntry } from '../../src/core/write/journal-model.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const at = '2026-03-02T09:04:00Z';
const iso = (ms: number) => new Date(ms).toISOString();

function recon(fsm2: unknown, listed = true) {
  return reconcile(
    incidentReads(
      {
        'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at },
        'Agent-6': { status: 'OPERATIONAL', fsm: 'IDLE', at },
      },
      {
        onboarded: listed ? { 'Agent-2': true, 'Agent-6': true } : { 'Agent-6': true },
        fsm: listed ? { 'Agent-2': fsm2, 'Agent-6': 'idle' } : { 'Agent-6': 'idle' },
      },
    ),
    incidentConfig(),
    NOW,
  );
}

describe('values lines', () => {
  it('name the source, field, before and after of each changed value, and none for the first snapshot', () => {
    const a = recon('ready');
    const b = recon('uninitialized');
    expect(valueLines(null, a, NOW)).toEqual([]);
    const lines = valueLines(a, b, NOW);
    expect(lines).toEqual([
      {
        v: 1,
        kind: 'values',
        at: iso(NOW),
        agent: 'Agent-2',
        changes: [{ source: 'display', field: 'fsm', before: 'READY', after: 'UNINITIALIZED' }],
      },
    ]);
    // They are history lines the readers accept.
    expect(historyEntryProblem(JSON.parse(JSON.stringify(lines[0])))).toBeNull();
    expect(valueLines(b, b, NOW)).toEqual([]);
  });

  it('keep the raw text of a value not in the vocabulary, bounded, and say when a source stops listing the agent', () => {
    const a = recon('ready');
    const odd = recon(`warp-${'x'.repeat(300)}`);
    const [line] = valueLines(a, odd, NOW);
    const c = line!.changes[0]!;
    expect(c).toMatchObject({ source: 'display', field: 'fsm', before: 'READY', after: null });
    expect(c.afterRaw!.startsWith('warp-xxx')).toBe(true);
    expect(c.afterRaw!.length).toBeLessThanOrEqual(120);
    const gone = valueLines(a, recon('ready', false), NOW)[0]!.changes.find((x) => x.field === 'fsm')!;
    expect(gone).toMatchObject({ source: 'display', before: 'READY', after: null, afterListed: false });
  });

  it('are refused by the history reader when malformed', () => {
    expect(historyEntryProblem({ v: 1, kind: 'values', at: iso(NOW), agent: 'A', changes: 'x' })).toMatch(
      /changes/,
    );
    expect(
      historyEntryProblem({ v: 1, kind: 'values', at: iso(NOW), agent: 'A', changes: [{ source: 1 }] }),
    ).toMatch(/source/);
  });
});

function journalEntry(over: Partial<JournalEntry>): JournalEntry {
  return {
    v: 1,
    action: 'a-1',
    at: iso(T0 + 3 * MIN),
    kind: 'resolve',
    agent: 'Agent-2',
    field: 'fsm',
    target: 'display',
    file: 'coordination_system_state.json',
    path: ['agent_fsm_states', 'Agent-2'],
    before: 'uninitialized',
    after: 'ready',
    outcome: 'verified',
    ...over,
  };
}

describe('agentTimeline', () => {
  const history: HistoryEntry[] = [
    { v: 1, kind: 'start', at: iso(T0), pid: 1, agents: 2, notInSync: {} },
    {
      v: 1,
      kind: 'values',
      at: iso(T0 + MIN),
      agent: 'Agent-2',
      changes: [{ source: 'display', field: 'fsm', before: 'READY', after: 'UNINITIALIZED' }],
    },
    {
      v: 1,
      kind: 'verdict',
      at: iso(T0 + MIN),
      agent: 'Agent-2',
      before: 'in-sync',
      after: 'drift',
      reasons: ["fsm: display has 'uninitialized', expected 'ready'"],
    },
    // Another agent's lines are not this agent's timeline.
    {
      v: 1,
      kind: 'verdict',
      at: iso(T0 + MIN),
      agent: 'Agent-6',
      before: 'in-sync',
      after: 'drift',
      reasons: ['other'],
    },
    {
      v: 1,
      kind: 'values',
      at: iso(T0 + 3 * MIN),
      agent: 'Agent-2',
      changes: [{ source: 'display', field: 'fsm', before: 'UNINITIALIZED', after: 'READY' }],
    },
    {
      v: 1,
      kind: 'verdict',
      at: iso(T0 + 3 * MIN),
      agent: 'Agent-2',
      before: 'drift',
      after: 'in-sync',
      reasons: [],
    },
  ];

  it('shows the value changes, when the drift began and the resolve that ended it, newest first', () => {
    const rows = agentTimeline({ agent: 'Agent-2', history, journal: [journalEntry({})], now: NOW });
    expect(rows.map((r) => [r.at - T0, r.kind, r.text])).toEqual([
      [3 * MIN, 'ended', 'drift ended after 2m 00s: resolved by a-1 (fsm)'],
      [3 * MIN, 'action', 'resolve a-1: display fsm uninitialized → ready verified'],
      [3 * MIN, 'value', 'display fsm: UNINITIALIZED → READY'],
      [MIN, 'began', "drift began: fsm: display has 'uninitialized', expected 'ready'"],
      [MIN, 'value', 'display fsm: READY → UNINITIALIZED'],
    ]);
  });

  it('names who resolved and who undid, from the journal entries shared in a store, and bounds it', () => {
    const intent = journalEntry({ outcome: 'intent', by: 'alice@host-1' });
    const undo = journalEntry({
      action: 'a-2',
      kind: 'undo',
      undoes: 'a-1',
      at: iso(T0 + 4 * MIN),
      before: 'ready',
      after: 'uninitialized',
      by: `bob@${'h'.repeat(100)}`,
    });
    const rows = agentTimeline({
      agent: 'Agent-2',
      history,
      journal: [intent, journalEntry({ by: 'alice@host-1' }), undo],
      now: NOW,
    });
    const actions = rows.filter((r) => r.kind === 'action').map((r) => r.text);
    expect(actions).toEqual([
      `undo a-2 (of a-1) by bob@${'h'.repeat(55)}…: display fsm ready → uninitialized verified`,
      'resolve a-1 by alice@host-1: display fsm uninitialized → ready verified',
    ]);
  });

  it('says a source caught up when no resolve ended it, and an ongoing episode with its start', () => {
    const rows = agentTimeline({ agent: 'Agent-2', history, journal: [], now: NOW });
    expect(rows.find((r) => r.kind === 'ended')!.text).toBe(
      'drift ended after 2m 00s: no resolve, a source caught up: display fsm UNINITIALIZED → READY',
    );
    const open = agentTimeline({ agent: 'Agent-2', history: history.slice(0, 3), journal: [], now: NOW });
    expect(open[0]).toMatchObject({ at: NOW, kind: 'ongoing', verdict: 'drift' });
    expect(open[0]!.text).toBe('drift for 4m 00s so far (since 2026-03-02 09:01:00)');
  });

  it('adds the key revisions of a store source and a session that began with the agent in trouble', () => {
    const rows = agentTimeline({
      agent: 'Agent-2',
      history: [
        {
          v: 1,
          kind: 'start',
          at: iso(T0),
          pid: 1,
          agents: 2,
          notInSync: { 'Agent-2': 'conflict' },
          reasons: { 'Agent-2': 'fsm: cannot move' },
        },
      ],
      journal: [],
      keys: {
        registry: [
          { revision: 4, at: iso(T0 - MIN), operation: 'PUT', value: { fsm: 'idle' } },
          { revision: 5, at: iso(T0 + MIN), operation: 'DEL', value: null },
        ],
      },
      now: NOW,
    });
    expect(rows.map((r) => [r.kind, r.text])).toEqual([
      ['ongoing', 'conflict for 5m 00s so far (since 2026-03-02 09:00:00)'],
      ['key', 'registry key revision 5: deleted'],
      ['watched', 'already conflict when sync-tui started watching: fsm: cannot move'],
      ['key', 'registry key revision 4: {"fsm":"idle"}'],
    ]);
  });

  it('keeps only the newest rows up to the limit', () => {
    const many: HistoryEntry[] = Array.from({ length: 50 }, (_, i) => ({
      v: 1,
      kind: 'values',
      at: iso(T0 + i * 1000),
      agent: 'Agent-2',
      changes: [{ source: 'display', field: 'fsm', before: null, after: `V${i}` }],
    }));
    const rows = agentTimeline({ agent: 'Agent-2', history: many, journal: [], now: NOW, limit: 10 });
    expect(rows).toHaveLength(10);
    expect(rows[0]!.text).toBe('display fsm: — → V49');
  });
});
