// The health report over realistic timelines: watch sessions with gaps, resolves by watch,
// by hand and by nobody, an undo, a flapping agent and a source outage.
import { describe, expect, it } from 'vitest';
import { parseJsonLines } from '../../src/core/read/parse/jsonl-entries.js';
import {
  buildHistoryReport,
  formatSpan,
  historyReading,
  renderReportMarkdown,
  type HistoryEntry,
  type JournalLike,
} from '../../src/core/report/history-report.js';

const H = 3_600_000;
const M = 60_000;
const DAY0 = Date.UTC(2026, 10, 20, 0, 0, 0);
const at = (ms: number) => new Date(DAY0 + ms).toISOString();

function v(
  t: number,
  agent: string,
  before: HistoryEntry extends infer _ ? string | null : never,
  after: string | null,
  extra: { action?: string; reasons?: string[] } = {},
): HistoryEntry {
  const e: HistoryEntry = {
    v: 1,
    kind: 'verdict',
    at: at(t),
    agent,
    before: before as never,
    after: after as never,
    reasons: extra.reasons ?? [],
  };
  if (extra.action) e.action = extra.action;
  return e;
}
function j(
  t: number,
  action: string,
  agent: string,
  field: string,
  kind: 'resolve' | 'undo' = 'resolve',
  outcome: JournalLike['outcome'] = 'verified',
): JournalLike {
  return { action, at: at(t), kind, agent, field, before: 'x', after: 'y', outcome };
}

// A day and a half of one workspace.
const history: HistoryEntry[] = [
  // Session 1 starts: Agent-1 already in conflict, Agent-2 drifted.
  {
    v: 1,
    kind: 'start',
    at: at(0),
    pid: 1,
    agents: 4,
    notInSync: { 'Agent-1': 'conflict', 'Agent-2': 'drift', 'Agent-7': 'stale' },
    reasons: { 'Agent-1': 'fsm: display cannot move IDLE -> ONBOARDED' },
  },
  // watch's auto-resolve fixes Agent-2 after 2 s.
  v(2000, 'Agent-2', 'drift', 'in-sync', { action: 'a-auto-1' }),
  // Agent-3 drifts at 1h, an operator resolves it by hand 10 min later.
  v(1 * H, 'Agent-3', 'in-sync', 'drift', { reasons: ["fsm: display has 'idle', expected 'active'"] }),
  v(1 * H + 10 * M, 'Agent-3', 'drift', 'in-sync'),
  // Agent-4 drifts and becomes a conflict, then the agent's own file catches up (nobody's action).
  v(2 * H, 'Agent-4', 'in-sync', 'drift'),
  v(2 * H + 5 * M, 'Agent-4', 'drift', 'conflict'),
  v(3 * H, 'Agent-4', 'conflict', 'stale'),
  // The registry breaks for 20 minutes.
  {
    v: 1,
    kind: 'source',
    at: at(4 * H),
    source: 'display',
    healthy: false,
    error: 'coordination_system_state.json: unexpected end of input',
  },
  v(4 * H, 'Agent-2', 'in-sync', 'invalid'),
  v(4 * H + 20 * M, 'Agent-2', 'invalid', 'in-sync'),
  { v: 1, kind: 'source', at: at(4 * H + 20 * M), source: 'display', healthy: true, error: null },
  // Agent-5 flaps: watch resolves it, a rival reverts it, three times; watch flags it.
  v(5 * H, 'Agent-5', 'in-sync', 'drift'),
  v(5 * H + 1000, 'Agent-5', 'drift', 'in-sync', { action: 'a-auto-2' }),
  v(5 * H + 1100, 'Agent-5', 'in-sync', 'drift'),
  v(5 * H + 2100, 'Agent-5', 'drift', 'in-sync', { action: 'a-auto-3' }),
  v(5 * H + 2200, 'Agent-5', 'in-sync', 'drift'),
  v(5 * H + 4200, 'Agent-5', 'drift', 'in-sync', { action: 'a-auto-4' }),
  v(5 * H + 4300, 'Agent-5', 'in-sync', 'drift'),
  {
    v: 1,
    kind: 'flapping',
    at: at(5 * H + 4300),
    agent: 'Agent-5',
    fields: ['fsm'],
    message: 'auto-resolve stopped',
  },
  // Session 1 ends; Agent-1 still in conflict, Agent-5 still drifting.
  { v: 1, kind: 'stop', at: at(6 * H), pid: 1 },
  // Session 2, the next morning: Agent-1 fixed meanwhile (by an undo, see the journal), Agent-5 still drifting.
  { v: 1, kind: 'start', at: at(30 * H), pid: 2, agents: 4, notInSync: { 'Agent-5': 'drift' } },
  // Agent-6 drifts and is still drifting at report time.
  v(31 * H, 'Agent-6', 'in-sync', 'drift'),
];

const journal: JournalLike[] = [
  j(2000 - 5, 'a-auto-1', 'Agent-2', 'fsm'),
  j(1 * H + 10 * M - 50, 'a-hand-1', 'Agent-3', 'fsm'),
  j(1 * H + 10 * M - 50, 'a-hand-1', 'Agent-3', 'status'),
  // A failed attempt during Agent-4's episode does not count as what ended it.
  j(2 * H + 1 * M, 'a-hand-2', 'Agent-4', 'fsm', 'resolve', 'failed'),
  j(5 * H + 1000 - 5, 'a-auto-2', 'Agent-5', 'fsm'),
  j(5 * H + 2100 - 5, 'a-auto-3', 'Agent-5', 'fsm'),
  j(5 * H + 4200 - 5, 'a-auto-4', 'Agent-5', 'fsm'),
  // While watch was not running: Agent-1 fixed by an undo of an earlier resolve.
  j(20 * H, 'a-undo-1', 'Agent-1', 'fsm', 'undo'),
];

const NOW = 32 * H;
const report = buildHistoryReport({ journal, history, now: DAY0 + NOW, since: DAY0 + NOW - 2 * 24 * H });
const agent = (id: string) => report.agents.find((a) => a.agent === id)!;

describe('buildHistoryReport on a realistic timeline', () => {
  it('finds every episode with its start, end, duration and what ended it', () => {
    const rows = report.agents.flatMap((a) =>
      a.episodes.map((e) => [
        e.agent,
        e.start,
        e.end,
        e.durationMs,
        e.verdict,
        e.resolvedBy.kind,
        e.resolvedBy.action ?? null,
        e.observed,
      ]),
    );
    expect(rows).toEqual([
      ['Agent-1', at(0), at(30 * H), 30 * H, 'conflict', 'undo', 'a-undo-1', false],
      ['Agent-2', at(0), at(2000), 2000, 'drift', 'resolve', 'a-auto-1', false],
      ['Agent-2', at(4 * H), at(4 * H + 20 * M), 20 * M, 'invalid', 'external', null, true],
      ['Agent-3', at(1 * H), at(1 * H + 10 * M), 10 * M, 'drift', 'resolve', 'a-hand-1', true],
      ['Agent-4', at(2 * H), at(3 * H), 1 * H, 'conflict', 'external', null, true],
      ['Agent-5', at(5 * H), at(5 * H + 1000), 1000, 'drift', 'resolve', 'a-auto-2', true],
      ['Agent-5', at(5 * H + 1100), at(5 * H + 2100), 1000, 'drift', 'resolve', 'a-auto-3', true],
      ['Agent-5', at(5 * H + 2200), at(5 * H + 4200), 2000, 'drift', 'resolve', 'a-auto-4', true],
      ['Agent-5', at(5 * H + 4300), null, NOW - (5 * H + 4300), 'drift', 'ongoing', null, true],
      ['Agent-6', at(31 * H), null, 1 * H, 'drift', 'ongoing', null, true],
    ]);
  });

  it('keeps the verdicts an episode went through, the reasons it started with, and the fields of the action', () => {
    expect(agent('Agent-4').episodes[0]!.verdicts).toEqual(['drift', 'conflict']);
    expect(agent('Agent-3').episodes[0]!.reasons).toEqual(["fsm: display has 'idle', expected 'active'"]);
    expect(agent('Agent-1').episodes[0]!.reasons).toEqual(['fsm: display cannot move IDLE -> ONBOARDED']);
    expect(agent('Agent-3').episodes[0]!.resolvedBy.fields).toEqual(['fsm', 'status']);
  });

  it('names flapping agents: flagged by watch, or many episodes', () => {
    expect(report.flapping).toEqual([
      { agent: 'Agent-5', episodes: 4, flaggedByWatch: true, fields: ['fsm'] },
    ]);
    expect(agent('Agent-5').flapping).toBe(true);
    expect(agent('Agent-2').flapping).toBe(false);
  });

  it('lists source outages', () => {
    expect(report.sources).toEqual([
      {
        source: 'display',
        start: at(4 * H),
        end: at(4 * H + 20 * M),
        ongoing: false,
        durationMs: 20 * M,
        error: 'coordination_system_state.json: unexpected end of input',
      },
    ]);
  });

  it('summarises, with coverage of the window by watch sessions', () => {
    expect(report.summary).toEqual({
      agentsWithEpisodes: 6,
      episodes: 10,
      ongoing: 2,
      flapping: 1,
      unhealthySources: 1,
      actions: 7,
      resolvedBy: { resolve: 5, undo: 1, external: 2, ongoing: 2 },
    });
    expect(report.coverage).toMatchObject({
      sessions: 2,
      watchedMs: 6 * H + 2 * H,
      windowMs: 48 * H,
      firstHistoryAt: at(0),
    });
    expect(agent('Agent-5')).toMatchObject({
      ongoing: true,
      resolvedBy: { resolve: 3, undo: 0, external: 0, ongoing: 1 },
    });
  });

  it('a narrower window keeps what overlaps it, and clips the time out of sync', () => {
    const r = buildHistoryReport({ journal, history, now: DAY0 + NOW, since: DAY0 + 29 * H });
    expect(r.agents.map((a) => [a.agent, a.episodes.length, a.totalMs])).toEqual([
      ['Agent-1', 1, 1 * H],
      ['Agent-5', 1, 3 * H],
      ['Agent-6', 1, 1 * H],
    ]);
    // Agent-5 was flagged before the window: it has one episode now, so it is not flapping here.
    expect(r.flapping).toEqual([]);
    expect(r.actions.map((a) => a.id)).toEqual([]);
  });

  it('notes an ongoing episode when watch is no longer running', () => {
    const stopped = buildHistoryReport({
      journal,
      history: [...history, { v: 1, kind: 'stop', at: at(31 * H + 30 * M), pid: 2 }],
      now: DAY0 + NOW,
      since: DAY0,
    });
    expect(stopped.agents.find((a) => a.agent === 'Agent-6')!.episodes[0]!.note).toBe(
      `watch stopped at ${at(31 * H + 30 * M)}; not known since`,
    );
  });

  it('is empty but useful with no history at all: the journal actions are still listed', () => {
    const r = buildHistoryReport({ journal, history: [], now: DAY0 + NOW, since: DAY0 });
    expect(r.agents).toEqual([]);
    expect(r.actions).toHaveLength(7);
    expect(r.actions[1]).toMatchObject({
      id: 'a-hand-1',
      agents: ['Agent-3'],
      changes: 2,
      outcomes: { verified: 2 },
    });
    expect(renderReportMarkdown(r)).toContain('No verdict history yet');
  });
});

describe('renderReportMarkdown', () => {
  const md = renderReportMarkdown(report);

  it('has a summary line and table with a row per agent', () => {
    expect(md).toMatch(/^# sync-tui report$/m);
    expect(md).toContain(
      '**10** episodes on **6** agents (2 ongoing; ended by resolve 5, undo 1, external change 2), **1** flapping, **1** source unhealthy, **7** journal actions.',
    );
    expect(md).toContain('| Agent-5 | 4 | 1d 02h | 1d 02h | drift | **drift** | 3 / 0 / 0 | yes |');
    expect(md).toContain('| Agent-4 | 1 | 1h 00m | 1h 00m | conflict | ok | 0 / 0 / 1 |  |');
  });

  it('lists episodes, flapping agents and outages', () => {
    expect(md).toContain(
      "| 2026-11-20T01:00:00.000Z | 2026-11-20T01:10:00.000Z | 10m 00s | drift | resolve `a-hand-1` (fsm, status) | fsm: display has 'idle', expected 'active' |",
    );
    expect(md).toContain(
      '| 2026-11-20T00:00:00.000Z | 2026-11-21T06:00:00.000Z (approx.) | 1d 06h | conflict | undo `a-undo-1` (fsm) |',
    );
    expect(md).toContain(
      '- Agent-5: 4 episodes; watch stopped auto-resolving it: another writer kept changing fsm back',
    );
    expect(md).toContain(
      '| display | 2026-11-20T04:00:00.000Z | 2026-11-20T04:20:00.000Z | 20m 00s | coordination_system_state.json: unexpected end of input |',
    );
  });

  it('keeps hostile agent ids from breaking the table', () => {
    const r = buildHistoryReport({
      journal: [],
      history: [v(0, 'a|b`c\x1b[31m', 'in-sync', 'drift'), v(1000, 'a|b`c\x1b[31m', 'drift', 'in-sync')],
      now: DAY0 + H,
      since: DAY0 - H,
    });
    const out = renderReportMarkdown(r);
    expect(out).toContain("| a\\|b'c | 1 |");
    expect(out).not.toContain('\x1b');
  });
});

describe('history lines', () => {
  it('reads tolerantly: torn last line, corrupt and foreign lines are warnings', () => {
    const good = JSON.stringify(v(0, 'Agent-1', null, 'drift'));
    const text = `${good}\nnot json\n{"v":2,"kind":"verdict"}\n\n${good}\n{"v":1,"kind":"verd`;
    const got = parseJsonLines<HistoryEntry>(text, historyReading('h.jsonl'));
    expect(got.entries).toHaveLength(2);
    expect(got.diagnostics.map((d) => [d.code, d.line])).toEqual([
      ['corrupt-line', 2],
      ['bad-entry', 3],
      ['torn-line', 6],
    ]);
  });

  it('formats spans exactly enough', () => {
    expect([0, 999, 42_000, 185_000, 2 * H + 7 * M, 4 * 24 * H + 3 * H].map(formatSpan)).toEqual([
      '0s',
      '0s',
      '42s',
      '3m 05s',
      '2h 07m',
      '4d 03h',
    ]);
  });
});
