// Comparing snapshots: what changed, what newly drifted, what auto-resolve may touch
// (README.md "Keys and screen"). Pure; re-exported by src/core/tui/ui-state.ts.
import type { AgentState } from '../types.js';
import { scalarText } from './visible-agents.js';

const signatureCache = new WeakMap<AgentState, string>();

/** What an agent looks like, without anything that changes with the clock alone. */
export function agentSignature(a: AgentState): string {
  let s = signatureCache.get(a);
  if (s !== undefined) return s;
  const parts: string[] = [a.verdict];
  for (const [name, o] of Object.entries(a.observations)) {
    parts.push(`${name}:${o.present ? 1 : 0}${o.readable ? 1 : 0}`);
    for (const [field, f] of Object.entries(o.fields))
      parts.push(`${field}=${String(f.value)}|${scalarText(f.raw)}`);
  }
  for (const w of a.plan) parts.push(`plan:${w.field}=${String(w.after)}`);
  s = parts.join('\u0000');
  signatureCache.set(a, s);
  return s;
}

/** Ids of agents that differ between two lists (added, removed or changed). */
export function changedAgents(before: readonly AgentState[], after: readonly AgentState[]): string[] {
  const old = new Map(before.map((a) => [a.id, agentSignature(a)]));
  const out: string[] = [];
  for (const a of after) {
    if (old.get(a.id) !== agentSignature(a)) out.push(a.id);
    old.delete(a.id);
  }
  return [...out, ...old.keys()];
}

/** Agents whose verdict is drift now and was not before (a new agent that drifts counts). */
export function newlyDrifted(before: readonly AgentState[], after: readonly AgentState[]): string[] {
  const was = new Map(before.map((a) => [a.id, a.verdict]));
  return after.filter((a) => a.verdict === 'drift' && was.get(a.id) !== 'drift').map((a) => a.id);
}

/**
 * Agents auto-resolve may write now: drifted (never conflicts, which need a person), not
 * already pending, and not tried before in exactly this state (so an agent the engine
 * cannot settle is not retried in a loop; a change to it makes it eligible again).
 */
export function autoResolveCandidates(
  agents: readonly AgentState[],
  pending: ReadonlySet<string>,
  tried: ReadonlyMap<string, string>,
): AgentState[] {
  return agents.filter(
    (a) =>
      a.verdict === 'drift' &&
      a.plan.length > 0 &&
      !pending.has(a.id) &&
      tried.get(a.id) !== agentSignature(a),
  );
}
