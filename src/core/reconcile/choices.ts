// The winners an operator may pick for an agent in conflict, each with what picking it
// would write, and the decisions picking it records (src/core/reconcile/decisions.ts). Only choices
// that can be carried out are offered: one that would leave the agent in conflict (an
// unknown value, a value the target cannot hold) is listed with the reason instead.
import { marksFor, type Decision } from './decisions.js';
import { freezeWrites, type FrozenWrite } from '../plan/frozen-plan.js';
import { reconcileAgent } from './reconcile.js';
import { sanitizeText } from '../sanitize.js';
import type { AgentState, Config } from '../types.js';

export interface Choice {
  source: string;
  /** Whether picking it settles the conflict (offered with a number) or not (shown, why). */
  ok: boolean;
  /** What picking it writes to the target (may be empty: the target already agrees). */
  writes: FrozenWrite[];
  /** Fields whose truth it settles (a decision each). */
  fields: string[];
  /** The agent as it would be under the choice. */
  after: AgentState;
  /** Why it is not offered. */
  why?: string;
}

export function preferring(config: Config, source: string): Config {
  return { ...config, policy: { ...config.policy, prefer: source } };
}

/** The agent reconciled again from its own observations with `source` winning. */
export function underPreference(agent: AgentState, config: Config, source: string, now: number): AgentState {
  return reconcileAgent(
    agent.id,
    new Map(Object.entries(agent.observations)),
    preferring(config, source),
    now,
  );
}

/** How a field stands: the truth could be chosen, what would be written, whether it differs. */
function standing(a: AgentState, field: string): string {
  const w = a.plan.find((p) => p.field === field);
  return JSON.stringify([
    a.truth[field]?.value === null,
    w ? [w.path, w.after] : null,
    a.differences.some((d) => d.field === field),
  ]);
}

/** Fields the preference settles: `source` wins them, and they stand otherwise than under
 *  the policy alone (a conflict, a write the policy would not make, a difference left). */
export function settledFields(normal: AgentState, preferred: AgentState, source: string): string[] {
  return Object.keys(preferred.truth).filter(
    (f) =>
      preferred.truth[f]!.from === source &&
      normal.truth[f]?.from !== source &&
      standing(normal, f) !== standing(preferred, f),
  );
}

/** Every source that holds a value for the agent, as a possible winner. */
export function conflictChoices(agent: AgentState, config: Config, now: number): Choice[] {
  const out: Choice[] = [];
  for (const spec of config.sources) {
    const o = agent.observations[spec.name];
    if (!o || !o.present || !o.readable) continue;
    if (!Object.values(o.fields).some((f) => f.raw !== null)) continue;
    const after = underPreference(agent, config, spec.name, now);
    const fields = settledFields(agent, after, spec.name);
    const writes = freezeWrites(after.plan);
    const stuck = after.verdict === 'conflict' || after.verdict === 'invalid';
    const why = stuck
      ? sanitizeText(after.reasons[0] ?? after.verdict)
      : fields.length === 0 && writes.length === 0
        ? 'changes nothing'
        : undefined;
    out.push({
      source: spec.name,
      ok: why === undefined,
      writes,
      fields,
      after,
      ...(why !== undefined ? { why } : {}),
    });
  }
  return out;
}

/** The choices that can be carried out, in the order their number keys (1-9) pick them. */
export function offeredChoices(agent: AgentState, config: Config, now: number): Choice[] {
  return conflictChoices(agent, config, now)
    .filter((c) => c.ok)
    .slice(0, 9);
}

/** The decisions picking `source` for `normal` records (one per settled field). */
export function decisionsFor(
  normal: AgentState,
  preferred: AgentState,
  config: Config,
  source: string,
  at: string,
  action: string,
): Decision[] {
  const obs = preferred.observations;
  return settledFields(normal, preferred, source).map((field) => ({
    agent: normal.id,
    field,
    source,
    value: preferred.truth[field]!.value,
    marks: marksFor(obs, config, field, source),
    at,
    action,
  }));
}
