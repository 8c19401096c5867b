import { describe, expect, it } from 'vitest';
import { filterProblem, matches, parseFilter, type Filter } from '../../src/core/view/filter.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
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

function parsed(text: string): Filter {
  const r = parseFilter(text);
  if (!r.ok) throw new Error(`${text}: ${r.message} at ${r.column}`);
  return r.filter;
}

function shown(text: string): string[] {
  const f = parsed(text);
  return recon.agents.filter((a) => matches(f, a, config)).map((a) => a.id);
}

describe('the filter language', () => {
  it('the workspace under test has one drifted agent', () => {
    expect(recon.agents.map((a) => [a.id, a.verdict])).toEqual([
      ['Agent-1', 'in-sync'],
      ['Agent-2', 'drift'],
      ['Agent-3', 'in-sync'],
    ]);
  });

  it('matches everything when empty', () => {
    expect(shown('')).toEqual(['Agent-1', 'Agent-2', 'Agent-3']);
    expect(shown('   ')).toEqual(['Agent-1', 'Agent-2', 'Agent-3']);
  });

  it('matches plain text and id: against the id, case-insensitively', () => {
    expect(shown('agent-2')).toEqual(['Agent-2']);
    expect(shown('id:T-3')).toEqual(['Agent-3']);
  });

  it('matches verdicts, lists of them, and their negation', () => {
    expect(shown('verdict:drift')).toEqual(['Agent-2']);
    expect(shown('!verdict:drift')).toEqual(['Agent-1', 'Agent-3']);
    expect(shown('verdict:drift,in-sync')).toEqual(['Agent-1', 'Agent-2', 'Agent-3']);
    expect(shown('verdict:insync')).toEqual(['Agent-1', 'Agent-3']);
  });

  it('matches a field value in any source, as the vocabulary compares', () => {
    expect(shown('fsm:IDLE')).toEqual(['Agent-1']);
    expect(shown('fsm:uninitialized')).toEqual(['Agent-2']);
    expect(shown('FSM:ready')).toEqual(['Agent-2']);
    expect(shown('fsm:"task execution"')).toEqual(['Agent-3']);
    expect(shown('!fsm:idle')).toEqual(['Agent-2', 'Agent-3']);
  });

  it('matches the source a difference is in', () => {
    expect(shown('source:display')).toEqual(['Agent-2']);
    expect(shown('source:file')).toEqual([]);
  });

  it('has a regex form, for the id and for field values', () => {
    expect(shown('/-[12]$/')).toEqual(['Agent-1', 'Agent-2']);
    expect(shown('!/-[12]$/')).toEqual(['Agent-3']);
    expect(shown('fsm:/^(idle|ready)$/')).toEqual(['Agent-1', 'Agent-2']);
    expect(shown('/agent 3|-3/')).toEqual(['Agent-3']);
  });

  it('needs every term to match', () => {
    expect(shown('agent !verdict:drift !fsm:idle')).toEqual(['Agent-3']);
  });

  it('names the column of a problem', () => {
    expect(parseFilter('verdict:drfit')).toMatchObject({ ok: false, column: 9 });
    expect(parseFilter('verdict:drfit').ok === false && parseFilter('verdict:drfit')).toMatchObject({
      message: expect.stringContaining("unknown verdict 'drfit'"),
    });
    expect(parseFilter('ok fsm:"idle')).toMatchObject({ ok: false, column: 8 });
    expect(parseFilter('a /[/')).toMatchObject({ ok: false, column: 3 });
    expect(parseFilter('/abc')).toMatchObject({ ok: false, column: 1 });
    expect(parseFilter('x !')).toMatchObject({ ok: false, column: 3 });
    expect(parseFilter('fsm:')).toMatchObject({ ok: false, column: 5 });
    expect(parseFilter(':x')).toMatchObject({ ok: false, column: 1 });
  });

  it('checks field and source names against the config', () => {
    expect(filterProblem(parsed('fsm:idle status:onboarded source:display'), config)).toBeNull();
    expect(filterProblem(parsed('x colour:red'), config)).toMatchObject({
      column: 3,
      message: expect.stringContaining("unknown field 'colour'"),
    });
    expect(filterProblem(parsed('source:nope'), config)).toMatchObject({
      column: 1,
      message: expect.stringContaining("unknown source 'nope'"),
    });
  });
});
