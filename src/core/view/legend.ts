// What the table's marks mean (README.md "Keys and screen"): shown in the `?` overlay
// under the keys, and under the table of every snapshot but JSON and CSV. One table, so
// the help and the snapshots cannot disagree.
export interface LegendEntry {
  mark: string;
  meaning: string;
  /** A few words, for the one-line legend under the keys. */
  short: string;
}

export const LEGEND: readonly LegendEntry[] = [
  {
    mark: '?value',
    meaning: 'a value outside the vocabulary (never coerced; `sync-tui vocab`)',
    short: 'not in the vocabulary',
  },
  { mark: '·', meaning: 'the source lists the agent but holds no value for the field', short: 'no value' },
  {
    mark: '—',
    meaning: 'the source does not list the agent (or: never, for an age)',
    short: 'not listed (ages: never)',
  },
  {
    mark: 'CHANGED',
    meaning: 'how long ago the row last changed on screen (—: no change seen since the view opened)',
    short: 'since the row changed on screen',
  },
];

/** The entries that apply to a table with these column ids: CHANGED only where that column is. */
export function legendFor(columnIds: readonly string[]): LegendEntry[] {
  return LEGEND.filter((e) => e.mark !== 'CHANGED' || columnIds.includes('changed'));
}
