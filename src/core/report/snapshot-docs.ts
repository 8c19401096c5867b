// HTML, Markdown and CSV snapshots (README.md "Snapshots"): the table as a document to
// paste or open, escaped for each target. Pure.
import { sanitizeText, truncate } from '../sanitize.js';
import { formatIso } from '../time.js';
import { cellStyle, fitCell, summaryText, type Style } from '../view/view.js';
import {
  addSummary,
  clampWidth,
  healthLines,
  legendLine,
  LineBuilder,
  snapshotColumns,
  snapshotLayout,
  titleLine,
  TITLE,
  type SnapshotInput,
  type StyledLine,
} from './snapshot-lines.js';
import { legendFor } from '../view/legend.js';
import { escapeXml, PALETTE, shortRoot, SVG_FONT, themedFill } from './snapshot-svg.js';

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
  const legend = legendLine(
    layout.map((l) => l.column.id),
    Infinity,
  );
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
${(['red', 'yellow', 'green', 'blue', 'magenta', 'cyan', 'gray'] as const).map((c) => `.${c} { color: ${themedFill(input.config.theme, c)}; }`).join(' ')}
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
<p class="line">${htmlRuns(legend)}</p>
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
  const { recon, now } = input;
  const columns = snapshotColumns(input);
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
  const legend = legendFor(columns.map((c) => c.id)).map((e) => `\`${e.mark}\` ${escapeMarkdown(e.short)}`);
  lines.push('', `_legend:_ ${legend.join(' · ')}`);
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
