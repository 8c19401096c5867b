// The vocabulary panel's selection, and the way to teach an alias (passed in by
// src/cli/tui.ts: the UI never writes files itself).
import { useCallback, useState } from 'react';

/** Writes `value` as an alias of `canonical` for `field`; resolves to a line for the status. */
export type AcceptAlias = (a: { field: string; value: string; canonical: string }) => Promise<string>;

export interface VocabView {
  selected: number;
  move: (delta: number, count: number) => void;
  /** Select a value by field and text (the detail pane's hint opens the panel on it). */
  select: (index: number) => void;
}

export function useVocab(): VocabView {
  const [selected, setSelected] = useState(0);
  const move = useCallback(
    (delta: number, count: number) => setSelected((s) => Math.max(0, Math.min(count - 1, s + delta))),
    [],
  );
  return { selected, move, select: setSelected };
}
