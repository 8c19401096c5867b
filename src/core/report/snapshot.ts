// Snapshots: the status table as a file to paste into a report or a chat, in text, ANSI,
// SVG, Markdown, JSON, CSV or HTML. Pure: the shell reads the sources and passes `now`.
//
// Every format is drawn from the table model of `check` and the TUI (columnsFor,
// layoutColumns, fitCell), so the rows, columns, symbols and words cannot diverge. Text
// from files is untrusted: it goes through sanitizeText (inert, one line) first, then
// through the escaping of the target format.
import { checkDocument, type CheckJson } from './report.js';
import { materialize } from './json-stream.js';
import { displayWidth, sanitizeText, stringifyForTerminal, truncate } from '../sanitize.js';
import { formatIso } from '../time.js';
import { VERDICTS, type Config, type Reconciliation } from '../types.js';
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
  type LaidOutColumn,
  type Style,
} from '../view/view.js';

export const SNAPSHOT_FORMATS = ['text', 'ansi', 'svg', 'md', 'json', 'csv', 'html'] as const;
export type SnapshotFormat = (typeof SNAPSHOT_FORMATS)[number];

/** File extensions that name a format (for `--output report.svg` without `--format`). */
export const FORMAT_BY_EXTENSION: Record<string, SnapshotFormat> = {
  '.txt': 'text',
  '.ansi': 'ansi',
  '.svg': 'svg',
  '.md': 'md',
  '.markdown': 'md',
  '.json': 'json',
  '.csv': 'csv',
  '.html': 'html',
  '.htm': 'html',
};

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
}

const GAP = 2;
const MIN_WIDTH = 20;

// ---------------------------------------------------------------------------------------
// The styled line model shared by text, ansi and svg

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
class LineBuilder {
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
function addSummary(line: LineBuilder, text: string, summary: Reconciliation['summary']): void {
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

const TITLE = 'sync-tui snapshot';

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

function healthLines(health: SnapshotInput['health'], width: number): StyledLine[] {
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
function clampWidth(width: number): number {
  if (width === Infinity) return Infinity;
  return Number.isFinite(width) ? Math.max(MIN_WIDTH, Math.floor(width)) : 120;
}

/** The columns kept at `width`, as `check` and the TUI lay them out. */
export function snapshotLayout(input: SnapshotInput): LaidOutColumn[] {
  return layoutColumns(columnsFor(input.config), input.recon.agents, input.now, clampWidth(input.width), GAP);
}

/** The title line: bold name, root, dim time, coloured counts. */
function titleLine(input: SnapshotInput, width: number): StyledLine {
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
  const header = new LineBuilder();
  let col = 0;
  for (const l of layout) {
    header.at(col).add(truncate(l.column.title, l.width), { bold: true });
    col += l.width + GAP;
  }
  lines.push(header.runs);
  for (const a of recon.agents) {
    const row = new LineBuilder();
    col = 0;
    for (const l of layout) {
      const cell = l.column.cell(a, now);
      row.at(col).add(fitCell(l.column, cell.text, l.width), cellStyle(l.column.id, cell, a));
      col += l.width + GAP;
    }
    lines.push(row.runs);
  }
  lines.push([]);
  const summary = new LineBuilder();
  addSummary(summary, summaryText(recon.summary, width), recon.summary);
  lines.push(summary.runs);
  return lines;
}

/** Columns a line takes. */
export function lineWidth(line: StyledLine): number {
  const last = line[line.length - 1];
  return last ? last.col + last.width : 0;
}

function plainLine(line: StyledLine): string {
  let out = '';
  let col = 0;
  for (const r of line) {
    if (r.col > col) out += ' '.repeat(r.col - col);
    out += r.text;
    col = r.col + r.width;
  }
  return out.trimEnd();
}

// ---------------------------------------------------------------------------------------
// text and ansi

export function renderText(input: SnapshotInput): string {
  return snapshotLines(input).map(plainLine).join('\n') + '\n';
}

const SGR_COLOR: Record<ColorName, number> = {
  red: 31,
  green: 32,
  yellow: 33,
  blue: 34,
  magenta: 35,
  cyan: 36,
  gray: 90,
};
export const SGR_RESET = '\x1b[0m';

function sgr(style: Style): string {
  const codes: number[] = [];
  if (style.bold) codes.push(1);
  if (style.dim) codes.push(2);
  if (style.color) codes.push(SGR_COLOR[style.color]);
  return codes.length > 0 ? `\x1b[${codes.join(';')}m` : '';
}

export function renderAnsi(input: SnapshotInput): string {
  if (!input.color) return renderText(input);
  const out = snapshotLines(input).map((line) => {
    let s = '';
    let col = 0;
    for (const r of line) {
      if (r.col > col) s += ' '.repeat(r.col - col);
      const on = sgr(r.style);
      s += on === '' ? r.text : `${on}${r.text}${SGR_RESET}`;
      col = r.col + r.width;
    }
    return s;
  });
  return out.join('\n') + '\n' + SGR_RESET;
}

// ---------------------------------------------------------------------------------------
// Escaping for XML, SVG and HTML

/** Characters XML 1.0 does not allow at all (after sanitizeText: U+FFFE, U+FFFF). */
const XML_INVALID = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

/** Sanitised, then escaped for XML/HTML text and attribute values. */
export function escapeXml(s: string): string {
  return sanitizeText(s)
    .replace(XML_INVALID, '\ufffd')
    .replace(
      /[&<>"']/g,
      (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
    );
}

// ---------------------------------------------------------------------------------------
// svg

/** The terminal theme of SVG and HTML snapshots. */
export const PALETTE = {
  red: '#ff6b6b',
  yellow: '#f5c542',
  green: '#5fd068',
  blue: '#6ca0ff',
  magenta: '#d670d6',
  cyan: '#5fd7d7',
  gray: '#8a8f98',
  fg: '#e6e6e6',
  bg: '#1e1f24',
  bar: '#2a2c33',
  border: '#3a3d46',
  page: '#15161a',
} as const;

export const SVG_FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";
export const SVG_FONT_SIZE = 14;
/** Advance of one terminal column at 14px in common monospace fonts (0.6 em). */
export const SVG_CELL_WIDTH = 8.4;
export const SVG_LINE_HEIGHT = 19;
const SVG_PAD_X = 20;
const SVG_BAR = 34;
const SVG_PAD_TOP = 14;
const SVG_PAD_BOTTOM = 16;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const clusterWidths = new Map<string, number>();

function clusterWidth(cluster: string): number {
  let w = clusterWidths.get(cluster);
  if (w === undefined) {
    w = displayWidth(cluster);
    if (clusterWidths.size < 10_000) clusterWidths.set(cluster, w);
  }
  return w;
}

function num(n: number): string {
  return String(Math.round(n * 100) / 100);
}

function fill(style: Style): string {
  if (style.color) return PALETTE[style.color];
  return style.dim ? PALETTE.gray : PALETTE.fg;
}

/**
 * Pieces of a run to place one by one: runs of printable ASCII (one column each), and every
 * other grapheme cluster on its own, so that a wide character takes exactly two cells and a
 * glyph from a fallback font cannot push the rest of the line out of its columns.
 */
export function svgPieces(run: Run): { col: number; text: string; width: number }[] {
  const pieces: { col: number; text: string; width: number }[] = [];
  if (/^[\x20-\x7e]*$/.test(run.text)) {
    const trimmed = run.text.trimEnd();
    const text = trimmed.trimStart();
    return text === '' ? [] : [{ col: run.col + trimmed.length - text.length, text, width: text.length }];
  }
  let col = run.col;
  let ascii = '';
  let asciiCol = col;
  const flush = () => {
    const trimmed = ascii.trimEnd();
    const lead = trimmed.length - trimmed.trimStart().length;
    if (trimmed.trim() !== '')
      pieces.push({ col: asciiCol + lead, text: trimmed.slice(lead), width: trimmed.length - lead });
    ascii = '';
  };
  for (const { segment } of segmenter.segment(run.text)) {
    if (/^[\x20-\x7e]$/.test(segment)) {
      if (ascii === '') asciiCol = col;
      ascii += segment;
      col += 1;
      continue;
    }
    flush();
    const w = clusterWidth(segment);
    if (w > 0) pieces.push({ col, text: segment, width: w });
    col += w;
  }
  flush();
  return pieces;
}

export function renderSvg(input: SnapshotInput): string {
  const lines = snapshotLines(input);
  const cols = Math.max(60, ...lines.map(lineWidth));
  const width = SVG_PAD_X * 2 + cols * SVG_CELL_WIDTH;
  const height = SVG_BAR + SVG_PAD_TOP + lines.length * SVG_LINE_HEIGHT + SVG_PAD_BOTTOM;
  const label = escapeXml(`${TITLE}: ${input.root}, ${summaryText(input.recon.summary)}`);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${num(width)}" height="${num(height)}" viewBox="0 0 ${num(width)} ${num(height)}" role="img" aria-label="${label}">`,
    `<title>${label}</title>`,
    `<rect x="0.5" y="0.5" width="${num(width - 1)}" height="${num(height - 1)}" rx="9" ry="9" fill="${PALETTE.bg}" stroke="${PALETTE.border}"/>`,
    // The title bar: rounded at the top only.
    `<path d="M0.5 ${SVG_BAR} V9.5 A9 9 0 0 1 9.5 0.5 H${num(width - 9.5)} A9 9 0 0 1 ${num(width - 0.5)} 9.5 V${SVG_BAR} Z" fill="${PALETTE.bar}"/>`,
    `<line x1="0.5" y1="${SVG_BAR}" x2="${num(width - 0.5)}" y2="${SVG_BAR}" stroke="${PALETTE.border}"/>`,
    `<circle cx="20" cy="${SVG_BAR / 2}" r="6" fill="#ff5f57"/>`,
    `<circle cx="40" cy="${SVG_BAR / 2}" r="6" fill="#febc2e"/>`,
    `<circle cx="60" cy="${SVG_BAR / 2}" r="6" fill="#28c840"/>`,
    `<text x="${num(width / 2)}" y="${SVG_BAR / 2 + 4.5}" text-anchor="middle" font-family="${SVG_FONT}" font-size="12" fill="${PALETTE.gray}">${escapeXml(`sync-tui — ${shortRoot(input.root)}`)}</text>`,
    `<g font-family="${SVG_FONT}" font-size="${SVG_FONT_SIZE}" fill="${PALETTE.fg}" xml:space="preserve">`,
  );
  lines.forEach((line, i) => {
    const y = SVG_BAR + SVG_PAD_TOP + i * SVG_LINE_HEIGHT + SVG_FONT_SIZE;
    const spans: string[] = [];
    for (const run of line) {
      const f = fill(run.style);
      const attrs = `${f === PALETTE.fg ? '' : ` fill="${f}"`}${run.style.bold ? ' font-weight="bold"' : ''}`;
      for (const p of svgPieces(run)) {
        const x = SVG_PAD_X + p.col * SVG_CELL_WIDTH;
        spans.push(`<tspan x="${num(x)}"${attrs}>${escapeXml(p.text)}</tspan>`);
      }
    }
    if (spans.length > 0) out.push(`<text y="${num(y)}">${spans.join('')}</text>`);
  });
  out.push('</g>', '</svg>');
  return out.join('\n') + '\n';
}

/** The last two segments of the root, for the window title. */
function shortRoot(root: string): string {
  const parts = sanitizeText(root)
    .split(/[\\/]/)
    .filter((p) => p !== '');
  return truncateMiddle(parts.slice(-2).join('/') || '/', 60);
}

// ---------------------------------------------------------------------------------------
// html

function htmlClass(style: Style): string {
  const c: string[] = [];
  if (style.color) c.push(style.color);
  if (style.dim) c.push('dim');
  if (style.bold) c.push('b');
  return c.join(' ');
}

function span(text: string, style: Style): string {
  const cls = htmlClass(style);
  return cls ? `<span class="${cls}">${escapeXml(text)}</span>` : escapeXml(text);
}

function htmlRuns(line: StyledLine): string {
  let out = '';
  let col = 0;
  for (const r of line) {
    if (r.col > col) out += ' '.repeat(r.col - col);
    out += span(r.text, r.style);
    col = r.col + r.width;
  }
  return out;
}

export function renderHtml(input: SnapshotInput): string {
  const width = clampWidth(input.width);
  const { recon, now } = input;
  const layout = snapshotLayout(input);
  const summary = new LineBuilder();
  addSummary(summary, summaryText(recon.summary), recon.summary);
  const head = layout
    .map((l) => `<th scope="col">${escapeXml(truncate(l.column.title, l.width))}</th>`)
    .join('');
  const rows = recon.agents.map((a) => {
    const cells = layout.map((l) => {
      const cell = l.column.cell(a, now);
      const shown = fitCell(l.column, cell.text, l.width);
      const cls = htmlClass(cellStyle(l.column.id, cell, a));
      const full = shown !== sanitizeText(cell.text) ? ` title="${escapeXml(cell.text)}"` : '';
      return `<td${cls ? ` class="${cls}"` : ''}${full}>${escapeXml(shown)}</td>`;
    });
    return `<tr data-verdict="${a.verdict}">${cells.join('')}</tr>`;
  });
  const health = healthLines(input.health, width).map((l) => `<p class="line">${htmlRuns(l)}</p>`);
  const pageTitle = escapeXml(`${TITLE}: ${input.root}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="sync-tui">
<title>${pageTitle}</title>
<style>
:root { color-scheme: dark; }
body { margin: 0; padding: 24px; background: ${PALETTE.page}; color: ${PALETTE.fg}; }
.term { display: inline-block; min-width: 60ch; background: ${PALETTE.bg}; border: 1px solid ${PALETTE.border}; border-radius: 9px; overflow: hidden;
  font-family: ${SVG_FONT}; font-size: 14px; line-height: 1.35; }
.bar { background: ${PALETTE.bar}; border-bottom: 1px solid ${PALETTE.border}; padding: 8px 12px; position: relative; height: 14px; }
.dot { display: inline-block; width: 12px; height: 12px; border-radius: 50%; margin-right: 8px; vertical-align: top; }
.dot.close { background: #ff5f57; } .dot.min { background: #febc2e; } .dot.max { background: #28c840; }
.bar .name { position: absolute; left: 0; right: 0; top: 7px; text-align: center; color: ${PALETTE.gray}; font-size: 12px; }
.content { padding: 12px 20px 16px; }
.line { margin: 0; white-space: pre; }
table { border-collapse: collapse; margin: 1.35em 0; }
th { text-align: left; font-weight: bold; padding: 0 2ch 0 0; white-space: pre; }
td { padding: 0 2ch 0 0; white-space: pre; vertical-align: top; }
th:last-child, td:last-child { padding-right: 0; }
tbody tr:hover { background: #2a2c33; }
.b { font-weight: bold; }
.dim { color: ${PALETTE.gray}; }
.red { color: ${PALETTE.red}; } .yellow { color: ${PALETTE.yellow}; } .green { color: ${PALETTE.green}; }
.blue { color: ${PALETTE.blue}; } .magenta { color: ${PALETTE.magenta}; } .cyan { color: ${PALETTE.cyan}; } .gray { color: ${PALETTE.gray}; }
</style>
</head>
<body>
<main class="term">
<div class="bar"><span class="dot close"></span><span class="dot min"></span><span class="dot max"></span><span class="name">${escapeXml(`sync-tui — ${shortRoot(input.root)}`)}</span></div>
<div class="content">
<p class="line">${htmlRuns(titleLine(input, width))}</p>
${health.join('\n')}${health.length > 0 ? '\n' : ''}<table>
<thead><tr>${head}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>
<p class="line">${htmlRuns(summary.runs)}</p>
</div>
</main>
</body>
</html>
`;
}

// ---------------------------------------------------------------------------------------
// md

/**
 * Sanitised, then made literal in a GitHub-flavoured Markdown table cell: `|` and
 * backticks, and every character that could start emphasis, a link, an HTML tag or
 * autolink (`<`), an entity or a strikethrough, are backslash-escaped. `_` inside a word
 * (TASK_EXECUTION) cannot start emphasis, and `>` in the middle of a line starts nothing,
 * so they are left alone and values stay readable.
 */
export function escapeMarkdown(s: string): string {
  const t = sanitizeText(s).replace(/[\r\n]+/g, ' ');
  return t.replace(/[\\`*_[\]<|~&]/g, (c, i: number) => {
    if (c === '_' && /[\p{L}\p{N}]/u.test(t[i - 1] ?? '') && /[\p{L}\p{N}]/u.test(t[i + 1] ?? '')) return c;
    // `&` only matters where it would start an entity (`&lt;`, `&#60;`).
    if (c === '&' && !/^&#?[A-Za-z0-9]+;/.test(t.slice(i, i + 34))) return c;
    return `\\${c}`;
  });
}

export function renderMarkdown(input: SnapshotInput): string {
  const { recon, now, config } = input;
  const columns = columnsFor(config);
  const row = (cells: string[]) => `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
  const lines = [`## ${escapeMarkdown(TITLE)} · ${escapeMarkdown(input.root)} · ${formatIso(now)}`, ''];
  for (const [name, h] of Object.entries(input.health ?? {})) {
    if (!h.healthy)
      lines.push(
        `> **source ${escapeMarkdown(name)} unhealthy:** ${escapeMarkdown(h.diagnostics[0] ?? 'cannot be read')}`,
        '',
      );
    else if (h.diagnostics.length > 0)
      lines.push(
        `> source ${escapeMarkdown(name)}: ${h.diagnostics.length} problem(s), first: ${escapeMarkdown(h.diagnostics[0]!)}`,
        '',
      );
  }
  lines.push(row(columns.map((c) => escapeMarkdown(c.title))));
  lines.push(`|${columns.map(() => ' --- ').join('|')}|`);
  for (const a of recon.agents) lines.push(row(columns.map((c) => escapeMarkdown(c.cell(a, now).text))));
  lines.push('', escapeMarkdown(summaryText(recon.summary)));
  return lines.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------
// csv

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes
 * doubled. A field that a spreadsheet would read as a formula (starting with = + - @, tab
 * or CR) gets a leading apostrophe.
 */
export function csvField(value: string): string {
  let v = sanitizeText(value);
  if (/^[=+\-@\t\r]/.test(value) || /^[=+\-@\t\r]/.test(v)) v = `'${v}`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

export function renderCsv(input: SnapshotInput): string {
  const { config, recon } = input;
  const fieldColumns: { field: string; source: string }[] = [];
  for (const f of config.fields)
    for (const s of config.sources)
      if (s.fields[f.name]) fieldColumns.push({ field: f.name, source: s.name });
  const header = [
    'agent',
    ...fieldColumns.map((c) => `${c.field}:${c.source}`),
    'verdict',
    'last_seen',
    'reason',
  ];
  const rows = recon.agents.map((a) => [
    a.id,
    ...fieldColumns.map((c) => {
      const v = a.observations[c.source]?.fields[c.field]?.value;
      return v === null || v === undefined ? '' : String(v);
    }),
    a.verdict,
    a.lastSeen === null ? '' : formatIso(a.lastSeen),
    a.reasons.join('; '),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\r\n') + '\r\n';
}

// ---------------------------------------------------------------------------------------
// json

export function renderJson(input: SnapshotInput): string {
  const doc = materialize(checkDocument(input.root, input.recon, input.config, input.now, input.health));
  return stringifyForTerminal(doc, 2) + '\n';
}

// ---------------------------------------------------------------------------------------

export function isSnapshotFormat(s: string): s is SnapshotFormat {
  return (SNAPSHOT_FORMATS as readonly string[]).includes(s);
}

export function renderSnapshot(format: SnapshotFormat, input: SnapshotInput): string {
  switch (format) {
    case 'text':
      return renderText(input);
    case 'ansi':
      return renderAnsi(input);
    case 'svg':
      return renderSvg(input);
    case 'md':
      return renderMarkdown(input);
    case 'json':
      return renderJson(input);
    case 'csv':
      return renderCsv(input);
    case 'html':
      return renderHtml(input);
  }
}
