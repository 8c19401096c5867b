// Which agents the table shows, in which order (README.md "Keys and screen"): the verdict
// filter, the text filter and the sort. Pure; re-exported by src/core/tui/ui-state.ts.
import { compareAgentIds, severity } from '../reconcile/reconcile.js';
import type { AgentState, Config, Verdict } from '../types.js';
import { liveFilter, matches } from '../view/filter.js';
import { sortByColumn, type ColumnSort } from '../view/table-sort.js';

/** `f` cycles through every verdict (README.md "Keys and screen"). */
export type VerdictFilter = 'all' | 'problems' | Verdict;
export const VERDICT_FILTERS: readonly VerdictFilter[] = [
  'all',
  'problems',
  'drift',
  'stale',
  'invalid',
  'conflict',
  'missing',
  'in-sync',
];
/** `problems`: the verdicts `check` fails on by default. */
export const PROBLEM_VERDICTS: readonly Verdict[] = ['invalid', 'missing', 'conflict', 'drift'];

export type SortMode = 'id' | 'severity' | 'changed';
export const SORT_MODES: readonly SortMode[] = ['id', 'severity', 'changed'];
export const SORT_LABEL: Record<SortMode, string> = {
  id: 'agent id',
  severity: 'verdict severity',
  changed: 'last change',
};

const searchCache = new WeakMap<AgentState, string>();

export function scalarText(v: unknown): string {
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

/** Lower-case text a filter is matched against: id, verdict, every value and raw value. */
export function searchText(a: AgentState): string {
  let t = searchCache.get(a);
  if (t !== undefined) return t;
  const parts: string[] = [a.id, a.verdict];
  for (const o of Object.values(a.observations)) {
    for (const f of Object.values(o.fields)) {
      if (f.value !== null) parts.push(String(f.value));
      const raw = scalarText(f.raw);
      if (raw !== '') parts.push(raw);
    }
  }
  t = parts.join('\u0000').toLowerCase();
  searchCache.set(a, t);
  return t;
}

export function verdictShown(v: Verdict, filter: VerdictFilter): boolean {
  switch (filter) {
    case 'all':
      return true;
    case 'problems':
      return PROBLEM_VERDICTS.includes(v);
    default:
      return v === filter;
  }
}

// The last list found in id order: the next snapshot's list usually holds the same ids in
// the same order, and comparing ids for equality is far cheaper than comparing them
// naturally (10,000 collator comparisons per snapshot otherwise).
let lastSorted: readonly AgentState[] = [];

function sortedById(agents: readonly AgentState[]): boolean {
  const prev = lastSorted;
  if (prev.length === agents.length) {
    let same = true;
    for (let i = 0; i < agents.length; i++) {
      if (agents[i]!.id !== prev[i]!.id) {
        same = false;
        break;
      }
    }
    if (same) return true;
  }
  for (let i = 1; i < agents.length; i++)
    if (compareAgentIds(agents[i - 1]!.id, agents[i]!.id) > 0) return false;
  lastSorted = agents;
  return true;
}

/**
 * The agents the table shows: verdict filter, then text filter (case-insensitive, over
 * the id and every value), then the sort; ties always fall back to natural id order
 * (Agent-9 before Agent-10). `changedAt` (agent id -> epoch ms) feeds the `changed` sort.
 */
/** The parts of the UI state that decide which agents are shown and how they are sorted. */
export interface ShownBy {
  filterText: string;
  verdictFilter: VerdictFilter;
  sort: SortMode;
  columnSort?: ColumnSort | null;
}

export function visibleAgents(
  agents: readonly AgentState[],
  state: ShownBy,
  changedAt?: ReadonlyMap<string, number>,
  config: Pick<Config, 'fields'> = { fields: [] },
): AgentState[] {
  // The filter language of src/core/view/filter.ts; plain words use the cached search text.
  const { filter } = liveFilter(state.filterText);
  const plain = filter.terms.every((t) => !t.negate && t.kind === 'text' && t.match.kind === 'text');
  const needles = plain
    ? filter.terms.map((t) => (t.kind === 'text' && t.match.kind === 'text' ? t.match.text : ''))
    : [];
  const out = agents.filter((a) => {
    if (!verdictShown(a.verdict, state.verdictFilter)) return false;
    if (plain) return needles.every((n) => searchText(a).includes(n));
    return matches(filter, a, config);
  });
  if (state.columnSort) return sortByColumn(out, state.columnSort, changedAt);
  switch (state.sort) {
    case 'id':
      // The engine lists agents in this order already: check in one pass, sort if not.
      if (!sortedById(out)) out.sort((a, b) => compareAgentIds(a.id, b.id));
      break;
    case 'severity':
      out.sort((a, b) => severity(a.verdict) - severity(b.verdict) || compareAgentIds(a.id, b.id));
      break;
    case 'changed': {
      const at = (a: AgentState) => changedAt?.get(a.id) ?? -Infinity;
      out.sort((a, b) => at(b) - at(a) || compareAgentIds(a.id, b.id));
      break;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// How the terminal's rows are shared out
