// Saves the settings that persist per root (src/core/tui/ui-settings.ts) when one changes:
// half a second after the last change, and at once when the screen goes away, so a quick
// `q` after a change still keeps it. A failed write is said once on the status line.
import { useEffect, useRef } from 'react';
import { serializeSettings, settingsOf } from '../../core/tui/ui-settings.js';
import type { UiState } from '../../core/tui/ui-state.js';
import type { Say } from './useStatus.js';

export type SaveSettings = (text: string) => Promise<string | null>;

const SETTLE_MS = 500;

export function useSavedSettings(
  state: UiState,
  bell: boolean,
  save: SaveSettings | undefined,
  say: Say,
): void {
  const text = serializeSettings(settingsOf(state, bell));
  // What the file holds (as far as this session knows): the start is not a change.
  const savedRef = useRef(text);
  const pendingRef = useRef<string | null>(null);
  const failedRef = useRef(false);
  const sayRef = useRef(say);
  sayRef.current = say;

  const flushRef = useRef(() => {});
  flushRef.current = () => {
    const next = pendingRef.current;
    pendingRef.current = null;
    if (next === null || next === savedRef.current || !save) return;
    savedRef.current = next;
    void save(next).then((problem) => {
      if (problem !== null && !failedRef.current) {
        failedRef.current = true;
        sayRef.current(`settings not saved: ${problem}`, 'warn');
      }
    });
  };

  useEffect(() => {
    if (text === savedRef.current || !save) return;
    pendingRef.current = text;
    const t = setTimeout(() => flushRef.current(), SETTLE_MS);
    return () => clearTimeout(t);
  }, [text, save]);

  useEffect(() => () => flushRef.current(), []);
}
