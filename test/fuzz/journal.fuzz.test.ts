// Fuzzing the JSON-lines readers of the audit journal (src/shell/journal.ts, read from a
// real temp file) and of the verdict history (src/core/read/parse/jsonl-entries.ts parseJsonLines,
// src/shell/history.ts readHistory), and the report built from what they read
// (buildHistoryReport, renderReportMarkdown). Run counts scale with FUZZ_RUNS (a
// multiplier; see harness.ts).
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildHistoryReport,
  historyEntryProblem,
  historyReading,
  renderReportMarkdown,
  type HistoryEntry,
  type JournalLike,
} from '../../src/core/report/history-report.js';
import { parseJsonLines } from '../../src/core/read/parse/jsonl-entries.js';
import { VERDICTS } from '../../src/core/types.js';
import { HISTORY_FILE, readHistory } from '../../src/shell/history.js';
import { groupActions, Journal, JOURNAL_FILE } from '../../src/shell/journal.js';
import { tempDir } from '../helpers/cli.js';
import {
  bytes,
  bytesText,
  checkDiagnostic,
  CONTROL,
  decodeUtf8,
  DICTIONARY,
  encodeUtf8,
  fuzz,
  fuzzAsync,
  JSON_TOKENS,
  mutatedBytes,
  reportAfterAll,
  testTimeout,
  tokenSoup,
  unicodeText,
} from './harness.js';

reportAfterAll();

const T = Date.UTC(2026, 10, 20, 9, 0, 0);
const iso = (min: number) => new Date(T + min * 60_000).toISOString();

/** A realistic journal: a resolve of two agents, a failure, a refusal and an undo. */
const JOURNAL_SEED =
  [
    {
      v: 1,
      action: 'a-20261120T090000Z-3f9c',
      at: iso(0),
      kind: 'resolve',
      agent: 'Agent-1',
      field: 'fsm',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['agent_fsm_states', 'Agent-1'],
      before: 'uninitialized',
      after: 'idle',
      truthFrom: 'file',
      outcome: 'verified',
    },
    {
      v: 1,
      action: 'a-20261120T090000Z-3f9c',
      at: iso(0),
      kind: 'resolve',
      agent: 'Agent-2',
      field: 'status',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['onboarding_status', 'Agent-2'],
      before: false,
      after: true,
      truthFrom: 'file',
      outcome: 'applied',
    },
    {
      v: 1,
      action: 'a-20261120T091000Z-0001',
      at: iso(10),
      kind: 'resolve',
      agent: 'Agent-3',
      field: 'fsm',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['agent_fsm_states', 'Agent-3'],
      before: null,
      after: 'active',
      outcome: 'failed',
      message: 'the registry changed under us',
    },
    {
      v: 1,
      action: 'a-20261120T092000Z-0002',
      at: iso(20),
      kind: 'resolve',
      agent: 'Agent-4',
      field: 'fsm',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['agent_fsm_states', 'Agent-4'],
      before: 'idle',
      after: 'idle',
      outcome: 'refused',
      message: 'not clean JSON',
    },
    {
      v: 1,
      action: 'a-20261120T093000Z-beef',
      at: iso(30),
      kind: 'undo',
      agent: 'Agent-1',
      field: 'fsm',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['agent_fsm_states', 'Agent-1'],
      before: 'idle',
      after: 'uninitialized',
      undoes: 'a-20261120T090000Z-3f9c',
      outcome: 'verified',
    },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n') + '\n';

/** A realistic history: two watch sessions, episodes of every ending, an outage, a flapping agent. */
const HISTORY_SEED =
  [
    {
      v: 1,
      kind: 'start',
      at: iso(-60),
      pid: 41,
      agents: 4,
      notInSync: { 'Agent-1': 'conflict', 'Agent-2': 'drift', 'Agent-7': 'stale' },
      reasons: { 'Agent-1': 'fsm: display cannot move IDLE -> ONBOARDED' },
    },
    {
      v: 1,
      kind: 'verdict',
      at: iso(-59),
      agent: 'Agent-2',
      before: 'drift',
      after: 'in-sync',
      reasons: [],
      action: 'a-auto-1',
    },
    {
      v: 1,
      kind: 'verdict',
      at: iso(-1),
      agent: 'Agent-1',
      before: 'in-sync',
      after: 'drift',
      reasons: ["fsm: display has 'idle', expected 'active'"],
    },
    { v: 1, kind: 'verdict', at: iso(1), agent: 'Agent-1', before: 'drift', after: 'in-sync', reasons: [] },
    { v: 1, kind: 'source', at: iso(2), source: 'display', healthy: false, error: 'unexpected end of input' },
    { v: 1, kind: 'source', at: iso(5), source: 'display', healthy: true, error: null },
    {
      v: 1,
      kind: 'flapping',
      at: iso(6),
      agent: 'Agent-5',
      fields: ['fsm'],
      message: 'another writer keeps changing fsm back',
    },
    { v: 1, kind: 'resumed', at: iso(7), agent: 'Agent-5', message: 'auto-resolve resumed' },
    {
      v: 1,
      kind: 'verdict',
      at: iso(8),
      agent: 'Agent-9',
      before: 'in-sync',
      after: 'invalid',
      reasons: ['file: conflict marker at line 3'],
    },
    { v: 1, kind: 'stop', at: iso(9), pid: 41 },
    { v: 1, kind: 'start', at: iso(40), pid: 42, agents: 4, notInSync: { 'Agent-9': 'invalid' } },
    { v: 1, kind: 'verdict', at: iso(41), agent: 'Agent-9', before: 'invalid', after: null, reasons: [] },
  ]
    .map((e) => JSON.stringify(e))
    .join('\n') + '\n';

const LINE_TOKENS = [
  ...JSON_TOKENS,
  '\n',
  '\n',
  '\r\n',
  '"v":1',
  '"kind":"resolve"',
  '"kind":"verdict"',
  '"at":"2026-11-20T09:00:00Z"',
  '"at":"Nov 20 2026 (',
  ')',
  '"path":["a"]',
  '"outcome":"verified"',
  '"agent":"Agent-1"',
  '"before":"drift"',
  '"after":null',
  '\u0000',
  '\u001B[31m',
];

/** Damaged journals and histories: byte mutations of a seed, its lines shuffled with noise, or anything at all. */
const jsonLines = (seed: string): fc.Arbitrary<Uint8Array> => {
  const lines = seed.split('\n').filter((l) => l !== '');
  return fc.oneof(
    {
      weight: 5,
      arbitrary: mutatedBytes([seed], 6, [JOURNAL_SEED, HISTORY_SEED], [...DICTIONARY, ...LINE_TOKENS]),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(
          fc.array(
            fc.oneof(
              { weight: 3, arbitrary: fc.constantFrom(...lines) },
              { weight: 1, arbitrary: tokenSoup(LINE_TOKENS, 12) },
              { weight: 1, arbitrary: unicodeText(30) },
            ),
            { maxLength: 15 },
          ),
          fc.constantFrom('\n', '\r\n'),
          fc.boolean(),
        )
        .map(([ls, eol, end]) => encodeUtf8(ls.join(eol) + (end ? eol : ''))),
    },
    { weight: 1, arbitrary: bytes(400) },
    { weight: 1, arbitrary: bytesText(200).map((t) => encodeUtf8('\uFEFF' + t)) },
  );
};

/** Lines a JSON-lines reader must account for: each non-blank line is an entry or a diagnostic. */
function nonBlankLines(text: string): number {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  return body.split('\n').filter((raw) => (raw.endsWith('\r') ? raw.slice(0, -1) : raw).trim() !== '').length;
}

function checkJournalEntry(e: Record<string, unknown>): void {
  expect(e['v']).toBe(1);
  for (const k of ['action', 'at', 'agent', 'field', 'target', 'file']) expect(typeof e[k]).toBe('string');
  expect(['resolve', 'undo']).toContain(e['kind']);
  expect(['applied', 'verified', 'failed', 'refused']).toContain(e['outcome']);
  expect(Array.isArray(e['path']) && (e['path'] as unknown[]).every((s) => typeof s === 'string')).toBe(true);
}

/** Every line of a Markdown report is safe to print: no controls, no other line breaks, and
 * table rows keep their columns (a `|` from a file is escaped). */
function expectSafeMarkdown(md: string): void {
  const bad = md.split('\n').find((l) => CONTROL.test(l) || /\u2028|\u2029|\u0085/.test(l));
  expect(bad, 'every Markdown line is safe to print').toBeUndefined();
  for (const l of md.split('\n')) {
    if (!l.startsWith('| ')) continue;
    const header = md
      .split('\n')
      .find((h) => h.startsWith('| ') && h.split(/(?<!\\)\|/).length === l.split(/(?<!\\)\|/).length);
    expect(header, `a table row keeps its columns: ${l}`).toBeDefined();
  }
}

let dir = '';
beforeAll(() => {
  dir = tempDir('sync-tui-fuzz-journal-');
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the audit journal read from a file of arbitrary bytes', () => {
  const target = 'journal.read';
  it(
    'never rejects; every line is an entry of the right shape or a diagnostic with its line',
    async () => {
      await fuzzAsync(target, jsonLines(JOURNAL_SEED), 100, async (data) => {
        const stateDir = path.join(dir, 'j');
        fs.mkdirSync(stateDir, { recursive: true });
        fs.writeFileSync(path.join(stateDir, JOURNAL_FILE), data);
        const journal = new Journal(stateDir, { label: '.sync-tui/journal.jsonl' });
        const { entries, diagnostics } = await journal.read();
        const text = decodeUtf8(data);
        const lines = text.replace(/^\uFEFF/, '').split('\n').length;
        for (const e of entries) checkJournalEntry(e as unknown as Record<string, unknown>);
        for (const d of diagnostics) {
          checkDiagnostic(d, lines);
          expect(d.file).toBe('.sync-tui/journal.jsonl');
        }
        expect(entries.length + diagnostics.length, 'every line is read or reported').toBe(
          nonBlankLines(text),
        );
        const actions = groupActions(entries);
        expect(actions.reduce((n, a) => n + a.entries.length, 0)).toBe(entries.length);
        return diagnostics.length > 0;
      });
    },
    testTimeout(100),
  );
});

describe('the verdict history', () => {
  it(
    'parseJsonLines: every line is an entry or a diagnostic; entries are history entries',
    () => {
      fuzz('history.parseJsonLines', jsonLines(HISTORY_SEED), 120, (data) => {
        const text = decodeUtf8(data);
        const { entries, diagnostics } = parseJsonLines<HistoryEntry>(text, historyReading('history.jsonl'));
        for (const e of entries) expect(historyEntryProblem(e)).toBeNull();
        const lines = text.replace(/^\uFEFF/, '').split('\n').length;
        for (const d of diagnostics) checkDiagnostic(d, lines);
        expect(entries.length + diagnostics.length).toBe(nonBlankLines(text));
        return diagnostics.length > 0;
      });
    },
    testTimeout(120),
  );

  it(
    'readHistory: both files (rotated part first) from arbitrary bytes',
    async () => {
      await fuzzAsync(
        'history.readHistory',
        fc.tuple(jsonLines(HISTORY_SEED), fc.option(jsonLines(HISTORY_SEED), { nil: undefined })),
        50,
        async ([current, rotated]) => {
          const stateDir = path.join(dir, 'h');
          fs.mkdirSync(stateDir, { recursive: true });
          fs.writeFileSync(path.join(stateDir, HISTORY_FILE), current);
          if (rotated === undefined) fs.rmSync(path.join(stateDir, HISTORY_FILE + '.1'), { force: true });
          else fs.writeFileSync(path.join(stateDir, HISTORY_FILE + '.1'), rotated);
          const { entries, diagnostics } = await readHistory(stateDir, { label: 'history.jsonl' });
          for (const e of entries) expect(historyEntryProblem(e)).toBeNull();
          for (const d of diagnostics) checkDiagnostic(d);
          const expected =
            nonBlankLines(decodeUtf8(current)) + (rotated ? nonBlankLines(decodeUtf8(rotated)) : 0);
          expect(entries.length + diagnostics.length).toBe(expected);
          return diagnostics.length > 0;
        },
      );
    },
    testTimeout(50),
  );

  it(
    'the report over whatever was read: consistent counts, durations that are not negative, Markdown safe to print',
    () => {
      const input = fc.tuple(
        jsonLines(HISTORY_SEED),
        jsonLines(JOURNAL_SEED),
        fc.integer({ min: -3 * 60, max: 3 * 60 }),
        fc.integer({ min: 0, max: 48 * 60 }),
        fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
      );
      fuzz('history.report', input, 100, ([h, j, nowMin, spanMin, flap]) => {
        const history = parseJsonLines<HistoryEntry>(decodeUtf8(h), historyReading('history.jsonl')).entries;
        // The journal as the CLI reads it: only entries of the right shape.
        const journal = parseJsonLines<JournalLike>(decodeUtf8(j), {
          ...historyReading('journal.jsonl'),
          check: (v) => {
            try {
              checkJournalEntry(v as Record<string, unknown>);
              return null;
            } catch {
              return 'not a journal entry';
            }
          },
        }).entries;
        const now = T + nowMin * 60_000;
        const input: Parameters<typeof buildHistoryReport>[0] = {
          journal,
          history,
          now,
          since: now - spanMin * 60_000,
        };
        if (flap !== undefined) input.flapEpisodes = flap;
        const r = buildHistoryReport(input);
        expect(r.summary.agentsWithEpisodes).toBe(r.agents.length);
        expect(r.summary.episodes).toBe(r.agents.reduce((n, a) => n + a.episodes.length, 0));
        expect(r.summary.actions).toBe(r.actions.length);
        for (const a of r.agents) {
          expect(a.totalMs >= 0 && a.longestMs >= 0 && Number.isFinite(a.totalMs)).toBe(true);
          for (const ep of a.episodes) {
            expect(
              ep.durationMs >= 0 && Number.isFinite(ep.durationMs),
              `episode of ${a.agent}: ${ep.durationMs}`,
            ).toBe(true);
            expect(VERDICTS).toContain(ep.verdict);
          }
        }
        for (const s of r.sources) expect(s.durationMs >= 0 && Number.isFinite(s.durationMs)).toBe(true);
        expect(r.coverage.watchedMs).toBeGreaterThanOrEqual(0);
        expect(r.coverage.watchedMs).toBeLessThanOrEqual(r.coverage.windowMs);
        expectSafeMarkdown(renderReportMarkdown(r));
        return false;
      });
    },
    testTimeout(100),
  );

  it(
    'the report with journal times that carry text (Date.parse reads "Nov 20 2026 09:00 (any text)")',
    () => {
      const entry = fc.record({
        at: fc
          .tuple(fc.integer({ min: -120, max: 0 }), unicodeText(12))
          .map(([m, note]) => `${new Date(T + m * 60_000).toUTCString()} (${note.replace(/[()]/g, '')})`),
        agent: fc.oneof(fc.constantFrom('Agent-1', 'a|b'), unicodeText(6)),
        outcome: fc.constantFrom('verified' as const, 'failed' as const),
      });
      fuzz('history.report', fc.array(entry, { minLength: 1, maxLength: 4 }), 40, (es) => {
        const journal: JournalLike[] = es.map((e, i) => ({
          action: `a-${i}`,
          at: e.at,
          kind: 'resolve',
          agent: e.agent,
          field: 'fsm',
          before: 'idle',
          after: 'active',
          outcome: e.outcome,
        }));
        const r = buildHistoryReport({ journal, history: [], now: T, since: T - 3 * 3_600_000 });
        expectSafeMarkdown(renderReportMarkdown(r));
        return false;
      });
    },
    testTimeout(40),
  );
});
