// Ages ("3s ago") and changed-cell highlights tick only when a shown text would change:
// one timer to the next such moment (nextAgeTick), none when nothing shown has an age.
import { useEffect, useState } from 'react';
import { nextAgeTick } from '../../core/tui/ui-state.js';
import type { AgentState } from '../../core/types.js';
import type { EngineSnapshot } from '../../shell/engine-types.js';
import type { ChangeTracker } from '../table-model.js';

export function useAgeTicker(
  clock: () => number,
  shown: EngineSnapshot,
  rows: readonly AgentState[],
  win: { start: number; end: number },
  tracker: ChangeTracker,
): number {
  const [clockNow, setClockNow] = useState(clock);
  const now = Math.max(clockNow, shown.at);
  useEffect(() => {
    const ages: number[] = [];
    for (const h of shown.health) if (h.lastReadAt !== null) ages.push(now - h.lastReadAt);
    for (let i = win.start; i < win.end; i++) {
      const a = rows[i]!;
      if (a.lastSeen !== null) ages.push(now - a.lastSeen);
      const c = tracker.changedAt.get(a.id);
      if (c !== undefined) ages.push(now - c);
    }
    if (ages.length === 0) return;
    const delay = Math.min(...ages.map(nextAgeTick));
    const t = setTimeout(() => setClockNow(clock()), Math.min(2 ** 31 - 1, delay + 5));
    return () => clearTimeout(t);
  }, [now, shown, rows, win.start, win.end, tracker, clock]);
  return now;
}

/** Re-renders when the earliest highlight expires, so it goes off on time. */
export function useHighlightExpiry(litUntil: number | null, clock: () => number): void {
  const [, setLitTick] = useState(0);
  useEffect(() => {
    if (litUntil === null) return;
    const t = setTimeout(() => setLitTick((n) => n + 1), Math.max(1, litUntil - clock() + 5));
    return () => clearTimeout(t);
  }, [litUntil, clock]);
}
