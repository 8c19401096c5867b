// What the table's marks mean (README.md "Keys and screen"): shown in the `?` overlay
// under the keys. One table, so the help cannot disagree with itself.
export interface LegendEntry {
  mark: string;
  meaning: string;
}

export const LEGEND: readonly LegendEntry[] = [
  { mark: '?value', meaning: 'a value outside the vocabulary (never coerced; `sync-tui vocab`)' },
  { mark: '·', meaning: 'the source lists the agent but holds no value for the field' },
  { mark: '—', meaning: 'the source does not list the agent (or: never, for an age)' },
  {
    mark: 'CHANGED',
    meaning: 'how long ago the row last changed on screen (—: no change seen since the view opened)',
  },
];
