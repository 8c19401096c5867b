// Reconciliation: observations from every source -> per-agent truth, differences,
// verdict and plan. Pure: `now` comes in as an argument.
import { reach } from './fsm.js';
import { formatDuration } from '../time.js';
import { hasHiddenChars, sanitizeValue } from '../sanitize.js';
import {
  absent,
  observeSource,
  resolvePath,
  sourceProblems,
  sourceReadable,
  type ObserveContext,
} from '../observe/normalize.js';
import { project, spell } from '../observe/vocab.js';
import { decisionHolds, type Decision, type DecisionIndex } from './decisions.js';
import type {
  AgentState,
  CanonicalValue,
  Config,
  Diagnostic,
  Difference,
  FieldObservation,
  FieldSpec,
  Observation,
  PlannedWrite,
  Reconciliation,
  SourceRead,
  SourceSpec,
  TruthValue,
  Verdict,
  VerdictCounts,
} from '../types.js';
import { VERDICTS } from '../types.js';

export function severity(v: Verdict): number {
  return VERDICTS.indexOf(v);
}

export function worst(a: Verdict, b: Verdict): Verdict {
  return severity(a) <= severity(b) ? a : b;
}

export function emptyCounts(): VerdictCounts {
  return Object.fromEntries(VERDICTS.map((v) => [v, 0])) as VerdictCounts;
}

/** Sources an agent writes itself (status files, event log): the candidates for truth. */
export function ownSources(config: Config): SourceSpec[] {
  return config.sources.filter((s) => s.kind !== 'registry' && s.name !== config.policy.target);
}

export function targetSource(config: Config): SourceSpec | undefined {
  return config.sources.find((s) => s.name === config.policy.target);
}

/** What one source says, observed: per-agent observations plus whether it could be read at all. */
export interface ObservedSource {
  spec: SourceSpec;
  seen: ReadonlyMap<string, Observation>;
  readable: boolean;
  problems: Diagnostic[];
}

/** Observe every source of a read (the whole picture, as `check` and a full refresh need). */
export function observeSources(
  reads: readonly SourceRead[],
  config: Config,
  now: number,
  only?: ReadonlySet<string>,
): ObservedSource[] {
  const ctx: ObserveContext = { fields: config.fields, timezone: config.timezone, now };
  if (only) ctx.only = only;
  return config.sources.map((spec) => {
    const read = reads.find((r) => r.source === spec.name);
    const readable = read !== undefined && sourceReadable(read, spec);
    const seen = read && readable ? observeSource(read, spec, ctx) : new Map<string, Observation>();
    const problems = read
      ? sourceProblems(read, spec)
      : [{ severity: 'error' as const, code: 'not-read', message: `source ${spec.name} was not read` }];
    return { spec, seen, readable, problems };
  });
}

/** One agent's observation from every source (absent where a source does not list it). */
export function agentObservations(
  agent: string,
  sources: readonly ObservedSource[],
): Map<string, Observation> {
  const map = new Map<string, Observation>();
  for (const s of sources)
    map.set(s.spec.name, s.seen.get(agent) ?? absent(s.spec, agent, s.readable, s.problems));
  return map;
}

/** Every agent any source mentions. */
export function agentIds(sources: readonly ObservedSource[]): Set<string> {
  const ids = new Set<string>();
  for (const s of sources) for (const id of s.seen.keys()) ids.add(id);
  return ids;
}

/** Per-source observations for every agent any source mentions. */
export function observeAll(
  reads: readonly SourceRead[],
  config: Config,
  now: number,
): Map<string, Map<string, Observation>> {
  const sources = observeSources(reads, config, now);
  const byAgent = new Map<string, Map<string, Observation>>();
  for (const id of agentIds(sources)) byAgent.set(id, agentObservations(id, sources));
  return byAgent;
}

/** Read, observe and reconcile every agent. */
export function reconcile(
  reads: readonly SourceRead[],
  config: Config,
  now: number,
  decisions?: DecisionIndex,
): Reconciliation {
  const byAgent = observeAll(reads, config, now);
  const agents = [...byAgent]
    .map(([id, obs]) => reconcileAgent(id, obs, config, now, decisions?.get(id)))
    .sort((a, b) => compareAgentIds(a.id, b.id));
  return { agents, summary: summarize(agents) };
}

export function summarize(agents: readonly AgentState[]): Reconciliation['summary'] {
  const counts = emptyCounts();
  for (const a of agents) counts[a.verdict]++;
  return { agents: agents.length, ...counts };
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });
/** Natural order: Agent-2 before Agent-10. */
export function compareAgentIds(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}

interface Finding {
  verdict: Verdict;
  reason: string;
}

/** Truth for one field under the policy, or a conflict. */
function decideTruth(
  field: FieldSpec,
  obs: ReadonlyMap<string, Observation>,
  config: Config,
): { truth: TruthValue; conflict?: string } {
  const none: TruthValue = { value: null, from: null, at: null };
  const candidates: { source: string; f: FieldObservation; at: number | null }[] = [];
  const consider = (name: string): void => {
    const o = obs.get(name);
    const f = o?.fields[field.name];
    if (o && o.readable && o.present && f && f.raw !== null)
      candidates.push({ source: name, f, at: f.at ?? o.updatedAt });
  };

  const preferred = config.policy.prefer;
  if (preferred !== undefined) {
    consider(preferred);
    const c = candidates[0];
    if (c) {
      if (c.f.unknown)
        return { truth: none, conflict: `${field.name}: ${preferred} holds unknown value ${fmt(c.f.raw)}` };
      return { truth: { value: c.f.value, from: c.source, at: c.at } };
    }
  }

  const own = ownSources(config).map((s) => s.name);
  const policy = config.policy.truth[field.name] ?? 'newest';
  if (policy === 'newest') {
    own.forEach(consider);
    if (candidates.length === 0) return { truth: none };
    candidates.sort((a, b) => (b.at ?? -Infinity) - (a.at ?? -Infinity));
    const top = candidates[0]!;
    const tie = candidates.find((c) => c !== top && c.at === top.at && !sameValue(c, top));
    if (top.f.unknown) {
      return {
        truth: none,
        conflict: `${field.name}: newest value ${fmt(top.f.raw)} (${top.source}) is not a known value; not written`,
      };
    }
    if (tie) {
      return {
        truth: none,
        conflict: `${field.name}: ${top.source} says ${fmt(top.f.raw)} and ${tie.source} says ${fmt(tie.f.raw)} at the same time`,
      };
    }
    return { truth: { value: top.f.value, from: top.source, at: top.at } };
  }
  for (const name of policy) {
    consider(name);
    const c = candidates[0];
    if (!c) continue;
    if (c.f.unknown)
      return {
        truth: none,
        conflict: `${field.name}: ${name} holds unknown value ${fmt(c.f.raw)}; not written`,
      };
    return { truth: { value: c.f.value, from: c.source, at: c.at } };
  }
  return { truth: none };
}

function sameValue(a: { f: FieldObservation }, b: { f: FieldObservation }): boolean {
  return a.f.unknown || b.f.unknown ? a.f.raw === b.f.raw : a.f.value === b.f.value;
}

function fmt(v: unknown): string {
  // A value with hidden characters (escape sequences, bidi controls) is shown with them
  // escaped, so an operator sees why `ACTIVE` is not ACTIVE.
  if (typeof v === 'string' && hasHiddenChars(v)) return sanitizeValue(v, 60);
  if (typeof v === 'string') return `'${v.length > 40 ? v.slice(0, 37) + '...' : v}'`;
  return JSON.stringify(v) ?? String(v);
}

/** Verdict, differences and plan for one agent. */
export function reconcileAgent(
  id: string,
  obs: ReadonlyMap<string, Observation>,
  config: Config,
  now: number,
  decisions?: readonly Decision[],
): AgentState {
  const findings: Finding[] = [];
  const observations = Object.fromEntries(obs);
  const target = targetSource(config);
  const own = ownSources(config);

  for (const spec of config.sources) {
    const o = obs.get(spec.name);
    if (!o) continue;
    if (!o.readable) {
      const why = o.diagnostics.find((d) => d.severity === 'error')?.message ?? 'cannot be read';
      findings.push({ verdict: 'invalid', reason: `${spec.name}: ${why}` });
    } else if (!o.present && spec.required) {
      findings.push({ verdict: 'missing', reason: `not listed in ${spec.name}` });
    }
  }

  const truth: Record<string, TruthValue> = {};
  const differences: Difference[] = [];
  const plan: PlannedWrite[] = [];
  const targetObs = target ? obs.get(target.name) : undefined;
  const targetUsable = target !== undefined && targetObs !== undefined && targetObs.readable;

  const held: NonNullable<AgentState['decisions']> = {};
  for (const field of config.fields) {
    // An operator's decision that still holds settles the field as a preference would; a
    // preference for this run (--prefer) is newer and wins over it (src/core/reconcile/decisions.ts).
    const d =
      config.policy.prefer === undefined
        ? decisions?.find((x) => x.field === field.name && decisionHolds(x, obs, config))
        : undefined;
    const decided = decideTruth(
      field,
      obs,
      d ? { ...config, policy: { ...config.policy, prefer: d.source } } : config,
    );
    if (d && decided.truth.from === d.source)
      held[field.name] = { source: d.source, value: decided.truth.value, at: d.at, action: d.action };
    truth[field.name] = decided.truth;
    if (decided.conflict) findings.push({ verdict: 'conflict', reason: decided.conflict });
    const mapping = target?.fields[field.name];
    if (!target || !mapping || !targetUsable || decided.truth.value === null) continue;

    const projected = project(decided.truth.value, mapping);
    const actual = targetObs.fields[field.name] ?? { value: null, raw: null };
    if (!projected.ok) {
      findings.push({
        verdict: 'conflict',
        reason: `${field.name}: ${target.name} cannot hold it: ${projected.reason}`,
      });
      differences.push(difference(field.name, target.name, decided.truth.value, actual));
      continue;
    }
    if (actual.value === projected.value && !actual.unknown) continue;

    differences.push(difference(field.name, target.name, projected.value, actual));
    if (actual.unknown) {
      findings.push({
        verdict: 'conflict',
        reason: `${field.name}: ${target.name} holds unknown value ${fmt(actual.raw)}; not overwritten`,
      });
      continue;
    }
    // The FSM guards automatic catching up; an operator's explicit --prefer settles it.
    const chosenByOperator =
      (config.policy.prefer !== undefined && decided.truth.from === config.policy.prefer) ||
      held[field.name] !== undefined;
    if (
      field.fsm &&
      !chosenByOperator &&
      typeof actual.value === 'string' &&
      typeof projected.value === 'string'
    ) {
      const move = reach(field.fsm, actual.value, projected.value);
      if (!move.ok) {
        findings.push({
          verdict: 'conflict',
          reason: `${field.name}: ${target.name} cannot move ${actual.value} -> ${projected.value}: ${move.reason}`,
        });
        continue;
      }
    }
    findings.push({
      verdict: 'drift',
      reason: `${field.name}: ${target.name} has ${fmt(actual.raw)}, expected ${fmt(spell(projected.value, mapping))}`,
    });
    plan.push(plannedWrite(id, field.name, target, mapping.paths, actual, projected.value, decided.truth));
  }

  const ownSeen = own
    .map((s) => ({ spec: s, o: obs.get(s.name) }))
    .filter((x) => x.o?.present && x.o.readable && x.o.updatedAt !== null);
  const lastSeen = ownSeen.reduce<number | null>(
    (m, x) => (m === null || x.o!.updatedAt! > m ? x.o!.updatedAt! : m),
    null,
  );
  if (ownSeen.length > 0 && ownSeen.every((x) => now - x.o!.updatedAt! > x.spec.staleAfterMs)) {
    findings.push({
      verdict: 'stale',
      reason: `no write or heartbeat for ${formatDuration(now - lastSeen!)}`,
    });
  }

  findings.sort((a, b) => severity(a.verdict) - severity(b.verdict));
  const verdict = findings.reduce<Verdict>((v, f) => worst(v, f.verdict), 'in-sync');
  // Writing is only safe when every source involved could be read.
  const safePlan = verdict === 'invalid' ? [] : plan;
  const state: AgentState = {
    id,
    verdict,
    reasons: findings.map((f) => f.reason),
    observations,
    truth,
    differences,
    plan: safePlan,
    lastSeen,
  };
  if (Object.keys(held).length > 0) state.decisions = held;
  return state;
}

function difference(
  field: string,
  source: string,
  expected: CanonicalValue | null,
  actual: FieldObservation,
): Difference {
  const d: Difference = { field, source, expected, actual: actual.unknown ? null : actual.value };
  if (actual.raw !== null) d.actualRaw = actual.raw;
  return d;
}

function plannedWrite(
  agent: string,
  field: string,
  target: SourceSpec,
  paths: readonly string[],
  actual: FieldObservation,
  value: CanonicalValue,
  truth: TruthValue,
): PlannedWrite {
  // Write where the value already is; else the first candidate path.
  const path = actual.path !== undefined ? [...actual.path] : resolvePath(paths[0]!, agent);
  const mapping = target.fields[field]!;
  return {
    agent,
    field,
    target: target.name,
    path,
    before: actual.raw,
    after: spell(value, mapping),
    truth: truth.value as CanonicalValue,
    truthFrom: truth.from ?? '',
  };
}
