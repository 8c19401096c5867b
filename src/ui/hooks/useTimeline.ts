// The selected agent's timeline for the detail pane (README.md "The live view"): read through
// `readTimeline` (src/shell/timeline-data.ts; src/cli/tui.ts passes it) once the selection
// has settled for a moment while the pane is open, again when the agent's state changes,
// and shaped into rows by the pure src/core/report/timeline.ts.
import { useEffect, useState } from 'react';
import { agentTimeline, type TimelineRow } from '../../core/report/timeline.js';
import type { AgentState } from '../../core/types.js';
import type { TimelineData } from '../../shell/timeline-data.js';

export type ReadTimeline = (agent: string) => Promise<TimelineData>;

export interface TimelineView {
  agent: string;
  rows: readonly TimelineRow[];
  problems: readonly string[];
}

/** How long the selection must stay on an agent before its timeline is read. */
const SETTLE_MS = 150;

export function useTimeline(
  read: ReadTimeline | undefined,
  open: boolean,
  agent: AgentState | null,
  clock: () => number,
): TimelineView | null {
  const [view, setView] = useState<TimelineView | null>(null);
  const id = agent?.id ?? null;
  useEffect(() => {
    if (!read || !open || id === null) return;
    let live = true;
    const t = setTimeout(() => {
      read(id).then(
        (d) => {
          if (!live) return;
          const rows = agentTimeline({
            agent: id,
            history: d.history,
            journal: d.journal,
            keys: d.keys,
            now: clock(),
          });
          setView({ agent: id, rows, problems: d.problems });
        },
        (e: unknown) =>
          live && setView({ agent: id, rows: [], problems: [e instanceof Error ? e.message : String(e)] }),
      );
    }, SETTLE_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
    // The agent's state object changes when anything about it does: read again then.
  }, [read, open, id, agent, clock]);
  return view !== null && view.agent === id ? view : null;
}
