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
import { formatIso } from '../time.js';
import type { Verdict } from '../types.js';
import {
  BAD_VERDICTS,
  type ActionSummary,
  type AgentHealth,
  type Episode,
  type FlappingAgent,
  type HistoryReport,
  type JournalLike,
  type ReportInput,
  type ResolvedKind,
  type SourceOutage,
  worstOf,
} from './history-model.js';

export * from './history-entries.js';
export * from './history-model.js';
export { formatSpan, renderReportMarkdown } from './history-markdown.js';

const isBad = (v: Verdict | null | undefined): v is Verdict => v != null && BAD_VERDICTS.includes(v);

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
      const mine = (byAgent.get(agent) ?? []).filter((e) => e.action === action);
      const fields = mine.map((e) => e.field);
      const by = mine.find((e) => e.by !== undefined)?.by;
      return {
        kind: actionKind.get(action) ?? 'resolve',
        action,
        ...(fields.length ? { fields } : {}),
        ...(by !== undefined ? { by } : {}),
      };
    }
    const candidates = (byAgent.get(agent) ?? []).filter((e) => {
      const t = ms(e.at);
      return t >= start && t <= end + ACTION_SLACK_MS;
    });
    const last = candidates[candidates.length - 1];
    if (!last) return { kind: 'external' };
    const mine = candidates.filter((e) => e.action === last.action);
    const by = mine.find((e) => e.by !== undefined)?.by;
    return {
      kind: last.kind,
      action: last.action,
      fields: mine.map((e) => e.field),
      ...(by !== undefined ? { by } : {}),
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
