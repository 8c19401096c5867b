// What the operator approved, frozen: the writes a confirmation (or the detail pane, or the
// `r` key) showed at the moment it was shown, and the guard that compares them with what
// resolving would write now. An agent whose plan changed since (its truth moved, or the
// target moved under it) is not written; the result says what it is now, so the operator
// can look again (README.md: "R asks first"; docs/DESIGN.md principles 4 and 5).
import { sanitizeText, sanitizeValue } from '../sanitize.js';
import type { AgentState, PlannedWrite } from '../types.js';

/** One write as it was shown: enough to tell whether resolving now would do the same. */
export interface FrozenWrite {
  field: string;
  path: readonly string[];
  before: unknown;
  after: unknown;
}

/** The approved plan of one agent (an empty list: it was shown with nothing to write). */
export interface FrozenAgent {
  id: string;
  verdict: AgentState['verdict'] | 'gone';
  writes: readonly FrozenWrite[];
}

export interface FrozenPlan {
  agents: readonly FrozenAgent[];
  /** How many writes in all, when frozen. */
  writes: number;
}

/** Machine-readable reasons an approved agent was not written. */
export type GuardCause = 'changed-since-planned' | 'gone-since-planned';

/** `reason` names the agent; `detail` is the same without it (for a line that shows the id). */
export type GuardResult = { ok: true } | { ok: false; cause: GuardCause; reason: string; detail: string };

export function freezeWrites(plan: readonly PlannedWrite[]): FrozenWrite[] {
  return plan.map((w) => ({ field: w.field, path: [...w.path], before: w.before, after: w.after }));
}

export function freezeAgent(id: string, agent: AgentState | undefined): FrozenAgent {
  if (!agent) return { id, verdict: 'gone', writes: [] };
  return { id, verdict: agent.verdict, writes: freezeWrites(agent.plan) };
}

/** Freeze the plans of `ids` as `agents` show them now (ids no agent has are frozen as gone). */
export function freezePlan(
  ids: readonly string[],
  agents: ReadonlyMap<string, AgentState> | readonly AgentState[],
): FrozenPlan {
  const byId =
    agents instanceof Map ? agents : new Map((agents as readonly AgentState[]).map((a) => [a.id, a]));
  const frozen = ids.map((id) => freezeAgent(id, byId.get(id)));
  return { agents: frozen, writes: frozen.reduce((n, a) => n + a.writes.length, 0) };
}

/** Values compared as JSON: a raw value may be an object or an array (never written, shown). */
function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameWrite(a: FrozenWrite, b: FrozenWrite): boolean {
  return (
    a.field === b.field &&
    a.path.length === b.path.length &&
    a.path.every((p, i) => p === b.path[i]) &&
    same(a.before, b.before) &&
    same(a.after, b.after)
  );
}

/** Whether two lists of writes are the same writes, in any order. */
export function sameWrites(a: readonly FrozenWrite[], b: readonly FrozenWrite[]): boolean {
  if (a.length !== b.length) return false;
  const left = [...b];
  for (const w of a) {
    const i = left.findIndex((x) => sameWrite(w, x));
    if (i < 0) return false;
    left.splice(i, 1);
  }
  return true;
}

/** `fsm: idle -> blocked, status: false -> true` (sanitised). */
export function describeWrites(writes: readonly FrozenWrite[], max = 24): string {
  return writes
    .map((w) => `${sanitizeText(w.field)}: ${sanitizeValue(w.before, max)} -> ${sanitizeValue(w.after, max)}`)
    .join(', ');
}

/** What an agent would write now, in words, for a "changed since you looked" message. */
export function describeNow(agent: AgentState | undefined): string {
  if (!agent) return 'gone from every source';
  if (agent.plan.length > 0) return describeWrites(freezeWrites(agent.plan));
  return `${agent.verdict}, nothing to write${agent.reasons[0] ? ` (${sanitizeText(agent.reasons[0])})` : ''}`;
}

/**
 * May the approved writes of `frozen` go ahead, given the agent as it is now? Only when
 * resolving it now would write exactly what was approved. An agent approved with nothing
 * to write that now has writes is not written either: nobody saw those.
 */
export function guardAgent(frozen: FrozenAgent, now: AgentState | undefined): GuardResult {
  const id = sanitizeText(frozen.id);
  if (!now) {
    if (frozen.verdict === 'gone') return { ok: true };
    const detail = 'is gone from every source since you looked; not written';
    return { ok: false, cause: 'gone-since-planned', reason: `${id} ${detail}`, detail };
  }
  if (sameWrites(frozen.writes, freezeWrites(now.plan))) return { ok: true };
  const detail = `changed since you looked: now ${describeNow(now)}; not written`;
  return { ok: false, cause: 'changed-since-planned', reason: `${id} ${detail}`, detail };
}

/** Agents of a frozen plan whose plan differs now (for marking lines in an open dialog). */
export function changedSince(
  plan: FrozenPlan,
  agents: ReadonlyMap<string, AgentState>,
): Map<string, GuardResult & { ok: false }> {
  const out = new Map<string, GuardResult & { ok: false }>();
  for (const f of plan.agents) {
    const g = guardAgent(f, agents.get(f.id));
    if (!g.ok) out.set(f.id, g);
  }
  return out;
}
