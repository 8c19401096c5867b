// Auto-resolve as a pure state machine (time passed in): which drifted agents are due for
// a resolve, exponential backoff per agent, and flap detection.
//
// Backoff. The first resolve of a drifted agent is immediate. After the k-th consecutive
// attempt the next one waits baseDelayMs * 2^(k-1) (1 s, 2 s, 4 s, ... capped at
// maxDelayMs = 5 min). The count goes back to zero once the agent has been in sync (or
// stale: its values agree) for resetAfterMs (60 s).
//
// Flapping. When a resolve wrote value X into the target for (agent, field) and a later
// snapshot shows the target holding something else again while the agent differs from
// the truth on that field, that is a revert: another writer changed it back. flapThreshold
// (3) reverts within flapWindowMs (10 min) mark the agent flapping: it is no longer
// auto-resolved and ONE `flapping` event says so. It resumes when
//   - an operator resolves or undoes it by hand (the shell reports journal entries of
//     actions it did not make: `operatorAction`), or
//   - its values are back in line (in-sync/stale) for resetAfterMs, or
//   - flapQuietMs (30 min) pass without a revert: auto-resolve tries again, at the backoff
//     it had reached, and flags it again (a new `flapping` event) if the fight goes on.
// Only agents whose verdict is `drift` are auto-resolved (never conflict, missing or
// invalid: those need a person), and only when they have a plan.
//
// Memory: an agent has an entry only while it has something to remember (attempts,
// values written and not yet seen changed, recent reverts, the flapping flag); entries of
// agents that left the snapshot are dropped, and written values and reverts older than the
// flap window are forgotten. So the state is bounded by the agents currently in trouble.
import type { Reconciliation, Verdict } from '../types.js';

export interface AutoResolveParams {
  baseDelayMs: number;
  maxDelayMs: number;
  resetAfterMs: number;
  flapThreshold: number;
  flapWindowMs: number;
  flapQuietMs: number;
}

export const DEFAULT_AUTO_PARAMS: AutoResolveParams = {
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60_000,
  resetAfterMs: 60_000,
  flapThreshold: 3,
  flapWindowMs: 10 * 60_000,
  flapQuietMs: 30 * 60_000,
};

export interface ArmedWrite {
  value: unknown;
  action: string | null;
  at: number;
}

export interface AgentAuto {
  /** Consecutive resolve attempts since the agent was last settled. */
  attempts: number;
  /** No resolve before this time (epoch ms). */
  nextAllowedAt: number;
  /** Since when the agent's values agree (in-sync or stale), or null. */
  inSyncSince: number | null;
  /** field -> value we wrote into the target and have not yet seen changed. */
  armed: Readonly<Record<string, ArmedWrite>>;
  /** Times of reverts within the window, oldest first (at most flapThreshold kept). */
  reverts: readonly number[];
  /** Fields reverted recently (for the message). */
  revertedFields: readonly string[];
  flapping: { since: number; fields: string[] } | null;
}

export interface AutoState {
  agents: ReadonlyMap<string, AgentAuto>;
}

export type AutoEvent =
  | { kind: 'flapping'; agent: string; fields: string[]; reverts: number; message: string }
  | { kind: 'resumed'; agent: string; why: 'operator' | 'in-sync' | 'quiet'; message: string };

export interface ResolveOutcomeLike {
  agent: string;
  status: string;
  writes: readonly { field: string; after: unknown }[];
  /**
   * The engine's machine-readable cause. `overwritten`: the write went through but another
   * writer replaced the value before it could be read back (a failed verification): a
   * revert in all but name.
   */
  cause?: string;
}

export function initialAutoState(): AutoState {
  return { agents: new Map() };
}

const EMPTY: AgentAuto = {
  attempts: 0,
  nextAllowedAt: 0,
  inSyncSince: null,
  armed: {},
  reverts: [],
  revertedFields: [],
  flapping: null,
};

function settled(v: Verdict): boolean {
  return v === 'in-sync' || v === 'stale';
}

function isIdle(s: AgentAuto): boolean {
  return (
    s.attempts === 0 && Object.keys(s.armed).length === 0 && s.reverts.length === 0 && s.flapping === null
  );
}

/** Wait after `attempts` consecutive attempts: 0 for none, then base * 2^(attempts-1), capped. */
export function backoffDelay(attempts: number, p: AutoResolveParams = DEFAULT_AUTO_PARAMS): number {
  if (!(attempts > 0)) return 0;
  // 2^k overflows nothing here: the exponent is clamped well before doubles lose integers.
  const exp = Math.min(attempts - 1, 52);
  return Math.min(p.maxDelayMs, p.baseDelayMs * 2 ** exp);
}

function fmtMs(ms: number): string {
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

/**
 * Take in a new snapshot: track in-sync periods, spot reverts of values we wrote, flag
 * flapping agents, resume them when allowed, and forget what no longer matters.
 * `target` is the name of the source resolution writes (config.policy.target).
 * Agents in `pending` (a write in flight) are left as they are.
 */
export function autoObserve(
  state: AutoState,
  recon: Reconciliation,
  target: string,
  now: number,
  p: AutoResolveParams = DEFAULT_AUTO_PARAMS,
  pending: ReadonlySet<string> = new Set(),
): { state: AutoState; events: AutoEvent[] } {
  const events: AutoEvent[] = [];
  const next = new Map<string, AgentAuto>();
  for (const a of recon.agents) {
    const old = state.agents.get(a.id);
    if (!old) continue; // nothing remembered: nothing to update (a first attempt creates the entry)
    if (pending.has(a.id)) {
      next.set(a.id, old);
      continue;
    }
    let s: AgentAuto = { ...old };
    // Settled long enough (judged on the period up to this snapshot): start afresh.
    const settledFor = s.inSyncSince === null ? 0 : now - s.inSyncSince;
    if (settledFor >= p.resetAfterMs) {
      if (s.flapping)
        events.push({
          kind: 'resumed',
          agent: a.id,
          why: 'in-sync',
          message: `auto-resolve resumed for ${a.id}: its values agreed for ${fmtMs(settledFor)}`,
        });
      s = {
        ...s,
        attempts: 0,
        nextAllowedAt: 0,
        flapping: null,
        revertedFields: s.flapping ? [] : s.revertedFields,
        reverts: s.flapping ? [] : s.reverts,
      };
    }
    s.inSyncSince = settled(a.verdict) ? (s.inSyncSince ?? now) : null;

    // Reverts: a value we wrote is gone and the target differs from the truth there again.
    const armed = { ...s.armed };
    let reverts = s.reverts.filter((t) => now - t < p.flapWindowMs);
    const revertedFields = new Set(s.revertedFields);
    let revertedNow = false;
    for (const [field, w] of Object.entries(s.armed)) {
      // A write older than the window can no longer add to a flap: forget it.
      if (now - w.at >= p.flapWindowMs) {
        delete armed[field];
        continue;
      }
      const cur = a.observations[target]?.fields[field];
      const holds = cur !== undefined && cur.raw === w.value;
      if (holds) continue;
      delete armed[field];
      if (a.differences.some((d) => d.field === field && d.source === target)) {
        if (!revertedNow) reverts = [...reverts, now];
        revertedNow = true;
        revertedFields.add(field);
      }
    }
    reverts = reverts.slice(-Math.max(1, p.flapThreshold));
    if (reverts.length === 0) revertedFields.clear();
    s = { ...s, armed, reverts, revertedFields: [...revertedFields] };

    if (!s.flapping && revertedNow && reverts.length >= p.flapThreshold) {
      const fields = [...revertedFields].sort();
      s.flapping = { since: now, fields };
      events.push({
        kind: 'flapping',
        agent: a.id,
        fields,
        reverts: reverts.length,
        message:
          `auto-resolve stopped for ${a.id}: another writer changed ${fields.join(', ')} in ${target} back ${reverts.length} times within ${fmtMs(p.flapWindowMs)}; ` +
          `resolve it by hand to resume (or it is retried after ${fmtMs(p.flapQuietMs)} without a revert)`,
      });
    } else if (s.flapping) {
      const lastRevert = s.reverts.length ? s.reverts[s.reverts.length - 1]! : s.flapping.since;
      const quietFor = now - Math.max(s.flapping.since, lastRevert);
      if (quietFor >= p.flapQuietMs) {
        events.push({
          kind: 'resumed',
          agent: a.id,
          why: 'quiet',
          message: `auto-resolve resumed for ${a.id}: no revert for ${fmtMs(quietFor)}; retrying with backoff`,
        });
        s = { ...s, flapping: null, reverts: [], revertedFields: [] };
      }
    }
    if (!isIdle(s)) next.set(a.id, s);
  }
  return { state: { agents: next }, events };
}

/** Drifted agents with a plan that auto-resolve may try now, in snapshot order. */
export function autoDue(
  state: AutoState,
  recon: Reconciliation,
  now: number,
  pending: ReadonlySet<string> = new Set(),
): string[] {
  const due: string[] = [];
  for (const a of recon.agents) {
    if (a.verdict !== 'drift' || a.plan.length === 0 || pending.has(a.id)) continue;
    const s = state.agents.get(a.id);
    if (s?.flapping) continue;
    if (s && now < s.nextAllowedAt) continue;
    due.push(a.id);
  }
  return due;
}

/** The next time something may become due (a backoff ends, a flapping agent's quiet period ends), or null. */
export function autoNextWake(
  state: AutoState,
  recon: Reconciliation,
  now: number,
  p: AutoResolveParams = DEFAULT_AUTO_PARAMS,
): number | null {
  let next = Infinity;
  for (const a of recon.agents) {
    const s = state.agents.get(a.id);
    if (!s) continue;
    if (s.flapping) {
      const lastRevert = s.reverts.length ? s.reverts[s.reverts.length - 1]! : s.flapping.since;
      next = Math.min(next, Math.max(s.flapping.since, lastRevert) + p.flapQuietMs);
      continue;
    }
    if (a.verdict === 'drift' && a.plan.length > 0 && s.nextAllowedAt > now)
      next = Math.min(next, s.nextAllowedAt);
    if (s.inSyncSince !== null && s.attempts > 0) next = Math.min(next, s.inSyncSince + p.resetAfterMs);
  }
  return next === Infinity ? null : next;
}

/** A resolve of these agents starts now: count the attempt and push the next one back. */
export function autoAttempt(
  state: AutoState,
  agents: readonly string[],
  now: number,
  p: AutoResolveParams = DEFAULT_AUTO_PARAMS,
): AutoState {
  const next = new Map(state.agents);
  for (const id of agents) {
    const s = next.get(id) ?? EMPTY;
    const attempts = s.attempts + 1;
    next.set(id, { ...s, attempts, nextAllowedAt: now + backoffDelay(attempts, p), inSyncSince: null });
  }
  return { agents: next };
}

/**
 * The result of a resolve: values that were written and held when read back (`resolved`,
 * or `unresolved` for another reason) are remembered, so that a writer changing them back
 * is noticed; so are writes that were overwritten before the read-back (`overwritten`),
 * which the next snapshot then shows as a revert. Other failures (the registry could not
 * be written) are not reverts: the backoff handles them.
 */
export function autoResult(
  state: AutoState,
  outcomes: readonly ResolveOutcomeLike[],
  action: string | null,
  now: number,
): AutoState {
  const next = new Map(state.agents);
  for (const o of outcomes) {
    const held =
      o.status === 'resolved' ||
      o.status === 'unresolved' ||
      (o.status === 'failed' && o.cause === 'overwritten');
    if (!held || o.writes.length === 0) continue;
    const s = next.get(o.agent) ?? EMPTY;
    const armed = { ...s.armed };
    for (const w of o.writes) armed[w.field] = { value: w.after, action, at: now };
    next.set(o.agent, { ...s, armed });
  }
  return { agents: next };
}

/** An operator resolved or undid this agent by hand: forget the fight and resume. */
export function operatorAction(
  state: AutoState,
  agent: string,
  action: string,
): { state: AutoState; events: AutoEvent[] } {
  const s = state.agents.get(agent);
  if (!s) return { state, events: [] };
  const next = new Map(state.agents);
  next.delete(agent);
  const events: AutoEvent[] = s.flapping
    ? [
        {
          kind: 'resumed',
          agent,
          why: 'operator',
          message: `auto-resolve resumed for ${agent}: an operator acted on it (${action})`,
        },
      ]
    : [];
  return { state: { agents: next }, events };
}

export function isFlapping(state: AutoState, agent: string): boolean {
  return state.agents.get(agent)?.flapping != null;
}
