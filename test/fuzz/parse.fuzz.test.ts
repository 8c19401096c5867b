// Fuzzing the document readers (src/core/read/parse.ts) and the event-log splitter: arbitrary
// bytes, unicode, token soups and byte-level mutations of our fixtures. Run counts scale
// with FUZZ_RUNS (a multiplier; see harness.ts). The per-format contracts on generated
// valid JSON live in test/core/parse.property.test.ts; this file is the broad, byte-level one.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDocument, parseJsonLine, parseJsonLoose, parseYamlLoose } from '../../src/core/read/parse.js';
import { eventDocuments, MAX_LINE_DIAGNOSTICS } from '../../src/shell/sources.js';
import {
  bytesText,
  checkDiagnostic,
  documentText,
  encodeUtf8,
  fuzz,
  JSON_TOKENS,
  mutate,
  mutatedText,
  reportAfterAll,
  SEEDS,
  testTimeout,
  tokenSoup,
  unicodeText,
  YAML_TOKENS,
  ALL_SEEDS,
} from './harness.js';
import { checkParseResult } from '../helpers/diagnostics.js';

reportAfterAll();

const FILE = 'agent_workspaces/x/status.json';

/** Nesting depth of brackets outside strings (to know when JSON.parse's answer must be ours). */
function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') max = Math.max(max, ++depth);
    else if (c === '}' || c === ']') depth--;
  }
  return max;
}

const jsonDocs = [...SEEDS.statusJson, ...SEEDS.registryJson];
const yamlDocs = [...SEEDS.statusYaml, ...SEEDS.registryYaml, ...SEEDS.config];

/** A large document: a fixture repeated (as `}{` appends or a long YAML stream), then damaged.
 * At most `maxRepeat` copies: the `yaml` library takes about as long as the hang bound on a
 * 2 MB file, which would make the bound flaky on a loaded machine. */
const bigText = (seeds: readonly string[], maxRepeat: number) =>
  fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.integer({ min: 20, max: maxRepeat }),
      fc.constantFrom('', '\n', ',\n', '\n---\n'),
      mutatedText(['x'], 3),
    )
    .map(([seed, n, sep, noise]) => {
      const body = Array.from({ length: n }, () => seed).join(sep);
      const at = body.length === 0 ? 0 : (noise.length * 7919) % body.length;
      return body.slice(0, at) + noise + body.slice(at);
    });

describe('JSON documents (parseJsonLoose)', () => {
  const target = 'parse.parseJsonLoose';
  it(
    'never throws or hangs; unreadable input always gets an error diagnostic with a place',
    () => {
      fuzz(target, documentText(jsonDocs, JSON_TOKENS), 150, (text) => {
        const r = parseJsonLoose(text, { file: FILE });
        const flagged = checkParseResult(r, text, FILE);
        // Valid, shallow JSON is always read (the recovering path must not reject it).
        const body = text.replace(/^\uFEFF/, '');
        let valid = true;
        try {
          JSON.parse(body);
        } catch {
          valid = false;
        }
        if (valid && jsonDepth(body) <= 256) expect(r.ok, 'valid JSON must be readable').toBe(true);
        return flagged;
      });
    },
    testTimeout(150),
  );

  it(
    'large damaged documents stay within the bound',
    () => {
      fuzz(target, bigText(jsonDocs, 400), 5, (text) =>
        checkParseResult(parseJsonLoose(text, { file: FILE }), text, FILE),
      );
    },
    testTimeout(5),
  );
});

describe('YAML documents (parseYamlLoose)', () => {
  const target = 'parse.parseYamlLoose';
  it(
    'never throws or hangs; unreadable input always gets an error diagnostic',
    () => {
      fuzz(target, documentText(yamlDocs, YAML_TOKENS), 120, (text) =>
        checkParseResult(parseYamlLoose(text, { file: FILE }), text, FILE),
      );
    },
    testTimeout(120),
  );

  it(
    'large damaged documents and alias-heavy soups stay within the bound',
    () => {
      const aliases = fc
        .tuple(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 2, max: 12 }))
        .map(([levels, width]) => {
          const lines = ['a0: &a0 [x, y]'];
          for (let i = 1; i <= levels; i++)
            lines.push(`a${i}: &a${i} [${Array.from({ length: width }, () => `*a${i - 1}`).join(', ')}]`);
          return lines.join('\n');
        });
      fuzz(target, fc.oneof(bigText(yamlDocs, 60), aliases, tokenSoup(YAML_TOKENS, 2000)), 5, (text) =>
        checkParseResult(parseYamlLoose(text, { file: FILE }), text, FILE),
      );
    },
    testTimeout(5),
  );
});

describe('either format on any text (parseDocument)', () => {
  it(
    "the other format's files and pure noise never throw",
    () => {
      fuzz(
        'parse.parseDocument',
        fc.tuple(
          documentText(ALL_SEEDS, [...JSON_TOKENS, ...YAML_TOKENS]),
          fc.constantFrom('json' as const, 'yaml' as const),
        ),
        100,
        ([text, format]) => checkParseResult(parseDocument(text, format, { file: FILE }), text, FILE),
      );
    },
    testTimeout(100),
  );
});

describe('event-log records (parseJsonLine)', () => {
  const target = 'parse.parseJsonLine';
  const lines = SEEDS.events.flatMap((t) => t.split('\n')).filter((l) => l.trim() !== '');
  it(
    'never throws; every diagnostic names the given line; a bad record is an error',
    () => {
      const line = fc.oneof(
        { weight: 5, arbitrary: mutatedText(lines, 4) },
        { weight: 2, arbitrary: bytesText(200) },
        { weight: 2, arbitrary: unicodeText(120) },
        { weight: 2, arbitrary: tokenSoup(JSON_TOKENS, 40) },
      );
      fuzz(
        target,
        fc.tuple(line, fc.oneof(fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 2 ** 31 }))),
        150,
        ([text, n]) => {
          const r = parseJsonLine(text, n, { file: 'events.jsonl' });
          if (r.ok) expect(r.value).not.toBeUndefined();
          else expect(r.diagnostics.some((d) => d.severity === 'error')).toBe(true);
          for (const d of r.diagnostics) {
            checkDiagnostic(d);
            expect(d.line).toBe(n);
            expect(d.file).toBe('events.jsonl');
          }
          return r.diagnostics.length > 0;
        },
      );
    },
    testTimeout(150),
  );
});

describe('event logs split into records (eventDocuments)', () => {
  const target = 'sources.eventDocuments';
  it(
    'every complete line is a record or a counted problem; places stay inside the text',
    () => {
      const log = fc.oneof(
        { weight: 4, arbitrary: documentText(SEEDS.events, [...JSON_TOKENS, '\n', '\n', '\r\n']) },
        {
          weight: 1,
          arbitrary: fc.array(mutatedText(SEEDS.events, 2), { maxLength: 8 }).map((l) => l.join('\n')),
        },
      );
      fuzz(target, fc.tuple(log, fc.integer({ min: 1, max: 1e6 })), 100, ([text, first]) => {
        const { documents, diagnostics } = eventDocuments(text, 'events.jsonl', first);
        const complete = text.split('\n').slice(0, -1);
        const nonBlank = complete.filter((l) => l.trim() !== '').length;
        expect(documents.length).toBeLessThanOrEqual(nonBlank);
        for (const d of documents) {
          expect(d.parse.ok).toBe(true);
          expect(d.file).toBe('events.jsonl');
        }
        const bad = nonBlank - documents.length;
        if (bad > 0) expect(diagnostics.length).toBeGreaterThan(0);
        else expect(diagnostics).toEqual([]);
        for (const d of diagnostics) {
          checkDiagnostic(d);
          if (d.line !== undefined) {
            expect(d.line).toBeGreaterThanOrEqual(first);
            expect(d.line).toBeLessThan(first + complete.length);
          }
        }
        expect(diagnostics.filter((d) => d.code !== 'bad-lines').length).toBeLessThanOrEqual(
          MAX_LINE_DIAGNOSTICS * 202,
        );
        return diagnostics.length > 0;
      });
    },
    testTimeout(100),
  );
});

describe('mutation operators', () => {
  it('are deterministic and keep to the input (sanity of the harness itself)', () => {
    const base = encodeUtf8('{"a": 1}');
    expect(mutate(base, [{ kind: 'truncate', at: 3 }], [base])).toEqual(encodeUtf8('{"a'));
    expect(mutate(base, [{ kind: 'delete', at: 1, len: 4 }], [base])).toEqual(encodeUtf8('{ 1}'));
    expect(mutate(base, [{ kind: 'splice', at: 2, other: 0, from: 6 }], [base])).toEqual(encodeUtf8('{"1}'));
    expect(mutate(base, [{ kind: 'flip', at: 0, bit: 0 }], [base])).toEqual(encodeUtf8('z"a": 1}'));
  });
});
