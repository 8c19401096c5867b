// SVG snapshots (README.md "Snapshots"): the styled lines drawn as a terminal window, and
// the XML escaping html shares. Pure.
import { displayWidth, sanitizeText } from '../sanitize.js';
import { summaryText, truncateMiddle, type ColorName, type Style } from '../view/view.js';
import { resolveColor, themeTokens } from '../view/theme-tokens.js';
import type { Config } from '../types.js';
import { lineWidth, snapshotLines, TITLE, type Run, type SnapshotInput } from './snapshot-lines.js';

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

/** The drawn colour of every terminal colour name a theme may use (README.md "Theme"). */
const NAMED_FILL: Readonly<Record<string, string>> = {
  black: '#3a3d46',
  red: PALETTE.red,
  green: PALETTE.green,
  yellow: PALETTE.yellow,
  blue: PALETTE.blue,
  magenta: PALETTE.magenta,
  cyan: PALETTE.cyan,
  white: PALETTE.fg,
  gray: PALETTE.gray,
  grey: PALETTE.gray,
  blackBright: '#686c75',
  redBright: '#ff8f8f',
  greenBright: '#8af08f',
  yellowBright: '#ffe27a',
  blueBright: '#9cc0ff',
  magentaBright: '#f09cf0',
  cyanBright: '#8ff0f0',
  whiteBright: '#ffffff',
};

/** A table colour as SVG and HTML draw it under the config's theme: #hex as is, a name from the palette. */
export function themedFill(theme: Config['theme'], color: ColorName): string {
  const c = resolveColor(themeTokens(theme), color);
  return c.startsWith('#') ? c : (NAMED_FILL[c] ?? PALETTE[color]);
}

function fill(style: Style, theme: Config['theme']): string {
  if (style.color) return themedFill(theme, style.color);
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
      const f = fill(run.style, input.config.theme);
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
export function shortRoot(root: string): string {
  const parts = sanitizeText(root)
    .split(/[\\/]/)
    .filter((p) => p !== '');
  return truncateMiddle(parts.slice(-2).join('/') || '/', 60);
}
