// `sync-tui wait` decides here whether the selected agents have settled (README.md
// "wait"). Pure: a reconciliation comes in, the verdict goes out.
import { matches, type Filter } from '../view/filter.js';
import type { Config, Reconciliation, Verdict } from '../types.js';

export interface WaitSelection {
  filter: Filter;
  /** Agent ids named on the command line; each must be present and settled. */
  ids: readonly string[];
  /** Stale counts as not settled. */
  strict: boolean;
}

export interface Unsettled {
  agent: string;
  /** null: a named agent that no source lists. */
  verdict: Verdict | null;
  pending: boolean;
  reason: string;
}

export interface WaitState {
  settled: boolean;
  /** How many agents the selection covers. */
  selected: number;
  unsettled: Unsettled[];
}

/** The verdicts that count as settled. */
export function settledVerdicts(strict: boolean): readonly Verdict[] {
  return strict ? ['in-sync'] : ['in-sync', 'stale'];
}

export function waitState(
  recon: Reconciliation,
  config: Config,
  sel: WaitSelection,
  pending: ReadonlySet<string> = new Set(),
): WaitState {
  const ok = settledVerdicts(sel.strict);
  const named = new Set(sel.ids);
  const unsettled: Unsettled[] = [];
  let selected = 0;
  const seen = new Set<string>();
  for (const a of recon.agents) {
    if (named.size > 0 && !named.has(a.id)) continue;
    if (!matches(sel.filter, a, config)) continue;
    seen.add(a.id);
    selected++;
    const busy = pending.has(a.id);
    if (ok.includes(a.verdict) && !busy) continue;
    const reason = busy ? 'a write is being verified' : (a.reasons[0] ?? a.verdict);
    unsettled.push({ agent: a.id, verdict: a.verdict, pending: busy, reason });
  }
  for (const id of sel.ids) {
    if (seen.has(id) || recon.agents.some((a) => a.id === id)) continue;
    selected++;
    unsettled.push({ agent: id, verdict: null, pending: false, reason: 'no source lists this agent' });
  }
  return { settled: unsettled.length === 0, selected, unsettled };
}
