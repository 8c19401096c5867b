import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonChunks, jsonPieces, LazyList, materialize } from '../../src/core/report/json-stream.js';

const join = (g: Iterable<string>): string => [...g].join('');

describe('jsonPieces', () => {
  it("gives JSON.stringify's text for any plain value", () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2, 4), (v, indent) => {
        expect(join(jsonPieces(v, indent))).toBe(JSON.stringify(v, null, indent));
      }),
      { numRuns: 300 },
    );
  });

  it('gives the text of the materialized document when lists are lazy, at any depth and in any field order', () => {
    const doc = fc.tuple(
      fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
      fc.array(fc.jsonValue(), { maxLength: 6 }),
      fc.string(),
      fc.array(fc.jsonValue(), { maxLength: 3 }),
      fc.constantFrom(0, 2, 3),
    );
    fc.assert(
      fc.property(doc, ([before, items, key, deep, indent]) => {
        const lazy = {
          ...before,
          [key]: new LazyList(items, (x) => ({ wrapped: x })),
          skipped: undefined,
          nested: { inner: new LazyList(deep, (x) => [x]), after: 1 },
          last: 'x',
        };
        const text = join(jsonPieces(lazy, indent));
        const plain = { ...materialize(lazy), nested: { inner: deep.map((x) => [x]), after: 1 } };
        expect(text).toBe(JSON.stringify(plain, null, indent));
        expect(JSON.stringify(lazy, null, indent)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('makes each item only when it is written, one piece per item', () => {
    const made: number[] = [];
    const it = jsonPieces({ a: 1, list: new LazyList([1, 2, 3], (n) => (made.push(n), { n })) });
    const seen: string[] = [];
    for (const piece of it) {
      seen.push(piece);
      if (piece.includes('"n": 1')) expect(made).toEqual([1]);
    }
    expect(made).toEqual([1, 2, 3]);
    expect(seen.filter((p) => p.includes('"n"'))).toHaveLength(3);
  });

  it('writes an empty lazy list as []', () => {
    expect(join(jsonPieces({ a: new LazyList([], (x) => x) }))).toBe(JSON.stringify({ a: [] }, null, 2));
  });
});

describe('jsonChunks', () => {
  it('joins pieces into chunks of at least the size asked, with the same text', () => {
    const doc = {
      list: new LazyList(
        Array.from({ length: 200 }, (_, i) => i),
        (i) => ({ i, s: 'x'.repeat(i % 13) }),
      ),
    };
    const chunks = [...jsonChunks(doc, 2, 500)];
    expect(chunks.join('')).toBe(JSON.stringify(doc, null, 2));
    expect(chunks.length).toBeGreaterThan(3);
    for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThanOrEqual(500);
  });
});
