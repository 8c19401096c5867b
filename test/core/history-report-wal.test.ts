// `report` on a write-ahead journal: an intent and its outcome are one change; an intent
// alone is counted as interrupted (core/journal-model.ts).
import { describe, expect, it } from 'vitest';
import { buildHistoryReport, type JournalLike } from '../../src/core/report/history-report.js';

const NOW = Date.UTC(2026, 2, 2, 12, 0, 0);
const at = new Date(NOW - 3600_000).toISOString();
const e = (action: string, agent: string, field: string, outcome: JournalLike['outcome']): JournalLike => ({
  action,
  at,
  kind: 'resolve',
  agent,
  field,
  before: 'IDLE',
  after: 'READY',
  outcome,
  path: ['agents', agent, field],
});

describe('report actions from a write-ahead journal', () => {
  it('counts each change once, and an intent without an outcome as interrupted', () => {
    const journal = [
      e('R1', 'A', 'fsm', 'intent'),
      e('R1', 'B', 'fsm', 'intent'),
      e('R1', 'A', 'fsm', 'verified'),
      e('R1', 'B', 'fsm', 'failed'),
      e('R2', 'C', 'fsm', 'intent'),
    ];
    const r = buildHistoryReport({ journal, history: [], now: NOW, since: NOW - 86_400_000 });
    expect(r.actions.map((a) => [a.id, a.changes, a.outcomes])).toEqual([
      ['R1', 2, { verified: 1, failed: 1 }],
      ['R2', 1, { interrupted: 1 }],
    ]);
  });
});
