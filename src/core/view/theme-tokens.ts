// Colours as named tokens (README.md "Theme"): what a colour means (`ok`, `warn`, `accent`...)
// and the terminal colour that draws it. The TUI (src/ui/theme.ts) and the ANSI, SVG and HTML
// snapshots (src/core/report/) resolve colours through here, so `theme:` in the config colours
// them alike. Pure.
import type { ColorName } from './view.js';

export const TOKENS = ['accent', 'ok', 'warn', 'error', 'mark', 'stale', 'pending'] as const;
export type Token = (typeof TOKENS)[number];
export type ThemeTokens = Readonly<Record<Token, string>>;

export const DEFAULT_TOKENS: ThemeTokens = {
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  mark: 'magenta',
  stale: 'blue',
  pending: 'cyan',
};

/**
 * The table's colours (src/core/view/view.ts names them as plain colours) by meaning: with
 * the default theme each is itself; a theme that changes `warn` changes drift's yellow too.
 */
export const COLOR_TOKEN: Readonly<Partial<Record<ColorName, Token>>> = {
  red: 'error',
  yellow: 'warn',
  green: 'ok',
  blue: 'stale',
  magenta: 'mark',
  cyan: 'accent',
};

/** Terminal colour names a theme may use (chalk's, as Ink draws them). */
export const COLOR_NAMES = [
  'black',
  'red',
  'green',
  'yellow',
  'blue',
  'magenta',
  'cyan',
  'white',
  'gray',
  'grey',
  'blackBright',
  'redBright',
  'greenBright',
  'yellowBright',
  'blueBright',
  'magentaBright',
  'cyanBright',
  'whiteBright',
] as const;

const HEX = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;

/** A theme colour as written -> its canonical form (`#d7af00`, `cyanBright`), or null. */
export function parseColor(text: string): string | null {
  const t = text.trim();
  if (HEX.test(t)) return t.toLowerCase();
  const name = COLOR_NAMES.find((n) => n.toLowerCase() === t.toLowerCase().replace(/[-_ ]/g, ''));
  return name ?? null;
}

/** The tokens with a config's `theme:` on top of the defaults. */
export function themeTokens(overrides: Partial<Record<Token, string>> | undefined): ThemeTokens {
  return { ...DEFAULT_TOKENS, ...(overrides ?? {}) };
}

/** The colour to draw a token or a table colour in, under a theme. */
export function resolveColor(tokens: ThemeTokens, name: string): string {
  const t = (TOKENS as readonly string[]).includes(name) ? (name as Token) : COLOR_TOKEN[name as ColorName];
  return t !== undefined ? tokens[t] : name;
}

/** `#abc` / `#aabbcc` -> [r, g, b]; null for a name. */
export function hexRgb(color: string): [number, number, number] | null {
  if (!HEX.test(color)) return null;
  let h = color.slice(1);
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  return [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)];
}

/** SGR foreground parameters of a theme colour (a name or #hex). */
export function sgrColor(color: string): string {
  const rgb = hexRgb(color);
  if (rgb) return `38;2;${rgb.join(';')}`;
  const base = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];
  if (color === 'gray' || color === 'grey') return '90';
  const bright = color.endsWith('Bright');
  const i = base.indexOf(bright ? color.slice(0, -'Bright'.length) : color);
  return i < 0 ? '39' : String((bright ? 90 : 30) + i);
}
