// Colours as named tokens (README.md "Keys and screen"): components name what a colour
// means (`ok`, `warn`, `accent`...) and the theme, handed down through React context, says
// which terminal colour that is. With colour off (--no-color, NO_COLOR) no colour is passed
// at all; symbols and words carry the meaning.
// The tokens and their defaults are in src/core/view/theme-tokens.ts, shared with the
// snapshots; `theme:` in the config (README.md "Theme") sets them.
import { createContext, useContext } from 'react';
import { DEFAULT_TOKENS, resolveColor, type Token } from '../core/view/theme-tokens.js';

export { DEFAULT_TOKENS, type Token };

export interface Theme {
  /** False: no colour at all. */
  color: boolean;
  /** Terminal colour (an Ink colour name) of each token. */
  tokens: Readonly<Record<Token, string>>;
  /** The locale is not UTF-8: glyphs are drawn as ASCII (src/core/view/glyphs.ts). */
  ascii?: boolean;
}

export const DEFAULT_THEME: Theme = { color: true, tokens: DEFAULT_TOKENS };
export const NO_COLOR_THEME: Theme = { color: false, tokens: DEFAULT_TOKENS };

export function themeFor(color: boolean, tokens: Partial<Record<Token, string>> = {}): Theme {
  return { color, tokens: { ...DEFAULT_TOKENS, ...tokens } };
}

/**
 * A token's colour; a table colour of src/core/view/view.ts (the verdicts' red, yellow...)
 * as the token it stands for; any other colour name passed through.
 */
export function colorOf(theme: Theme, name: string | undefined): string | undefined {
  if (!theme.color || name === undefined) return undefined;
  return resolveColor(theme.tokens, name);
}

export const ThemeContext = createContext<Theme>(DEFAULT_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
