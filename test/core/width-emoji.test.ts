// The shortcut in front of `^\p{RGI_Emoji}$` (src/core/text/width.ts) gives the expression's
// answer: for every single code point, and for the multi-code-point emoji kinds.
import { describe, expect, it } from 'vitest';
import { isRgiEmoji } from '../../src/core/text/width.js';
import { displayWidth } from '../../src/core/sanitize.js';

const RGI = new RegExp('^\\p{RGI_Emoji}$', 'v');

describe('isRgiEmoji', () => {
  it('agrees with ^\\p{RGI_Emoji}$ on every single code point', () => {
    const disagree: string[] = [];
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const s = String.fromCodePoint(cp);
      if (isRgiEmoji(s) !== RGI.test(s)) disagree.push(cp.toString(16));
    }
    expect(disagree).toEqual([]);
  });

  it('agrees with the expression on sequences of every kind and on sequences that are not emoji', () => {
    const samples = [
      '\u2764\uFE0F', // presentation sequence
      '1\uFE0F\u20E3', // keycap
      '\u{1F1EB}\u{1F1F7}', // flag
      '\u{1F44D}\u{1F3FD}', // modifier sequence
      '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}', // tag sequence
      '\u{1F469}\u200D\u{1F4BB}', // ZWJ sequence
      'e\u0301', // a letter and a combining accent
      '\u0915\u094D\u0937', // a Devanagari conjunct
      '\u{1F1EB}', // a lone regional indicator
      '\u2714\uFE0E', // text presentation
    ];
    for (const s of samples) expect(isRgiEmoji(s), JSON.stringify(s)).toBe(RGI.test(s));
  });

  it('leaves widths as they were: emoji 2, status glyphs 1', () => {
    expect(displayWidth('\u{1F469}\u200D\u{1F4BB}')).toBe(2);
    expect(displayWidth('\u{1F1EB}\u{1F1F7}')).toBe(2);
    expect(displayWidth('\u2714 \u2716 \u2260 \u25F7')).toBe(7);
    expect(displayWidth('\u{1F600}x')).toBe(3);
  });
});
