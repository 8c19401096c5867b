// The top of the screen: what is being watched (root, config), how each source is doing,
// counts per verdict, and the modes that change what keys do (LIVE/PAUSED, AUTO, READ-ONLY).
import { Box } from 'ink';
import React from 'react';
import { sanitizeText } from '../core/sanitize.js';
import { formatAge } from '../core/time.js';
import { VERDICTS } from '../core/types.js';
import { SORT_LABEL, type SortMode, type VerdictFilter } from '../core/tui/ui-state.js';
import { loadingText, VERDICT_COLOR, VERDICT_SYMBOL } from '../core/view/view.js';
import type { EngineSnapshot, SourceHealth } from '../shell/engine-types.js';
import { Line, lineWidth, spread, type Seg } from './line.js';

export interface HeaderProps {
  snapshot: EngineSnapshot;
  width: number;
  /** 1 to 3 lines, plus one per layout line when there is room. */
  lines: number;
  /** What was discovered, one line per source (core/discover/describe.ts). */
  layout?: readonly string[];
  now: number;
  paused: boolean;
  auto: boolean;
  readOnly: boolean;
  view: {
    shown: number;
    position: number;
    filterText: string;
    verdictFilter: VerdictFilter;
    sort: SortMode;
    /** The column sort's words (`FSM file ▼`), when sorting by a column. */
    sortColumn?: string | null;
    marks: number;
  };
}

function badges(p: HeaderProps): Seg[] {
  const out: Seg[] = [];
  out.push(
    p.paused
      ? { text: ' ⏸ PAUSED ', color: 'warn', bold: true, inverse: true }
      : { text: ' ● LIVE ', color: 'ok', bold: true },
  );
  if (!p.readOnly)
    out.push(
      { text: ' ' },
      p.auto
        ? { text: ' AUTO on ', color: 'accent', bold: true, inverse: true }
        : { text: ' AUTO off ', dim: true },
    );
  if (p.readOnly) out.push({ text: ' ' }, { text: ' READ-ONLY ', color: 'error', bold: true, inverse: true });
  return out;
}

function sourceSegs(h: SourceHealth, now: number): Seg[] {
  const name = sanitizeText(h.name);
  const read = h.lastReadAt === null ? '' : ` · read ${formatAge(now - h.lastReadAt)} ago`;
  const mode = h.mode === 'polling' ? ' · polling' : h.mode === 'failed' ? ' · not watched' : '';
  if (!h.healthy) {
    const why = sanitizeText(h.lastError ?? h.diagnostics[0]?.message ?? 'cannot be read');
    return [
      { text: `${name} `, bold: true },
      { text: `✖ ${why}`, color: 'error' },
      { text: `${mode}${read}`, dim: true },
    ];
  }
  const count =
    h.kind !== 'status-files'
      ? ''
      : h.mode === 'once'
        ? ` ${h.watched} file${h.watched === 1 ? '' : 's'}`
        : ` ${h.watched} watched`;
  const warn =
    h.diagnostics.length > 0
      ? [
          {
            text: ` ⚠ ${h.diagnostics.length} problem${h.diagnostics.length === 1 ? '' : 's'}`,
            color: 'warn',
          },
        ]
      : [];
  return [
    { text: `${name} `, bold: true },
    { text: '✔', color: 'ok' },
    { text: count },
    ...warn,
    { text: `${mode}${read}`, dim: true },
  ];
}

function countSegs(s: EngineSnapshot, compact: boolean): Seg[] {
  const summary = s.recon.summary;
  const out: Seg[] = [{ text: `${summary.agents} agent${summary.agents === 1 ? '' : 's'}`, bold: true }];
  for (const v of VERDICTS) {
    const n = summary[v];
    if (compact && n === 0) continue;
    out.push({ text: '  ' });
    const seg: Seg = { text: compact ? `${VERDICT_SYMBOL[v]}${n}` : `${VERDICT_SYMBOL[v]} ${n} ${v}` };
    if (n === 0) seg.dim = true;
    else seg.color = VERDICT_COLOR[v];
    out.push(seg);
  }
  return out;
}

/** While the live view starts: how much of the fleet is read (src/shell/loader.ts). */
function loadingSegs(s: EngineSnapshot): Seg[] {
  if (!s.loading) return [];
  return [{ text: '  ' }, { text: loadingText(s.loading), color: 'yellow' }];
}

function viewSegs(p: HeaderProps): Seg[] {
  const v = p.view;
  const parts: Seg[] = [];
  if (v.filterText !== '')
    parts.push({ text: `/${sanitizeText(v.filterText)}`, color: 'accent' }, { text: ' · ' });
  if (v.verdictFilter !== 'all') parts.push({ text: v.verdictFilter, color: 'accent' }, { text: ' · ' });
  if (v.marks > 0) parts.push({ text: `${v.marks} marked`, color: 'mark' }, { text: ' · ' });
  parts.push({ text: `sort ${v.sortColumn ?? SORT_LABEL[v.sort]}`, dim: true }, { text: ' · ' });
  parts.push({ text: v.shown === 0 ? '0 shown' : `${v.position}/${v.shown}`, bold: true });
  return parts;
}

export const Header = React.memo(function Header(p: HeaderProps) {
  const title: Seg[] = [
    { text: ' sync-tui ', bold: true, inverse: true, color: 'accent' },
    { text: ' ' },
    { text: sanitizeText(p.snapshot.root), bold: true },
    { text: `  ${sanitizeText(p.snapshot.config.origin)}`, dim: true },
  ];
  const rows: Seg[][] = [];
  if (p.lines >= 3) {
    rows.push(spread(title, badges(p), p.width));
    const src: Seg[] = [];
    p.snapshot.health.forEach((h, i) => {
      if (i > 0) src.push({ text: '   ' });
      src.push(...sourceSegs(h, p.now));
    });
    rows.push(src);
    const full = [...countSegs(p.snapshot, false), ...loadingSegs(p.snapshot)];
    const fits = lineWidth(full) + lineWidth(viewSegs(p)) + 1 <= p.width;
    rows.push(
      spread(
        fits ? full : [...countSegs(p.snapshot, true), ...loadingSegs(p.snapshot)],
        viewSegs(p),
        p.width,
      ),
    );
    for (const text of (p.layout ?? []).slice(0, p.lines - 3))
      rows.push([{ text: sanitizeText(text), dim: true }]);
  } else if (p.lines === 2) {
    rows.push(spread(title, badges(p), p.width));
    rows.push(spread([...countSegs(p.snapshot, true), ...loadingSegs(p.snapshot)], viewSegs(p), p.width));
  } else if (p.lines === 1) {
    rows.push(
      spread(
        [...title.slice(0, 1), { text: ' ' }, ...countSegs(p.snapshot, true), ...loadingSegs(p.snapshot)],
        badges(p),
        p.width,
      ),
    );
  }
  return (
    <Box flexDirection="column">
      {rows.map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} />
      ))}
    </Box>
  );
});
