// `sync-tui report` as Markdown (README.md "report").
import { sanitizeText } from '../sanitize.js';
import { worstOf, type Episode, type HistoryReport } from './history-model.js';

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
  return `${r.kind} \`${cell(r.action ?? '?')}\`${r.fields?.length ? ` (${r.fields.map(cell).join(', ')})` : ''}${r.by ? ` by ${cell(r.by)}` : ''}`;
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
