import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SANITIZE_MAX_LENGTH,
  displayWidth,
  padEnd,
  sanitizeText,
  sanitizeValue,
  truncate,
} from '../../src/core/sanitize.js';

// Fragments that exercise the escape parser and the width rules when glued together.
const FRAGMENTS = [
  '\x1b',
  '\x1b[',
  '\x1b]',
  '\x1bP',
  '\x1b_',
  '\x1b\\',
  '\x07',
  '\x18',
  '\x9b',
  '\x9c',
  '\x9d',
  '\x1b[31m',
  '\x1b]8;;http://x\x1b\\',
  '\x1b]52;c;ZXZpbA==\x07',
  ';',
  '0',
  'm',
  '[',
  ']',
  '\r',
  '\n',
  '\t',
  '\x00',
  '\x7f',
  '\x85',
  '\u2028',
  '\u200b',
  '\u200c',
  '\u200d',
  '\u2060',
  '\ufeff',
  '\u202e',
  '\u2066',
  '\u2069',
  '\u200e',
  '\u061c',
  '\ufe0f',
  '\u{1f3fd}',
  '\u{e0041}',
  '\u00ad',
  '\ud800',
  '\udc00',
  'a',
  'Z',
  ' ',
  'é',
  'e\u0301',
  '\u0301',
  '日',
  'ｶ',
  'ﾞ',
  '한',
  '\u1100',
  '\u1161',
  '🚀',
  '👩',
  '💻',
  '✅',
  '⚡',
  '☺',
  '🇺',
  '🇸',
  '1',
  '\u20e3',
  '…',
  '⏎',
];

const hostile = fc
  .array(fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ unit: 'binary', maxLength: 4 })), {
    maxLength: 40,
  })
  .map((parts) => parts.join(''));

const anyText = fc.oneof(
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.string({ unit: 'binary', maxLength: 60 }),
  hostile,
);

const FORBIDDEN =
  /[\x00-\x1f\x7f-\x9f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u2028\u2029\u00ad]|[\u{e0000}-\u{e0fff}]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

/** Every ZWJ must sit between two pictographs (skipping variation selectors and skin tones). */
function joinersAreInsideEmoji(s: string): boolean {
  const cps = Array.from(s);
  for (let i = 0; i < cps.length; i++) {
    if (cps[i] !== '\u200d') continue;
    let j = i - 1;
    while (j >= 0 && /[\ufe00-\ufe0f\u{1f3fb}-\u{1f3ff}]/u.test(cps[j]!)) j--;
    if (j < 0 || !PICTOGRAPHIC.test(cps[j]!)) return false;
    if (i + 1 >= cps.length || !PICTOGRAPHIC.test(cps[i + 1]!)) return false;
  }
  return true;
}

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const graphemes = (s: string): string[] => Array.from(segmenter.segment(s), (x) => x.segment);

describe('sanitize properties', () => {
  it('sanitizeText output is inert, single-line, well-formed, bounded and idempotent', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const out = sanitizeText(s);
        expect(out).not.toMatch(FORBIDDEN);
        expect(out).not.toMatch(LONE_SURROGATE);
        expect(joinersAreInsideEmoji(out)).toBe(true);
        expect(out.length).toBeLessThanOrEqual(SANITIZE_MAX_LENGTH);
        expect(sanitizeText(out)).toBe(out);
      }),
      { numRuns: 400 },
    );
  });

  it('keeps printable ASCII unchanged', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(...' !"#$%&()*+,-./09:;<=>?@AZ[\\]^_`az{|}~'.split('')) }),
        (s) => {
          expect(sanitizeText(s)).toBe(s);
          expect(displayWidth(s)).toBe(s.length);
        },
      ),
    );
  });

  it('truncate fits the width, cuts only whole graphemes and marks the cut', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: -2, max: 30 }), (s, n) => {
        const t = truncate(s, n);
        expect(displayWidth(t)).toBeLessThanOrEqual(Math.max(0, n));
        const full = sanitizeText(s);
        if (n >= 1 && displayWidth(full) <= n) {
          expect(t).toBe(full);
        } else if (n >= 1) {
          expect(t.endsWith('…')).toBe(true);
          const kept = t.slice(0, -1);
          expect(full.startsWith(kept)).toBe(true);
          // The kept part ends on a grapheme boundary of the full text.
          const fullClusters = graphemes(full);
          const keptClusters = graphemes(kept);
          expect(fullClusters.slice(0, keptClusters.length)).toEqual(keptClusters);
          // It keeps as much as fits: the next cluster would not have left room for the `…`.
          const next = fullClusters[keptClusters.length] ?? '';
          expect(displayWidth(kept) + displayWidth(next)).toBeGreaterThan(n - 1);
        } else {
          expect(t).toBe('');
        }
      }),
      { numRuns: 400 },
    );
  });

  it('padEnd always gives exactly the requested width', () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 30 }), (s, n) => {
        expect(displayWidth(padEnd(s, n))).toBe(n);
      }),
      { numRuns: 300 },
    );
  });

  it('sanitizeValue is bounded and inert for any JSON-like value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 3 }),
          anyText,
          fc.dictionary(anyText, fc.oneof(anyText, fc.integer()), { maxKeys: 5 }),
          fc.array(anyText, { maxLength: 5 }),
          fc.constantFrom(undefined, null, Symbol('\x1b[2J'), 10n, new Date(Number.NaN)),
        ),
        fc.integer({ min: 1, max: 120 }),
        (v, max) => {
          const out = sanitizeValue(v, max);
          expect(out.length).toBeLessThanOrEqual(max);
          expect(out).not.toMatch(FORBIDDEN);
          expect(out).not.toMatch(LONE_SURROGATE);
          expect(joinersAreInsideEmoji(out)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
