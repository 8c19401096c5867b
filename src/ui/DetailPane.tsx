// The selected agent up close: a field x source matrix (canonical value, raw value, when,
// where from, what resolution would write), its reasons and diagnostics, and in a conflict
// the numbered sources the operator may pick as the winner.
import { unknownValueOf } from './vocab-hint.js';
import { Box } from 'ink';
import React from 'react';
import { targetSource } from '../core/reconcile/reconcile.js';
import { displayWidth, padEnd, sanitizeText, sanitizeValue } from '../core/sanitize.js';
import { formatDuration, formatIso } from '../core/time.js';
import type { AgentState, Config, FieldObservation, Observation } from '../core/types.js';
import { formatDiagnostic, valueText, VERDICT_COLOR, VERDICT_SYMBOL } from '../core/view/view.js';
import { choiceLines } from './choice-lines.js';
import { Line, type Seg } from './line.js';
import { PENDING_TEXT } from './table-model.js';
import { wrapSegs } from './wrap.js';
import type { TimelineView } from './hooks/useTimeline.js';
import { timelineLines } from './timeline-lines.js';

export interface DetailPaneProps {
  agent: AgentState | null;
  config: Config;
  pending: boolean;
  readOnly: boolean;
  height: number;
  width: number;
  now: number;
  /** Lines scrolled off the top (J/K); clamped to what there is. */
  scroll?: number;
  /** The agent's timeline (null: being read; absent: this screen has none). */
  timeline?: TimelineView | null;
}

interface MatrixCell {
  text: string;
  style?: Omit<Seg, 'text'>;
  /** The whole text, when `text` is a shortened form (raw values). */
  full?: string;
}

const MATRIX_COLUMNS: readonly { title: string; max: number; drop: number; flex?: boolean }[] = [
  { title: 'FIELD', max: 10, drop: 9 },
  { title: 'SOURCE', max: 18, drop: 8 },
  { title: 'VALUE', max: 20, drop: 10 },
  { title: 'RAW', max: 26, drop: 4 },
  { title: 'WHEN', max: 32, drop: 5 },
  { title: 'FROM', max: 60, drop: 6, flex: true },
  { title: 'RESOLVE WRITES', max: 34, drop: 7 },
];

/** The RAW column's place in MATRIX_COLUMNS (VALUE is just before it). */
const RAW = 3;

function valueCell(
  o: Observation | undefined,
  f: FieldObservation | undefined,
  differs: boolean,
): MatrixCell {
  if (!o) return { text: '—', style: { dim: true } };
  if (!o.readable) return { text: '✖ unreadable', style: { color: 'mark' } };
  if (!o.present) return { text: '— not listed', style: { dim: true } };
  if (!f || f.raw === null) return { text: '·', style: { dim: true } };
  if (f.unknown) return { text: `? unknown`, style: { color: 'mark' } };
  return { text: valueText(f.value), style: differs ? { color: 'warn', bold: true } : {} };
}

function whenText(
  o: Observation | undefined,
  f: FieldObservation | undefined,
  now: number,
  long: boolean,
): string {
  const at = f?.at ?? o?.updatedAt ?? null;
  if (at === null || at === undefined) return '';
  const from = o?.updatedAtFrom === 'mtime' ? ' (mtime)' : '';
  return long
    ? `${formatDuration(now - at)} ago · ${formatIso(at).slice(0, 16).replace('T', ' ')}${from}`
    : `${formatDuration(now - at)} ago${from}`;
}

function matrixRows(agent: AgentState, config: Config, now: number, longWhen: boolean): MatrixCell[][] {
  const target = targetSource(config);
  const rows: MatrixCell[][] = [];
  for (const field of config.fields) {
    let first = true;
    for (const spec of config.sources) {
      if (!spec.fields[field.name]) continue;
      const o = agent.observations[spec.name];
      const f = o?.fields[field.name];
      const isTarget = spec.name === target?.name;
      const differs =
        isTarget && agent.differences.some((d) => d.field === field.name && d.source === spec.name);
      let write: MatrixCell = { text: '' };
      if (isTarget) {
        const w = agent.plan.find((p) => p.field === field.name);
        if (w)
          write = {
            text: `${sanitizeValue(w.before, 24)} → ${sanitizeValue(w.after, 24)}`,
            style: { color: 'warn', bold: true },
          };
        else if (differs) write = { text: '✖ nothing (see why)', style: { color: 'error' } };
        else if (o?.present) write = { text: '= in line', style: { dim: true } };
      } else if (agent.truth[field.name]?.from === spec.name) {
        write = { text: '★ truth', style: { color: 'ok' } };
      }
      // The key first: it is what differs between rows, and it survives truncation.
      const from = o?.file ? `${f?.path ? `${f.path.join('.')} in ` : ''}${o.file}` : '';
      rows.push([
        { text: first ? field.name : '', style: { bold: true } },
        { text: `${spec.name}${isTarget ? ' (target)' : ''}` },
        valueCell(o, f, differs),
        f && f.raw !== null && o?.present
          ? { text: sanitizeValue(f.raw, 40), full: sanitizeValue(f.raw, 2000), style: { dim: true } }
          : { text: '', style: { dim: true } },
        { text: whenText(o, f, now, longWhen), style: { dim: true } },
        { text: sanitizeText(from), style: { dim: true } },
        write,
      ]);
      first = false;
    }
  }
  return rows;
}

function naturalWidth(rows: MatrixCell[][]): number {
  return MATRIX_COLUMNS.reduce(
    (sum, c, i) =>
      sum + Math.min(c.max, Math.max(c.title.length, ...rows.map((r) => displayWidth(r[i]!.text)))) + 2,
    -2,
  );
}

/** Column widths for the matrix: natural widths, capped; columns dropped when too narrow. */
function fitMatrix(rows: MatrixCell[][], width: number): { index: number; width: number }[] {
  let cols = MATRIX_COLUMNS.map((c, index) => {
    let w = c.title.length;
    for (const r of rows) w = Math.max(w, displayWidth(r[index]!.text));
    return { index, width: Math.min(c.max, w) };
  });
  const total = () => cols.reduce((s, c) => s + c.width, 0) + 2 * (cols.length - 1);
  while (total() > width && cols.length > 1) {
    const flex = cols.find((c) => MATRIX_COLUMNS[c.index]!.flex && c.width > 12);
    if (flex) {
      flex.width = Math.max(12, flex.width - (total() - width));
      continue;
    }
    const lowest = cols.reduce((lo, c) =>
      MATRIX_COLUMNS[c.index]!.drop < MATRIX_COLUMNS[lo.index]!.drop ? c : lo,
    );
    cols = cols.filter((c) => c !== lowest);
  }
  return cols;
}

/** Every line the pane could show, most important first after the matrix. */
export function detailLines(p: DetailPaneProps): Seg[][] {
  const a = p.agent;
  if (!a) return [[{ text: 'no agent selected', dim: true }]];
  const lines: Seg[][] = [];
  const verdict: Seg = p.pending
    ? { text: PENDING_TEXT, color: 'accent', bold: true }
    : { text: `${VERDICT_SYMBOL[a.verdict]} ${a.verdict}`, color: VERDICT_COLOR[a.verdict], bold: true };
  lines.push([
    { text: ` ${sanitizeText(a.id)} `, bold: true, inverse: true },
    { text: '  ' },
    verdict,
    { text: '  ' },
    { text: sanitizeText(a.reasons[0] ?? 'all sources agree'), dim: true },
  ]);

  // A word the vocabulary does not know: the vocabulary panel teaches it (README.md "Vocabulary").
  const unknown = unknownValueOf(a);
  if (unknown)
    lines.push([
      { text: `unknown value '${sanitizeText(unknown.value)}'`, color: 'mark' },
      { text: p.readOnly ? ': V lists the vocabulary' : ': V to teach it', dim: true },
    ]);

  // A conflict's winners with what each would write, and the decisions that hold.
  lines.push(...choiceLines(a, p.config, p.now, p.readOnly));

  // Exact times when everything fits, else just ages.
  let rows = matrixRows(a, p.config, p.now, true);
  let cols = fitMatrix(rows, p.width);
  if (cols.length < MATRIX_COLUMNS.length || naturalWidth(rows) > p.width) {
    rows = matrixRows(a, p.config, p.now, false);
    cols = fitMatrix(rows, p.width);
  }
  const rowSegs = (cells: MatrixCell[], header: boolean): Seg[] => {
    const segs: Seg[] = [];
    cols.forEach((c, i) => {
      if (i > 0) segs.push({ text: '  ' });
      const cell = cells[c.index]!;
      segs.push({
        text: padEnd(cell.text, c.width),
        ...(header ? { bold: true, underline: true } : (cell.style ?? {})),
      });
    });
    return segs;
  };
  lines.push(
    rowSegs(
      MATRIX_COLUMNS.map((c) => ({ text: c.title })),
      true,
    ),
  );
  for (const r of rows) lines.push(rowSegs(r, false));
  // A cell cut to its column is given whole below the matrix (it wraps, and the pane scrolls).
  const shownCols = new Set(cols.map((c) => c.index));
  let field = '';
  for (const r of rows) {
    field = r[0]!.text || field;
    cols.forEach((c) => {
      const cell = r[c.index]!;
      const whole = cell.full ?? cell.text;
      if (
        c.index < 2 ||
        !shownCols.has(c.index) ||
        (displayWidth(cell.text) <= c.width && whole === cell.text)
      )
        return;
      if (c.index === RAW) return;
      lines.push([
        {
          text: `${sanitizeText(field)} · ${sanitizeText(r[1]!.text)} · ${MATRIX_COLUMNS[c.index]!.title.toLowerCase()}: `,
          dim: true,
        },
        { text: whole, ...(cell.style ?? {}) },
      ]);
    });
    // The raw value, when no column shows it whole (RAW cut or dropped) and it is more than the value says.
    const raw = r[RAW]!;
    const rawCol = cols.find((c) => c.index === RAW);
    const value = r[RAW - 1]!;
    if (
      raw.full !== undefined &&
      raw.full !== '' &&
      !(rawCol && raw.full === raw.text && displayWidth(raw.text) <= rawCol.width) &&
      (value.text.startsWith('?') || raw.full.replace(/^"|"$/g, '') !== value.text)
    ) {
      lines.push([
        { text: `${sanitizeText(field)} · ${sanitizeText(r[1]!.text)} · raw: `, dim: true },
        { text: raw.full, ...(raw.style ?? {}) },
      ]);
    }
  }

  const target = targetSource(p.config);
  if (a.plan.length > 0 && target) {
    lines.push([
      { text: p.readOnly ? 'resolve would write ' : 'r writes ', color: 'warn' },
      { text: `${a.plan.length} value${a.plan.length === 1 ? '' : 's'}`, bold: true },
      { text: ` to ${sanitizeText(target.path)}` },
    ]);
  } else if (a.verdict !== 'in-sync' && a.verdict !== 'stale') {
    lines.push([{ text: 'nothing resolution can write on its own', dim: true }]);
  }
  for (const r of a.reasons.slice(1)) lines.push([{ text: 'also: ', dim: true }, { text: sanitizeText(r) }]);
  for (const spec of p.config.sources) {
    for (const d of a.observations[spec.name]?.diagnostics ?? []) {
      lines.push([
        { text: `${sanitizeText(spec.name)}: `, bold: true },
        {
          text: formatDiagnostic(d),
          color: d.severity === 'error' ? 'error' : d.severity === 'warning' ? 'warn' : undefined,
        },
      ]);
    }
  }
  // The timeline last: it is the longest part, and J/K scroll to it.
  lines.push(...timelineLines(p.timeline));
  return lines;
}

/** The pane's lines wrapped to its width, and how far it can scroll (0: it all fits). */
export function detailView(p: DetailPaneProps): { lines: Seg[][]; maxScroll: number } {
  const lines = detailLines(p).flatMap((l) => wrapSegs(l, p.width));
  const room = p.height - 1;
  // When it does not fit, the last row says what is above and below.
  return { lines, maxScroll: lines.length > room ? Math.max(0, lines.length - Math.max(1, room - 1)) : 0 };
}

export const DetailPane = React.memo(function DetailPane(p: DetailPaneProps) {
  if (p.height <= 0) return null;
  const rule: Seg[] = [{ text: '─'.repeat(Math.max(0, p.width)), dim: true }];
  const view = detailView(p);
  let lines = view.lines;
  const room = p.height - 1;
  if (lines.length > room) {
    const window = Math.max(1, room - 1);
    const top = Math.min(Math.max(0, p.scroll ?? 0), view.maxScroll);
    const below = lines.length - top - window;
    const parts = [top > 0 ? `↑ ${top} above` : '', below > 0 ? `↓ ${below} more` : '', 'J/K scroll'].filter(
      (x) => x !== '',
    );
    lines = [...lines.slice(top, top + window), [{ text: parts.join(' · '), dim: true }]].slice(
      0,
      Math.max(0, room),
    );
  }
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={rule} width={p.width} />
      {lines.map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} />
      ))}
    </Box>
  );
});
