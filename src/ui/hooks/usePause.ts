// Pause: the table shows a frozen snapshot while the engine keeps watching; the status line
// counts what is waiting.
import { useCallback, useMemo, useState } from 'react';
import { changedAgents } from '../../core/tui/ui-state.js';
import type { EngineSnapshot } from '../../shell/engine-types.js';

export interface Pause {
  /** What the screen shows: the frozen snapshot while paused, else the live one. */
  shown: EngineSnapshot;
  freeze: (snap: EngineSnapshot | null) => void;
  waiting: { updates: number; agents: number } | null;
}

export function usePause(paused: boolean, live: EngineSnapshot): Pause {
  const [frozen, setFrozen] = useState<EngineSnapshot | null>(null);
  const shown = paused && frozen !== null ? frozen : live;
  const waiting = useMemo(() => {
    if (!paused || frozen === null) return null;
    return {
      updates: Math.max(0, live.seq - frozen.seq),
      agents: live === frozen ? 0 : changedAgents(frozen.recon.agents, live.recon.agents).length,
    };
  }, [paused, frozen, live]);
  const freeze = useCallback((snap: EngineSnapshot | null) => setFrozen(snap), []);
  return { shown, freeze, waiting };
}
