// The decisions of `sync-tui watch` (and of the live view's history), apart from the
// processes and timers that carry them out (src/cli/watch.ts, src/shell/history-recorder.ts):
// which events a new snapshot makes, which history lines record them, what auto-resolve
// does next, which journal entries were an operator's resolve, and the events a resolve's
// outcome makes. Pure: snapshots, the time and the state come in; new state and events go out.
import {
  autoAttempt,
  autoDue,
  autoNextWake,
  autoObserve,
  autoResult,
  operatorAction,
  type AutoEvent,
  type AutoResolveParams,
  type AutoState,
  type ResolveOutcomeLike,
} from '../plan/autoresolve.js';
import type { HistoryEntry } from './history-report.js';
import { valueLines } from './value-changes.js';
import { formatIso, parseDuration } from '../time.js';
import { parseMetricsAddress, type MetricsAddress } from './metrics-model.js';
import type { Reconciliation, Verdict } from '../types.js';
import {
  agentEvent,
  diffHealth,
  diffSnapshots,
  workspaceEvent,
  type HealthLike,
  type HookReport,
  type WatchEvent,
} from './watch-events.js';

/** What the session needs of an action result (structurally the engine's ActionResult). */
export interface ActionLike {
  action: string | null;
  message: string;
  agents: readonly (ResolveOutcomeLike & {
    reason?: string;
    writes: readonly { field: string; path: string[]; before: unknown; after: unknown }[];
  })[];
}

/** What the session needs of an engine snapshot (structurally the engine's EngineSnapshot). */
export interface SnapshotLike {
  seq: number;
  at: number;
  recon: Reconciliation;
  health: readonly HealthLike[];
  pending: ReadonlySet<string>;
  lastAction: ActionLike | null;
  error: string | null;
}

/** The events and history lines a new snapshot makes (`prev` null: the first one, with a start line). */
export function observeSnapshot(
  prev: SnapshotLike | null,
  snap: SnapshotLike,
  pid: number,
): { events: WatchEvent[]; history: HistoryEntry[] } {
  const events = diffSnapshots(prev?.recon ?? null, snap.recon, snap.at);
  const history: HistoryEntry[] = [];
  if (prev === null) {
    const notInSync: Record<string, Verdict> = {};
    const reasons: Record<string, string> = {};
    for (const a of snap.recon.agents) {
      if (a.verdict === 'in-sync') continue;
      notInSync[a.id] = a.verdict;
      if (a.reasons[0] !== undefined) reasons[a.id] = a.reasons[0].slice(0, 200);
    }
    history.push({
      v: 1,
      kind: 'start',
      at: formatIso(snap.at),
      pid,
      agents: snap.recon.agents.length,
      notInSync,
      reasons,
    });
  }
  // A change right after our own resolve names the action.
  const action =
    snap.lastAction && snap.lastAction !== prev?.lastAction && snap.lastAction.action
      ? snap.lastAction
      : null;
  for (const e of events) {
    e.seq = snap.seq;
    if (action && e.agent !== null && action.agents.some((o) => o.agent === e.agent && o.writes.length > 0))
      e.action = action.action!;
    if (e.type === 'change' && e.agent !== null && e.verdict.before !== e.verdict.after) {
      const line: HistoryEntry = {
        v: 1,
        kind: 'verdict',
        at: e.at,
        agent: e.agent,
        before: e.verdict.before,
        after: e.verdict.after,
        reasons: e.reasons.slice(0, 5),
      };
      if (e.action) line.action = e.action;
      history.push(line);
    }
  }
  // Which source values changed (the detail pane's timeline; src/core/report/value-changes.ts).
  history.push(...valueLines(prev?.recon ?? null, snap.recon, snap.at));
  const sourceEvents = diffHealth(prev?.health ?? null, snap.health, snap.at);
  for (const e of sourceEvents) {
    e.seq = snap.seq;
    history.push({
      v: 1,
      kind: 'source',
      at: e.at,
      source: e.source!.name,
      healthy: e.source!.healthy.after,
      error: e.source!.error,
    });
  }
  if (snap.error && snap.error !== prev?.error) {
    const e = workspaceEvent('error', snap.at, snap.error);
    e.seq = snap.seq;
    events.push(e);
  }
  return { events: [...events, ...sourceEvents], history };
}

/** The stop line of a session. */
export function stopLine(now: number, pid: number): HistoryEntry {
  return { v: 1, kind: 'stop', at: formatIso(now), pid };
}

/** Auto-resolve's flapping/resumed decisions as watch events and history lines. */
export function autoEventsOut(
  events: readonly AutoEvent[],
  recon: Reconciliation,
  now: number,
): { events: WatchEvent[]; history: HistoryEntry[] } {
  const out: WatchEvent[] = [];
  const history: HistoryEntry[] = [];
  for (const ev of events) {
    const a = recon.agents.find((x) => x.id === ev.agent);
    const e = agentEvent(ev.kind, a, a?.verdict ?? null, now, ev.agent);
    e.message = ev.message;
    out.push(e);
    const line: HistoryEntry = { v: 1, kind: ev.kind, at: e.at, agent: ev.agent, message: ev.message };
    if (ev.kind === 'flapping') line.fields = ev.fields;
    history.push(line);
  }
  return { events: out, history };
}

export interface AutoPlan {
  state: AutoState;
  events: AutoEvent[];
  /** Agents to resolve now (empty while a resolve is in flight). */
  due: string[];
  /** When to look again (epoch ms), or null. */
  wakeAt: number | null;
  /** Some agent is flapping: the journal is to be polled for an operator's resolve. */
  flapping: boolean;
}

/** One auto-resolve step over a snapshot. */
export function autoPlan(
  state: AutoState,
  snap: SnapshotLike,
  target: string,
  now: number,
  params: AutoResolveParams,
  inFlight: boolean,
): AutoPlan {
  const observed = autoObserve(state, snap.recon, target, now, params, snap.pending);
  let next = observed.state;
  let due: string[] = [];
  if (!inFlight) {
    due = autoDue(next, snap.recon, now, snap.pending);
    if (due.length > 0) next = autoAttempt(next, due, now, params);
  }
  const wakeAt = autoNextWake(next, snap.recon, now, params);
  const flapping = [...next.agents.values()].some((s) => s.flapping);
  return { state: next, events: observed.events, due, wakeAt, flapping };
}

/** Journal entries that are resolves or undos by someone else (not among `ours`): they resume flapping agents. */
export function operatorActions(
  state: AutoState,
  entries: readonly unknown[],
  ours: readonly string[],
): { state: AutoState; events: AutoEvent[] } {
  let next = state;
  let events: AutoEvent[] = [];
  for (const v of entries) {
    const e = v as { action?: unknown; agent?: unknown; kind?: unknown; outcome?: unknown };
    if (typeof e.action !== 'string' || typeof e.agent !== 'string' || ours.includes(e.action)) continue;
    if ((e.kind !== 'resolve' && e.kind !== 'undo') || (e.outcome !== 'verified' && e.outcome !== 'applied'))
      continue;
    const r = operatorAction(next, e.agent, e.action);
    next = r.state;
    events = events.concat(r.events);
  }
  return { state: next, events };
}

/**
 * The outcome of an auto-resolve: the new state and one event per agent it was for (none
 * for an agent that came in line by itself meanwhile). A failed read-back (cause
 * `overwritten`) counts as a revert (core/autoresolve.ts).
 */
export function resolveOutcome(
  state: AutoState,
  due: readonly string[],
  before: ReadonlyMap<string, Verdict | null>,
  r: ActionLike,
  after: Reconciliation,
  now: number,
): { state: AutoState; events: WatchEvent[] } {
  const next = autoResult(state, r.agents, r.action, now);
  const outcomes = new Map(r.agents.map((o) => [o.agent, o]));
  const events: WatchEvent[] = [];
  for (const id of due) {
    const o = outcomes.get(id);
    if (o?.status === 'in-sync') continue;
    const ok = o?.status === 'resolved';
    const ev = agentEvent(
      ok ? 'resolved' : 'resolve-failed',
      after.agents.find((a) => a.id === id),
      before.get(id) ?? null,
      now,
      id,
    );
    if (r.action && o && o.writes.length > 0) ev.action = r.action;
    if (o && o.writes.length > 0) ev.writes = [...o.writes];
    ev.message = ok ? r.message : (o?.reason ?? r.message);
    events.push(ev);
  }
  return { state: next, events };
}

/** A resolve that threw: one resolve-failed event per agent. */
export function resolveThrew(
  due: readonly string[],
  before: ReadonlyMap<string, Verdict | null>,
  recon: Reconciliation,
  message: string,
  now: number,
): WatchEvent[] {
  return due.map((id) => {
    const ev = agentEvent(
      'resolve-failed',
      recon.agents.find((a) => a.id === id),
      before.get(id) ?? null,
      now,
      id,
    );
    ev.message = message;
    return ev;
  });
}

/** The hook-failed event for a hook that failed (or for events the full hook queue dropped). */
export function hookEvent(r: HookReport, now: number): WatchEvent {
  const e = workspaceEvent('hook-failed', now);
  e.agent = r.event?.agent ?? null;
  e.hook = r;
  if (r.dropped)
    e.message = `hook queue full: dropped ${r.dropped.since} event(s) (${r.dropped.total} in total)`;
  else
    e.message = r.timedOut
      ? `hook timed out after ${r.durationMs} ms`
      : r.exitCode !== null
        ? `hook exited with ${r.exitCode}`
        : r.signal
          ? `hook killed by ${r.signal}`
          : 'hook could not run';
  return e;
}

// ---------------------------------------------------------------------------------------
// The command line

/** A hook is killed after this long unless --hook-timeout says otherwise. */
export const HOOK_TIMEOUT_MS = 10_000;
/** Per-agent metric series by default at most (cardinality: docs/metrics.md). */
export const PER_AGENT_CAP = 1000;

/** What `watch` was asked for, as the session uses it. */
export interface WatchSettings {
  /** The safety-net re-read period (--interval), or null for none. */
  interval: number | null;
  hookTimeout: number;
  metrics: MetricsAddress | null;
  /** The per-agent series cap (--metrics-per-agent), or null for none. */
  perAgentCap: number | null;
}

function durationOption(name: string, text: string | undefined, min: number): number | null | string {
  if (text === undefined) return null;
  const ms = parseDuration(text);
  if (ms === null || ms < min)
    return `${name}: expected a duration of at least ${min} ms like 30s, 5m or 1h, found '${text}'`;
  return ms;
}

/** The options of `watch` checked; a string is the usage error to say (naming the option). */
export function watchSettings(opts: {
  interval?: string;
  hookTimeout?: string;
  onDrift?: string;
  metrics?: string;
  metricsPerAgent?: string | boolean;
}): WatchSettings | string {
  const interval = durationOption('--interval', opts.interval, 100);
  if (typeof interval === 'string') return interval;
  const hookTimeout = durationOption('--hook-timeout', opts.hookTimeout, 10);
  if (typeof hookTimeout === 'string') return hookTimeout;
  if (opts.onDrift !== undefined && opts.onDrift.trim() === '') return '--on-drift: expected a command';
  const metrics = opts.metrics === undefined ? null : parseMetricsAddress(opts.metrics);
  if (metrics !== null && 'message' in metrics) return `--metrics: ${metrics.message}`;
  let perAgentCap: number | null = null;
  if (opts.metricsPerAgent !== undefined && opts.metricsPerAgent !== false) {
    if (metrics === null) return '--metrics-per-agent: needs --metrics';
    perAgentCap = opts.metricsPerAgent === true ? PER_AGENT_CAP : Number(opts.metricsPerAgent);
    if (!Number.isInteger(perAgentCap) || perAgentCap < 1)
      return `--metrics-per-agent: expected a whole number of at least 1, found '${String(opts.metricsPerAgent)}'`;
  }
  return { interval, hookTimeout: hookTimeout ?? HOOK_TIMEOUT_MS, metrics, perAgentCap };
}
