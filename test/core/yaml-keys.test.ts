import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { editDocument } from '../../src/core/write/edit.js';
import { mayRepeatKeys, pathInFlow } from '../../src/core/write/yaml-keys.js';

const fast = (text: string) => parseDocument(text, { uniqueKeys: false });

describe('pathInFlow', () => {
  it('follows the path: block mappings are not flow, a flow mapping anywhere on the way is', () => {
    const doc = fast('a:\n  b: 1\n  c: {d: 2, e: {f: 3}}\ng: [1, 2]\nh: {i: 4}\n');
    expect(pathInFlow(doc.contents, ['a', 'b'])).toBe(false);
    expect(pathInFlow(doc.contents, ['a', 'c', 'd'])).toBe(true);
    expect(pathInFlow(doc.contents, ['a', 'c', 'e', 'f'])).toBe(true);
    expect(pathInFlow(doc.contents, ['h', 'i'])).toBe(true);
    expect(pathInFlow(fast('{x: 1}').contents, ['x'])).toBe(true);
    expect(pathInFlow(doc.contents, ['missing', 'b'])).toBe(false);
  });
});

describe('mayRepeatKeys', () => {
  it('finds a key repeated in any mapping, nested, in a list or in flow', () => {
    expect(mayRepeatKeys(fast('a: 1\nb: 2\n'))).toBe(false);
    expect(mayRepeatKeys(fast('a: 1\na: 2\n'))).toBe(true);
    expect(mayRepeatKeys(fast('x:\n  y:\n    a: 1\n    a: 1\n'))).toBe(true);
    expect(mayRepeatKeys(fast('l:\n  - a: 1\n    a: 2\n'))).toBe(true);
    expect(mayRepeatKeys(fast('f: {a: 1, a: 2}\n'))).toBe(true);
    expect(mayRepeatKeys(fast('"1": a\n1: b\n'))).toBe(false);
    expect(mayRepeatKeys(fast('a: 1\n"a": 2\n'))).toBe(true);
  });

  it('agrees with the yaml library wherever the library finds a repeated key', () => {
    const texts = [
      'a: 1\na: 2\n',
      'x: {b: 1, b: 1}\n',
      'l:\n  - {k: 1}\n  - k: 1\n    k: 2\n',
      "'a': 1\na: 2\n",
      'a: 1\nb:\n  a: 2\n',
    ];
    for (const t of texts) {
      const strict = parseDocument(t, { uniqueKeys: true }).errors.some((e) => e.code === 'DUPLICATE_KEY');
      if (strict) expect(mayRepeatKeys(fast(t))).toBe(true);
    }
  });
});

describe('mayRepeatKeys, property', () => {
  it('flags every document the library finds a repeated key in', () => {
    const key = fc.constantFrom('a', '"a"', "'a'", 'b', '1', '"1"', 'true', 'null', '~', '.nan');
    const entry = fc.tuple(key, fc.constantFrom('1', 'x', '{a: 1}', '{a: 1, a: 2}'));
    const text = fc
      .array(entry, { maxLength: 5 })
      .map((es) => es.map(([k, v]) => `${k}: ${v}`).join('\n') + '\n');
    fc.assert(
      fc.property(text, (t) => {
        const strict = parseDocument(t, { uniqueKeys: true }).errors.some((e) => e.code === 'DUPLICATE_KEY');
        if (strict) expect(mayRepeatKeys(fast(t))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('editDocument on YAML with a repeated key', () => {
  it("refuses it with the yaml library's message naming the line", () => {
    const r = editDocument('agents:\n  a1:\n    fsm: IDLE\n  a1:\n    fsm: IDLE\n', 'yaml', [
      { path: ['agents', 'a1', 'fsm'], after: 'TASK_EXECUTION' },
    ]);
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.message).toMatch(
        /^not clean YAML at line 4, column 3 \(Map keys must be unique\); not edited$/,
      );
  });
});
