// Colours as named tokens (README.md "Keys and screen"): components name what a colour
// means (`ok`, `warn`, `accent`...) and the theme, handed down through React context, says
// which terminal colour that is. With colour off (--no-color, NO_COLOR) no colour is passed
// at all; symbols and words carry the meaning.
import { createContext, useContext } from 'react';

export type Token = 'accent' | 'ok' | 'warn' | 'error' | 'mark' | 'stale' | 'pending';

export interface Theme {
  /** False: no colour at all. */
  color: boolean;
  /** Terminal colour (an Ink colour name) of each token. */
  tokens: Readonly<Record<Token, string>>;
  /** The locale is not UTF-8: glyphs are drawn as ASCII (src/core/view/glyphs.ts). */
  ascii?: boolean;
}

export const DEFAULT_TOKENS: Readonly<Record<Token, string>> = {
  accent: 'cyan',
  ok: 'green',
  warn: 'yellow',
  error: 'red',
  mark: 'magenta',
  stale: 'blue',
  pending: 'cyan',
};

export const DEFAULT_THEME: Theme = { color: true, tokens: DEFAULT_TOKENS };
export const NO_COLOR_THEME: Theme = { color: false, tokens: DEFAULT_TOKENS };

export function themeFor(color: boolean, tokens: Partial<Record<Token, string>> = {}): Theme {
  return { color, tokens: { ...DEFAULT_TOKENS, ...tokens } };
}

/** A token's colour, or a plain colour name passed through (the verdict colours of src/core/view/view.ts). */
export function colorOf(theme: Theme, name: string | undefined): string | undefined {
  if (!theme.color || name === undefined) return undefined;
  return (theme.tokens as Record<string, string | undefined>)[name] ?? name;
}

export const ThemeContext = createContext<Theme>(DEFAULT_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
