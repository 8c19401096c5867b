import fc from 'fast-check';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { colonsIn, fastJson, parsedShape } from '../../src/core/read/parse/json-fast.js';
import { parseJsonLoose } from '../../src/core/read/parse.js';

/** An independent oracle: jsonc-parser's tree, searched for a key repeated in one object. */
function repeatsKey(text: string): boolean {
  const root = parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
  const visit = (n: JsonNode | undefined): boolean => {
    if (!n) return false;
    if (n.type === 'object') {
      const seen = new Set<unknown>();
      for (const p of n.children ?? []) {
        const k = p.children?.[0]?.value;
        if (seen.has(k)) return true;
        seen.add(k);
      }
    }
    return (n.children ?? []).some(visit);
  };
  return visit(root);
}

// A string-aware scan of the text (what the fast path used to do for every file).
function scanColons(text: string): number {
  let colons = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === ':') colons++;
  }
  return colons;
}

const key = fc.constantFrom('a', 'b', 'a:b', ':', '__proto__', 'x\\u003ay', 'k\\"', 'c');
const leaf = fc.oneof(
  fc.constantFrom('1', 'true', 'null', '"v"', '"1:2"', '"::"', '"\\u003a"', '"\\\\"', '"t\\":x"', '[]', '{}'),
  fc.string().map((s) => JSON.stringify(s)),
);
const json: fc.Arbitrary<string> = fc.letrec<{ v: string }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.array(tie('v'), { maxLength: 3 }).map((xs) => `[${xs.join(',')}]`),
    fc
      .array(fc.tuple(key, tie('v')), { maxLength: 4 })
      .map((es) => `{${es.map(([k, v]) => `"${k}": ${v}`).join(', ')}}`),
  ),
})).v;

describe('fastJson', () => {
  it('takes exactly the texts JSON.parse reads with no repeated key, no __proto__ and nesting within the limit', () => {
    fc.assert(
      fc.property(json, fc.integer({ min: 1, max: 5 }), (text, maxDepth) => {
        let parsed: unknown;
        let valid = true;
        try {
          parsed = JSON.parse(text);
        } catch {
          valid = false;
        }
        const shape = valid ? parsedShape(parsed) : null;
        const expected = valid && shape !== null && shape.depth <= maxDepth && !repeatsKey(text);
        const got = fastJson(text, maxDepth, scanColons);
        expect(got !== undefined).toBe(expected);
        if (got) expect(got.value).toEqual(parsed);
      }),
      { numRuns: 2000 },
    );
  });

  it('sees a repeated key whose earlier value held colons, and one hidden behind a \\u escape', () => {
    expect(fastJson('{"a": "x:y", "a": "z"}', 10, scanColons)).toBeUndefined();
    expect(fastJson('{"a": 1, "a": 1}', 10, scanColons)).toBeUndefined();
    expect(fastJson('{"a\\u003a": 1, "a:": 2}', 10, scanColons)).toBeUndefined();
    expect(fastJson('{"t": "12:00", "u": {"v": ":"}}', 10, scanColons)).toEqual({
      value: { t: '12:00', u: { v: ':' } },
    });
    expect(fastJson('{"__proto__": 1}', 10, scanColons)).toBeUndefined();
    expect(fastJson('[[[1]]]', 2, scanColons)).toBeUndefined();
    expect(fastJson('[[[1]]]', 3, scanColons)).toEqual({ value: [[[1]]] });
    expect(colonsIn('a:b::')).toBe(3);
  });

  it('leaves a repeated key to the tolerant reader, which reports it', () => {
    const r = parseJsonLoose('{"status": "IDLE", "status": "ACTIVE"}');
    expect(r.diagnostics.some((d) => d.code === 'duplicate-key')).toBe(true);
  });
});
