// The terminal bell when an agent newly drifts (not with --quiet).
import { useEffect, useRef } from 'react';
import { newlyDrifted } from '../../core/tui/ui-state.js';
import type { EngineSnapshot } from '../../shell/engine-types.js';

export function useBell(live: EngineSnapshot, quiet: boolean, ring: () => void): void {
  const prevLiveRef = useRef<EngineSnapshot | null>(null);
  useEffect(() => {
    const prev = prevLiveRef.current;
    prevLiveRef.current = live;
    if (prev === null || prev === live || quiet) return;
    if (newlyDrifted(prev.recon.agents, live.recon.agents).length > 0) ring();
  }, [live, quiet, ring]);
}
