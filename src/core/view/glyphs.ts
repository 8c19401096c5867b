// An ASCII fallback for the screen's glyphs when the locale is not UTF-8 (README.md "Keys
// and screen"). Pure: the shell reads the locale variables and passes them in. Each glyph
// maps to one ASCII character, so column widths stay as they were laid out.
export const ASCII_GLYPHS: Readonly<Record<string, string>> = {
  '✔': '+',
  '✖': 'x',
  '∅': '0',
  '⚠': '!',
  '≠': '~',
  '◷': '@',
  '›': '>',
  '▲': '^',
  '▼': 'v',
  '↑': '^',
  '↓': 'v',
  '…': '~',
  '·': '.',
  '—': '-',
  '–': '-',
  '●': '*',
  '○': 'o',
  '█': '#',
  '⌫': '<',
  '→': '>',
  '←': '<',
  '│': '|',
  '─': '-',
};

const GLYPH = new RegExp(`[${Object.keys(ASCII_GLYPHS).join('')}]`, 'gu');

/** The text with each known glyph replaced by its ASCII stand-in; other text unchanged. */
export function asciiGlyphs(text: string): string {
  return text.replace(GLYPH, (g) => ASCII_GLYPHS[g] ?? g);
}

/**
 * Whether the locale is UTF-8, as the C library decides it: the first of LC_ALL, LC_CTYPE,
 * LANG that is set and not empty; none set is taken as UTF-8 (what sync-tui always drew).
 */
export function localeIsUtf8(env: Readonly<Record<string, string | undefined>>): boolean {
  for (const name of ['LC_ALL', 'LC_CTYPE', 'LANG']) {
    const v = env[name];
    if (v !== undefined && v !== '') return /utf-?8/i.test(v);
  }
  // No locale set at all (a bare container, a supervisor): draw as before, in UTF-8; only a
  // locale that says otherwise (C, POSIX, a Latin-1 one) gets the ASCII glyphs.
  return true;
}
