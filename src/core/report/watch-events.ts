// The events `sync-tui watch` prints: one JSON object per line (a contract, like
// `check --json`). Pure: snapshots and the time come in, events go out.
//
// Every event has the same base keys, so a consumer can read any line the same way:
//
//   { "type": "change", "at": "ISO-8601", "seq": 12, "agent": "Agent-2",
//     "verdict": { "before": "in-sync", "after": "drift" },
//     "differences": [ { "field": "fsm", "source": "display", "expected": "READY",
//                        "actual": "UNINITIALIZED", "actualRaw": "uninitialized" } ],
//     "truth": { "status": "ONBOARDED", "fsm": "READY" },
//     "reasons": [ "fsm: display has 'uninitialized', expected 'ready'" ],
//     "alert": "drift" }
//
// type:
//   initial         the first snapshot. One summary event (agent null, `summary` holds the
//                   counts per verdict, `message` says what is watched), then one event per
//                   agent that is not `in-sync` (stale included), with verdict.before null.
//   change          an agent's verdict, differences or truth value changed. verdict.before
//                   is null for an agent that appeared, verdict.after null for one that left.
//   resolved        auto-resolve brought the agent in line; `action` is the journal id,
//                   `writes` what was written.
//   resolve-failed  auto-resolve tried and the agent is not in line; `message` says why,
//                   `action` is set when something was written.
//   flapping        auto-resolve stopped for this agent: another writer keeps changing the
//                   registry back. `message` says which fields and how to resume.
//   resumed         auto-resolve takes the agent up again (an operator resolved it, it was
//                   back in sync for a while, or it was quiet long enough).
//   hook-failed     the --on-drift command exited non-zero, timed out or could not start,
//                   or events were dropped because the hook queue was full; see `hook`.
//   source          a source's health changed; see `source`.
//   error           the engine or watch itself reported a problem; it keeps running.
// Optional keys: seq (the engine snapshot), action, writes, message, alert, summary,
// source, hook. `alert` is set (to the new verdict: drift, conflict, missing or invalid)
// exactly on the events the --on-drift hook runs for.
import { agentJson, type AgentJson } from './report.js';
import { formatIso } from '../time.js';
import type { AgentState, Reconciliation, Verdict, VerdictCounts } from '../types.js';
import { VERDICTS } from '../types.js';

export const WATCH_EVENT_TYPES = [
  'initial',
  'change',
  'resolved',
  'resolve-failed',
  'flapping',
  'resumed',
  'hook-failed',
  'source',
  'error',
] as const;
export type WatchEventType = (typeof WATCH_EVENT_TYPES)[number];

/** Verdicts that raise an alert (the --on-drift hook) when an agent enters them. */
export const ALERT_VERDICTS: readonly Verdict[] = ['drift', 'conflict', 'missing', 'invalid'];

export type DifferenceJson = AgentJson['differences'][number];

export interface WatchEvent {
  type: WatchEventType;
  /** ISO-8601 time of the snapshot (or of the action) the event describes. */
  at: string;
  /** Engine snapshot sequence number, where the event comes from a snapshot. */
  seq?: number;
  /** Agent id, or null for events about the whole workspace. */
  agent: string | null;
  verdict: { before: Verdict | null; after: Verdict | null };
  differences: DifferenceJson[];
  /** field -> canonical truth value (null when no source has one). */
  truth: Record<string, unknown>;
  /** Human reasons for the current verdict, worst first. */
  reasons: string[];
  /** Set when this event should alert (the hook runs): the verdict the agent entered. */
  alert?: Verdict;
  /** Journal action id (resolved, resolve-failed, and a change our resolve caused). */
  action?: string;
  writes?: { field: string; path: string[]; before: unknown; after: unknown }[];
  message?: string;
  /** initial: the counts per verdict. */
  summary?: { agents: number } & VerdictCounts;
  /** source: which source and how its health moved. */
  source?: { name: string; healthy: { before: boolean | null; after: boolean }; error: string | null };
  /** hook-failed: what ran and how it ended. */
  hook?: HookReport;
}

export interface HookReport {
  command: string;
  /** The event the hook ran for (type and agent), when it ran for one. */
  event: { type: WatchEventType; agent: string | null } | null;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  durationMs: number;
  /** The end of what the hook printed (bounded). */
  stdout: string;
  stderr: string;
  /** Events dropped because the queue was full (since the last report / in total). */
  dropped?: { since: number; total: number };
}

/** Minimal source health, structurally compatible with the engine's SourceHealth. */
export interface HealthLike {
  name: string;
  healthy: boolean;
  lastError: string | null;
}

export function isAlertVerdict(v: Verdict | null): v is Verdict {
  return v !== null && ALERT_VERDICTS.includes(v);
}

/** The base keys of an event about one agent in its current state. */
export function agentEvent(
  type: WatchEventType,
  a: AgentState | undefined,
  before: Verdict | null,
  now: number,
  id?: string,
): WatchEvent {
  const json = a ? agentJson(a, Object.keys(a.truth)) : null;
  return {
    type,
    at: formatIso(now),
    agent: a?.id ?? id ?? null,
    verdict: { before, after: a?.verdict ?? null },
    differences: json?.differences ?? [],
    truth: json?.truth ?? {},
    reasons: a?.reasons ?? [],
  };
}

/** An event about the whole workspace (agent null, no verdict). */
export function workspaceEvent(type: WatchEventType, now: number, message?: string): WatchEvent {
  const e: WatchEvent = {
    type,
    at: formatIso(now),
    agent: null,
    verdict: { before: null, after: null },
    differences: [],
    truth: {},
    reasons: [],
  };
  if (message !== undefined) e.message = message;
  return e;
}

function sameDifferences(a: AgentState, b: AgentState): boolean {
  if (a.differences.length !== b.differences.length) return false;
  return a.differences.every((d, i) => {
    const e = b.differences[i]!;
    return (
      d.field === e.field &&
      d.source === e.source &&
      d.expected === e.expected &&
      d.actual === e.actual &&
      sameRaw(d.actualRaw, e.actualRaw)
    );
  });
}

function sameRaw(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

function sameTruth(a: AgentState, b: AgentState): boolean {
  const keys = new Set([...Object.keys(a.truth), ...Object.keys(b.truth)]);
  for (const k of keys) if ((a.truth[k]?.value ?? null) !== (b.truth[k]?.value ?? null)) return false;
  return true;
}

/** Whether anything watch reports about the agent changed (verdict, differences, truth values). */
export function agentChanged(a: AgentState, b: AgentState): boolean {
  return a.verdict !== b.verdict || !sameDifferences(a, b) || !sameTruth(a, b);
}

function withAlert(e: WatchEvent): WatchEvent {
  const { before, after } = e.verdict;
  if (isAlertVerdict(after) && before !== after) e.alert = after;
  return e;
}

function summaryMessage(recon: Reconciliation): string {
  const parts = VERDICTS.filter((v) => recon.summary[v] > 0).map((v) => `${recon.summary[v]} ${v}`);
  return `watching ${recon.summary.agents} agent${recon.summary.agents === 1 ? '' : 's'}${parts.length ? `: ${parts.join(', ')}` : ''}`;
}

/**
 * Events between two reconciliations. `prev` null means the first snapshot: an `initial`
 * summary plus one `initial` event per agent not in sync. Otherwise one `change` event per
 * agent whose verdict, differences or truth changed, appeared or left, in agent order.
 */
export function diffSnapshots(prev: Reconciliation | null, next: Reconciliation, now: number): WatchEvent[] {
  if (prev === null) {
    const head = workspaceEvent('initial', now, summaryMessage(next));
    head.summary = { ...next.summary };
    const rest = next.agents
      .filter((a) => a.verdict !== 'in-sync')
      .map((a) => withAlert(agentEvent('initial', a, null, now)));
    return [head, ...rest];
  }
  const before = new Map(prev.agents.map((a) => [a.id, a]));
  const events: WatchEvent[] = [];
  const seen = new Set<string>();
  for (const a of next.agents) {
    seen.add(a.id);
    const b = before.get(a.id);
    if (b && !agentChanged(b, a)) continue;
    events.push(withAlert(agentEvent('change', a, b?.verdict ?? null, now)));
  }
  for (const b of prev.agents) {
    if (seen.has(b.id)) continue;
    const gone = agentEvent('change', undefined, b.verdict, now, b.id);
    gone.message = 'no source lists this agent any more';
    events.push(gone);
  }
  return events;
}

/** `source` events for sources whose health changed (all unhealthy ones on the first call). */
export function diffHealth(
  prev: readonly HealthLike[] | null,
  next: readonly HealthLike[],
  now: number,
): WatchEvent[] {
  const events: WatchEvent[] = [];
  for (const h of next) {
    const p = prev?.find((x) => x.name === h.name);
    if (prev === null ? h.healthy : p !== undefined && p.healthy === h.healthy) continue;
    const e = workspaceEvent(
      'source',
      now,
      h.healthy
        ? `source ${h.name} is healthy again`
        : `source ${h.name} is unhealthy: ${h.lastError ?? 'cannot be read'}`,
    );
    e.source = {
      name: h.name,
      healthy: { before: p ? p.healthy : null, after: h.healthy },
      error: h.healthy ? null : h.lastError,
    };
    events.push(e);
  }
  return events;
}
