// Fuzzing the terminal-safety layer (src/core/sanitize.ts) with what files really hold:
// decoded bytes of damaged fixtures, arbitrary unicode, very long values and values of
// any JavaScript type (cyclic ones too). The fragment-level properties live in
// test/core/sanitize.property.test.ts. Run counts scale with FUZZ_RUNS (see harness.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  displayWidth,
  hasHiddenChars,
  padEnd,
  SANITIZE_MAX_LENGTH,
  sanitizeText,
  sanitizeValue,
  showRaw,
  truncate,
} from '../../src/core/sanitize.js';
import {
  ALL_SEEDS,
  bytesText,
  CONTROL,
  fuzz,
  mutatedText,
  reportAfterAll,
  testTimeout,
  unicodeText,
} from './harness.js';

reportAfterAll();

// What must never reach a terminal: controls, line breaks, bidi and zero-width characters
// (a joiner is allowed: it is kept between pictographs), lone surrogates.
const FORBIDDEN =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200c\u200e\u200f\u202a-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb\u2028\u2029\u00ad]|[\u{e0000}-\u{e0fff}]/u;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

const text = fc.oneof(
  { weight: 4, arbitrary: mutatedText(ALL_SEEDS, 6) },
  { weight: 2, arbitrary: bytesText(400) },
  { weight: 3, arbitrary: unicodeText(200) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.constantFrom(...ALL_SEEDS), fc.integer({ min: 2, max: 300 }))
      .map(([s, n]) => s.repeat(n)),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(unicodeText(8), fc.integer({ min: 1000, max: 200_000 }))
      .map(([s, n]) => s.repeat(Math.ceil(n / Math.max(1, s.length)))),
  },
);

function checkInert(out: string): void {
  expect(out).not.toMatch(FORBIDDEN);
  expect(out).not.toMatch(LONE_SURROGATE);
}

describe('sanitizeText on what files hold', () => {
  const target = 'sanitize.sanitizeText';
  it(
    'inert, single-line, bounded, idempotent; hidden characters are always reported',
    () => {
      fuzz(target, text, 150, (s) => {
        const out = sanitizeText(s);
        checkInert(out);
        expect(out.length).toBeLessThanOrEqual(SANITIZE_MAX_LENGTH);
        expect(sanitizeText(out)).toBe(out);
        // showRaw shows plain text as such and anything hidden with escapes, never raw.
        const shown = showRaw(s, 60);
        checkInert(shown);
        if (!hasHiddenChars(s)) expect(shown).toBe(out);
        else expect(shown.length).toBeLessThanOrEqual(60);
        return out !== s;
      });
    },
    testTimeout(150),
  );

  it(
    // (Widths up to a few hundred columns: displayWidth measures sanitised text, which is capped at 4096.)
    'truncate and padEnd fit any width; displayWidth is a whole number of columns',
    () => {
      fuzz(
        'sanitize.truncate',
        fc.tuple(
          text,
          fc.oneof(
            fc.integer({ min: -5, max: 120 }),
            fc.double({ min: -5, max: 300 }),
            fc.constant(Number.NaN),
          ),
        ),
        120,
        ([s, w]) => {
          const cut = truncate(s, w);
          const padded = padEnd(s, w);
          checkInert(cut);
          checkInert(padded);
          const width = displayWidth(s);
          expect(Number.isInteger(width) && width >= 0).toBe(true);
          if (!(w >= 1)) {
            expect(cut).toBe('');
            expect(padded).toBe('');
            return true;
          }
          expect(displayWidth(cut)).toBeLessThanOrEqual(Math.floor(w));
          expect(displayWidth(padded)).toBe(Math.floor(w));
          return cut !== sanitizeText(s);
        },
      );
    },
    testTimeout(120),
  );
});

/** Values of any type: what a parser of another format, or a bug, could hand over. */
const anyValue = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.anything({
      withBigInt: true,
      withDate: true,
      withMap: true,
      withSet: true,
      withNullPrototype: true,
      withObjectString: true,
      withBoxedValues: true,
      withTypedArray: true,
      withSparseArray: true,
      withUnicodeString: true,
      maxDepth: 4,
    }),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.dictionary(unicodeText(5), unicodeText(10), { maxKeys: 4 }), fc.integer({ min: 0, max: 3 }))
      .map(([o, k]) => {
        // A value that contains itself (a parser with aliases could produce one).
        const cyclic: Record<string, unknown> = { ...o };
        cyclic['self'] = k % 2 ? cyclic : [cyclic, { back: cyclic }];
        return cyclic;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.integer({ min: 100, max: 5000 }).map((n) => {
      // Deep nesting built without recursion.
      let v: unknown = 'leaf\u001b[31m';
      for (let i = 0; i < n; i++) v = i % 2 ? [v] : { k: v };
      return v;
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      Symbol('s\u001b'),
      () => 1,
      Object.create(null),
      new Error('e\u202e'),
      [undefined, , null],
    ),
  },
);

describe('sanitizeValue and showRaw on values of any type', () => {
  it(
    'bounded, inert, never throws',
    () => {
      fuzz(
        'sanitize.sanitizeValue',
        fc.tuple(anyValue, fc.oneof(fc.integer({ min: -2, max: 300 }), fc.constant(Number.NaN))),
        120,
        ([v, max]) => {
          const out = sanitizeValue(v, max);
          checkInert(out);
          expect(out).not.toMatch(CONTROL);
          if (max >= 1) expect(out.length).toBeLessThanOrEqual(Math.floor(max));
          else expect(out).toBe('');
          const raw = showRaw(v);
          checkInert(raw);
          return false;
        },
      );
    },
    testTimeout(120),
  );
});
