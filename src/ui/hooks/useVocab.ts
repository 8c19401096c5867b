// The vocabulary panel's selection, and the way to teach an alias (passed in by
// src/cli/tui.ts: the UI never writes files itself). The selection is a value, not a line:
// when an accepted value moves in the list (known values sort after unknown ones) it stays
// selected.
import { useCallback, useState } from 'react';
import type { VocabRow } from '../VocabPanel.js';

/** Writes `value` as an alias of `canonical` for `field`; resolves to a line for the status. */
export type AcceptAlias = (a: { field: string; value: string; canonical: string }) => Promise<string>;

export interface VocabView {
  /** The selected row's index in `rows` (0 when the selected value is gone). */
  selectedIn: (rows: readonly VocabRow[]) => number;
  move: (delta: number, rows: readonly VocabRow[]) => void;
  select: (row: VocabRow | undefined) => void;
}

const keyOf = (r: VocabRow): string => `${r.source}\u0000${r.field}\u0000${r.value.value}`;

export function useVocab(): VocabView {
  const [key, setKey] = useState<string | null>(null);
  const selectedIn = useCallback(
    (rows: readonly VocabRow[]) => Math.max(0, key === null ? 0 : rows.findIndex((r) => keyOf(r) === key)),
    [key],
  );
  const move = useCallback(
    (delta: number, rows: readonly VocabRow[]) => {
      const at = Math.max(0, Math.min(rows.length - 1, selectedIn(rows) + delta));
      if (rows[at]) setKey(keyOf(rows[at]));
    },
    [selectedIn],
  );
  const select = useCallback((row: VocabRow | undefined) => setKey(row ? keyOf(row) : null), []);
  return { selectedIn, move, select };
}
