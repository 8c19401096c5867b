// What the detail pane's timeline reads (src/shell/timeline-data.ts): the tail of a real
// history file (and its rotated part), only the agent's lines, bounded; the journal's
// entries for the agent; a failing part is a problem line.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readHistoryTail, readTimelineData } from '../../src/shell/timeline-data.js';
import { tempDir } from '../helpers/cli.js';
import { incidentConfig } from '../helpers/workspace.js';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const line = (i: number, agent: string) =>
  JSON.stringify({
    v: 1,
    kind: 'verdict',
    at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
    agent,
    before: 'in-sync',
    after: 'drift',
    reasons: ['r'],
  });

function root(): string {
  const r = tempDir('sync-tui-timeline-');
  made.push(r);
  fs.mkdirSync(path.join(r, '.sync-tui'));
  return r;
}

describe('readHistoryTail', () => {
  it("reads the agent's lines from the rotated part and the current file, oldest first, skipping torn lines", async () => {
    const r = root();
    fs.writeFileSync(path.join(r, '.sync-tui/history.jsonl.1'), `${line(1, 'A')}\n${line(2, 'B')}\n`);
    fs.writeFileSync(path.join(r, '.sync-tui/history.jsonl'), `${line(3, 'A')}\n{"v":1,"kind":"verd`);
    const got = await readHistoryTail(r, '.sync-tui', 'A');
    expect(got.map((e) => e.at)).toEqual([
      new Date(Date.UTC(2026, 0, 1) + 1000).toISOString(),
      new Date(Date.UTC(2026, 0, 1) + 3000).toISOString(),
    ]);
  });

  it('reads no more than its bound: only the newest lines of a large file', async () => {
    const r = root();
    const all = Array.from({ length: 5000 }, (_, i) => line(i, 'A')).join('\n') + '\n';
    fs.writeFileSync(path.join(r, '.sync-tui/history.jsonl'), all);
    const got = await readHistoryTail(r, '.sync-tui', 'A', 10_000);
    expect(got.length).toBeGreaterThan(0);
    expect(got.length).toBeLessThan(100);
    expect(got[got.length - 1]!.at).toBe(new Date(Date.UTC(2026, 0, 1) + 4999 * 1000).toISOString());
  });
});

describe('readTimelineData', () => {
  it("keeps the agent's journal entries and turns a failing journal into a problem line", async () => {
    const r = root();
    const config = incidentConfig();
    const entry = { agent: 'A' } as never;
    const ok = await readTimelineData(
      { root: r, config, readJournal: async () => ({ entries: [entry, { agent: 'B' } as never] }) },
      'A',
    );
    expect(ok).toEqual({ history: [], journal: [entry], keys: {}, problems: [] });
    const bad = await readTimelineData(
      {
        root: r,
        config,
        readJournal: async () => {
          throw new Error('EACCES on journal.jsonl');
        },
      },
      'A',
    );
    expect(bad.problems).toEqual(['the journal: EACCES on journal.jsonl']);
  });
});
