// Auto-resolve (`a`, or `policy.auto_resolve`): drifted agents are resolved as they appear,
// in batches so keys get through between engine calls; each agent is tried once per
// signature, so a write that does not settle it is not retried in a loop.
import { useEffect, useRef, useState } from 'react';
import { agentSignature, autoResolveCandidates } from '../../core/tui/ui-state.js';
import type { EngineLike, EngineSnapshot } from '../../shell/engine-types.js';
import type { RunAction } from './useStatus.js';

/** Most agents one auto-resolve call takes on. */
const AUTO_BATCH = 50;

export function useAutoResolve(
  on: boolean,
  readOnly: boolean,
  live: EngineSnapshot,
  engine: EngineLike,
  runAction: RunAction,
): { reset: () => void } {
  const autoRef = useRef({ inFlight: false, tried: new Map<string, string>() });
  const [autoTick, setAutoTick] = useState(0);
  useEffect(() => {
    if (!on || readOnly || autoRef.current.inFlight) return;
    const candidates = autoResolveCandidates(live.recon.agents, live.pending, autoRef.current.tried).slice(
      0,
      AUTO_BATCH,
    );
    if (candidates.length === 0) return;
    for (const a of candidates) autoRef.current.tried.set(a.id, agentSignature(a));
    autoRef.current.inFlight = true;
    const ids = candidates.map((a) => a.id);
    const label = `auto: resolving ${ids.length === 1 ? ids[0] : `${ids.length} drifted agents`}`;
    void runAction(label, () => engine.resolve(ids)).finally(() => {
      autoRef.current.inFlight = false;
      setAutoTick((n) => n + 1);
    });
  }, [live, on, readOnly, autoTick, engine, runAction]);
  return { reset: () => autoRef.current.tried.clear() };
}
