// What `sync-tui wait` waits for (core/wait.ts), selecting with the filter language
// (core/filter.ts) over a real reconciliation.
import { describe, expect, it } from 'vitest';
import { parseFilter as parse, type Filter } from '../../src/core/view/filter.js';

function parseFilter(text: string): Filter {
  const r = parse(text);
  if (!r.ok) throw new Error(`${text}: ${r.message}`);
  return r.filter;
}
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { waitState } from '../../src/core/report/wait.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const config = incidentConfig();
const recon = reconcile(
  incidentReads(
    {
      'Agent-1': { status: 'ONBOARDED', fsm: 'IDLE', at: '2026-03-02T09:00:00Z' },
      'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: '2026-03-02T09:00:00Z' },
      'Agent-3': { status: 'ONBOARDED', fsm: 'task execution', at: '2026-03-02T09:00:00Z' },
    },
    {
      onboarded: { 'Agent-1': true, 'Agent-2': true, 'Agent-3': true },
      fsm: { 'Agent-1': 'idle', 'Agent-2': 'uninitialized', 'Agent-3': 'task_execution' },
    },
  ),
  config,
  T0 + MIN,
);

const sel = (text: string, ids: string[] = [], strict = false) =>
  waitState(recon, config, { filter: parseFilter(text), ids, strict });

describe('waitState: what wait waits for', () => {
  it('the workspace under test has one drifted agent', () => {
    expect(recon.agents.map((a) => [a.id, a.verdict])).toEqual([
      ['Agent-1', 'in-sync'],
      ['Agent-2', 'drift'],
      ['Agent-3', 'in-sync'],
    ]);
  });

  it('is unsettled while a selected agent drifts, and says why', () => {
    expect(sel('')).toEqual({
      settled: false,
      selected: 3,
      unsettled: [
        {
          agent: 'Agent-2',
          verdict: 'drift',
          pending: false,
          reason: expect.stringContaining("fsm: display has 'uninitialized'"),
        },
      ],
    });
  });

  it('selects by filter and by id', () => {
    expect(sel('!Agent-2')).toMatchObject({ settled: true, selected: 2 });
    expect(sel('fsm:idle')).toMatchObject({ settled: true, selected: 1 });
    expect(sel('verdict:drift')).toMatchObject({ settled: false, selected: 1 });
    expect(sel('', ['Agent-1', 'Agent-3'])).toMatchObject({ settled: true, selected: 2 });
  });

  it('counts a named agent no source lists as not settled', () => {
    expect(sel('', ['Agent-1', 'Agent-9'])).toEqual({
      settled: false,
      selected: 2,
      unsettled: [{ agent: 'Agent-9', verdict: null, pending: false, reason: 'no source lists this agent' }],
    });
  });

  it('counts an agent with a write in flight as not settled', () => {
    expect(
      waitState(
        recon,
        config,
        { filter: parseFilter('Agent-1'), ids: [], strict: false },
        new Set(['Agent-1']),
      ),
    ).toMatchObject({
      settled: false,
      unsettled: [{ agent: 'Agent-1', pending: true, reason: 'a write is being verified' }],
    });
  });

  it('counts stale as settled unless strict', () => {
    const old = reconcile(
      incidentReads(
        { 'Agent-1': { status: 'ONBOARDED', fsm: 'IDLE', at: '2026-03-02T08:00:00Z' } },
        { onboarded: { 'Agent-1': true }, fsm: { 'Agent-1': 'idle' }, last_updated: '2026-03-02T08:00:00Z' },
      ),
      config,
      T0 + MIN,
    );
    expect(old.agents.map((a) => a.verdict)).toEqual(['stale']);
    expect(waitState(old, config, { filter: parseFilter(''), ids: [], strict: false })).toMatchObject({
      settled: true,
      selected: 1,
    });
    expect(waitState(old, config, { filter: parseFilter(''), ids: [], strict: true })).toMatchObject({
      settled: false,
      unsettled: [{ agent: 'Agent-1', verdict: 'stale' }],
    });
  });
});
