import { describe, expect, it } from 'vitest';
import type { AgentState } from '../../src/core/types.js';
import {
  acceptsStatus,
  autoResolveCandidates,
  agentSignature,
  changedAgents,
  frameBudget,
  initialState,
  newlyDrifted,
  nextAgeTick,
  reduce,
  resolveSelection,
  visibleAgents,
  windowFor,
  type UiAction,
  type UiState,
} from '../../src/core/tui/ui-state.js';
import { fiveAgents } from '../helpers/workspace.js';

const agents = fiveAgents;

const ids = (list: readonly AgentState[]) => list.map((a) => a.id);
const run = (state: UiState, ...actions: UiAction[]) => actions.reduce(reduce, state);

describe('visibleAgents', () => {
  it('sorts ids in natural order: Agent-10 follows Agent-9', () => {
    expect(ids(visibleAgents(agents().reverse(), initialState))).toEqual([
      'Agent-1',
      'Agent-2',
      'Agent-9',
      'Agent-10',
      'Agent-11',
    ]);
  });

  it('sorts by severity, worst first, ties by id', () => {
    const list = visibleAgents(agents(), { ...initialState, sort: 'severity' });
    expect(list.map((a) => a.verdict)).toEqual(['invalid', 'conflict', 'drift', 'stale', 'in-sync']);
  });

  it('sorts by last change, newest first, unknown last', () => {
    const changedAt = new Map([
      ['Agent-9', 5],
      ['Agent-2', 9],
    ]);
    expect(ids(visibleAgents(agents(), { ...initialState, sort: 'changed' }, changedAt))).toEqual([
      'Agent-2',
      'Agent-9',
      'Agent-1',
      'Agent-10',
      'Agent-11',
    ]);
  });

  it('filters by verdict: problems, drift, stale, invalid', () => {
    const all = agents();
    expect(ids(visibleAgents(all, { ...initialState, verdictFilter: 'problems' }))).toEqual([
      'Agent-2',
      'Agent-9',
      'Agent-11',
    ]);
    expect(ids(visibleAgents(all, { ...initialState, verdictFilter: 'drift' }))).toEqual(['Agent-2']);
    expect(ids(visibleAgents(all, { ...initialState, verdictFilter: 'stale' }))).toEqual(['Agent-10']);
    expect(ids(visibleAgents(all, { ...initialState, verdictFilter: 'invalid' }))).toEqual(['Agent-9']);
  });

  it('filters by text over ids and values, case-insensitively', () => {
    expect(ids(visibleAgents(agents(), { ...initialState, filterText: 'agent-1' }))).toEqual([
      'Agent-1',
      'Agent-10',
      'Agent-11',
    ]);
    expect(ids(visibleAgents(agents(), { ...initialState, filterText: 'uninitial' }))).toEqual(['Agent-2']);
    expect(ids(visibleAgents(agents(), { ...initialState, filterText: 'READY' }))).toEqual(['Agent-2']);
  });
});

describe('selection follows the agent', () => {
  const view = (rows: string[], height = 10) => ({ rows, height });

  it('survives a re-sort', () => {
    const list = agents();
    const byId = ids(visibleAgents(list, initialState));
    let s = run(initialState, { type: 'select', id: 'Agent-11', ...view(byId) });
    expect(resolveSelection(byId, s)).toEqual({ index: 4, id: 'Agent-11' });
    s = reduce(s, { type: 'cycle-sort' });
    const bySeverity = ids(visibleAgents(list, s));
    s = reduce(s, { type: 'sync', ...view(bySeverity) });
    expect(resolveSelection(bySeverity, s)).toEqual({ index: 1, id: 'Agent-11' });
    expect(s.selectedIndex).toBe(1);
  });

  it('survives a filter that keeps it, and moves to the neighbour when the agent goes', () => {
    const all = ['Agent-1', 'Agent-2', 'Agent-3', 'Agent-4'];
    let s = run(initialState, { type: 'select', id: 'Agent-3', ...view(all) });
    s = reduce(s, { type: 'sync', ...view(['Agent-3', 'Agent-4']) });
    expect(resolveSelection(['Agent-3', 'Agent-4'], s).id).toBe('Agent-3');
    s = reduce(s, { type: 'sync', ...view(all) });
    expect(s.selectedIndex).toBe(2);
    // Agent-3 disappears: the agent now at its index is selected.
    const without = ['Agent-1', 'Agent-2', 'Agent-4'];
    expect(resolveSelection(without, s)).toEqual({ index: 2, id: 'Agent-4' });
    s = reduce(s, { type: 'sync', ...view(without) });
    expect(s.selectedId).toBe('Agent-4');
    // The last row disappears: the new last row is selected.
    expect(resolveSelection(['Agent-1'], s)).toEqual({ index: 0, id: 'Agent-1' });
    expect(resolveSelection([], s)).toEqual({ index: -1, id: null });
  });

  it('moves, pages and jumps within the rows', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `Agent-${i + 1}`);
    let s = run(initialState, { type: 'move', delta: 1, ...view(rows) });
    expect(s.selectedId).toBe('Agent-2');
    s = run(s, { type: 'move', delta: -5, ...view(rows) });
    expect(s.selectedId).toBe('Agent-1');
    s = run(s, { type: 'page', direction: 1, ...view(rows) });
    expect(s).toMatchObject({ selectedId: 'Agent-11', scrollTop: 1 });
    s = run(s, { type: 'jump', to: 'bottom', ...view(rows) });
    expect(s).toMatchObject({ selectedId: 'Agent-50', selectedIndex: 49, scrollTop: 40 });
    s = run(s, { type: 'page', direction: -1, ...view(rows) });
    expect(s).toMatchObject({ selectedId: 'Agent-40', scrollTop: 39 });
    s = run(s, { type: 'jump', to: 'top', ...view(rows) });
    expect(s).toMatchObject({ selectedId: 'Agent-1', scrollTop: 0 });
  });

  it('returns the same state when nothing changes (no re-render)', () => {
    const rows = ['Agent-1', 'Agent-2'];
    const s = run(initialState, { type: 'sync', ...view(rows) });
    expect(reduce(s, { type: 'sync', ...view(rows) })).toBe(s);
    expect(reduce(s, { type: 'move', delta: -1, ...view(rows) })).toBe(s);
  });
});

describe('windowFor', () => {
  it('shows height rows and scrolls as little as possible', () => {
    expect(windowFor(100, 0, 10, 0)).toEqual({ start: 0, end: 10, scrollTop: 0 });
    expect(windowFor(100, 9, 10, 0)).toEqual({ start: 0, end: 10, scrollTop: 0 });
    expect(windowFor(100, 10, 10, 0)).toEqual({ start: 1, end: 11, scrollTop: 1 });
    expect(windowFor(100, 5, 10, 8)).toEqual({ start: 5, end: 15, scrollTop: 5 });
    expect(windowFor(100, 99, 10, 0)).toEqual({ start: 90, end: 100, scrollTop: 90 });
  });

  it('never scrolls past either end: a scroll beyond the rows, no rows at all, a zero height', () => {
    expect(windowFor(5, 2, 10, 7)).toEqual({ start: 0, end: 5, scrollTop: 0 });
    expect(windowFor(0, -1, 10, 3)).toEqual({ start: 0, end: 0, scrollTop: 0 });
    expect(windowFor(30, 29, 10, 1000)).toEqual({ start: 20, end: 30, scrollTop: 20 });
    expect(windowFor(30, 3, 0, 0)).toEqual({ start: 3, end: 4, scrollTop: 3 });
  });

  it('after a terminal grows, shows more rows without losing the selection', () => {
    const small = windowFor(100, 50, 10, 41);
    const big = windowFor(100, 50, 40, small.scrollTop);
    expect(big.start).toBeLessThanOrEqual(50);
    expect(big.end).toBeGreaterThan(50);
    expect(big.end - big.start).toBe(40);
  });
});

describe('marks', () => {
  it('toggle by id and clear', () => {
    let s = run(initialState, { type: 'toggle-mark', id: 'Agent-2' }, { type: 'toggle-mark', id: 'Agent-9' });
    expect([...s.marks]).toEqual(['Agent-2', 'Agent-9']);
    s = reduce(s, { type: 'toggle-mark', id: 'Agent-2' });
    expect([...s.marks]).toEqual(['Agent-9']);
    s = reduce(s, { type: 'clear-marks' });
    expect(s.marks.size).toBe(0);
    expect(reduce(s, { type: 'clear-marks' })).toBe(s);
  });
});

describe('filter input', () => {
  it('types, deletes, accepts and escapes', () => {
    let s = run(
      initialState,
      { type: 'filter-start' },
      { type: 'filter-type', text: 'ag' },
      { type: 'filter-type', text: 'ent-1' },
    );
    expect(s).toMatchObject({ mode: 'filter-input', filterText: 'agent-1' });
    s = run(s, { type: 'filter-backspace' }, { type: 'filter-backspace' });
    expect(s.filterText).toBe('agent');
    s = reduce(s, { type: 'filter-accept' });
    expect(s).toMatchObject({ mode: 'normal', filterText: 'agent' });
    s = run(s, { type: 'filter-start' }, { type: 'filter-type', text: 'x' }, { type: 'filter-cancel' });
    expect(s).toMatchObject({ mode: 'normal', filterText: '' });
  });

  it('ignores control characters and typing outside the prompt', () => {
    const s = run(initialState, { type: 'filter-start' }, { type: 'filter-type', text: 'a\u001b[2Jb\u0007' });
    expect(s.filterText).toBe('a[2Jb');
    expect(reduce(initialState, { type: 'filter-type', text: 'x' })).toBe(initialState);
    expect(run(initialState, { type: 'filter-start' }, { type: 'filter-backspace' }).filterText).toBe('');
  });

  it('returns to the detail pane it was opened from', () => {
    const s = run(
      initialState,
      { type: 'toggle-detail' },
      { type: 'filter-start' },
      { type: 'filter-accept' },
    );
    expect(s).toMatchObject({ mode: 'detail', base: 'detail' });
    expect(run(s, { type: 'help-open' }, { type: 'help-close' }).mode).toBe('detail');
    expect(run(s, { type: 'close-detail' }).mode).toBe('normal');
  });
});

describe('cycles and modes', () => {
  it('cycles the verdict filter and the sort', () => {
    const filters = [1, 2, 3, 4, 5, 6, 7, 8, 9].map(
      (n) =>
        Array.from({ length: n }).reduce<UiState>(
          (s) => reduce(s, { type: 'cycle-verdict-filter' }),
          initialState,
        ).verdictFilter,
    );
    expect(filters).toEqual([
      'problems',
      'drift',
      'stale',
      'invalid',
      'conflict',
      'missing',
      'in-sync',
      'all',
      'problems',
    ]);
    const sorts = [1, 2, 3].map(
      (n) =>
        Array.from({ length: n }).reduce<UiState>((s) => reduce(s, { type: 'cycle-sort' }), initialState)
          .sort,
    );
    expect(sorts).toEqual(['severity', 'changed', 'id']);
    // `s` leaves a column sort for the named sorts.
    const byColumn = reduce(initialState, {
      type: 'set-column-sort',
      sort: { column: 'fsm:file', reverse: true },
    });
    expect(reduce(byColumn, { type: 'cycle-sort' }).columnSort).toBeNull();
  });

  it('marks all given, inverts among the given, clears', () => {
    let s = reduce(initialState, { type: 'toggle-mark', id: 'Agent-9' });
    s = reduce(s, { type: 'mark-all', ids: ['Agent-1', 'Agent-2'] });
    expect([...s.marks].sort()).toEqual(['Agent-1', 'Agent-2', 'Agent-9']);
    s = reduce(s, { type: 'invert-marks', ids: ['Agent-2', 'Agent-3'] });
    expect([...s.marks].sort()).toEqual(['Agent-1', 'Agent-3', 'Agent-9']);
    expect(reduce(s, { type: 'clear-marks' }).marks.size).toBe(0);
  });

  it('opens and closes the confirmation with its agents', () => {
    let s = reduce(initialState, { type: 'confirm-open', confirm: { agents: ['Agent-2'], from: 'drift' } });
    expect(s).toMatchObject({ mode: 'confirm', confirm: { agents: ['Agent-2'] } });
    s = reduce(s, { type: 'confirm-close' });
    expect(s).toMatchObject({ mode: 'normal', confirm: null });
  });
});

describe('status line ordering', () => {
  it('never lets a late result of an older action overwrite a newer one', () => {
    let s = reduce(initialState, {
      type: 'status',
      status: { text: 'resolving Agent-2 …', tone: 'busy', token: 1, startedAtSeq: 10 },
    });
    s = reduce(s, {
      type: 'status',
      status: { text: 'undoing …', tone: 'busy', token: 2, startedAtSeq: 11 },
    });
    const late = reduce(s, {
      type: 'status',
      status: { text: 'Agent-2: resolved', tone: 'ok', token: 1, startedAtSeq: 10 },
    });
    expect(late).toBe(s);
    s = reduce(s, { type: 'status', status: { text: 'undid A1', tone: 'ok', token: 2, startedAtSeq: 12 } });
    expect(s.status?.text).toBe('undid A1');
  });

  it('rejects a result that started from an older snapshot than the one shown', () => {
    const current = { text: 'x', tone: 'ok' as const, token: 3, startedAtSeq: 20 };
    expect(acceptsStatus(current, { text: 'y', tone: 'ok', token: 3, startedAtSeq: 19 })).toBe(false);
    expect(acceptsStatus(current, { text: 'y', tone: 'ok', token: 3, startedAtSeq: 20 })).toBe(true);
    expect(acceptsStatus(current, { text: 'plain message', tone: 'info', token: 3 })).toBe(true);
  });
});

describe('frameBudget', () => {
  it('keeps the frame one line shorter than the terminal', () => {
    for (const rows of [3, 5, 8, 12, 24, 40, 100]) {
      for (const detail of [false, true]) {
        const b = frameBudget(rows, detail);
        expect(b.header + b.table + b.detail + b.status + b.hints, `${rows} ${detail}`).toBeLessThanOrEqual(
          rows - 1,
        );
        expect(b.table).toBeGreaterThanOrEqual(Math.min(2, rows - 1));
      }
    }
  });

  it('gives the detail pane about 40% when there is room', () => {
    const b = frameBudget(40, true);
    expect(b).toMatchObject({ header: 3, status: 1, hints: 1 });
    expect(b.detail / (b.detail + b.table)).toBeGreaterThan(0.35);
    expect(b.detail / (b.detail + b.table)).toBeLessThan(0.5);
    expect(frameBudget(40, false).detail).toBe(0);
  });
});

describe('comparing snapshots', () => {
  it('finds newly drifted agents, not ones that were drifted already', () => {
    const before = agents();
    expect(newlyDrifted(before, before)).toEqual([]);
    const after = before.map((a) => (a.id === 'Agent-1' ? { ...a, verdict: 'drift' as const } : a));
    expect(newlyDrifted(before, after)).toEqual(['Agent-1']);
    expect(changedAgents(before, after)).toEqual(['Agent-1']);
    expect(changedAgents(before, after.slice(1))).toEqual(['Agent-1']);
  });

  it('offers only drifted agents to auto-resolve, once per state, never one already pending', () => {
    const list = agents();
    expect(autoResolveCandidates(list, new Set(), new Map()).map((a) => a.id)).toEqual(['Agent-2']);
    expect(autoResolveCandidates(list, new Set(['Agent-2']), new Map())).toEqual([]);
    const tried = new Map([['Agent-2', agentSignature(list.find((a) => a.id === 'Agent-2')!)]]);
    expect(autoResolveCandidates(list, new Set(), tried)).toEqual([]);
  });

  it('ticks ages only when their text would change', () => {
    expect(nextAgeTick(1500)).toBe(58_500);
    expect(nextAgeTick(90_000)).toBe(30_000);
    expect(nextAgeTick(2 * 3_600_000)).toBe(3_600_000);
  });
});
