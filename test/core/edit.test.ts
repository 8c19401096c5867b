// editDocument: only the named values change; every other byte stays where it was.
import fc from 'fast-check';
import { findNodeAtLocation, parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { editDocument, safePlain, type EditResult, type EditWrite } from '../../src/core/write/edit.js';
import { applyWrites } from '../../src/core/plan/plan.js';
import type { PlannedWrite } from '../../src/core/types.js';

function ok(r: EditResult): string {
  if (!r.ok) throw new Error(`expected ok, got: ${r.message}`);
  return r.text;
}

function planned(writes: readonly EditWrite[]): PlannedWrite[] {
  return writes.map((w) => {
    if (w.after === undefined) throw new Error('removals are not in the plan model');
    return {
      agent: 'A',
      field: 'f',
      target: 'display',
      path: [...w.path],
      before: undefined,
      after: w.after,
      truth: 'X',
      truthFrom: 'file',
    };
  });
}

/** Lines of `b` that differ from `a` (same line count expected). */
function changedLines(a: string, b: string): number[] {
  const la = a.split('\n');
  const lb = b.split('\n');
  expect(lb.length).toBe(la.length);
  return la.flatMap((l, i) => (l === lb[i] ? [] : [i + 1]));
}

// ---------------------------------------------------------------------------------------
// JSON

describe('editDocument JSON', () => {
  it('replaces one value in a 2-space file and keeps everything else', () => {
    const text =
      '{\n  "onboarding_status": {\n    "Agent-1": true,\n    "Agent-2": false\n  },\n  "agent_fsm_states": {\n    "Agent-1": "idle",\n    "Agent-2": "uninitialized"\n  }\n}\n';
    const out = ok(
      editDocument(text, 'json', [
        { path: ['agent_fsm_states', 'Agent-2'], after: 'idle' },
        { path: ['onboarding_status', 'Agent-2'], after: true },
      ]),
    );
    expect(out).toBe(
      '{\n  "onboarding_status": {\n    "Agent-1": true,\n    "Agent-2": true\n  },\n  "agent_fsm_states": {\n    "Agent-1": "idle",\n    "Agent-2": "idle"\n  }\n}\n',
    );
  });

  it('4-space indentation: a created key and nested object use 4 spaces', () => {
    const text = '{\n    "a": {\n        "x": 1\n    },\n    "b": 2\n}';
    const out = ok(
      editDocument(text, 'json', [
        { path: ['a', 'y'], after: 'new' },
        { path: ['c', 'd', 'e'], after: null },
      ]),
    );
    expect(out).toBe(
      '{\n    "a": {\n        "x": 1,\n        "y": "new"\n    },\n    "b": 2,\n    "c": {\n        "d": {\n            "e": null\n        }\n    }\n}',
    );
  });

  it('tab indentation', () => {
    const text = '{\n\t"agents": {\n\t\t"Agent-1": "idle"\n\t}\n}\n';
    const out = ok(editDocument(text, 'json', [{ path: ['agents', 'Agent-2'], after: 'busy' }]));
    expect(out).toBe('{\n\t"agents": {\n\t\t"Agent-1": "idle",\n\t\t"Agent-2": "busy"\n\t}\n}\n');
  });

  it('CRLF line endings are kept, also on created lines', () => {
    const text = '{\r\n  "a": 1,\r\n  "b": {\r\n    "c": "x"\r\n  }\r\n}\r\n';
    const out = ok(
      editDocument(text, 'json', [
        { path: ['b', 'c'], after: 'y' },
        { path: ['b', 'd'], after: false },
      ]),
    );
    expect(out).toBe('{\r\n  "a": 1,\r\n  "b": {\r\n    "c": "y",\r\n    "d": false\r\n  }\r\n}\r\n');
    expect(out.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('a BOM is kept', () => {
    const text = '\uFEFF{\n  "a": "x"\n}\n';
    expect(ok(editDocument(text, 'json', [{ path: ['a'], after: 'y' }]))).toBe('\uFEFF{\n  "a": "y"\n}\n');
    expect(ok(editDocument(text, 'json', [{ path: ['b'], after: 1 }]))).toBe(
      '\uFEFF{\n  "a": "x",\n  "b": 1\n}\n',
    );
  });

  it('no trailing newline stays without one', () => {
    expect(ok(editDocument('{\n  "a": 1\n}', 'json', [{ path: ['a'], after: 2 }]))).toBe('{\n  "a": 2\n}');
  });

  it('creates missing intermediate objects, into an empty object too', () => {
    const text = '{\n  "meta": {},\n  "z": 0\n}\n';
    const out = ok(editDocument(text, 'json', [{ path: ['meta', 'agents', 'Agent-1'], after: 'idle' }]));
    expect(out).toBe('{\n  "meta": {\n    "agents": {\n      "Agent-1": "idle"\n    }\n  },\n  "z": 0\n}\n');
  });

  it('keeps key order and odd spacing around untouched values', () => {
    const text = '{\n  "z":   1,\n  "a" : "keep",\n  "m": [1,2,  3],\n  "k": "old"\n}\n';
    const out = ok(editDocument(text, 'json', [{ path: ['k'], after: 'new' }]));
    expect(out).toBe('{\n  "z":   1,\n  "a" : "keep",\n  "m": [1,2,  3],\n  "k": "new"\n}\n');
  });

  it('keys with dots and braces are plain strings in the path', () => {
    const text = '{\n  "a.b": {\n    "{agent}": 1\n  },\n  "a": {\n    "b": 2\n  }\n}\n';
    const out = ok(editDocument(text, 'json', [{ path: ['a.b', '{agent}'], after: 5 }]));
    expect(out).toBe('{\n  "a.b": {\n    "{agent}": 5\n  },\n  "a": {\n    "b": 2\n  }\n}\n');
  });

  it('a one-line file stays on one line, with its own separators', () => {
    expect(
      ok(
        editDocument('{"a": 1, "b": {"c": 2}}\n', 'json', [
          { path: ['b', 'd'], after: 'x' },
          { path: ['e', 'f'], after: true },
        ]),
      ),
    ).toBe('{"a": 1, "b": {"c": 2, "d": "x"}, "e": {"f": true}}\n');
    expect(ok(editDocument('{"a":1,"b":{}}', 'json', [{ path: ['b', 'd'], after: 'x' }]))).toBe(
      '{"a":1,"b":{"d":"x"}}',
    );
  });

  it('a one-line object inside a multi-line file stays on its line', () => {
    const text = '{\n  "agents": {"Agent-1": "idle"},\n  "x": 1\n}\n';
    expect(ok(editDocument(text, 'json', [{ path: ['agents', 'Agent-2', 'fsm'], after: 'busy' }]))).toBe(
      '{\n  "agents": {"Agent-1": "idle", "Agent-2": {"fsm": "busy"}},\n  "x": 1\n}\n',
    );
  });

  it('an unchanged value leaves the text identical (even its spelling)', () => {
    const text = '{\n  "a": 1.0,\n  "b": "\\u0041"\n}\n';
    expect(
      ok(
        editDocument(text, 'json', [
          { path: ['a'], after: 1 },
          { path: ['b'], after: 'A' },
        ]),
      ),
    ).toBe(text);
  });

  it('trailing commas are tolerated and kept', () => {
    const text = '{\n  "a": 1,\n  "b": 2,\n}\n';
    expect(ok(editDocument(text, 'json', [{ path: ['a'], after: 3 }]))).toBe('{\n  "a": 3,\n  "b": 2,\n}\n');
  });

  it('an empty file becomes a fresh object', () => {
    expect(ok(editDocument('', 'json', [{ path: ['a', 'b'], after: 1 }]))).toBe(
      '{\n  "a": {\n    "b": 1\n  }\n}\n',
    );
  });

  it('changes one value in the middle of a large contract_history file, nothing else', () => {
    const history = Array.from({ length: 60 }, (_, i) => ({
      contract_id: `CONTRACT_Agent-${(i % 8) + 1}_${1757830000 + i}`,
      agent_id: `Agent-${(i % 8) + 1}`,
      contract_type: i % 3 ? 'v2_compliance' : 'refactor',
      task_description: `Task ${i}: modularize "big" files — ✓ ${'x'.repeat(i % 7)}`,
      priority: ['HIGH', 'LOW', 'MEDIUM'][i % 3],
      deadline: '2025-09-15 00:11:27',
      progress: i * 1.5,
      completed_at: i % 4 ? null : '2025-09-14T01:18:39.684459',
      tags: ['a', i, { nested: [true, null] }],
    }));
    const agents = Object.fromEntries(Array.from({ length: 8 }, (_, i) => [`Agent-${i + 1}`, i % 2 === 0]));
    const fsm = Object.fromEntries(
      Array.from({ length: 8 }, (_, i) => [`Agent-${i + 1}`, i % 3 ? 'uninitialized' : 'idle']),
    );
    const text =
      JSON.stringify(
        {
          contract_history: history,
          last_updated: '2025-09-14T01:18:39.715489',
          onboarding_status: agents,
          agent_fsm_states: fsm,
        },
        null,
        2,
      ) + '\n';
    const out = ok(
      editDocument(text, 'json', [
        { path: ['agent_fsm_states', 'Agent-3'], after: 'idle' },
        { path: ['onboarding_status', 'Agent-4'], after: true },
      ]),
    );
    const lines = changedLines(text, out);
    expect(lines.map((n) => out.split('\n')[n - 1])).toEqual([
      '    "Agent-4": true,',
      '    "Agent-3": "idle",',
    ]);
    expect(JSON.parse(out).contract_history).toEqual(history);
  });

  describe('refusals', () => {
    it.each([
      ['missing comma', '{\n  "a": 1\n  "b": 2\n}'],
      ['appended object', '{"a": 1}{"a": 2}'],
      ['conflict markers', '<<<<<<< HEAD\n{"a": 1}\n=======\n{"a": 2}\n>>>>>>> x\n'],
      ['cut off', '{\n  "a": {\n    "b": 1'],
      ['array at top', '[1, 2]'],
    ])('%s', (_name, text) => {
      const r = editDocument(text, 'json', [{ path: ['a'], after: 3 }]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/not edited/);
    });

    it('reports the line and column of a syntax error', () => {
      const r = editDocument('{\n  "a": 1\n  "b": 2\n}', 'json', [{ path: ['a'], after: 3 }]);
      expect(r).toEqual({ ok: false, message: expect.stringMatching(/line 3, column 3/) });
    });

    it('duplicate keys on the path', () => {
      const r = editDocument('{\n  "a": 1,\n  "a": 2\n}\n', 'json', [{ path: ['a'], after: 3 }]);
      expect(r).toEqual({ ok: false, message: expect.stringMatching(/appears 2 times/) });
    });

    it('a path through a list, a string or null', () => {
      const text = '{\n  "l": [1],\n  "s": "x",\n  "n": null\n}\n';
      for (const k of ['l', 's', 'n'])
        expect(editDocument(text, 'json', [{ path: [k, 'x'], after: 1 }]).ok).toBe(false);
    });

    it('writing a single value over an object', () => {
      expect(editDocument('{"a": {"b": 1}}', 'json', [{ path: ['a'], after: 1 }])).toEqual({
        ok: false,
        message: expect.stringMatching(/not a single value/),
      });
    });

    it('non-finite numbers and empty paths', () => {
      expect(editDocument('{}', 'json', [{ path: ['a'], after: Number.NaN }]).ok).toBe(false);
      expect(editDocument('{}', 'json', [{ path: [], after: 1 }]).ok).toBe(false);
    });
  });
});

// ---------------------------------------------------------------------------------------
// YAML

const REGISTRY = `# Coordination system registry
# Maintained by the coordinator; humans edit it too.
version: 2   # schema version
last_updated: "2025-09-14T01:18:39"

onboarding_status:
  # true once the agent finished onboarding
  Agent-1: true
  Agent-2: false     # pending review
  'Agent-3': no

agent_fsm_states:
  Agent-1: idle
  Agent-2: 'uninitialized'   # single quoted
  Agent-3: "uninitialized"   # double quoted

  # Agent-4 was retired on 2025-09-01
agents_meta: {Agent-1: {team: core}, Agent-2: {team: edge}}
contract_history:
  - contract_id: CONTRACT_Agent-2_1757830719
    status: PENDING     # not started
    progress: 0
  - {contract_id: C2, status: DONE}
`;

describe('editDocument YAML', () => {
  it('changes values in place and keeps comments, quotes, blank lines', () => {
    const out = ok(
      editDocument(REGISTRY, 'yaml', [
        { path: ['onboarding_status', 'Agent-2'], after: true },
        { path: ['agent_fsm_states', 'Agent-2'], after: 'idle' },
        { path: ['agent_fsm_states', 'Agent-3'], after: 'task_execution' },
        { path: ['agent_fsm_states', 'Agent-1'], after: 'onboarding' },
      ]),
    );
    expect(out).toBe(
      REGISTRY.replace('Agent-2: false     # pending review', 'Agent-2: true     # pending review')
        .replace("Agent-2: 'uninitialized'   # single quoted", "Agent-2: 'idle'   # single quoted")
        .replace('Agent-3: "uninitialized"   # double quoted', 'Agent-3: "task_execution"   # double quoted')
        .replace('  Agent-1: idle\n', '  Agent-1: onboarding\n'),
    );
    expect(changedLines(REGISTRY, out)).toEqual([9, 13, 14, 15]);
  });

  it('changes a value inside a flow mapping without re-flowing it', () => {
    const out = ok(
      editDocument(REGISTRY, 'yaml', [{ path: ['agents_meta', 'Agent-2', 'team'], after: 'core' }]),
    );
    expect(out).toBe(REGISTRY.replace('Agent-2: {team: edge}', 'Agent-2: {team: core}'));
  });

  it('adds a key to a block mapping after its last entry, before the comments that follow', () => {
    const out = ok(
      editDocument(REGISTRY, 'yaml', [{ path: ['agent_fsm_states', 'Agent-9'], after: 'idle' }]),
    );
    expect(out).toBe(
      REGISTRY.replace(
        '  Agent-3: "uninitialized"   # double quoted\n',
        '  Agent-3: "uninitialized"   # double quoted\n  Agent-9: idle\n',
      ),
    );
  });

  it('adds a key with nested mappings to a flow mapping and to the top level', () => {
    const out = ok(
      editDocument(REGISTRY, 'yaml', [
        { path: ['agents_meta', 'Agent-3', 'team'], after: 'ops' },
        { path: ['routing', 'Agent-1', 'queue'], after: 'q1' },
      ]),
    );
    expect(out).toBe(
      REGISTRY.replace('Agent-2: {team: edge}}', 'Agent-2: {team: edge}, Agent-3: {team: ops}}') +
        'routing:\n  Agent-1:\n    queue: q1\n',
    );
  });

  it('a padded flow mapping gets padded nested maps', () => {
    expect(ok(editDocument('m: { a: 1 }\n', 'yaml', [{ path: ['m', 'b', 'c'], after: 2 }]))).toBe(
      'm: { a: 1, b: { c: 2 } }\n',
    );
    expect(ok(editDocument('m: {}\n', 'yaml', [{ path: ['m', 'b'], after: 2 }]))).toBe('m: {b: 2}\n');
  });

  it('quotes strings that a YAML reader would read as something else', () => {
    const text = 'a: x\nb: x\nc: x\nd: x\ne: x\n';
    const out = ok(
      editDocument(text, 'yaml', [
        { path: ['a'], after: 'yes' },
        { path: ['b'], after: '2025-09-14' },
        { path: ['c'], after: 'x: y' },
        { path: ['d'], after: 'ONBOARDED' },
        { path: ['e'], after: '' },
      ]),
    );
    expect(out).toBe('a: "yes"\nb: "2025-09-14"\nc: "x: y"\nd: ONBOARDED\ne: ""\n');
    expect(parseYaml(out)).toEqual({ a: 'yes', b: '2025-09-14', c: 'x: y', d: 'ONBOARDED', e: '' });
  });

  it('writes booleans, numbers and null plain, and fills an empty value', () => {
    const out = ok(
      editDocument('a: "x"\nb: x\nc:\nd: ~   # nothing\n', 'yaml', [
        { path: ['a'], after: true },
        { path: ['b'], after: 1.5 },
        { path: ['c'], after: 'set' },
        { path: ['d'], after: null },
      ]),
    );
    expect(out).toBe('a: true\nb: 1.5\nc: set\nd: ~   # nothing\n');
  });

  it('keeps CRLF and a BOM', () => {
    const text = '\uFEFFa: 1\r\nb:\r\n  c: x   # note\r\n';
    const out = ok(
      editDocument(text, 'yaml', [
        { path: ['b', 'c'], after: 'w' },
        { path: ['b', 'd'], after: 'z' },
      ]),
    );
    expect(out).toBe('\uFEFFa: 1\r\nb:\r\n  c: w   # note\r\n  d: z\r\n');
  });

  it('uses the indentation step of the file for new nested mappings', () => {
    const text = 'root:\n    a: 1\n';
    expect(ok(editDocument(text, 'yaml', [{ path: ['root', 'b', 'c'], after: 2 }]))).toBe(
      'root:\n    a: 1\n    b:\n        c: 2\n',
    );
  });

  it('an empty or comment-only document gets the keys appended', () => {
    expect(ok(editDocument('', 'yaml', [{ path: ['a', 'b'], after: 'c' }]))).toBe('a:\n  b: c\n');
    expect(ok(editDocument('# nothing yet', 'yaml', [{ path: ['a'], after: 1 }]))).toBe(
      '# nothing yet\na: 1',
    );
    expect(ok(editDocument('# nothing yet\n', 'yaml', [{ path: ['a'], after: 1 }]))).toBe(
      '# nothing yet\na: 1\n',
    );
  });

  it('a file without a final newline gets the new line after its last line', () => {
    expect(ok(editDocument('a: 1', 'yaml', [{ path: ['b'], after: 2 }]))).toBe('a: 1\nb: 2');
  });

  describe('refusals', () => {
    it.each([
      ['syntax error', 'a: [1, 2\nb: 3\n', ['a']],
      ['duplicate keys', 'a: 1\na: 2\n', ['a']],
      ['several documents', 'a: 1\n---\na: 2\n', ['a']],
      ['a list at the top', '- a\n- b\n', ['a']],
      ['a block scalar', 'a: |\n  text\n', ['a']],
      ['an alias', 'x: &v idle\na: *v\n', ['a']],
      ['an anchored value', 'x: &v idle\na: *v\n', ['x']],
      ['a path through a list', 'a: [1, 2]\n', ['a', 'b']],
      ['a path through an empty value', 'a:\n', ['a', 'b']],
      ['a single value over a mapping', 'a:\n  b: 1\n', ['a']],
      ['a path into a list item', REGISTRY, ['contract_history', '0', 'status']],
    ])('%s', (_name, text, path) => {
      const r = editDocument(text, 'yaml', [{ path, after: 'v' }]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.message).not.toContain('\n');
    });
  });

  it('safePlain only accepts words every reader keeps as strings', () => {
    for (const s of ['idle', 'ONBOARDED', 'Agent-1', 'task_execution', 'a b'])
      expect(safePlain(s, false)).toBe(true);
    for (const s of [
      'yes',
      'No',
      'on',
      'null',
      'true',
      '1',
      '1e3',
      '.inf',
      '-x',
      'a: b',
      'a #b',
      ' a',
      'a ',
      '',
      '@x',
      '*x',
      '!x',
    ])
      expect(safePlain(s, false)).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// Removal (after: undefined), used by undo when a resolve had created the key

describe('editDocument removes a key when after is undefined', () => {
  const JSON_TEXT =
    '{\n  "agents": {\n    "Agent-1": "idle",\n    "Agent-2": "busy",\n    "Agent-3": "idle"\n  },\n  "solo": {\n    "x": 1\n  }\n}\n';
  it.each([
    [
      'the last of several',
      ['agents', 'Agent-3'],
      '{\n  "agents": {\n    "Agent-1": "idle",\n    "Agent-2": "busy"\n  },\n  "solo": {\n    "x": 1\n  }\n}\n',
    ],
    [
      'one in the middle',
      ['agents', 'Agent-2'],
      '{\n  "agents": {\n    "Agent-1": "idle",\n    "Agent-3": "idle"\n  },\n  "solo": {\n    "x": 1\n  }\n}\n',
    ],
    [
      'the first of several',
      ['agents', 'Agent-1'],
      '{\n  "agents": {\n    "Agent-2": "busy",\n    "Agent-3": "idle"\n  },\n  "solo": {\n    "x": 1\n  }\n}\n',
    ],
    [
      'the only key',
      ['solo', 'x'],
      '{\n  "agents": {\n    "Agent-1": "idle",\n    "Agent-2": "busy",\n    "Agent-3": "idle"\n  },\n  "solo": {}\n}\n',
    ],
    ['an absent key (nothing to do)', ['agents', 'Agent-9'], JSON_TEXT],
    ['a path through a scalar (nothing to do)', ['agents', 'Agent-1', 'x'], JSON_TEXT],
  ])('JSON: %s', (_name, p, expected) => {
    expect(ok(editDocument(JSON_TEXT, 'json', [{ path: p, after: undefined }]))).toBe(expected);
  });

  it('JSON: a created key round-trips: set then remove gives the original text', () => {
    const created = ok(editDocument(JSON_TEXT, 'json', [{ path: ['agents', 'Agent-9'], after: 'idle' }]));
    expect(ok(editDocument(created, 'json', [{ path: ['agents', 'Agent-9'], after: undefined }]))).toBe(
      JSON_TEXT,
    );
  });

  const YAML_TEXT =
    'agents:   # all\n  Agent-1: idle   # first\n  Agent-2: busy\nflow: {a: 1, b: 2, c: 3}\nsolo:\n  x: 1   # only\nlast: 1\n';
  it.each([
    [
      'a block entry (its whole line)',
      ['agents', 'Agent-1'],
      'agents:   # all\n  Agent-2: busy\nflow: {a: 1, b: 2, c: 3}\nsolo:\n  x: 1   # only\nlast: 1\n',
    ],
    [
      'a flow entry in the middle',
      ['flow', 'b'],
      'agents:   # all\n  Agent-1: idle   # first\n  Agent-2: busy\nflow: {a: 1, c: 3}\nsolo:\n  x: 1   # only\nlast: 1\n',
    ],
    [
      'the first flow entry',
      ['flow', 'a'],
      'agents:   # all\n  Agent-1: idle   # first\n  Agent-2: busy\nflow: {b: 2, c: 3}\nsolo:\n  x: 1   # only\nlast: 1\n',
    ],
    [
      'the only entry of a block mapping',
      ['solo', 'x'],
      'agents:   # all\n  Agent-1: idle   # first\n  Agent-2: busy\nflow: {a: 1, b: 2, c: 3}\nsolo: {}   # only\nlast: 1\n',
    ],
    [
      'the last line of the file',
      ['last'],
      'agents:   # all\n  Agent-1: idle   # first\n  Agent-2: busy\nflow: {a: 1, b: 2, c: 3}\nsolo:\n  x: 1   # only\n',
    ],
    ['an absent key', ['agents', 'Agent-9'], YAML_TEXT],
  ])('YAML: %s', (_name, p, expected) => {
    expect(ok(editDocument(YAML_TEXT, 'yaml', [{ path: p, after: undefined }]))).toBe(expected);
  });

  it('YAML: a created key round-trips', () => {
    const created = ok(
      editDocument(YAML_TEXT, 'yaml', [
        { path: ['agents', 'Agent-9'], after: 'idle' },
        { path: ['flow', 'd'], after: 4 },
      ]),
    );
    expect(
      ok(
        editDocument(created, 'yaml', [
          { path: ['agents', 'Agent-9'], after: undefined },
          { path: ['flow', 'd'], after: undefined },
        ]),
      ),
    ).toBe(YAML_TEXT);
  });

  it('removing a mapping or list is refused', () => {
    expect(editDocument(JSON_TEXT, 'json', [{ path: ['agents'], after: undefined }]).ok).toBe(false);
    expect(editDocument(YAML_TEXT, 'yaml', [{ path: ['agents'], after: undefined }]).ok).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// Properties: the text edit agrees with the model (plan.ts's applyWrites)

const key = fc.oneof(
  fc.constantFrom('Agent-1', 'a.b', '{agent}', 'status', '__proto__', 'x y', ''),
  fc.string({ maxLength: 6 }),
);
const scalar = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom('idle', 'yes', 'null', '1', 'ACTIVE', '✓ emoji 🚀', 'a: b', '#x', "it's"),
  fc.integer({ min: -1e6, max: 1e6 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
);
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('arr'), tie('obj')),
  arr: fc.array(tie('node'), { maxLength: 3 }),
  obj: fc.dictionary(key, tie('node'), { maxKeys: 4 }),
})).node;
const docGen = fc.dictionary(key, value, { minKeys: 1, maxKeys: 6 });

/** Paths to everything that is not an object (lists included: writing there is refused). */
function leafPaths(v: unknown, prefix: string[] = []): string[][] {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return prefix.length ? [prefix] : [];
  return Object.keys(v).flatMap((k) => leafPaths((v as Record<string, unknown>)[k], [...prefix, k]));
}

function scalarPaths(v: unknown): string[][] {
  return leafPaths(v).filter((p) => {
    let cur: unknown = v;
    for (const k of p) cur = (cur as Record<string, unknown>)[k];
    return !Array.isArray(cur);
  });
}

/** Writes to existing paths (most of them leaves) and to new ones. */
function writesFor(doc: Record<string, unknown>): fc.Arbitrary<EditWrite[]> {
  const existing = leafPaths(doc);
  const after = scalar.map((s) => (Object.is(s, -0) ? 0 : s));
  const pathGen = fc.oneof(
    existing.length ? fc.constantFrom(...existing) : fc.constant(['fresh']),
    fc.array(key, { minLength: 1, maxLength: 3 }),
    existing.length
      ? fc
          .tuple(fc.constantFrom(...existing), fc.array(key, { minLength: 1, maxLength: 2 }))
          .map(([p, q]) => [...p.slice(0, -1), ...q])
      : fc.constant(['x', 'y']),
  );
  return fc.array(fc.record({ path: pathGen, after }), { minLength: 1, maxLength: 4 });
}

/** Whether the model's write would replace a non-object on the way or an object/list at the end. */
function blocked(doc: unknown, writes: readonly EditWrite[]): boolean {
  let cur: unknown = structuredClone(doc);
  for (const w of writes) {
    let node: unknown = cur;
    for (let i = 0; i < w.path.length; i++) {
      const k = w.path[i]!;
      const isObj = typeof node === 'object' && node !== null && !Array.isArray(node);
      if (!isObj) return true;
      if (!Object.prototype.hasOwnProperty.call(node, k)) break;
      node = (node as Record<string, unknown>)[k];
      if (i === w.path.length - 1 && typeof node === 'object' && node !== null) return true;
    }
    cur = applyWrites(cur, planned([w]));
  }
  return false;
}

// EDIT_RUNS=20000 for a longer hunt.
const RUNS = Number(process.env['EDIT_RUNS'] ?? 300);
const TIMEOUT = RUNS > 1000 ? 600_000 : undefined;
const stripBom = (s: string) => (s.startsWith('\uFEFF') ? s.slice(1) : s);

describe('editDocument agrees with applyWrites', () => {
  it(
    'JSON: any layout, any writes',
    () => {
      let applied = 0;
      const layout = fc.record({
        indent: fc.constantFrom<string | number>(0, 2, 4, '\t'),
        crlf: fc.boolean(),
        bom: fc.boolean(),
        finalNewline: fc.boolean(),
      });
      fc.assert(
        fc.property(
          docGen.chain((doc) => fc.tuple(fc.constant(doc), writesFor(doc), layout)),
          ([doc, writes, l]) => {
            let text = JSON.stringify(doc, null, l.indent) + (l.finalNewline ? '\n' : '');
            if (l.crlf) text = text.replace(/\n/g, '\r\n');
            if (l.bom) text = '\uFEFF' + text;
            const r = editDocument(text, 'json', writes);
            if (!r.ok) {
              expect(blocked(doc, writes), r.message).toBe(true);
              return;
            }
            expect(blocked(doc, writes)).toBe(false);
            applied++;
            expect(JSON.parse(stripBom(r.text))).toEqual(
              applyWrites(JSON.parse(stripBom(text)), planned(writes)),
            );
            expect(r.text.startsWith('\uFEFF')).toBe(l.bom);
            expect(r.text.endsWith('\n')).toBe(l.finalNewline);
            if (l.crlf) expect(r.text.replace(/\r\n/g, '')).not.toContain('\n');
          },
        ),
        { numRuns: RUNS },
      );
      // Most generated cases must really be edited, not refused.
      expect(applied).toBeGreaterThan(RUNS * 0.4);
    },
    TIMEOUT,
  );

  it(
    'JSON: changing one existing value touches only that value',
    () => {
      fc.assert(
        fc.property(
          docGen
            .filter((d) => scalarPaths(d).length > 0)
            .chain((doc) =>
              fc.tuple(
                fc.constant(doc),
                fc.constantFrom(...scalarPaths(doc)),
                scalar,
                fc.constantFrom(2, 4, '\t'),
              ),
            ),
          ([doc, path, after, indent]) => {
            const text = JSON.stringify(doc, null, indent) + '\n';
            const node = findNodeAtLocation(parseTree(text)!, path)!;
            const a = Object.is(after, -0) ? 0 : after;
            const out = ok(editDocument(text, 'json', [{ path, after: a }]));
            const tail = text.length - node.offset - node.length;
            expect(out.slice(0, node.offset)).toBe(text.slice(0, node.offset));
            expect(out.slice(out.length - tail)).toBe(text.slice(text.length - tail));
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );

  it(
    'YAML: block and flow layouts, any writes',
    () => {
      let applied = 0;
      fc.assert(
        fc.property(
          docGen.chain((doc) =>
            fc.tuple(
              fc.constant(doc),
              writesFor(doc),
              fc.constantFrom<'any' | 'block' | 'flow'>('any', 'block', 'flow'),
              fc.constantFrom(2, 4),
            ),
          ),
          ([doc, writes, collectionStyle, indent]) => {
            const text = stringifyYaml(doc, { collectionStyle, indent, lineWidth: 0, blockQuote: false });
            const r = editDocument(text, 'yaml', writes);
            if (!r.ok) {
              expect(blocked(doc, writes), `${r.message}\n${text}`).toBe(true);
              return;
            }
            expect(blocked(doc, writes)).toBe(false);
            applied++;
            expect(parseYaml(r.text) ?? {}).toEqual(applyWrites(parseYaml(text) ?? {}, planned(writes)));
          },
        ),
        { numRuns: RUNS },
      );
      expect(applied).toBeGreaterThan(RUNS * 0.4);
    },
    TIMEOUT,
  );

  it(
    'removal agrees with deleting the key (JSON and YAML)',
    () => {
      fc.assert(
        fc.property(
          docGen
            .filter((d) => scalarPaths(d).length > 0)
            .chain((doc) =>
              fc.tuple(
                fc.constant(doc),
                fc.constantFrom(...scalarPaths(doc)),
                fc.constantFrom<'json' | 'yaml'>('json', 'yaml'),
              ),
            ),
          ([doc, p, format]) => {
            const text =
              format === 'json'
                ? JSON.stringify(doc, null, 2) + '\n'
                : stringifyYaml(doc, { lineWidth: 0, blockQuote: false });
            const expected = structuredClone(doc) as Record<string, unknown>;
            let at: Record<string, unknown> = expected;
            for (const k of p.slice(0, -1)) at = at[k] as Record<string, unknown>;
            delete at[p[p.length - 1]!];
            const out = ok(editDocument(text, format, [{ path: p, after: undefined }]));
            // JSON text has no -0 (JSON.stringify(-0) is "0"), so compare with what the text can hold.
            expect(format === 'json' ? JSON.parse(out) : (parseYaml(out) ?? {})).toEqual(
              format === 'json' ? JSON.parse(JSON.stringify(expected)) : expected,
            );
          },
        ),
        { numRuns: RUNS },
      );
    },
    TIMEOUT,
  );
});
