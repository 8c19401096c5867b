// The timeline section of the detail pane (README.md "The live view"): a title, then one
// line per row of src/core/report/timeline.ts, newest first, with its time (UTC) and a
// colour per kind. Every text is sanitised here: values come from files.
import type { TimelineKind, TimelineRow } from '../core/report/timeline.js';
import { sanitizeText } from '../core/sanitize.js';
import { formatIso } from '../core/time.js';
import { VERDICT_COLOR } from '../core/view/view.js';
import type { TimelineView } from './hooks/useTimeline.js';
import type { Seg } from './line.js';

const MARK: Record<TimelineKind, string> = {
  ongoing: '▶',
  ended: '✔',
  began: '✖',
  verdict: '·',
  watched: '◷',
  flap: '!',
  action: '✎',
  value: '~',
  key: '#',
};

function style(r: TimelineRow): Omit<Seg, 'text'> {
  switch (r.kind) {
    case 'ended':
      return { color: 'ok' };
    case 'began':
    case 'ongoing':
    case 'watched':
      return r.verdict ? { color: VERDICT_COLOR[r.verdict], bold: r.kind === 'began' } : {};
    case 'action':
      return { color: 'accent' };
    case 'flap':
      return { color: 'warn' };
    default:
      return {};
  }
}

/** The section's lines: none without a timeline (undefined); `null` (not read yet) says so. */
export function timelineLines(t: TimelineView | null | undefined): Seg[][] {
  if (t === undefined) return [];
  const lines: Seg[][] = [
    [
      { text: 'TIMELINE', bold: true, underline: true },
      { text: ' newest first, UTC', dim: true },
    ],
  ];
  if (!t) return [...lines, [{ text: 'reading the history …', dim: true }]];
  for (const p of t.problems) lines.push([{ text: `✖ ${sanitizeText(p)}`, color: 'error' }]);
  if (t.rows.length === 0 && t.problems.length === 0)
    lines.push([
      { text: 'nothing recorded for this agent yet (the history starts with this session)', dim: true },
    ]);
  for (const r of t.rows) {
    lines.push([
      { text: `${formatIso(r.at).slice(5, 19).replace('T', ' ')}  `, dim: true },
      { text: `${MARK[r.kind]} `, ...style(r) },
      { text: sanitizeText(r.text), ...style(r) },
    ]);
  }
  return lines;
}
