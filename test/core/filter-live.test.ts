// The live view's `/` filter (src/core/view/filter.ts liveFilter) and sorting by a column (src/core/view/table-sort.ts)
// over agents reconciled from real source reads.
import { describe, expect, it } from 'vitest';
import { liveFilter, matches } from '../../src/core/view/filter.js';
import { nextSortColumn, sortByColumn } from '../../src/core/view/table-sort.js';
import { initialState, visibleAgents } from '../../src/core/tui/ui-state.js';
import { fiveAgents, incidentConfig } from '../helpers/workspace.js';

const config = incidentConfig();

const agents = fiveAgents;

const pick = (text: string) =>
  agents()
    .filter((a) => matches(liveFilter(text).filter, a, config))
    .map((a) => a.id);

describe('parseFilter / matches', () => {
  it('plain words must all appear (case-insensitive) in the id, verdict or a value', () => {
    expect(pick('')).toHaveLength(5);
    expect(pick('agent-1')).toEqual(['Agent-1', 'Agent-10', 'Agent-11']);
    expect(pick('agent-1 idle')).toEqual(['Agent-10', 'Agent-11']);
  });

  it('field:value looks at that field only, in any source or the truth', () => {
    expect(pick('fsm:READY')).toEqual(['Agent-2']);
    expect(pick('fsm:uninit')).toEqual(['Agent-2']);
    // `status:` is the other field: ACTIVE in the file of Agent-1 and Agent-10 (fsm ACTIVE too for Agent-1).
    expect(pick('status:active')).toEqual(['Agent-1', 'Agent-10']);
    expect(pick('id:agent-2')).toEqual(['Agent-2']);
  });

  it('verdict: and source: match the verdict and the sources that differ', () => {
    const all = agents();
    for (const v of ['drift', 'invalid', 'in-sync'] as const)
      expect(pick(`verdict:${v}`)).toEqual(all.filter((a) => a.verdict === v).map((a) => a.id));
    expect(pick('verdict:drift,invalid')).toEqual(
      all.filter((a) => a.verdict === 'drift' || a.verdict === 'invalid').map((a) => a.id),
    );
    // A verdict that is not one says so, with the column, and matches as text (nothing).
    expect(liveFilter('verdict:in').error).toMatch(/^column 9: unknown verdict 'in' \(expected one of /);
    expect(pick('verdict:in')).toEqual([]);
    const differInDisplay = all
      .filter((a) => a.differences.some((d) => d.source === 'display'))
      .map((a) => a.id);
    expect(differInDisplay.length).toBeGreaterThan(0);
    expect(pick('source:display')).toEqual(differInDisplay);
    expect(pick('source:nosuch')).toEqual([]);
  });

  it('! negates a term, and terms combine', () => {
    expect(pick('!agent-1')).toEqual(['Agent-2', 'Agent-9']);
    expect(pick('!verdict:in-sync !verdict:invalid fsm:idle')).toEqual(
      pick('fsm:idle').filter((id) => !['Agent-1', 'Agent-9'].includes(id)),
    );
  });

  it('/re/ is a case-insensitive regular expression, alone or as a field value, spaces and all', () => {
    expect(pick('/^agent-1\\d$/')).toEqual(['Agent-10', 'Agent-11']);
    expect(pick('fsm:/^(ready|onboarded)$/')).toEqual(['Agent-2', 'Agent-11']);
    expect(liveFilter('/a b/ c').filter.terms.map((t) => t.column)).toEqual([1, 7]);
    expect(pick('!/agent-\\d$/')).toEqual(['Agent-10', 'Agent-11']);
  });

  it('a bad regex says so and is matched as text; an unknown field is plain text', () => {
    const f = liveFilter('/(/');
    expect(f.error).toMatch(/^column 1: not a regular expression: .*; matched as text$/);
    expect(pick('/(/')).toEqual([]);
    expect(liveFilter('fsm:idle').error).toBeNull();
    // `12:30` names no field: matched as text, so nothing here (no value holds it).
    expect(pick('12:30')).toEqual([]);
    expect(pick('agent:1')).toEqual([]);
  });

  it('visibleAgents uses the language, with the config for field names', () => {
    expect(
      visibleAgents(agents(), { ...initialState, filterText: 'fsm:ready' }, undefined, config).map(
        (a) => a.id,
      ),
    ).toEqual(['Agent-2']);
    expect(
      visibleAgents(
        agents(),
        { ...initialState, filterText: '!agent-1', verdictFilter: 'invalid' },
        undefined,
        config,
      ).map((a) => a.id),
    ).toEqual(['Agent-9']);
  });
});

describe('sorting by a column', () => {
  it('sorts by a field column naturally, reverses, and keeps id order on ties', () => {
    const byFsm = sortByColumn(agents(), { column: 'fsm:file', reverse: false }).map((a) => [
      a.id,
      a.observations['file']?.fields['fsm']?.value ?? null,
    ]);
    expect(byFsm.map(([id]) => id)).toEqual(['Agent-1', 'Agent-10', 'Agent-11', 'Agent-2', 'Agent-9']);
    const rev = sortByColumn(agents(), { column: 'fsm:file', reverse: true }).map((a) => a.id);
    // Reversed: the whole order flips (the agent without a value, last ascending, comes first).
    expect(rev).toEqual(['Agent-9', 'Agent-2', 'Agent-11', 'Agent-10', 'Agent-1']);
  });

  it('sorts agents naturally and verdicts by severity', () => {
    expect(sortByColumn(agents(), { column: 'agent', reverse: true }).map((a) => a.id)).toEqual([
      'Agent-11',
      'Agent-10',
      'Agent-9',
      'Agent-2',
      'Agent-1',
    ]);
    expect(sortByColumn(agents(), { column: 'verdict', reverse: false })[0]!.verdict).toBe('invalid');
  });

  it('chooses the next and previous column, wrapping', () => {
    const cols = ['agent', 'fsm:file', 'verdict'];
    expect(nextSortColumn(cols, null, 1)).toEqual({ column: 'agent', reverse: false });
    expect(nextSortColumn(cols, null, -1)).toEqual({ column: 'verdict', reverse: false });
    expect(nextSortColumn(cols, { column: 'verdict', reverse: true }, 1)).toEqual({
      column: 'agent',
      reverse: true,
    });
  });
});
