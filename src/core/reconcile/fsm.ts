// FSM rules: the FSM guards moves, not catching up (docs/DESIGN.md principle 8). A target that lags
// may jump forward to a state reachable along allowed transitions; a state it cannot reach
// (backwards, or forbidden) is a conflict with the reason.
import type { FsmRules } from '../types.js';

export type Reachability = { ok: true; path: string[] } | { ok: false; reason: string };

/** Shortest path of allowed transitions from `from` to `to` (breadth-first). */
export function reach(rules: FsmRules, from: string, to: string): Reachability {
  if (from === to) return { ok: true, path: [from] };
  if (!(from in rules.transitions)) return { ok: false, reason: `${from} is not a state of the FSM` };
  if (!(to in rules.transitions)) return { ok: false, reason: `${to} is not a state of the FSM` };
  const previous = new Map<string, string>([[from, from]]);
  const queue = [from];
  for (let i = 0; i < queue.length; i++) {
    const state = queue[i]!;
    for (const next of rules.transitions[state] ?? []) {
      if (previous.has(next)) continue;
      previous.set(next, state);
      if (next === to) {
        const path = [to];
        for (let s = state; s !== from; s = previous.get(s)!) path.push(s);
        path.push(from);
        return { ok: true, path: path.reverse() };
      }
      queue.push(next);
    }
  }
  return { ok: false, reason: `no allowed transition leads from ${from} to ${to}` };
}

/** Problems with a rule set: transitions naming states that are not in the vocabulary. */
export function checkRules(rules: FsmRules, states: readonly string[]): string[] {
  const known = new Set(states);
  const problems: string[] = [];
  for (const [from, tos] of Object.entries(rules.transitions)) {
    if (!known.has(from)) problems.push(`transition from unknown state ${from}`);
    for (const to of tos)
      if (!known.has(to)) problems.push(`transition ${from} -> ${to} names unknown state ${to}`);
  }
  return problems;
}
