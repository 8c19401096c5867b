import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  detectFormat,
  lineColumn,
  parseDocument,
  parseJsonLine,
  parseJsonLoose,
  parseYamlLoose,
} from '../../src/core/read/parse.js';
import type { Diagnostic, ParseResult } from '../../src/core/types.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../fixtures/malformed/${name}`, import.meta.url), 'utf8');
}

function parseFixture(name: string): ParseResult {
  return parseDocument(fixture(name), detectFormat(name), { file: `fixtures/malformed/${name}` });
}

/** code, line and column of each diagnostic, in order. */
function where(r: ParseResult): Array<[string, number | undefined, number | undefined]> {
  return r.diagnostics.map((d) => [d.code, d.line, d.column]);
}

function only(r: ParseResult, code: string): Diagnostic {
  const found = r.diagnostics.filter((d) => d.code === code);
  expect(found).toHaveLength(1);
  return found[0] as Diagnostic;
}

describe('fixtures/malformed: one per class of damage', () => {
  it('ok.json: a valid status file reads with no diagnostics', () => {
    const r = parseFixture('ok.json');
    expect(r).toEqual({
      ok: true,
      diagnostics: [],
      value: {
        agent_id: 'Agent-2',
        role: 'Pipeline Review Specialist',
        status: 'ONBOARDED',
        fsm_state: 'READY',
        last_updated: '2025-09-14 00:20:00',
        current_tasks: [],
        capabilities: ['Pipeline Review', 'Schema Checks'],
        swarm_participation: { coordination_cycles: 2, automation_ready: true },
      },
    });
  });

  it('trailing-comma.json: ok, both trailing commas warned where they are', () => {
    const r = parseFixture('trailing-comma.json');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({
      agent_id: 'Agent-3',
      status: 'ACTIVE',
      fsm_state: 'TASK_EXECUTION',
      last_updated: '2025-09-13 23:24:48',
      capabilities: ['Log Rotation', 'Backup Verification'],
      contracts: [],
    });
    expect(where(r)).toEqual([
      ['trailing-comma', 8, 26],
      ['trailing-comma', 10, 18],
    ]);
    expect(
      r.diagnostics.every(
        (d) => d.severity === 'warning' && d.file === 'fixtures/malformed/trailing-comma.json',
      ),
    ).toBe(true);
  });

  it('missing-comma.json: both properties and both elements are kept, warned at the missing place', () => {
    const r = parseFixture('missing-comma.json');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({
      agent_id: 'Agent-6',
      status: 'OPERATIONAL',
      fsm_state: 'IDLE',
      last_updated: '2025-09-14 00:07:00',
      current_tasks: ['Draft the sync checklist', 'Review inbox'],
    });
    expect(where(r)).toEqual([
      ['missing-comma', 3, 26],
      ['missing-comma', 7, 31],
    ]);
    expect(r.diagnostics[0]?.message).toContain(`expected ',' or '}' after property "status"`);
    expect(r.diagnostics[1]?.message).toContain(`expected ',' or ']' after array element 1`);
  });

  it('duplicate-key.json: last value wins, key keeps its first position, message names the earlier line', () => {
    const r = parseFixture('duplicate-key.json');
    expect(r.ok).toBe(true);
    const value = r.value as Record<string, unknown>;
    expect(value['status']).toBe('ACTIVE');
    expect(Object.keys(value)).toEqual(['agent_id', 'status', 'fsm_state', 'mission', 'last_updated']);
    expect(value['mission']).toEqual({ priority: 'URGENT', deadline: '3 agent response cycles' });
    expect(where(r)).toEqual([
      ['duplicate-key', 12, 5],
      ['duplicate-key', 15, 3],
    ]);
    expect(r.diagnostics[1]).toMatchObject({
      severity: 'warning',
      message: expect.stringMatching(/"status".*line 3/),
    });
    expect(r.diagnostics[0]?.message).toMatch(/"priority".*line 10/);
  });

  it('appended-object.json: `}{` takes the last complete object, with a warning at the second one', () => {
    const r = parseFixture('appended-object.json');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({
      agent_id: 'Agent-8',
      status: 'ACTIVE',
      fsm_state: 'TASK_EXECUTION',
      last_updated: '2025-09-14 00:08:48',
    });
    expect(where(r)).toEqual([['appended-object', 5, 2]]);
    expect(r.diagnostics[0]?.severity).toBe('warning');
  });

  it('bom.json: BOM stripped with an info diagnostic, value intact', () => {
    const text = fixture('bom.json');
    expect(text.charCodeAt(0)).toBe(0xfeff);
    const r = parseFixture('bom.json');
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({ agent_id: 'Agent-4', status: 'OPERATIONAL' });
    expect(r.diagnostics).toEqual([
      {
        severity: 'info',
        code: 'bom',
        message: expect.any(String),
        file: 'fixtures/malformed/bom.json',
        line: 1,
        column: 1,
      },
    ]);
  });

  it('bom: positions after a BOM refer to the text without it', () => {
    const r = parseJsonLoose('\uFEFF{"a": 1,}');
    expect(where(r)).toEqual([
      ['bom', 1, 1],
      ['trailing-comma', 1, 8],
    ]);
  });

  it('crlf.json: CRLF counts as one line break in line numbers', () => {
    const text = fixture('crlf.json');
    expect(text).toContain('\r\n');
    const r = parseFixture('crlf.json');
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({
      status: 'onboarded',
      fsm_state: 'ONBOARDED',
      last_updated: '2025-09-13T23:25:53',
    });
    expect(where(r)).toEqual([['missing-comma', 4, 27]]);
  });

  it('emoji.json: emoji are read as they are; columns count code points', () => {
    const r = parseFixture('emoji.json');
    expect(r.ok).toBe(true);
    expect(r.value).toMatchObject({
      progress: { phase_1: '✅ 6 files', phase_2: '🚀 5 files ⚡️', phase_3: '⏳' },
      achievements_today: ['🏆 Moved 20 files (107→87)', 'Team Beta repo 5/8 ✅'],
    });
    // In UTF-16 units this would be column 66: the rocket is two units.
    expect(where(r)).toEqual([['missing-comma', 6, 65]]);
  });

  it('thousands-number.json: 1,084 is read as 1084 with a warning', () => {
    const r = parseFixture('thousands-number.json');
    expect(r.ok).toBe(true);
    expect((r.value as { metrics: unknown }).metrics).toEqual({
      files_analyzed: 13470,
      lines: 1084,
      imports_removed: 90598,
    });
    expect(where(r)).toEqual([
      ['number-with-thousands-separator', 6, 23],
      ['number-with-thousands-separator', 7, 14],
      ['number-with-thousands-separator', 8, 24],
    ]);
    expect(r.diagnostics[1]?.message).toContain('1,084');
    expect(r.diagnostics[1]?.message).toContain('1084');
  });

  it('conflict-markers.json: invalid, one error per marker line', () => {
    const r = parseFixture('conflict-markers.json');
    expect(r.ok).toBe(false);
    expect(r.value).toBeUndefined();
    expect(where(r)).toEqual([
      ['conflict-marker', 1, 1],
      ['conflict-marker', 4, 1],
      ['conflict-marker', 8, 1],
      ['conflict-marker', 12, 1],
      ['conflict-marker', 13, 1],
      ['conflict-marker', 15, 1],
    ]);
    expect(r.diagnostics.every((d) => d.severity === 'error')).toBe(true);
    expect(r.diagnostics[1]?.message).toContain('line 4');
  });

  it('chat-message.json: pasted chat only is not JSON', () => {
    const r = parseFixture('chat-message.json');
    expect(r.ok).toBe(false);
    expect(r.value).toBeUndefined();
    expect(where(r)).toEqual([['not-json', 1, 1]]);
    expect(r.diagnostics[0]?.message).toContain("expected '{' or '['");
  });

  it('trailing-chat.json: the JSON is kept, the pasted text after it is warned', () => {
    const r = parseFixture('trailing-chat.json');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({
      agent_id: 'Agent-7',
      status: 'ACTIVE_MISSION',
      fsm_state: 'TASK_EXECUTION',
      last_updated: '2025-10-11',
    });
    expect(where(r)).toEqual([['trailing-text', 7, 1]]);
    expect(r.diagnostics[0]?.message).toContain('[C2A] CAPTAIN');
  });

  it('empty.json and whitespace-only.json: invalid, code empty', () => {
    for (const name of ['empty.json', 'whitespace-only.json']) {
      const r = parseFixture(name);
      expect(r.ok).toBe(false);
      expect(r.value).toBeUndefined();
      expect(r.diagnostics).toEqual([
        { severity: 'error', code: 'empty', message: expect.any(String), file: `fixtures/malformed/${name}` },
      ]);
    }
  });

  it('unterminated-string.json: invalid, the string start is named', () => {
    const r = parseFixture('unterminated-string.json');
    expect(r.ok).toBe(false);
    const d = only(r, 'unterminated-string');
    expect(d).toMatchObject({ severity: 'error', line: 3, column: 13 });
    expect(d.message).toContain(`expected '"'`);
  });

  it('truncated.json: cut off mid-write is invalid, reported at the end with what was expected', () => {
    const r = parseFixture('truncated.json');
    expect(r.ok).toBe(false);
    expect(where(r)).toEqual([['truncated', 7, 23]]);
    expect(r.diagnostics[0]?.message).toContain('expected a value for property "previous_state"');
    // The partial value is there for display, but ok=false says it is not usable.
    expect(r.value).toMatchObject({ agent_id: 'Agent-4', status: 'OPERATIONAL' });
  });

  it('ok.yaml: comments ignored, timestamps stay strings, plain JS values', () => {
    const r = parseFixture('ok.yaml');
    expect(r).toEqual({
      ok: true,
      diagnostics: [],
      value: {
        agent_id: 'Agent-2',
        status: 'ONBOARDED',
        fsm_state: { current_state: 'READY', previous_state: 'ONBOARDING', transitions: 2 },
        last_updated: '2025-09-14T00:20:00Z',
        last_checkin: '2025-09-14 00:20:00',
        onboarded: true,
        capabilities: ['Architectural Design', 'Swarm Coordination'],
      },
    });
    expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
  });

  it('yaml-duplicate-key.yaml: last wins, warned with the earlier line', () => {
    const r = parseFixture('yaml-duplicate-key.yaml');
    expect(r.ok).toBe(true);
    expect((r.value as Record<string, unknown>)['status']).toBe('ACTIVE');
    expect(Object.keys(r.value as object)).toEqual([
      'agent_id',
      'status',
      'fsm_state',
      'last_updated',
      'capabilities',
    ]);
    expect(where(r)).toEqual([['duplicate-key', 9, 1]]);
    expect(r.diagnostics[0]?.message).toMatch(/"status".*line 3/);
  });

  it('yaml-bad-indent.yaml: a YAML error with line and column', () => {
    const r = parseFixture('yaml-bad-indent.yaml');
    expect(r.ok).toBe(false);
    expect(where(r)).toEqual([['syntax', 5, 1]]);
    expect(r.diagnostics[0]?.message).toContain('BAD_INDENT');
  });

  it('yaml-multi-document.yaml: the last document is used, with a warning', () => {
    const r = parseFixture('yaml-multi-document.yaml');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ agent_id: 'Agent-1', status: 'ACTIVE', fsm_state: 'TASK_EXECUTION' });
    expect(where(r)).toEqual([['multiple-documents', 5, 1]]);
  });

  it('yaml-alias-bomb.yaml: an alias bomb is an error', () => {
    const r = parseFixture('yaml-alias-bomb.yaml');
    expect(r.ok).toBe(false);
    expect(r.value).toBeUndefined();
    expect(r.diagnostics.map((d) => [d.code, d.severity])).toEqual([['alias-limit', 'error']]);
    expect(r.diagnostics[0]?.line).toBeGreaterThan(1);
  });
});

describe('JSON rules beyond the fixtures', () => {
  it('a valid file with a repeated key is noticed on the fast path', () => {
    const r = parseJsonLoose('{"status": "A", "note": "a: b, c: d", "status": "B"}');
    expect(r.value).toEqual({ status: 'B', note: 'a: b, c: d' });
    expect(where(r)).toEqual([['duplicate-key', 1, 39]]);
  });

  it('colons and escaped quotes inside strings do not look like duplicates', () => {
    const text = '{"a": "x\\\\", "b": "say \\"k\\": v", "c": {"d": "12:30"}}';
    expect(parseJsonLoose(text)).toEqual({ ok: true, diagnostics: [], value: JSON.parse(text) });
  });

  it('thousands separator only for exactly three digits after a 1-3 digit integer', () => {
    expect(parseJsonLoose('{"n": 12,345,678}').value).toEqual({ n: 12345678 });
    expect(parseJsonLoose('{"n": -1,500}').value).toEqual({ n: -1500 });
    // Four digits: not a thousands group; `0845` is then a bad number.
    const four = parseJsonLoose('{"n": 1,0845}');
    expect(four.ok).toBe(false);
    expect(four.diagnostics.map((d) => d.code)).not.toContain('number-with-thousands-separator');
    // Two digits: a syntax error, not a number.
    const two = parseJsonLoose('{"n": 1,08}');
    expect(two.ok).toBe(false);
    expect(two.diagnostics.map((d) => d.code)).not.toContain('number-with-thousands-separator');
    // Followed by ':' it is not a value; neither after a space nor inside arrays.
    expect(parseJsonLoose('{"n": 1,234: 5}').ok).toBe(false);
    expect(parseJsonLoose('{"n": 1, 234}').ok).toBe(false);
    expect(parseJsonLoose('[1,234]')).toEqual({ ok: true, diagnostics: [], value: [1, 234] });
    // A comma and a property name is an ordinary separator.
    expect(parseJsonLoose('{"n": 1,"m": 234}')).toEqual({
      ok: true,
      diagnostics: [],
      value: { n: 1, m: 234 },
    });
  });

  it('syntax: leading zeros, bare words and single quotes are errors with a hint', () => {
    const zero = parseJsonLoose('{"n": 084}');
    expect(zero.ok).toBe(false);
    expect(where(zero)).toEqual([['syntax', 1, 7]]);
    const word = parseJsonLoose('{"onboarded": True}');
    expect(word.diagnostics[0]).toMatchObject({ code: 'syntax', line: 1, column: 15 });
    expect(word.diagnostics[0]?.message).toContain('expected a value for property "onboarded"');
    expect(parseJsonLoose("{'status': 'ACTIVE'}").diagnostics[0]?.message).toContain('double quotes');
  });

  it('syntax: a closer for an outer bracket closes the inner ones, one error', () => {
    const r = parseJsonLoose('{"tasks": ["a", "b"}');
    expect(r.ok).toBe(false);
    expect(r.value).toEqual({ tasks: ['a', 'b'] });
    expect(where(r)).toEqual([['syntax', 1, 20]]);
    expect(r.diagnostics[0]?.message).toContain("expected ']' to close the array opened at line 1");
  });

  it('one slip does not cascade into many errors', () => {
    const r = parseJsonLoose('{"a": 1 x y z w, "b": 2}');
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toHaveLength(1);
    expect(r.value).toEqual({ a: 1, b: 2 });
  });

  it('an appended object that is itself cut off is trailing text; the first is kept', () => {
    const r = parseJsonLoose('{"status": "A"}\n{"status": "B", "fsm');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ status: 'A' });
    expect(where(r)).toEqual([['trailing-text', 2, 1]]);
  });

  it('three writes appended: the last one wins', () => {
    const r = parseJsonLoose('{"n": 1}{"n": 2}\n{"n": 3}');
    expect(r.value).toEqual({ n: 3 });
    expect(where(r)).toEqual([
      ['appended-object', 1, 9],
      ['appended-object', 2, 1],
    ]);
  });

  it('not-json: a bracketed chat header is not an array', () => {
    const r = parseJsonLoose('[C2A] CAPTAIN → Agent-7\nPriority: urgent\n');
    expect(r.ok).toBe(false);
    expect(where(r)).toEqual([['not-json', 1, 1]]);
  });

  it('valid JSON scalars are read as they are (the shape is checked elsewhere)', () => {
    expect(parseJsonLoose(' 42 ')).toEqual({ ok: true, diagnostics: [], value: 42 });
    expect(parseJsonLoose('"ACTIVE"').value).toBe('ACTIVE');
  });

  it('unterminated string: invalid when the line ends before the quote', () => {
    const r = parseJsonLoose('{\n  "status": "ACTIVE,\n  "fsm_state": "IDLE"\n}');
    expect(r.ok).toBe(false);
    expect(only(r, 'unterminated-string')).toMatchObject({ line: 2, column: 13 });
  });

  it('truncated inside a string at the end of the file is reported once, as truncated', () => {
    const r = parseJsonLoose('{\n  "status": "ACT');
    expect(where(r)).toEqual([['truncated', 2, 17]]);
    expect(r.diagnostics[0]?.message).toContain('inside a string');
  });

  it('comments, invalid escapes and raw control characters are read with warnings', () => {
    const r = parseJsonLoose('{\n  // written by hand\n  "path": "C:\\Users\\a",\n  "note": "tab\there"\n}');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ path: 'C:\\Users\\a', note: 'tab\there' });
    expect(where(r)).toEqual([
      ['comment', 2, 3],
      ['invalid-escape', 3, 14],
      ['control-character', 4, 15],
    ]);
  });

  it('__proto__ keys are dropped with a warning and do not touch any prototype', () => {
    for (const text of [
      '{"__proto__": {"polluted": true}, "a": 1}',
      '{"__proto__": {"polluted": true}, "a": 1,}',
    ]) {
      const r = parseJsonLoose(text);
      expect(r.ok).toBe(true);
      expect(r.value).toEqual({ a: 1 });
      expect(Object.getPrototypeOf(r.value)).toBe(Object.prototype);
      expect(Object.prototype.hasOwnProperty.call(r.value, '__proto__')).toBe(false);
      expect(r.diagnostics.map((d) => d.code)).toContain('unsafe-key');
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    }
    // Other names of Object.prototype are ordinary own properties.
    const r = parseJsonLoose('{"constructor": "x", "hasOwnProperty": 1}');
    expect(r).toEqual({ ok: true, diagnostics: [], value: { constructor: 'x', hasOwnProperty: 1 } });
  });

  it('too-large: not parsed; the limit is in UTF-8 bytes', () => {
    const r = parseJsonLoose('{"a": "xxxxxxxx"}', { maxBytes: 10, file: 'a/status.json' });
    expect(r).toEqual({
      ok: false,
      value: undefined,
      diagnostics: [
        {
          severity: 'error',
          code: 'too-large',
          message: expect.stringContaining('10 bytes'),
          file: 'a/status.json',
        },
      ],
    });
    const text = `{"a": "${'é'.repeat(20)}"}`; // 29 UTF-16 units, 49 bytes
    expect(text.length).toBe(29);
    expect(parseJsonLoose(text, { maxBytes: 48 }).diagnostics[0]?.code).toBe('too-large');
    expect(parseJsonLoose(text, { maxBytes: 49 }).ok).toBe(true);
  });

  it("too-deep: '['.repeat(100000) returns too-deep", () => {
    const r = parseJsonLoose('['.repeat(100_000));
    expect(r.ok).toBe(false);
    expect(r.value).toBeUndefined();
    expect(where(r)).toEqual([['too-deep', 1, 257]]);
  });

  it('too-deep: valid but deep JSON, and a lower maxDepth', () => {
    const deep = '['.repeat(300) + ']'.repeat(300);
    expect(parseJsonLoose(deep).diagnostics[0]?.code).toBe('too-deep');
    expect(parseJsonLoose('{"a": {"b": {"c": 1}}}', { maxDepth: 2 }).diagnostics.map((d) => d.code)).toEqual([
      'too-deep',
    ]);
    expect(parseJsonLoose('{"a": {"b": {"c": 1}}}', { maxDepth: 3 }).ok).toBe(true);
  });

  it('many problems: the list is capped, the count is kept, and ok stays true for warnings', () => {
    const text = `{${Array.from({ length: 150 }, () => '"k": 1').join(', ')}}`;
    const r = parseJsonLoose(text);
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ k: 1 });
    expect(r.diagnostics.filter((d) => d.code === 'duplicate-key')).toHaveLength(100);
    expect(r.diagnostics.at(-1)).toMatchObject({
      severity: 'info',
      code: 'more-problems',
      message: '49 more problems not listed',
    });
  });

  it('non-text input is an error, not an exception', () => {
    const r = parseDocument(undefined as unknown as string, 'json');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]?.code).toBe('not-text');
  });

  it('messages never carry raw control characters from the input', () => {
    const r = parseJsonLoose('{"a\\u001b[31m": 1, "a\\u001b[31m": 2}');
    expect(r.diagnostics[0]?.code).toBe('duplicate-key');
    expect(r.diagnostics[0]?.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('YAML rules beyond the fixtures', () => {
  it('a YAML error names line and column, and the file', () => {
    const r = parseYamlLoose('status: [ACTIVE\nfsm_state: IDLE\n', { file: 'agents/a/status.yaml' });
    expect(r.ok).toBe(false);
    expect(r.diagnostics.length).toBeGreaterThan(0);
    for (const d of r.diagnostics) {
      expect(d).toMatchObject({ severity: 'error', code: 'syntax', file: 'agents/a/status.yaml' });
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('comments only is empty', () => {
    const r = parseYamlLoose('# nothing here\n\n');
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => d.code)).toEqual(['empty']);
  });

  it('conflict markers make a YAML file invalid too', () => {
    const r = parseYamlLoose(
      'status: ACTIVE\n<<<<<<< HEAD\nfsm_state: IDLE\n=======\nfsm_state: READY\n>>>>>>> other\n',
    );
    expect(r.ok).toBe(false);
    expect(where(r)).toEqual([
      ['conflict-marker', 2, 1],
      ['conflict-marker', 4, 1],
      ['conflict-marker', 6, 1],
    ]);
  });

  it('aliases expand to copies; a self-referencing alias is an error', () => {
    const r = parseYamlLoose('defaults: &d {fsm_state: IDLE}\nagent: *d\n');
    expect(r.value).toEqual({ defaults: { fsm_state: 'IDLE' }, agent: { fsm_state: 'IDLE' } });
    const v = r.value as { defaults: object; agent: object };
    expect(v.defaults).not.toBe(v.agent);
    const cycle = parseYamlLoose('a: &x\n  b: *x\n');
    expect(cycle.ok).toBe(false);
    expect(where(cycle)).toEqual([['alias-cycle', 2, 6]]);
  });

  it('__proto__ and collection keys are dropped with warnings', () => {
    const r = parseYamlLoose('__proto__: {polluted: true}\n? [a, b]\n: 1\nstatus: ACTIVE\n');
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ status: 'ACTIVE' });
    expect(where(r)).toEqual([
      ['unsafe-key', 1, 1],
      ['complex-key', 2, 3],
    ]);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('BOM and CRLF in YAML', () => {
    const r = parseYamlLoose('\uFEFFstatus: A\r\nstatus: B\r\n');
    expect(r.value).toEqual({ status: 'B' });
    expect(where(r)).toEqual([
      ['bom', 1, 1],
      ['duplicate-key', 2, 1],
    ]);
  });

  it('too-deep: deep flow and compact nesting are refused before the YAML parser sees them', () => {
    for (const text of ['['.repeat(100_000), `${'- '.repeat(2000)}a`, `${'? - '.repeat(300)}a`]) {
      const r = parseYamlLoose(text);
      expect(r.diagnostics.map((d) => d.code)).toEqual(['too-deep']);
    }
    expect(parseYamlLoose('a:\n  b:\n    c: 1\n', { maxDepth: 3 }).ok).toBe(true);
    expect(parseYamlLoose('a:\n  b:\n    c: 1\n', { maxDepth: 2 }).diagnostics.map((d) => d.code)).toEqual([
      'too-deep',
    ]);
  });

  it('block scalars with brackets do not count as nesting', () => {
    const r = parseYamlLoose(`note: |\n  ${'['.repeat(400)}\nstatus: ACTIVE\n`);
    expect(r.ok).toBe(true);
    expect((r.value as { status: string }).status).toBe('ACTIVE');
  });
});

describe('parseJsonLine (event logs)', () => {
  it('reads a record, tolerating a trailing CR', () => {
    const r = parseJsonLine(
      '{"agent":"Agent-1","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2025-09-14T06:28:07Z"}\r',
      3,
    );
    expect(r).toEqual({
      ok: true,
      diagnostics: [],
      value: { agent: 'Agent-1', status: 'ACTIVE', fsm: 'TASK_EXECUTION', at: '2025-09-14T06:28:07Z' },
    });
  });

  it('tolerates a BOM and a trailing comma, with diagnostics on the given line', () => {
    const r = parseJsonLine('\uFEFF{"agent":"Agent-1","status":"IDLE",}\r\n', 1, { file: 'events.jsonl' });
    expect(r.ok).toBe(true);
    expect(r.value).toEqual({ agent: 'Agent-1', status: 'IDLE' });
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.file, d.line, d.column])).toEqual([
      ['bom', 'info', 'events.jsonl', 1, 1],
      ['trailing-comma', 'warning', 'events.jsonl', 1, 35],
    ]);
  });

  it('a bad line is invalid, with line = lineNumber and the column', () => {
    const r = parseJsonLine('{"agent":"Agent-2" "status":"ACTIVE"}', 41);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['missing-comma', 'error', 41, 19],
    ]);
  });

  it('two records on one line (concurrent appends) are invalid', () => {
    const r = parseJsonLine('{"agent":"Agent-1"}{"agent":"Agent-2"}', 7);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.map((d) => [d.code, d.severity, d.line, d.column])).toEqual([
      ['appended-object', 'error', 7, 20],
    ]);
  });

  it('a damaged record stays invalid even when its problem is beyond the listed ones', () => {
    const line = `{${Array.from({ length: 120 }, () => '"k": 1').join(', ')} "agent": "Agent-1"}`;
    const r = parseJsonLine(line, 5);
    expect(r.ok).toBe(false);
    expect(r.diagnostics.filter((d) => d.code === 'duplicate-key')).toHaveLength(100);
  });

  it('cut-off, chat, conflict marker and blank lines are invalid and carry the line', () => {
    for (const [line, code] of [
      ['{"agent":"Agent-3","sta', 'truncated'],
      ['Captain: all agents report in', 'not-json'],
      ['<<<<<<< HEAD', 'conflict-marker'],
      ['   \r', 'empty'],
    ] as const) {
      const r = parseJsonLine(line, 12);
      expect(r.ok).toBe(false);
      expect(r.diagnostics[0]).toMatchObject({ code, severity: 'error', line: 12 });
    }
  });
});

describe('lineColumn', () => {
  it('is 1-based, counts CRLF once, a lone CR or LF once, and code points in columns', () => {
    const text = 'ab\r\ncd\ref\ng🚀h';
    expect(lineColumn(text, 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn(text, 2)).toEqual({ line: 1, column: 3 });
    expect(lineColumn(text, 3)).toEqual({ line: 1, column: 4 }); // the LF of a CRLF
    expect(lineColumn(text, 4)).toEqual({ line: 2, column: 1 });
    expect(lineColumn(text, 7)).toEqual({ line: 3, column: 1 });
    expect(lineColumn(text, 10)).toEqual({ line: 4, column: 1 });
    expect(lineColumn(text, 13)).toEqual({ line: 4, column: 3 }); // after the rocket (2 units)
  });

  it('clamps offsets outside the text', () => {
    expect(lineColumn('ab\ncd', -5)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab\ncd', 99)).toEqual({ line: 2, column: 3 });
    expect(lineColumn('', 0)).toEqual({ line: 1, column: 1 });
    expect(lineColumn('ab', Number.NaN)).toEqual({ line: 1, column: 1 });
  });
});

describe('detectFormat', () => {
  it('uses the extension', () => {
    expect(detectFormat('agents/alpha/status.yaml')).toBe('yaml');
    expect(detectFormat('REGISTRY.YML')).toBe('yaml');
    expect(detectFormat('agent_workspaces/Agent-1/status.json')).toBe('json');
    expect(detectFormat('events.jsonl')).toBe('json');
    expect(detectFormat('C:\\work\\status.yml')).toBe('yaml');
    expect(detectFormat('status.yaml.bak')).toBe('json');
  });

  it('sniffs a YAML marker only when there is no extension', () => {
    expect(detectFormat('status', '---\nstatus: ACTIVE\n')).toBe('yaml');
    expect(detectFormat('status', '{"status": "ACTIVE"}')).toBe('json');
    expect(detectFormat('status.json', '---\n')).toBe('json');
  });
});
