// Snapshots: the status table as a file to paste into a report or a chat, in text, ANSI,
// SVG, Markdown, JSON, CSV or HTML. Pure: the shell reads the sources and passes `now`.
//
// Every format is drawn from the table model of `check` and the TUI (columnsFor,
// layoutColumns, fitCell), so the rows, columns, symbols and words cannot diverge. Text
// from files is untrusted: it goes through sanitizeText (inert, one line) first, then
// through the escaping of the target format.
import { checkDocument } from './report.js';
import { materialize } from './json-stream.js';
import { stringifyForTerminal } from '../sanitize.js';
import type { Style } from '../view/view.js';
import { resolveColor, sgrColor, themeTokens, type ThemeTokens } from '../view/theme-tokens.js';
import { plainLine, snapshotLines, type SnapshotInput, type StyledLine } from './snapshot-lines.js';
import { renderSvg } from './snapshot-svg.js';
import { renderCsv, renderHtml, renderMarkdown } from './snapshot-docs.js';

export { snapshotLayout, type SnapshotInput } from './snapshot-lines.js';
export {
  escapeXml,
  PALETTE,
  svgPieces,
  SVG_CELL_WIDTH,
  SVG_FONT,
  SVG_FONT_SIZE,
  SVG_LINE_HEIGHT,
} from './snapshot-svg.js';
export { csvField, escapeMarkdown } from './snapshot-docs.js';

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

// ---------------------------------------------------------------------------------------
// text and ansi

export function renderText(input: SnapshotInput): string {
  return snapshotLines(input).map(plainLine).join('\n') + '\n';
}

export const SGR_RESET = '\x1b[0m';

/** A style's SGR sequence; colours through the config's theme (README.md "Theme"). */
function sgr(style: Style, tokens: ThemeTokens): string {
  const codes: string[] = [];
  if (style.bold) codes.push('1');
  if (style.dim) codes.push('2');
  if (style.color) codes.push(sgrColor(resolveColor(tokens, style.color)));
  return codes.length > 0 ? `\x1b[${codes.join(';')}m` : '';
}

export function renderAnsi(input: SnapshotInput): string {
  if (!input.color) return renderText(input);
  const tokens = themeTokens(input.config.theme);
  return (
    snapshotLines(input)
      .map((line) => ansiLine(line, tokens))
      .join('\n') +
    '\n' +
    SGR_RESET
  );
}

/** One styled line in SGR colours (the theme's tokens); null tokens: plain text. */
export function ansiLine(line: StyledLine, tokens: ThemeTokens | null): string {
  let s = '';
  let col = 0;
  for (const r of line) {
    if (r.col > col) s += ' '.repeat(r.col - col);
    const on = tokens === null ? '' : sgr(r.style, tokens);
    s += on === '' ? r.text : `${on}${r.text}${SGR_RESET}`;
    col = r.col + r.width;
  }
  return s;
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
