// The terminal bell when an agent newly drifts, and `b` turning it on and off (--quiet and
// the demo start with it off).
import { useCallback, useEffect, useRef, useState } from 'react';
import { newlyDrifted } from '../../core/tui/ui-state.js';
import type { EngineSnapshot } from '../../shell/engine-types.js';

/** Rings on new drift while on; returns the toggle (it says whether the bell is on now). */
export function useBell(live: EngineSnapshot, startOn: boolean, ring: () => void): () => boolean {
  const [on, setOn] = useState(startOn);
  const onRef = useRef(on);
  const ringRef = useRef(ring);
  ringRef.current = ring;
  const prevLiveRef = useRef<EngineSnapshot | null>(null);
  useEffect(() => {
    const prev = prevLiveRef.current;
    prevLiveRef.current = live;
    if (prev === null || prev === live || !on) return;
    if (newlyDrifted(prev.recon.agents, live.recon.agents).length > 0) ringRef.current();
  }, [live, on]);
  return useCallback(() => {
    onRef.current = !onRef.current;
    setOn(onRef.current);
    return onRef.current;
  }, []);
}
