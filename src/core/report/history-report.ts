// `sync-tui report`: sync health over time, from the audit journal and the history of
// verdicts that `watch` keeps beside it (`<stateDir>/history.jsonl`). Pure: entries, the
// time and the window come in; a report object (JSON) and Markdown go out.
//
// An EPISODE of an agent is a maximal stretch in which its verdict is drift, conflict,
// missing or invalid (the default --fail-on set). It starts at the history line that
// took the agent into one of those (or at a watch start that found it there) and ends at
// the line that took it out (in-sync or stale, or the agent left every source). What
// ended it:
//   resolve / undo  a journal action of that kind, by anyone, for that agent with a
//                   verified change between the episode's start and 5 s after its end
//                   (watch's own resolves name the action on the history line itself);
//   external        no such action: someone else changed a source (an agent caught up, a
//                   person or another tool edited the registry);
//   ongoing         not ended yet (as far as the history knows).
// `observed` is false when watch was not running at one of the episode's ends (the agent
// was already in trouble when watch started, or was fine again when watch next started);
// such ends are known only to within the gap.
// Agents FLAP when they have `flapEpisodes` (3) or more episodes in the window, or when
// watch flagged them flapping (it stopped auto-resolving them).
import { sanitizeText } from '../sanitize.js';
import { formatIso } from '../time.js';
import type { Diagnostic, Verdict } from '../types.js';
import { VERDICTS } from '../types.js';
import { valuesLineProblem, type HistoryValues } from './value-changes.js';

// ---------------------------------------------------------------------------------------
// The history file's lines

export interface HistoryStart {
  v: 1;
  kind: 'start';
  at: string;
  pid: number;
  agents: number;
  /** Agents not in sync when watch started, with their verdicts. */
  notInSync: Record<string, Verdict>;
  /** The first reason of each of those verdicts (bounded in length). */
  reasons?: Record<string, string>;
}
export interface HistoryStop {
  v: 1;
  kind: 'stop';
  at: string;
  pid: number;
}
export interface HistoryVerdict {
  v: 1;
  kind: 'verdict';
  at: string;
  agent: string;
  before: Verdict | null;
  after: Verdict | null;
  reasons: string[];
  /** Set when watch's own resolve caused this transition. */
  action?: string;
}
export interface HistorySource {
  v: 1;
  kind: 'source';
  at: string;
  source: string;
  healthy: boolean;
  error: string | null;
}
export interface HistoryFlap {
  v: 1;
  kind: 'flapping' | 'resumed';
  at: string;
  agent: string;
  fields?: string[];
  message: string;
}
/** Which source values changed (src/core/report/value-changes.ts; the timeline reads them, the report does not). */
export type { HistoryValues } from './value-changes.js';
export type HistoryEntry =
  HistoryStart | HistoryStop | HistoryVerdict | HistorySource | HistoryFlap | HistoryValues;

const HISTORY_KINDS = new Set(['start', 'stop', 'verdict', 'source', 'flapping', 'resumed', 'values']);
const isStr = (v: unknown): v is string => typeof v === 'string';
const isVerdictOrNull = (v: unknown): boolean =>
  v === null || (isStr(v) && (VERDICTS as readonly string[]).includes(v));

/** Why `v` is not a history entry, or null when it is one. */
export function historyEntryProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const e = v as Record<string, unknown>;
  if (e['v'] !== 1) return `unsupported version ${JSON.stringify(e['v'] ?? null)}`;
  if (!isStr(e['kind']) || !HISTORY_KINDS.has(e['kind'])) return '"kind" is not a known kind';
  if (!isStr(e['at']) || Number.isNaN(Date.parse(e['at']))) return '"at" is not an ISO time';
  switch (e['kind']) {
    case 'start':
      return typeof e['notInSync'] === 'object' && e['notInSync'] !== null && !Array.isArray(e['notInSync'])
        ? null
        : '"notInSync" is not an object';
    case 'stop':
      return null;
    case 'verdict':
      if (!isStr(e['agent'])) return '"agent" is not a string';
      if (!isVerdictOrNull(e['before']) || !isVerdictOrNull(e['after']))
        return '"before"/"after" are not verdicts';
      return null;
    case 'source':
      return isStr(e['source']) && typeof e['healthy'] === 'boolean' ? null : '"source"/"healthy" missing';
    case 'values':
      return valuesLineProblem(e);
    default:
      return isStr(e['agent']) ? null : '"agent" is not a string';
  }
}

/**
 * JSON lines -> values, tolerant: blank lines are skipped, a cut-off last line (an
 * interrupted append) and bad lines become warnings. `check` says why a value is not
 * wanted (null: keep it).
 */
export function parseJsonLines<T>(
  text: string,
  label: string,
  check: (v: unknown) => string | null,
): { entries: T[]; diagnostics: Diagnostic[] } {
  const entries: T[] = [];
  const diagnostics: Diagnostic[] = [];
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const lineNo = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      const torn = i === lines.length - 1 && !endsWithNewline;
      diagnostics.push({
        severity: 'warning',
        code: torn ? 'torn-line' : 'corrupt-line',
        message: torn
          ? `line ${lineNo} is cut off (an interrupted write); skipped`
          : `line ${lineNo} is not valid JSON; skipped`,
        file: label,
        line: lineNo,
        column: 1,
      });
      return;
    }
    const problem = check(value);
    if (problem) {
      diagnostics.push({
        severity: 'warning',
        code: 'bad-entry',
        message: `line ${lineNo}: ${problem}; skipped`,
        file: label,
        line: lineNo,
        column: 1,
      });
      return;
    }
    entries.push(value as T);
  });
  return { entries, diagnostics };
}

// ---------------------------------------------------------------------------------------
// The report

/** What the report needs of a journal entry (structurally the shell's JournalEntry). */
export interface JournalLike {
  action: string;
  at: string;
  kind: 'resolve' | 'undo';
  agent: string;
  field: string;
  before: unknown;
  after: unknown;
  outcome: 'intent' | 'applied' | 'verified' | 'failed' | 'refused';
  undoes?: string;
  path?: string[];
}

export const BAD_VERDICTS: readonly Verdict[] = ['drift', 'conflict', 'missing', 'invalid'];
const isBad = (v: Verdict | null | undefined): v is Verdict => v != null && BAD_VERDICTS.includes(v);

export type ResolvedKind = 'resolve' | 'undo' | 'external' | 'ongoing';

export interface Episode {
  agent: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  /** To the end, or to `now` while ongoing. */
  durationMs: number;
  /** The worst verdict during the episode, and every verdict it went through, in order. */
  verdict: Verdict;
  verdicts: Verdict[];
  /** Why the agent entered the episode (the verdict's reasons at its start). */
  reasons: string[];
  resolvedBy: { kind: ResolvedKind; action?: string; fields?: string[] };
  /** False when watch was not running at its start or end (that end is known only to within the gap). */
  observed: boolean;
  /** Set while ongoing and watch is not running: the state since then is not known. */
  note?: string;
}

export interface AgentHealth {
  agent: string;
  episodes: Episode[];
  /** Time in episodes, within the window. */
  totalMs: number;
  longestMs: number;
  ongoing: boolean;
  flapping: boolean;
  resolvedBy: Record<ResolvedKind, number>;
}

export interface SourceOutage {
  source: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  durationMs: number;
  error: string | null;
}

export interface FlappingAgent {
  agent: string;
  episodes: number;
  /** Watch stopped auto-resolving it (fields another writer kept changing back). */
  flaggedByWatch: boolean;
  fields: string[];
}

export interface ActionSummary {
  id: string;
  at: string;
  kind: 'resolve' | 'undo';
  agents: string[];
  changes: number;
  /** Per change (an intent and its outcome are one change; an intent alone is `interrupted`). */
  outcomes: Partial<Record<Exclude<JournalLike['outcome'], 'intent'> | 'interrupted', number>>;
  undoes?: string;
}

export interface HistoryReport {
  generatedAt: string;
  window: { since: string; until: string };
  coverage: { sessions: number; watchedMs: number; windowMs: number; firstHistoryAt: string | null };
  summary: {
    agentsWithEpisodes: number;
    episodes: number;
    ongoing: number;
    flapping: number;
    unhealthySources: number;
    actions: number;
    resolvedBy: Record<ResolvedKind, number>;
  };
  agents: AgentHealth[];
  flapping: FlappingAgent[];
  sources: SourceOutage[];
  actions: ActionSummary[];
}

export interface ReportInput {
  journal: readonly JournalLike[];
  history: readonly HistoryEntry[];
  now: number;
  /** Start of the window, epoch ms. */
  since: number;
  /** Episodes in the window that make an agent flap (default 3). */
  flapEpisodes?: number;
}

/** Slack after an episode's end within which a journal action counts as what ended it. */
export const ACTION_SLACK_MS = 5000;

interface OpenEpisode {
  start: number;
  verdicts: Verdict[];
  reasons: string[];
  startObserved: boolean;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function buildHistoryReport(input: ReportInput): HistoryReport {
  const { now, since } = input;
  const flapEpisodes = input.flapEpisodes ?? 3;
  const ms = (iso: string) => Date.parse(iso);
  const history = input.history
    .map((e, i) => ({ e, i, t: ms(e.at) }))
    .filter((x) => Number.isFinite(x.t) && x.t <= now)
    .sort((a, b) => a.t - b.t || a.i - b.i);

  // Verified changes per agent, by time, for "what ended it".
  const journal = input.journal.filter(
    (e) => (e.outcome === 'verified' || e.outcome === 'applied') && Number.isFinite(ms(e.at)),
  );
  const byAgent = new Map<string, JournalLike[]>();
  for (const e of journal) {
    const list = byAgent.get(e.agent) ?? [];
    list.push(e);
    byAgent.set(e.agent, list);
  }
  const actionKind = new Map<string, 'resolve' | 'undo'>();
  for (const e of input.journal) if (!actionKind.has(e.action)) actionKind.set(e.action, e.kind);

  const whatEnded = (
    agent: string,
    start: number,
    end: number,
    action: string | undefined,
  ): Episode['resolvedBy'] => {
    if (action !== undefined) {
      const fields = (byAgent.get(agent) ?? []).filter((e) => e.action === action).map((e) => e.field);
      return { kind: actionKind.get(action) ?? 'resolve', action, ...(fields.length ? { fields } : {}) };
    }
    const candidates = (byAgent.get(agent) ?? []).filter((e) => {
      const t = ms(e.at);
      return t >= start && t <= end + ACTION_SLACK_MS;
    });
    const last = candidates[candidates.length - 1];
    if (!last) return { kind: 'external' };
    return {
      kind: last.kind,
      action: last.action,
      fields: candidates.filter((e) => e.action === last.action).map((e) => e.field),
    };
  };

  const episodes: Episode[] = [];
  const open = new Map<string, OpenEpisode>();
  const flagged = new Map<string, Set<string>>();
  const outages: SourceOutage[] = [];
  const openOutages = new Map<string, { start: number; error: string | null }>();
  let watching = false;
  let lastStopAt: number | null = null;
  let sessionStart: number | null = null;
  let sessions = 0;
  let watchedMs = 0;
  const addWatched = (from: number, to: number) => {
    const a = Math.max(from, since);
    const b = Math.min(to, now);
    if (b > a) watchedMs += b - a;
  };

  const close = (
    agent: string,
    o: OpenEpisode,
    end: number,
    endObserved: boolean,
    action?: string,
    gone?: boolean,
  ) => {
    open.delete(agent);
    const resolvedBy = gone ? ({ kind: 'external' } as const) : whatEnded(agent, o.start, end, action);
    episodes.push({
      agent,
      start: formatIso(o.start),
      end: formatIso(end),
      ongoing: false,
      durationMs: Math.max(0, end - o.start),
      verdict: worstOf(o.verdicts),
      verdicts: o.verdicts,
      reasons: o.reasons,
      resolvedBy,
      observed: o.startObserved && endObserved,
    });
  };
  const enter = (agent: string, t: number, v: Verdict, reasons: string[], observed: boolean) => {
    const o = open.get(agent);
    if (!o) open.set(agent, { start: t, verdicts: [v], reasons, startObserved: observed });
    else if (o.verdicts[o.verdicts.length - 1] !== v) o.verdicts.push(v);
  };

  for (const { e, t } of history) {
    switch (e.kind) {
      case 'start': {
        // A start without a stop before it: the previous session ended unannounced (a crash
        // or a kill); it counts as watched up to its last line, which we do not track: up to this start.
        if (watching && sessionStart !== null) addWatched(sessionStart, t);
        sessions += t >= since ? 1 : 0;
        watching = true;
        sessionStart = t;
        for (const [agent, o] of [...open]) {
          const now_ = e.notInSync[agent];
          if (!isBad(now_)) close(agent, o, t, false);
        }
        // Already open: it goes on (it may have ended and begun again unseen in the gap).
        for (const [agent, v] of Object.entries(e.notInSync)) {
          const why = e.reasons?.[agent];
          if (isBad(v)) enter(agent, t, v, typeof why === 'string' ? [why] : [], false);
        }
        // Outages: the start is a fresh look; sources report again through `source` lines.
        for (const [name, o] of [...openOutages]) {
          outages.push({
            source: name,
            start: formatIso(o.start),
            end: formatIso(t),
            ongoing: false,
            durationMs: t - o.start,
            error: o.error,
          });
          openOutages.delete(name);
        }
        break;
      }
      case 'stop':
        if (watching && sessionStart !== null) addWatched(sessionStart, t);
        watching = false;
        sessionStart = null;
        lastStopAt = t;
        break;
      case 'verdict': {
        if (isBad(e.after)) enter(e.agent, t, e.after, e.reasons ?? [], true);
        else {
          const o = open.get(e.agent);
          if (o) close(e.agent, o, t, true, e.action, e.after === null);
        }
        break;
      }
      case 'source': {
        const o = openOutages.get(e.source);
        if (!e.healthy && !o) openOutages.set(e.source, { start: t, error: e.error });
        else if (e.healthy && o) {
          outages.push({
            source: e.source,
            start: formatIso(o.start),
            end: formatIso(t),
            ongoing: false,
            durationMs: t - o.start,
            error: o.error,
          });
          openOutages.delete(e.source);
        }
        break;
      }
      case 'flapping':
        if (t >= since) {
          const set = flagged.get(e.agent) ?? new Set<string>();
          for (const f of e.fields ?? []) set.add(f);
          flagged.set(e.agent, set);
        }
        break;
      case 'resumed':
      case 'values':
        break;
    }
  }
  if (watching && sessionStart !== null) addWatched(sessionStart, now);
  for (const [agent, o] of open) {
    const ep: Episode = {
      agent,
      start: formatIso(o.start),
      end: null,
      ongoing: true,
      durationMs: Math.max(0, now - o.start),
      verdict: worstOf(o.verdicts),
      verdicts: o.verdicts,
      reasons: o.reasons,
      resolvedBy: { kind: 'ongoing' },
      observed: o.startObserved,
    };
    if (!watching && lastStopAt !== null)
      ep.note = `watch stopped at ${formatIso(lastStopAt)}; not known since`;
    episodes.push(ep);
  }
  for (const [name, o] of openOutages) {
    outages.push({
      source: name,
      start: formatIso(o.start),
      end: null,
      ongoing: true,
      durationMs: Math.max(0, now - o.start),
      error: o.error,
    });
  }

  // The window: whatever overlaps [since, now].
  const inWindow = episodes.filter((ep) => (ep.end === null ? now : ms(ep.end)) >= since);
  const agents = new Map<string, AgentHealth>();
  for (const ep of inWindow.sort((a, b) => ms(a.start) - ms(b.start))) {
    const h = agents.get(ep.agent) ?? {
      agent: ep.agent,
      episodes: [],
      totalMs: 0,
      longestMs: 0,
      ongoing: false,
      flapping: false,
      resolvedBy: emptyResolved(),
    };
    h.episodes.push(ep);
    const clipped = Math.max(0, (ep.end === null ? now : ms(ep.end)) - Math.max(ms(ep.start), since));
    h.totalMs += clipped;
    h.longestMs = Math.max(h.longestMs, ep.durationMs);
    h.ongoing ||= ep.ongoing;
    h.resolvedBy[ep.resolvedBy.kind]++;
    agents.set(ep.agent, h);
  }
  const flapping: FlappingAgent[] = [];
  for (const id of new Set([...agents.keys(), ...flagged.keys()])) {
    const n = agents.get(id)?.episodes.length ?? 0;
    if (n >= flapEpisodes || flagged.has(id)) {
      flapping.push({
        agent: id,
        episodes: n,
        flaggedByWatch: flagged.has(id),
        fields: [...(flagged.get(id) ?? [])].sort(),
      });
      const h = agents.get(id);
      if (h) h.flapping = true;
    }
  }
  flapping.sort((a, b) => b.episodes - a.episodes || collator.compare(a.agent, b.agent));
  const agentList = [...agents.values()].sort((a, b) => collator.compare(a.agent, b.agent));

  const sources = outages
    .filter((o) => (o.end === null ? now : ms(o.end)) >= since)
    .sort((a, b) => ms(a.start) - ms(b.start));

  const actionsById = new Map<string, ActionSummary>();
  // Write-ahead journals hold an intent and then an outcome for each change: count it once.
  const changeKey = (e: JournalLike) =>
    `${e.action}\u0000${e.agent}\u0000${e.field}\u0000${(e.path ?? []).join('\u0000')}`;
  const settled = new Set(input.journal.filter((e) => e.outcome !== 'intent').map(changeKey));
  for (const e of input.journal) {
    if (e.outcome === 'intent' && settled.has(changeKey(e))) continue;
    const t = ms(e.at);
    if (!Number.isFinite(t) || t < since || t > now + ACTION_SLACK_MS) continue;
    let a = actionsById.get(e.action);
    if (!a) {
      a = { id: e.action, at: e.at, kind: e.kind, agents: [], changes: 0, outcomes: {} };
      if (e.undoes !== undefined) a.undoes = e.undoes;
      actionsById.set(e.action, a);
    }
    if (!a.agents.includes(e.agent)) a.agents.push(e.agent);
    a.changes++;
    const outcome = e.outcome === 'intent' ? 'interrupted' : e.outcome;
    a.outcomes[outcome] = (a.outcomes[outcome] ?? 0) + 1;
  }
  const actions = [...actionsById.values()];

  const resolvedBy = emptyResolved();
  for (const h of agentList)
    for (const k of Object.keys(resolvedBy) as ResolvedKind[]) resolvedBy[k] += h.resolvedBy[k];
  return {
    generatedAt: formatIso(now),
    window: { since: formatIso(since), until: formatIso(now) },
    coverage: {
      sessions,
      watchedMs,
      windowMs: Math.max(0, now - since),
      firstHistoryAt: history.length ? formatIso(history[0]!.t) : null,
    },
    summary: {
      agentsWithEpisodes: agentList.length,
      episodes: inWindow.length,
      ongoing: inWindow.filter((e) => e.ongoing).length,
      flapping: flapping.length,
      unhealthySources: new Set(sources.map((s) => s.source)).size,
      actions: actions.length,
      resolvedBy,
    },
    agents: agentList,
    flapping,
    sources,
    actions,
  };
}

function emptyResolved(): Record<ResolvedKind, number> {
  return { resolve: 0, undo: 0, external: 0, ongoing: 0 };
}

function worstOf(vs: readonly Verdict[]): Verdict {
  return vs.reduce((w, v) => (VERDICTS.indexOf(v) < VERDICTS.indexOf(w) ? v : w), vs[0] ?? 'drift');
}

// ---------------------------------------------------------------------------------------
// Markdown

/** `0s`, `42s`, `3m 05s`, `2h 07m`, `4d 03h`: exact enough for a report. */
export function formatSpan(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  const d = Math.floor(h / 24);
  return `${d}d ${String(h % 24).padStart(2, '0')}h`;
}

/** Text safe inside a Markdown table cell: one line, no pipes or backticks acting as syntax. */
function cell(s: string): string {
  return sanitizeText(s)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/`/g, "'")
    .replace(/</g, '&lt;');
}

function endedBy(ep: Episode): string {
  const r = ep.resolvedBy;
  if (r.kind === 'ongoing') return ep.note ? `ongoing (${cell(ep.note)})` : 'ongoing';
  if (r.kind === 'external') return 'external change';
  return `${r.kind} \`${cell(r.action ?? '?')}\`${r.fields?.length ? ` (${r.fields.map(cell).join(', ')})` : ''}`;
}

export function renderReportMarkdown(r: HistoryReport, opts: { maxEpisodesPerAgent?: number } = {}): string {
  const maxEp = opts.maxEpisodesPerAgent ?? 20;
  const out: string[] = [];
  const s = r.summary;
  out.push('# sync-tui report', '');
  out.push(`Window: ${r.window.since} to ${r.window.until} (${formatSpan(r.coverage.windowMs)}).`);
  const pct = r.coverage.windowMs > 0 ? Math.round((100 * r.coverage.watchedMs) / r.coverage.windowMs) : 0;
  out.push(
    r.coverage.firstHistoryAt === null
      ? `No verdict history yet: run \`sync-tui watch\` to record one.${r.actions.length ? ' Journal actions are listed below.' : ''}`
      : `Watched for ${formatSpan(r.coverage.watchedMs)} of it (${pct}%, ${r.coverage.sessions} watch session${r.coverage.sessions === 1 ? '' : 's'} started in the window).`,
  );
  out.push('');
  out.push(
    `**${s.episodes}** episode${s.episodes === 1 ? '' : 's'} on **${s.agentsWithEpisodes}** agent${s.agentsWithEpisodes === 1 ? '' : 's'} ` +
      `(${s.ongoing} ongoing; ended by resolve ${s.resolvedBy.resolve}, undo ${s.resolvedBy.undo}, external change ${s.resolvedBy.external}), ` +
      `**${s.flapping}** flapping, **${s.unhealthySources}** source${s.unhealthySources === 1 ? '' : 's'} unhealthy, **${s.actions}** journal action${s.actions === 1 ? '' : 's'}.`,
  );
  out.push('');

  out.push('## Agents', '');
  if (r.agents.length === 0) out.push('No drift, conflict, missing or invalid episodes in the window.', '');
  else {
    out.push(
      '| agent | episodes | time out of sync | longest | worst | now | ended by resolve / undo / external | flapping |',
    );
    out.push('|---|---:|---:|---:|---|---|---|---|');
    for (const h of r.agents) {
      const worst = worstOf(h.episodes.map((e) => e.verdict));
      out.push(
        `| ${cell(h.agent)} | ${h.episodes.length} | ${formatSpan(h.totalMs)} | ${formatSpan(h.longestMs)} | ${worst} | ${h.ongoing ? `**${h.episodes[h.episodes.length - 1]!.verdict}**` : 'ok'} | ${h.resolvedBy.resolve} / ${h.resolvedBy.undo} / ${h.resolvedBy.external} | ${h.flapping ? 'yes' : ''} |`,
      );
    }
    out.push('');
  }

  if (r.flapping.length > 0) {
    out.push('## Flapping agents', '');
    for (const f of r.flapping) {
      const why = f.flaggedByWatch
        ? `watch stopped auto-resolving it: another writer kept changing ${f.fields.length ? f.fields.map(cell).join(', ') : 'it'} back`
        : 'many episodes in the window';
      out.push(`- ${cell(f.agent)}: ${f.episodes} episode${f.episodes === 1 ? '' : 's'}; ${why}`);
    }
    out.push('');
  }

  if (r.sources.length > 0) {
    out.push('## Unhealthy sources', '');
    out.push('| source | from | to | for | error |');
    out.push('|---|---|---|---:|---|');
    for (const o of r.sources)
      out.push(
        `| ${cell(o.source)} | ${o.start} | ${o.end ?? 'now'} | ${formatSpan(o.durationMs)} | ${cell(o.error ?? '')} |`,
      );
    out.push('');
  }

  if (r.agents.length > 0) {
    out.push('## Episodes', '');
    for (const h of r.agents) {
      out.push(`### ${cell(h.agent)}`, '');
      out.push('| from | to | for | verdicts | ended by | why |');
      out.push('|---|---|---:|---|---|---|');
      const shown = h.episodes.slice(-maxEp);
      if (shown.length < h.episodes.length)
        out.push(
          `| … | | | | | ${h.episodes.length - shown.length} earlier episode(s) not shown (see --format json) |`,
        );
      for (const ep of shown) {
        const gap = ep.observed || ep.end === null ? '' : ' (approx.)';
        out.push(
          `| ${ep.start} | ${ep.end ?? 'ongoing'}${gap} | ${formatSpan(ep.durationMs)} | ${ep.verdicts.join(' → ')} | ${endedBy(ep)} | ${cell(ep.reasons[0] ?? '')} |`,
        );
      }
      out.push('');
    }
  }

  if (r.actions.length > 0) {
    out.push('## Journal actions', '');
    out.push('| action | at | kind | agents | changes | outcomes |');
    out.push('|---|---|---|---|---:|---|');
    for (const a of r.actions.slice(-50)) {
      const outcomes = Object.entries(a.outcomes)
        .map(([k, n]) => `${n} ${k}`)
        .join(', ');
      const agents =
        a.agents.length > 6
          ? `${a.agents.slice(0, 6).map(cell).join(', ')} +${a.agents.length - 6}`
          : a.agents.map(cell).join(', ');
      out.push(
        `| \`${cell(a.id)}\` | ${cell(a.at)} | ${a.kind}${a.undoes ? ` of \`${cell(a.undoes)}\`` : ''} | ${agents} | ${a.changes} | ${outcomes} |`,
      );
    }
    if (r.actions.length > 50)
      out.push('', `(${r.actions.length - 50} earlier actions not shown; see \`sync-tui log\`.)`);
    out.push('');
  }
  return out.join('\n');
}
