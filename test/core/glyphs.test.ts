import { describe, expect, it } from 'vitest';
import { asciiGlyphs, localeIsUtf8 } from '../../src/core/view/glyphs.js';

describe('ASCII fallback for glyphs', () => {
  it('maps each glyph to one ASCII character and leaves other text alone', () => {
    const text = '✔ in-sync ✖ ∅ ⚠ ≠ ◷ › ▲ ▼ … · — état';
    const out = asciiGlyphs(text);
    expect(out).toBe('+ in-sync x 0 ! ~ @ > ^ v ~ . - état');
    expect([...out].length).toBe([...text].length);
  });

  it('decides UTF-8 from LC_ALL, then LC_CTYPE, then LANG', () => {
    expect(localeIsUtf8({ LANG: 'en_US.UTF-8' })).toBe(true);
    expect(localeIsUtf8({ LANG: 'C.utf8' })).toBe(true);
    expect(localeIsUtf8({ LC_ALL: 'C', LANG: 'en_US.UTF-8' })).toBe(false);
    expect(localeIsUtf8({ LC_ALL: '', LC_CTYPE: 'en_US.UTF-8', LANG: 'C' })).toBe(true);
    expect(localeIsUtf8({ LANG: 'POSIX' })).toBe(false);
    // Nothing set: UTF-8, as sync-tui always drew.
    expect(localeIsUtf8({})).toBe(true);
  });
});
