// The styled line model of snapshots (README.md "Snapshots"): title, source problems,
// header, rows and summary as runs of sanitised text with a style. text, ansi and svg draw
// exactly these lines; html and md reuse the title and summary parts.
import type { CheckJson } from './report.js';
import { displayWidth, sanitizeText, truncate } from '../sanitize.js';
import { formatIso } from '../time.js';
import { VERDICTS, type AgentState, type Config, type Reconciliation } from '../types.js';
import {
  cellStyle,
  columnsFor,
  fitCell,
  layoutColumns,
  summaryText,
  truncateMiddle,
  VERDICT_COLOR,
  VERDICT_SYMBOL,
  type ColorName,
  type Column,
  type LaidOutColumn,
  type Style,
} from '../view/view.js';
import { legendFor } from '../view/legend.js';

export interface SnapshotInput {
  /** The workspace root, as shown in the title. */
  root: string;
  config: Config;
  recon: Reconciliation;
  /** The time of the snapshot, epoch ms (ages are computed from it). */
  now: number;
  /** Columns for text, ansi, svg and html; narrower tables drop low-priority columns. Infinity: as wide as the table needs. */
  width: number;
  /** Colours for `ansi`; without them `ansi` equals `text`. Other formats ignore it. */
  color: boolean;
  /** Health of each source, as in `check --json`: shown above the table, included in json. */
  health?: CheckJson['sources'];
  /** Times as ISO 8601 (`2026-03-02T09:01:00.000Z`) instead of ages (`snapshot --absolute-times`). */
  absoluteTimes?: boolean;
}

export const GAP = 2;
const MIN_WIDTH = 20;

export type { ColorName, Style };

/** A piece of one line: sanitised text starting at terminal column `col`. */
export interface Run {
  col: number;
  text: string;
  /** Columns `text` takes. */
  width: number;
  style: Style;
}

export type StyledLine = Run[];

/** Runs of a line written left to right, starting at `col`. */
export class LineBuilder {
  readonly runs: Run[] = [];
  constructor(public col = 0) {}
  add(text: string, style: Style = {}): this {
    const t = sanitizeText(text);
    const width = displayWidth(t);
    if (t !== '') this.runs.push({ col: this.col, text: t, width, style });
    this.col += width;
    return this;
  }
  at(col: number): this {
    this.col = col;
    return this;
  }
}

/** The summary text with each verdict's count in that verdict's colour. */
export function addSummary(line: LineBuilder, text: string, summary: Reconciliation['summary']): void {
  const marks = VERDICTS.filter((v) => summary[v] > 0)
    .map((v) => ({ v, start: text.indexOf(VERDICT_SYMBOL[v]) }))
    .filter((m) => m.start >= 0)
    .sort((a, b) => a.start - b.start);
  let pos = 0;
  marks.forEach((m, i) => {
    const next = marks[i + 1]?.start ?? text.length;
    const gap = text.indexOf('  ', m.start);
    const end = gap >= 0 && gap < next ? gap : next;
    line.add(text.slice(pos, m.start));
    line.add(text.slice(m.start, end).trimEnd(), { color: VERDICT_COLOR[m.v] as ColorName });
    pos = m.start + text.slice(m.start, end).trimEnd().length;
  });
  line.add(text.slice(pos));
}

export const TITLE = 'sync-tui snapshot';

/**
 * The title: name, root, time and counts. When it does not fit, the counts go compact
 * first (the full summary is under the table), then the root is cut in the middle.
 */
function titleParts(
  root: string,
  now: number,
  summary: Reconciliation['summary'],
  width: number,
): { root: string; time: string; counts: string } {
  const time = formatIso(now);
  const safeRoot = sanitizeText(root);
  const fixed = displayWidth(TITLE) + GAP + GAP + time.length + GAP;
  const avail = width - fixed;
  const rootWidth = displayWidth(safeRoot);
  let counts = summaryText(summary);
  const countsWidth = displayWidth(counts);
  if (rootWidth + countsWidth > avail) {
    // Leave the root at least 20 columns (or all it needs); the counts take the rest.
    counts = summaryText(summary, Math.max(1, Math.min(countsWidth - 1, avail - Math.min(rootWidth, 20))));
  }
  const rootRoom = Math.max(avail - displayWidth(counts), 1);
  return { root: truncateMiddle(safeRoot, rootRoom), time, counts };
}

export function healthLines(health: SnapshotInput['health'], width: number): StyledLine[] {
  const lines: StyledLine[] = [];
  for (const [name, h] of Object.entries(health ?? {})) {
    if (!h.healthy)
      lines.push(
        new LineBuilder().add(
          truncate(`source ${name} unhealthy: ${h.diagnostics[0] ?? 'cannot be read'}`, width),
          { color: 'red' },
        ).runs,
      );
    else if (h.diagnostics.length > 0) {
      lines.push(
        new LineBuilder().add(
          truncate(`source ${name}: ${h.diagnostics.length} problem(s), first: ${h.diagnostics[0]}`, width),
          { color: 'yellow' },
        ).runs,
      );
    }
  }
  return lines;
}

/** Infinity stays Infinity: the table as wide as it needs, nothing cut (the default of files). */
export function clampWidth(width: number): number {
  if (width === Infinity) return Infinity;
  return Number.isFinite(width) ? Math.max(MIN_WIDTH, Math.floor(width)) : 120;
}

/** The columns of check and the TUI; with absolute times the age column holds the ISO time instead. */
export function snapshotColumns(input: Pick<SnapshotInput, 'config' | 'absoluteTimes'>): Column[] {
  const cols = columnsFor(input.config);
  if (input.absoluteTimes !== true) return cols;
  return cols.map((c) =>
    c.id !== 'seen'
      ? c
      : {
          ...c,
          min: 24,
          max: 24,
          cell: (a: AgentState) => ({
            text: a.lastSeen === null ? '—' : formatIso(a.lastSeen),
            tone: 'dim' as const,
          }),
        },
  );
}

/** The columns kept at `width`, as `check` and the TUI lay them out. */
export function snapshotLayout(input: SnapshotInput): LaidOutColumn[] {
  return layoutColumns(snapshotColumns(input), input.recon.agents, input.now, clampWidth(input.width), GAP);
}

/** The title line: bold name, root, dim time, coloured counts. */
export function titleLine(input: SnapshotInput, width: number): StyledLine {
  const summary = input.recon.summary;
  const t = titleParts(input.root, input.now, summary, width);
  const title = new LineBuilder()
    .add(TITLE, { bold: true })
    .add('  ')
    .add(t.root)
    .add('  ')
    .add(t.time, { dim: true })
    .add('  ');
  addSummary(title, t.counts, summary);
  // Too narrow for the parts: one plain line, cut.
  if (lineWidth(title.runs) > width)
    return new LineBuilder().add(truncate(`${TITLE}  ${input.root}  ${t.time}  ${t.counts}`, width), {
      bold: true,
    }).runs;
  return title.runs;
}

/**
 * The snapshot as styled lines: title, source problems, a blank line, the header, one row
 * per agent, a blank line, the summary. `text`, `ansi` and `svg` draw exactly these.
 */
export function snapshotLines(input: SnapshotInput): StyledLine[] {
  const width = clampWidth(input.width);
  const { recon, now } = input;
  const lines: StyledLine[] = [];
  lines.push(titleLine(input, width));
  lines.push(...healthLines(input.health, width));
  lines.push([]);
  const layout = snapshotLayout(input);
  lines.push(...tableLines(layout, recon.agents, now));
  lines.push([]);
  const summary = new LineBuilder();
  addSummary(summary, summaryText(recon.summary, width), recon.summary);
  lines.push(summary.runs);
  lines.push(
    legendLine(
      layout.map((l) => l.column.id),
      width,
    ),
  );
  return lines;
}

/**
 * The table: the column header, then one row per agent, starting at column `indent`
 * (the live view's first frame leaves the selection marker's two columns).
 */
export function tableLines(
  layout: readonly LaidOutColumn[],
  agents: readonly AgentState[],
  now: number,
  indent = 0,
): StyledLine[] {
  const lines: StyledLine[] = [];
  const header = new LineBuilder();
  let col = indent;
  for (const l of layout) {
    header.at(col).add(truncate(l.column.title, l.width), { bold: true });
    col += l.width + GAP;
  }
  lines.push(header.runs);
  for (const a of agents) {
    const row = new LineBuilder();
    col = indent;
    for (const l of layout) {
      const cell = l.column.cell(a, now);
      row.at(col).add(fitCell(l.column, cell.text, l.width), cellStyle(l.column.id, cell, a));
      col += l.width + GAP;
    }
    lines.push(row.runs);
  }
  return lines;
}

/** What the marks mean (src/core/view/legend.ts): `legend  ?value not in the vocabulary  · no value ...`, cut to `width`. */
export function legendLine(columnIds: readonly string[], width: number): StyledLine {
  const line = new LineBuilder().add('legend', { dim: true });
  for (const e of legendFor(columnIds)) {
    const piece = `  ${e.mark} ${e.short}`;
    if (lineWidth(line.runs) + displayWidth(piece) > width) break;
    line.add('  ').add(e.mark, { bold: true }).add(` ${e.short}`, { dim: true });
  }
  return line.runs;
}

/** Columns a line takes. */
export function lineWidth(line: StyledLine): number {
  const last = line[line.length - 1];
  return last ? last.col + last.width : 0;
}

export function plainLine(line: StyledLine): string {
  let out = '';
  let col = 0;
  for (const r of line) {
    if (r.col > col) out += ' '.repeat(r.col - col);
    out += r.text;
    col = r.col + r.width;
  }
  return out.trimEnd();
}
