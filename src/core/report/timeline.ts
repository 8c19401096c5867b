// One agent's timeline for the detail pane (README.md "The live view"): when each source
// changed and to what, when the agent began to drift, what ended it (a resolve or undo from
// the journal, or a source catching up), the journal's changes for it and who made them,
// and for a source held in a key-value store the key's revisions. Pure: the history lines,
// journal entries and key revisions come in (src/shell/timeline-data.ts reads them,
// bounded), rows go out, newest first. Episodes and what ended them are the same as
// `sync-tui report` says (src/core/report/history-report.ts).
import { formatIso } from '../time.js';
import type { Verdict } from '../types.js';
import { journalActions, type JournalEntry } from '../write/journal-model.js';
import {
  BAD_VERDICTS,
  buildHistoryReport,
  formatSpan,
  type Episode,
  type HistoryEntry,
} from './history-report.js';
import type { ValueChange } from './value-changes.js';

/** One revision of an agent's key in a store (`report --key-history`). */
export interface KeyRevision {
  revision: number;
  /** ISO time. */
  at: string;
  operation: 'PUT' | 'DEL' | 'PURGE';
  /** The value as stored (parsed JSON, or the text when it is not JSON). */
  value: unknown;
}

export type TimelineKind =
  | 'value' // a source's value changed
  | 'began' // the agent entered drift, conflict, missing or invalid
  | 'verdict' // its verdict moved (within trouble, or between in-sync and stale)
  | 'ended' // the episode ended, and what ended it
  | 'ongoing' // the episode still open
  | 'watched' // a session started with the agent already in trouble
  | 'action' // a journaled change (resolve / undo)
  | 'key' // a store key's revision
  | 'flap'; // auto-resolve stopped (flapping) or took it up again

export interface TimelineRow {
  at: number;
  kind: TimelineKind;
  /** The source the row is about, where there is one. */
  source?: string;
  /** The verdict it is about (began, verdict, ongoing, watched). */
  verdict?: Verdict;
  /** One line, unsanitised (values come from files): the UI sanitises it. */
  text: string;
}

export interface TimelineInput {
  agent: string;
  history: readonly HistoryEntry[];
  journal: readonly JournalEntry[];
  /** Per store source, the agent's key revisions. */
  keys?: Readonly<Record<string, readonly KeyRevision[]>>;
  now: number;
  /** Most rows kept (the newest); default 200. */
  limit?: number;
}

const isBad = (v: Verdict | null | undefined): v is Verdict => v != null && BAD_VERDICTS.includes(v);

const shown = (v: unknown, max = 60): string => {
  const t = typeof v === 'string' ? v : v === undefined ? '—' : JSON.stringify(v);
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** A value as the table shows it: canonical, `?raw` when unknown, `—` when none. */
function valueText(value: ValueChange['after'], raw: string | undefined, listed: boolean): string {
  if (!listed) return 'not listed';
  if (raw !== undefined && value === null) return `?${shown(raw)}`;
  return value === null ? '—' : shown(value);
}

function changeText(c: ValueChange): string {
  return `${valueText(c.before, c.beforeRaw, c.beforeListed !== false)} → ${valueText(c.after, c.afterRaw, c.afterListed !== false)}`;
}

function endedText(ep: Episode, caughtUp: readonly ValueChange[]): string {
  const span = formatSpan(ep.durationMs);
  const r = ep.resolvedBy;
  const fields = r.fields && r.fields.length > 0 ? ` (${[...new Set(r.fields)].join(', ')})` : '';
  const unseen = ep.observed ? '' : ', not watched at the time';
  switch (r.kind) {
    case 'resolve':
      return `${ep.verdict} ended after ${span}: resolved by ${r.action ?? 'a resolve'}${fields}${unseen}`;
    case 'undo':
      return `${ep.verdict} ended after ${span}: undone by ${r.action ?? 'an undo'}${fields}${unseen}`;
    default: {
      const which = caughtUp.map((c) => `${c.source} ${c.field} ${changeText(c)}`).join(', ');
      return `${ep.verdict} ended after ${span}: no resolve, ${which ? `a source caught up: ${which}` : 'the sources agree again'}${unseen}`;
    }
  }
}

/** The timeline of one agent, newest first. */
export function agentTimeline(input: TimelineInput): TimelineRow[] {
  const { agent, now } = input;
  const ms = (iso: string) => Date.parse(iso);
  const rows: TimelineRow[] = [];
  const mine = input.history.filter(
    (e) => e.kind === 'start' || e.kind === 'stop' || ('agent' in e && e.agent === agent),
  );
  const valuesAt = new Map<string, ValueChange[]>();

  for (const e of mine) {
    const t = ms(e.at);
    if (!Number.isFinite(t)) continue;
    switch (e.kind) {
      case 'values':
        valuesAt.set(e.at, [...(valuesAt.get(e.at) ?? []), ...e.changes]);
        for (const c of e.changes)
          rows.push({
            at: t,
            kind: 'value',
            source: c.source,
            text: `${c.source} ${c.field}: ${changeText(c)}`,
          });
        break;
      case 'verdict': {
        const why = e.reasons[0] !== undefined ? `: ${e.reasons[0]}` : '';
        if (isBad(e.after) && !isBad(e.before))
          rows.push({
            at: t,
            kind: 'began',
            verdict: e.after,
            text: `${e.after} began${e.before === null ? ' (the agent appeared)' : ''}${why}`,
          });
        else if (isBad(e.after) || (!isBad(e.before) && e.after !== null))
          rows.push({
            at: t,
            kind: 'verdict',
            verdict: e.after!,
            text: `${e.before ?? 'new'} → ${e.after}${why}`,
          });
        // Out of trouble: the episode's end row says what ended it.
        break;
      }
      case 'start': {
        const v = e.notInSync[agent];
        if (v === undefined) break;
        const why = e.reasons?.[agent];
        rows.push({
          at: t,
          kind: 'watched',
          verdict: v,
          text: `already ${v} when sync-tui started watching${typeof why === 'string' ? `: ${why}` : ''}`,
        });
        break;
      }
      case 'flapping':
      case 'resumed':
        rows.push({ at: t, kind: 'flap', text: e.message });
        break;
      default:
        break;
    }
  }

  // Episodes as `report` sees them: when each ended and what ended it.
  const journal = input.journal.filter((j) => j.agent === agent);
  const report = buildHistoryReport({ journal, history: mine, now, since: 0 });
  for (const ep of report.agents.find((a) => a.agent === agent)?.episodes ?? []) {
    if (ep.end === null) {
      rows.push({
        at: now,
        kind: 'ongoing',
        verdict: ep.verdict,
        text: `${ep.verdict} for ${formatSpan(ep.durationMs)} so far (since ${formatIso(ms(ep.start)).slice(0, 19).replace('T', ' ')})${ep.note ? `; ${ep.note}` : ''}`,
      });
      continue;
    }
    rows.push({ at: ms(ep.end), kind: 'ended', text: endedText(ep, valuesAt.get(ep.end) ?? []) });
  }

  // The journal's changes for this agent, one row per change as it ended, with who acted
  // where the journal is shared in a store (README.md "Several hosts"), as `log` says it.
  for (const a of journalActions(journal)) {
    const by = a.changes.find((c) => typeof c.entry.by === 'string')?.entry.by;
    const who = by !== undefined ? ` by ${shown(by)}` : '';
    for (const c of a.changes) {
      const e = c.entry;
      const t = ms(e.at);
      if (!Number.isFinite(t)) continue;
      const what =
        a.kind === 'undo'
          ? `undo ${a.id}${a.undoes ? ` (of ${a.undoes})` : ''}${who}`
          : `resolve ${a.id}${who}`;
      rows.push({
        at: t,
        kind: 'action',
        source: e.target,
        text: `${what}: ${e.target} ${e.field} ${shown(e.before)} → ${shown(e.after)} ${c.state}`,
      });
    }
  }

  for (const [source, revisions] of Object.entries(input.keys ?? {})) {
    for (const r of revisions) {
      const t = ms(r.at);
      if (!Number.isFinite(t)) continue;
      const body = r.operation === 'PUT' ? shown(r.value, 100) : r.operation === 'DEL' ? 'deleted' : 'purged';
      rows.push({ at: t, kind: 'key', source, text: `${source} key revision ${r.revision}: ${body}` });
    }
  }

  // Newest first; at the same moment the outcome before its cause (ended over value).
  const order: Record<TimelineKind, number> = {
    ongoing: 0,
    ended: 1,
    began: 2,
    verdict: 3,
    watched: 4,
    flap: 5,
    action: 6,
    value: 7,
    key: 8,
  };
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => b.r.at - a.r.at || order[a.r.kind] - order[b.r.kind] || a.i - b.i)
    .slice(0, input.limit ?? 200)
    .map((x) => x.r);
}
