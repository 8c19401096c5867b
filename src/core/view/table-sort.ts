// Sorting the table by any of its columns (`<` `>` choose the column, `I` reverses; the
// header shows an arrow): README.md "Keys and screen". Ties fall back to natural id order.
// Pure: the keys are read from the agent, never from a clock.
import { compareAgentIds, severity } from '../reconcile/reconcile.js';
import type { AgentState } from '../types.js';

export interface ColumnSort {
  /** A column id of src/core/view/view.ts columnsFor (`agent`, `verdict`, `fsm:display`, `seen`, `why`) or `changed`. */
  column: string;
  reverse: boolean;
}

type Key = number | string;

function keyOf(a: AgentState, column: string, changedAt?: ReadonlyMap<string, number>): Key {
  switch (column) {
    case 'agent':
      return a.id;
    case 'verdict':
      return severity(a.verdict);
    case 'seen':
      // Most recently seen first, like the age column reads (0s before 5m).
      return -(a.lastSeen ?? -Infinity);
    case 'changed':
      return -(changedAt?.get(a.id) ?? -Infinity);
    case 'why':
      return a.reasons[0] ?? '';
    default: {
      // `field:source`: that source's value for the field.
      const [field, source] = column.split(':');
      const o = source === undefined ? undefined : a.observations[source];
      const f = field === undefined ? undefined : o?.fields[field];
      return f?.value === null || f?.value === undefined ? '' : String(f.value);
    }
  }
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

function compareKeys(x: Key, y: Key): number {
  if (typeof x === 'number' && typeof y === 'number') return x === y ? 0 : x < y ? -1 : 1;
  // Empty values go last whichever way the rest is sorted.
  if (x === '' && y !== '') return 1;
  if (y === '' && x !== '') return -1;
  return collator.compare(String(x), String(y));
}

export function sortByColumn(
  agents: AgentState[],
  sort: ColumnSort,
  changedAt?: ReadonlyMap<string, number>,
): AgentState[] {
  const keys = new Map(agents.map((a) => [a, keyOf(a, sort.column, changedAt)]));
  const dir = sort.reverse ? -1 : 1;
  return agents.sort((a, b) => {
    const c = sort.column === 'agent' ? compareAgentIds(a.id, b.id) : compareKeys(keys.get(a)!, keys.get(b)!);
    return c !== 0 ? dir * c : compareAgentIds(a.id, b.id);
  });
}

/** The column after (`step` 1) or before (-1) the current one; from none, the first or last. */
export function nextSortColumn(
  columnIds: readonly string[],
  current: ColumnSort | null,
  step: 1 | -1,
): ColumnSort | null {
  if (columnIds.length === 0) return current;
  const i = current === null ? -1 : columnIds.indexOf(current.column);
  const j =
    i < 0 ? (step === 1 ? 0 : columnIds.length - 1) : (i + step + columnIds.length) % columnIds.length;
  return { column: columnIds[j]!, reverse: current?.reverse ?? false };
}
