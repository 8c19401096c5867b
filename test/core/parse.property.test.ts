import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  lineColumn,
  parseDocument,
  parseJsonLine,
  parseJsonLoose,
  parseYamlLoose,
} from '../../src/core/read/parse.js';
import type { DataFormat } from '../../src/core/types.js';
import { checkParseResult } from '../helpers/diagnostics.js';

const dir = new URL('../../fixtures/malformed/', import.meta.url);
const fixtures = readdirSync(dir)
  .sort()
  .map((name) => ({ name, text: readFileSync(new URL(name, dir), 'utf8') }));
const jsonFixtures = fixtures.filter((f) => detectFormat(f.name) === 'json');
const yamlFixtures = fixtures.filter((f) => detectFormat(f.name) === 'yaml');

const FILE = 'agents/x/status';

function checkBoth(text: string): void {
  for (const format of ['json', 'yaml'] as DataFormat[]) {
    checkParseResult(parseDocument(text, format, { file: FILE }), text, FILE);
  }
}

/** Random damage to a text: deleted, inserted and duplicated slices. */
const mutation = (texts: string[]) =>
  fc
    .tuple(
      fc.constantFrom(...texts),
      fc.array(
        fc.record({
          kind: fc.constantFrom('delete', 'insert', 'duplicate', 'truncate'),
          at: fc.nat(),
          len: fc.nat({ max: 40 }),
          insert: fc.oneof(
            fc.string({
              unit: fc.constantFrom(
                '{',
                '}',
                '[',
                ']',
                ',',
                ':',
                '"',
                '\\',
                '\n',
                '\r\n',
                ' ',
                '1',
                'a',
                '🚀',
                '\uFEFF',
                '-',
                '#',
                '&',
                '*',
                '|',
                '<<<<<<< x\n',
              ),
              maxLength: 8,
            }),
            fc.string({ unit: 'binary', maxLength: 8 }),
          ),
        }),
        { minLength: 1, maxLength: 5 },
      ),
    )
    .map(([base, edits]) => {
      let text = base;
      for (const e of edits) {
        const at = text.length === 0 ? 0 : e.at % (text.length + 1);
        if (e.kind === 'delete') text = text.slice(0, at) + text.slice(at + e.len);
        else if (e.kind === 'insert') text = text.slice(0, at) + e.insert + text.slice(at);
        else if (e.kind === 'duplicate')
          text = text.slice(0, at + e.len) + text.slice(at, at + e.len) + text.slice(at + e.len);
        else text = text.slice(0, at);
      }
      return text;
    });

const jsonish = fc.string({
  unit: fc.constantFrom(
    '{',
    '}',
    '[',
    ']',
    ',',
    ':',
    '"',
    '\\',
    ' ',
    '\n',
    '\r',
    '0',
    '1',
    '-',
    '.',
    'e',
    'true',
    'null',
    '"k"',
    '"v":',
    '/*',
    '//',
    '\uFEFF',
    '🚀',
    'é',
  ),
  maxLength: 60,
});

const yamlish = fc.string({
  unit: fc.constantFrom(
    'a',
    ':',
    ' ',
    '  ',
    '\n',
    '- ',
    '? ',
    '[',
    ']',
    '{',
    '}',
    ',',
    '&x ',
    '*x',
    '|',
    '>',
    '"',
    "'",
    '#',
    '---\n',
    '!!str ',
    '%YAML 1.1\n',
    '<<: ',
    '🚀',
  ),
  maxLength: 60,
});

/** JSON values without `__proto__` keys (the parser drops those on purpose). */
const jsonValue = fc.jsonValue().filter((v) => !JSON.stringify(v).includes('"__proto__"'));
const jsonContainer = jsonValue.filter((v) => typeof v === 'object' && v !== null);

describe('parse never throws and its results are consistent', () => {
  it('arbitrary strings of any code points', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (text) => checkBoth(text)),
      { numRuns: 400 },
    );
  });

  it('JSON-like token soup', () => {
    fc.assert(
      fc.property(jsonish, (text) => {
        checkParseResult(parseJsonLoose(text, { file: FILE }), text, FILE);
      }),
      { numRuns: 1000 },
    );
  });

  it('YAML-like token soup', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        checkParseResult(parseYamlLoose(text, { file: FILE }), text, FILE);
      }),
      { numRuns: 600 },
    );
  });

  it('mutations of the JSON fixtures', () => {
    fc.assert(
      fc.property(mutation(jsonFixtures.map((f) => f.text)), (text) => {
        checkParseResult(parseJsonLoose(text, { file: FILE }), text, FILE);
      }),
      { numRuns: 1000 },
    );
  });

  it('mutations of the YAML fixtures', () => {
    fc.assert(
      fc.property(mutation(yamlFixtures.map((f) => f.text)), (text) => {
        checkParseResult(parseYamlLoose(text, { file: FILE }), text, FILE);
      }),
      { numRuns: 300 },
    );
  });

  it('JSON-lines records: diagnostics always carry the given line', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          jsonish,
          mutation([
            '{"agent":"Agent-1","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2025-09-14T06:28:07Z"}',
          ]),
        ),
        fc.integer({ min: 1, max: 1e6 }),
        (line, n) => {
          const r = parseJsonLine(line, n, { file: 'events.jsonl' });
          checkParseResult(r, n, 'events.jsonl');
        },
      ),
      { numRuns: 500 },
    );
  });

  it('deep nesting of any kind is refused without exhausting the stack', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 257, max: 20_000 }),
        fc.constantFrom('[', '{"a":', '[{"b":[', '- ', '{a: '),
        (n, unit) => {
          const text = unit.repeat(n);
          for (const format of ['json', 'yaml'] as DataFormat[]) {
            const r = parseDocument(text, format);
            checkParseResult(r, text);
            expect(r.ok).toBe(false);
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('the tolerant reader agrees with JSON.parse where JSON is valid', () => {
  it('valid JSON: same value, no diagnostics', () => {
    fc.assert(
      fc.property(jsonValue, fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        expect(parseJsonLoose(text)).toEqual({ ok: true, diagnostics: [], value: JSON.parse(text) });
      }),
      { numRuns: 500 },
    );
  });

  it('valid JSON with pasted text after it (the recovering path): same value, one trailing-text warning', () => {
    fc.assert(
      fc.property(jsonContainer, fc.constantFrom(0, 2), (v, indent) => {
        const text = JSON.stringify(v, null, indent);
        const r = parseJsonLoose(`${text}\nCAPTAIN: good work, keep going 🚀`);
        expect(r.ok).toBe(true);
        expect(r.value).toEqual(JSON.parse(text));
        expect(r.diagnostics.map((d) => d.code)).toEqual(['trailing-text']);
      }),
      { numRuns: 500 },
    );
  });

  it('one missing comma at a line end: same value, one missing-comma warning on that line', () => {
    fc.assert(
      fc.property(jsonContainer, fc.nat(), (v, pick) => {
        const text = JSON.stringify(v, null, 2);
        const ends = [...text.matchAll(/,\n/g)].map((m) => m.index);
        fc.pre(ends.length > 0);
        const at = ends[pick % ends.length] as number;
        const broken = text.slice(0, at) + text.slice(at + 1);
        const r = parseJsonLoose(broken);
        expect(r.ok).toBe(true);
        expect(r.value).toEqual(JSON.parse(text));
        expect(r.diagnostics.map((d) => [d.code, d.line, d.column])).toEqual([
          ['missing-comma', lineColumn(broken, at).line, lineColumn(broken, at).column],
        ]);
      }),
      { numRuns: 400 },
    );
  });

  it('trailing commas everywhere: same value, one warning each', () => {
    fc.assert(
      fc.property(jsonContainer, (v) => {
        const text = JSON.stringify(v, null, 2);
        const withCommas = text.replace(/([^\s[{,])(\n\s*[}\]])/g, '$1,$2');
        const added = withCommas.length - text.length;
        const r = parseJsonLoose(withCommas);
        expect(r.ok).toBe(true);
        expect(r.value).toEqual(JSON.parse(text));
        expect(r.diagnostics.filter((d) => d.code === 'trailing-comma')).toHaveLength(Math.min(added, 100));
      }),
      { numRuns: 300 },
    );
  });

  it('CRLF line endings and a BOM change no value', () => {
    fc.assert(
      fc.property(jsonContainer, (v) => {
        const text = JSON.stringify(v, null, 2);
        const r = parseJsonLoose(`\uFEFF${text.replace(/\n/g, '\r\n')}`);
        expect(r.ok).toBe(true);
        expect(r.value).toEqual(JSON.parse(text));
        expect(r.diagnostics.map((d) => d.code)).toEqual(['bom']);
      }),
      { numRuns: 200 },
    );
  });
});

describe('lineColumn', () => {
  it('agrees with a naive count over any text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '\n', '\r', '\r\n', '🚀', 'é'), maxLength: 40 }),
        fc.nat(),
        (text, pick) => {
          const offset = pick % (text.length + 1);
          const before = text.slice(0, offset);
          const breaks = before.match(/\r\n|\r|\n/g) ?? [];
          // An offset between CR and LF belongs to the CR's line.
          const splitCrlf = before.endsWith('\r') && text[offset] === '\n';
          const line = breaks.length + 1 - (splitCrlf ? 1 : 0);
          const lastBreak = splitCrlf
            ? Math.max(before.slice(0, -1).lastIndexOf('\n'), before.slice(0, -1).lastIndexOf('\r'))
            : Math.max(before.lastIndexOf('\n'), before.lastIndexOf('\r'));
          const column = [...before.slice(lastBreak + 1)].length + 1;
          expect(lineColumn(text, offset)).toEqual({ line, column });
        },
      ),
      { numRuns: 1000 },
    );
  });
});
