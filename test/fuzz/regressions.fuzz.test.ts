// Minimized inputs the fuzz suite found, kept as fixed cases (each was a failure before its
// fix). Not scaled by FUZZ_RUNS: they run once, always.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
import { buildHistoryReport, renderReportMarkdown } from '../../src/core/report/history-report.js';
import { observeSource, sourceProblems } from '../../src/core/observe/normalize.js';
import { parseDocument } from '../../src/core/read/parse.js';
import type { SourceDocument, SourceRead } from '../../src/core/types.js';
import { CONFIGS, CONTROL, NOW, T0 } from './harness.js';

const ctx = { fields: CONFIGS.incident.fields, timezone: 'UTC' as const, now: NOW };
const statusSpec = CONFIGS.incident.sources.find((s) => s.kind === 'status-files')!;
const registrySpec = CONFIGS.generic.sources.find((s) => s.kind === 'registry')!;

function statusRead(agent: string, text: string): SourceRead {
  const file = `agent_workspaces/${agent}/status.json`;
  const doc: SourceDocument = { agent, file, parse: parseDocument(text, 'json', { file }), mtimeMs: T0 };
  return { source: statusSpec.name, documents: [doc], diagnostics: [], healthy: true };
}

describe('diagnostic messages quote raw values with their controls made visible (normalize.ts)', () => {
  it('id-mismatch: an agent_id holding an escape sequence', () => {
    const o = observeSource(
      statusRead('Agent-8', '{"agent_id": "\\u001b[31mAgent-8", "status": "ACTIVE"}'),
      statusSpec,
      ctx,
    ).get('Agent-8')!;
    const d = o.diagnostics.find((x) => x.code === 'id-mismatch')!;
    expect(d.message).toBe("agent_id says '\\u001b[31mAgent-8' but the file belongs to Agent-8");
  });

  it('not-an-object: a status file holding only a string with NUL', () => {
    const o = observeSource(statusRead('Agent-1', '"\\u0000"'), statusSpec, ctx).get('Agent-1')!;
    expect(o.readable).toBe(false);
    expect(o.diagnostics.find((x) => x.code === 'not-an-object')!.message).toBe(
      "expected an object of fields, found '\\u0000'",
    );
  });

  it('unknown-value and paths through registry keys with controls', () => {
    const text = 'agents:\n  "a\\e]0;x\\a":\n    status: "ACT\\u202eIVE"\n    last_seen: "soon\\n"\n';
    const doc: SourceDocument = { file: 'registry.yaml', parse: parseDocument(text, 'yaml'), mtimeMs: T0 };
    const read: SourceRead = { source: registrySpec.name, documents: [doc], diagnostics: [], healthy: true };
    const out = observeSource(read, registrySpec, { ...ctx, fields: CONFIGS.generic.fields });
    const messages = [...out.values()].flatMap((o) => o.diagnostics.map((d) => d.message));
    expect(messages.length).toBeGreaterThan(0);
    for (const m of messages) expect(m).not.toMatch(CONTROL);
    expect(messages.join(' ')).toContain('\\u202e');
    expect(sourceProblems(read, registrySpec)).toEqual([]);
  });
});

describe('config errors: inert messages, and always a line and column (config.ts)', () => {
  it('a source name holding NUL', () => {
    const r = parseConfig(
      'sources:\n  "\\0":\n    kind: status-files\n    path: ""\n  file:\n    kind: status-files\n    path: ""\n',
      'c.yaml',
    );
    expect(r.ok).toBe(false);
    for (const d of r.diagnostics) expect(d.message).not.toMatch(CONTROL);
    expect(r.diagnostics.map((d) => d.message)).toContain(
      "sources: name '\\u0000' may only hold letters, digits, '-' and '_'",
    );
  });

  it('a YAML error quoting a control character', () => {
    const r = parseConfig('stale: "\\\u0000"\n', 'c.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]!.code).toBe('config-syntax');
    expect(r.diagnostics[0]!.message).not.toMatch(CONTROL);
  });

  it('a file holding only a comment: line 1, column 1', () => {
    const r = parseConfig('#z', 'c.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({
      message: 'config: expected a mapping of keys',
      line: 1,
      column: 1,
    });
  });

  it('values not written at all (`{a}`, `? a`) are placed right after their key', () => {
    const r = parseConfig('sources: {file}\n', 'c.yaml');
    expect(r.ok).toBe(false);
    expect(r.diagnostics[0]).toMatchObject({
      message: 'sources.file: expected a mapping of keys',
      line: 1,
      column: 15,
    });
    const q = parseConfig('sources:\n  ? file\n', 'c.yaml');
    expect(q.ok).toBe(false);
    expect(q.diagnostics[0]).toMatchObject({ line: 2, column: 9 });
  });

  it('an absent policy and FSM states without transitions are still accepted as before', () => {
    const base =
      'sources:\n  file: {kind: status-files, path: "agents/{agent}/s.json"}\n  display: {kind: registry, path: r.yaml, fields: {status: "a.{agent}.s"}}\n';
    expect(parseConfig(base + '? policy\n', 'c.yaml').ok).toBe(true);
    expect(
      parseConfig(base + 'fields:\n  fsm:\n    transitions: {IDLE: [READY], READY}\n', 'c.yaml').ok,
    ).toBe(true);
  });
});

describe('the Markdown report (history-report.ts)', () => {
  it('a journal time that Date.parse accepts with an escape sequence in its comment', () => {
    const at = 'Fri, 20 Nov 2026 09:00:00 GMT (\u001b[31m|x)';
    const T = Date.parse(at);
    const r = buildHistoryReport({
      journal: [
        {
          action: 'a-0',
          at,
          kind: 'resolve',
          agent: 'Agent-1',
          field: 'fsm',
          before: 'idle',
          after: 'active',
          outcome: 'verified',
        },
      ],
      history: [],
      now: T,
      since: T - 3_600_000,
    });
    const row = renderReportMarkdown(r)
      .split('\n')
      .find((l) => l.startsWith('| `a-0`'))!;
    expect(row).not.toMatch(CONTROL);
    expect(row.split(/(?<!\\)\|/).length).toBe(
      '| action | at | kind | agents | changes | outcomes |'.split('|').length,
    );
  });
});
