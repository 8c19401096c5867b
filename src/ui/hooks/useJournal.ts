// The journal panel's data: read when it opens (and after an undo from it), newest first.
import { useCallback, useState } from 'react';
import { journalActions, type ActionModel, type JournalEntry } from '../../core/write/journal-model.js';

export type ReadJournal = () => Promise<{ entries: readonly JournalEntry[] }>;

export interface JournalView {
  actions: readonly ActionModel[] | null;
  selected: number;
  error: string | null;
  reload: () => void;
  move: (delta: number) => void;
}

export function useJournal(read: ReadJournal | undefined): JournalView {
  const [actions, setActions] = useState<readonly ActionModel[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    if (!read) {
      setError('this screen has no journal');
      return;
    }
    read().then(
      (j) => {
        setActions(journalActions(j.entries).reverse());
        setError(null);
      },
      (e: unknown) => setError(e instanceof Error ? e.message : String(e)),
    );
  }, [read]);
  const move = useCallback(
    (delta: number) => setSelected((s) => Math.max(0, Math.min((actions?.length ?? 1) - 1, s + delta))),
    [actions],
  );
  return {
    actions,
    selected: Math.min(selected, Math.max(0, (actions?.length ?? 1) - 1)),
    error,
    reload,
    move,
  };
}
