// The detail pane's timeline (README.md "The live view") over a real history file in a temp
// folder, read through the real reader (src/shell/timeline-data.ts); and the pane sitting
// directly under the table's last row.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mount, selectedId } from '../helpers/app.js';
import { FakeEngine } from '../helpers/fake-engine.js';
import { KEY } from '../helpers/keys.js';
import { press, waitForFrame } from '../helpers/ink.js';
import { tempDir } from '../helpers/cli.js';
import { readTimelineData } from '../../src/shell/timeline-data.js';
import { T0 } from '../helpers/workspace.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
const made: string[] = [];
afterEach(() => {
  cleanup();
  made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true }));
});

const iso = (ms: number) => new Date(ms).toISOString();

function workspace(): string {
  const root = tempDir('sync-tui-timeline-ui-');
  made.push(root);
  fs.mkdirSync(path.join(root, '.sync-tui'));
  const lines = [
    { v: 1, kind: 'start', at: iso(T0 - 10 * 60_000), pid: 1, agents: 11, notInSync: {} },
    {
      v: 1,
      kind: 'values',
      at: iso(T0 - 5 * 60_000),
      agent: 'Agent-2',
      changes: [{ source: 'display', field: 'fsm', before: 'READY', after: null, afterRaw: 'uninitialized' }],
    },
    {
      v: 1,
      kind: 'verdict',
      at: iso(T0 - 5 * 60_000),
      agent: 'Agent-2',
      before: 'in-sync',
      after: 'drift',
      reasons: ["fsm: display has 'uninitialized'"],
    },
  ];
  fs.writeFileSync(
    path.join(root, '.sync-tui/history.jsonl'),
    lines.map((l) => JSON.stringify(l)).join('\n') + '\n',
  );
  return root;
}

describe('detail pane: the timeline', () => {
  it('shows when a source changed, to what, and since when the agent drifts, newest first', async () => {
    const root = workspace();
    const engine = new FakeEngine();
    const readTimeline = (agent: string) =>
      readTimelineData(
        { root, config: engine.getSnapshot().config, readJournal: async () => ({ entries: [] }) },
        agent,
      );
    const m = await mount({ size: { columns: 140, rows: 60 }, readTimeline }, engine);
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    const f = await press(m.r, KEY.enter, (x) => x.includes('display fsm: READY → ?uninitialized'));
    const lines = f.split('\n');
    const title = lines.findIndex((l) => l.startsWith('TIMELINE'));
    expect(title).toBeGreaterThan(0);
    const rows = lines.slice(title + 1, title + 4);
    expect(rows[0]).toMatch(/▶ drift for \d+m \d+s so far/);
    expect(rows[1]).toMatch(/^03-02 08:55:00 {2}✖ drift began: fsm: display has 'uninitialized'/);
    expect(rows[2]).toMatch(/^03-02 08:55:00 {2}~ display fsm: READY → \?uninitialized/);
  });

  it('names who resolved, from the journal, sanitised', async () => {
    const root = workspace();
    const engine = new FakeEngine();
    const entry = {
      v: 1 as const,
      action: 'a-1',
      at: iso(T0 - 60_000),
      kind: 'resolve' as const,
      agent: 'Agent-2',
      field: 'fsm',
      target: 'display',
      file: 'coordination_system_state.json',
      path: ['agent_fsm_states', 'Agent-2'],
      before: 'uninitialized',
      after: 'ready',
      outcome: 'verified' as const,
      // Read from a stream several hosts write: untrusted.
      by: 'alice@\x1b[31mhost\nevil',
    };
    const readTimeline = (agent: string) =>
      readTimelineData(
        { root, config: engine.getSnapshot().config, readJournal: async () => ({ entries: [entry] }) },
        agent,
      );
    const m = await mount({ size: { columns: 140, rows: 60 }, readTimeline }, engine);
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    const f = await press(m.r, KEY.enter, (x) => x.includes('resolve a-1 by'));
    expect(f).toMatch(
      /03-02 08:59:00 {2}. resolve a-1 by alice@host⏎evil: display fsm uninitialized → ready/,
    );
    // The escape sequence is gone from what the terminal is sent, not only from the stripped frame.
    expect(m.r.lastFrame()).not.toContain('\x1b[31mhost');
  });

  it('says when nothing is recorded yet, and the pane starts right under the last table row', async () => {
    const root = tempDir('sync-tui-timeline-empty-');
    made.push(root);
    const engine = new FakeEngine();
    const readTimeline = (agent: string) =>
      readTimelineData(
        { root, config: engine.getSnapshot().config, readJournal: async () => ({ entries: [] }) },
        agent,
      );
    const m = await mount({ size: { columns: 140, rows: 60 }, readTimeline }, engine);
    const f = await press(m.r, KEY.enter, (x) => x.includes('nothing recorded for this agent yet'));
    const lines = f.split('\n');
    const rule = lines.findIndex((l) => /^─{10,}/.test(l));
    // The last agent row, then the rule at once: no blank line between them.
    expect(lines[rule - 1]).toMatch(/^..Agent-\d+/);
    await waitForFrame(m.r.lastFrame, (x) => x.includes('TIMELINE'));
  });
});

describe('the edit key', () => {
  it("e hands the selected agent's file to the editor and says what came back; ? lists it", async () => {
    const calls: [string, number | null][] = [];
    const openEditor = async (file: string, line: number | null) => {
      calls.push([file, line]);
      return { ok: true, message: `edited ${file}` };
    };
    const m = await mount({ openEditor });
    const id = selectedId(m.frame())!;
    const f = await press(m.r, 'e', (x) => x.includes('edited '));
    expect(calls).toHaveLength(1);
    const files = Object.values(m.engine.getSnapshot().recon.agents.find((a) => a.id === id)!.observations)
      .map((o) => o.file)
      .filter(Boolean);
    expect(files).toContain(calls[0]![0]);
    expect(f).toContain(`edited ${calls[0]![0]}`);
    const help = await press(m.r, '?', (x) => x.includes(' keys '));
    expect(help).toMatch(/e\s+open the selected agent's fi/);
  });

  it('e says so when the screen has no editor', async () => {
    const m = await mount({});
    await press(m.r, 'e', (x) => x.includes('this screen cannot open an editor'));
  });
});
