// The App over a fake engine: every key drives a visible change in the frame.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { hintLine, mount, row, rowIds, selectedId, SIZE, statusLine } from '../helpers/app.js';
import { FakeEngine, FRESH, manyAgents } from '../helpers/fake-engine.js';
import { KEY } from '../helpers/keys.js';
import { press, waitForFrame } from '../helpers/ink.js';
import { staysFalse } from '../helpers/wait.js';

// These tests wait for frames (polling lastFrame) instead of wrapping every key, engine
// publish and timer in act(); with the act environment on, React would warn about each
// of those updates although Ink renders them synchronously.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

afterEach(() => {
  cleanup();
});

/** The lines of the confirmation dialog between its title and the end of the frame's body. */
function dialogOf(frame: string): string[] {
  const lines = frame.split('\n');
  const title = lines.findIndex((l) => l.includes(' resolve ') && l.includes('?'));
  return lines.slice(title + 1, lines.length - 2);
}

describe('the screen', () => {
  it('shows header, table, status line and key hints within the terminal', async () => {
    const { frame } = await mount();
    const f = frame();
    const lines = f.split('\n');
    expect(lines.length).toBeLessThanOrEqual(SIZE.rows - 1);
    expect(lines[0]).toContain('/srv/swarm');
    expect(lines[0]).toContain('LIVE');
    expect(lines[0]).toContain('AUTO off');
    expect(lines[1]).toMatch(/file ✔ 7 watched · read <1m ago/);
    expect(lines[2]).toContain(
      '8 agents  ✖ 1 invalid  ∅ 1 missing  ⚠ 2 conflict  ≠ 2 drift  ◷ 1 stale  ✔ 1 in-sync',
    );
    expect(row(f, 'Agent-2')).toMatch(/ONBOARDED\s+true\s+READY\s+UNINITIALIZED\s+2m\s+≠ drift/);
    expect(row(f, 'Agent-9')).toContain('✖ invalid');
    expect(row(f, 'Agent-10')).toContain('∅ missing');
    expect(row(f, 'Agent-5')).toContain('⚠ conflict');
    expect(row(f, 'Agent-6')).toContain('◷ stale');
    expect(row(f, 'Agent-1')).toContain('✔ in-sync');
    expect(rowIds(f)).toEqual([
      'Agent-1',
      'Agent-2',
      'Agent-3',
      'Agent-5',
      'Agent-6',
      'Agent-9',
      'Agent-10',
      'Agent-11',
    ]);
    expect(hintLine(f)).toMatch(/j\/k move .*r resolve.*\? help\s+q quit/);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(SIZE.columns);
  });

  it('redraws nothing when the same snapshot is published again', async () => {
    const { r, engine } = await mount();
    const before = r.frames.length;
    engine.store.set(engine.getSnapshot());
    await staysFalse(() => r.frames.length !== before, 150, 'a redraw');
  });
});

describe('moving', () => {
  it('j / down and k / up move the selection', async () => {
    const m = await mount();
    expect(selectedId(m.frame())).toBe('Agent-1');
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    await press(m.r, KEY.down, (f) => selectedId(f) === 'Agent-3');
    await press(m.r, 'k', (f) => selectedId(f) === 'Agent-2');
    await press(m.r, KEY.up, (f) => selectedId(f) === 'Agent-1');
    await press(m.r, 'k', (f) => selectedId(f) === 'Agent-1');
  });

  it('g / G, PgDn / PgUp jump and page, scrolling the window', async () => {
    const m = await mount({ size: { columns: 100, rows: 15 } }, new FakeEngine(manyAgents(60)));
    // 15 rows: 14 lines; 3 header... the body shows 8 agents.
    let f = m.frame();
    expect(rowIds(f)[0]).toBe('Agent-1');
    const page = rowIds(f).length;
    f = await press(m.r, KEY.pageDown, (x) => selectedId(x) === `Agent-${1 + page}`);
    expect(rowIds(f)).toContain(`Agent-${1 + page}`);
    f = await press(m.r, 'G', (x) => selectedId(x) === 'Agent-60');
    expect(rowIds(f).at(-1)).toBe('Agent-60');
    expect(rowIds(f)).not.toContain('Agent-1');
    await press(m.r, KEY.pageUp, (x) => selectedId(x) === `Agent-${60 - page}`);
    f = await press(m.r, 'g', (x) => selectedId(x) === 'Agent-1');
    expect(rowIds(f)[0]).toBe('Agent-1');
    await press(m.r, KEY.end, (x) => selectedId(x) === 'Agent-60');
    await press(m.r, KEY.home, (x) => selectedId(x) === 'Agent-1');
  });
});

describe('detail pane', () => {
  it('enter opens the field x source matrix of the selected agent; enter / esc close it', async () => {
    const m = await mount({ size: { columns: 160, rows: 30 } });
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    const f = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    expect(f).toMatch(/Agent-2\s+≠ drift\s+fsm: display has 'uninitialized', expected 'ready'/);
    expect(f).toMatch(/fsm\s+file\s+READY\s+"READY"/);
    expect(f).toMatch(/display \(target\)\s+UNINITIALIZED\s+"uninitialized".*"uninitialized" → "ready"/);
    expect(f).toContain('fsm_state in agent_workspaces/Agent-2/status.json');
    expect(f).toContain('r writes 1 value to coordination_system_state.json');
    // The pane follows the selection.
    await press(m.r, 'j', (x) => /Agent-3\s+≠ drift\s+status/.test(x));
    await press(m.r, KEY.enter, (x) => !x.includes('RESOLVE WRITES'));
    await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    await press(m.r, KEY.escape, (x) => !x.includes('RESOLVE WRITES'));
  });

  it('shows diagnostics of an unreadable source', async () => {
    const m = await mount();
    await press(m.r, 'G', (f) => selectedId(f) === 'Agent-11');
    await press(m.r, 'k', (f) => selectedId(f) === 'Agent-10');
    await press(m.r, 'k', (f) => selectedId(f) === 'Agent-9');
    const f = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    expect(f).toContain('file: agent_workspaces/Agent-9/status.json:3:1: conflict marker');
  });

  it('in a conflict, a number picks the source that wins', async () => {
    const m = await mount();
    for (const id of ['Agent-2', 'Agent-3', 'Agent-5']) await press(m.r, 'j', (f) => selectedId(f) === id);
    let f = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    // Each choice says what it would write before the key is pressed.
    expect(f).toContain('conflict: pick the source that wins (what each writes)');
    expect(f).toMatch(/^ 1 {2}file {5}writes fsm: "idle" -> "onboarded" to coordination_system_state\.json/m);
    expect(f).toMatch(
      /^ 2 {2}display {2}accepts display as it is: nothing to write; decision on fsm kept until a source changes/m,
    );
    expect(hintLine(f)).toContain('pick winner');
    f = await press(m.r, '3', (x) => statusLine(x).includes('no choice 3'));
    expect(statusLine(f)).toContain('1 file, 2 display');
    // Whatever the policy makes of it, the engine was asked with `file` as the winner.
    f = await press(m.r, '1', (x) => /Agent-5: (resolved|unresolved)/.test(statusLine(x)));
    expect(m.engine.calls).toEqual([{ kind: 'resolve', agents: ['Agent-5'], prefer: 'file' }]);
  });

  it('a number on an agent that is not in conflict says so and writes nothing', async () => {
    const m = await mount();
    await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    await press(m.r, '1', (x) => statusLine(x).includes('Agent-1 is not in conflict'));
    expect(m.engine.calls).toEqual([]);
  });
});

describe('resolving', () => {
  it('r shows pending until the write is verified, then the new verdict', async () => {
    const m = await mount();
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    m.engine.hold();
    let f = await press(m.r, 'r', (x) => (row(x, 'Agent-2') ?? '').includes('… pending'));
    expect(statusLine(f)).toContain('resolving Agent-2 …');
    m.engine.release();
    f = await waitForFrame(
      m.r.lastFrame,
      (x) => (row(x, 'Agent-2') ?? '').includes('✔ in-sync') && statusLine(x).includes('Agent-2: resolved'),
    );
    expect(row(f, 'Agent-2')).toMatch(/READY\s+READY/);
    expect(statusLine(f)).toContain('Agent-2: resolved · fsm "uninitialized" → "ready" · action A1');
    expect(m.engine.calls).toEqual([{ kind: 'resolve', agents: ['Agent-2'] }]);
  });

  it('space marks agents; R asks about exactly the marked ones, with before -> after', async () => {
    const m = await mount();
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    let f = await press(
      m.r,
      KEY.space,
      (x) => (row(x, 'Agent-2') ?? '').startsWith(' ●') && selectedId(x) === 'Agent-3',
    );
    f = await press(m.r, KEY.space, (x) => (row(x, 'Agent-3') ?? '').startsWith(' ●'));
    expect(f).toContain('2 marked');
    f = await press(m.r, 'R', (x) => x.includes('resolve 2 marked agents?'));
    const dialog = dialogOf(f);
    expect(dialog[0]).toMatch(/^\s+Agent-2\s+≠ drift\s+fsm: "uninitialized" -> "ready"$/);
    expect(dialog[1]).toMatch(
      /^\s+Agent-3\s+≠ drift\s+status: false -> true, fsm: "uninitialized" -> "active"$/,
    );
    expect(dialog[2]).toMatch(/y\s+yes, write\s+n\s+cancel/);
    f = await press(m.r, 'y', (x) => (row(x, 'Agent-3') ?? '').includes('✔ in-sync'));
    expect(m.engine.calls).toEqual([{ kind: 'resolve', agents: ['Agent-2', 'Agent-3'] }]);
    expect(f).not.toContain('marked');
  });

  it('R without marks lists every drifted agent; n cancels and writes nothing', async () => {
    const m = await mount();
    let f = await press(m.r, 'R', (x) => x.includes('resolve every drifted agent (2)?'));
    const dialog = dialogOf(f);
    expect(dialog).toHaveLength(3);
    expect(dialog[0]).toMatch(/Agent-2\s+≠ drift\s+fsm: "uninitialized" -> "ready"/);
    expect(dialog[1]).toMatch(/Agent-3\s+≠ drift\s+status: false -> true/);
    f = await press(m.r, 'n', (x) => statusLine(x).includes('cancelled: nothing written'));
    expect(f).not.toContain('resolve every drifted');
    expect(m.engine.calls).toEqual([]);
  });

  it('R with nothing drifted says so', async () => {
    const m = await mount({}, new FakeEngine(manyAgents(3)));
    await press(m.r, 'R', (x) => statusLine(x).includes('nothing to resolve: no agent has drifted'));
  });

  it('u undoes the last resolve', async () => {
    const m = await mount();
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    await press(m.r, 'r', (x) => (row(x, 'Agent-2') ?? '').includes('✔ in-sync'));
    const f = await press(m.r, 'u', (x) => statusLine(x).includes('undid A1'));
    expect(row(f, 'Agent-2')).toContain('≠ drift');
  });

  it('a late result of an older action does not overwrite a newer one', async () => {
    const m = await mount();
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    m.engine.hold();
    await press(m.r, 'r', (x) => statusLine(x).includes('resolving Agent-2 …'));
    await press(m.r, 'u', (x) => statusLine(x).includes('nothing to undo'));
    m.engine.release();
    const f = await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-2') ?? '').includes('✔ in-sync'));
    expect(statusLine(f)).toContain('nothing to undo');
    await staysFalse(
      () => !statusLine(m.frame()).includes('nothing to undo'),
      150,
      'the older result replacing the newer status',
    );
  });

  it('an engine that throws shows one line in the status, not a stack trace', async () => {
    const m = await mount();
    m.engine.resolve = async () => {
      throw new Error('EACCES: permission denied, open coordination_system_state.json');
    };
    const f = await press(m.r, 'r', (x) => statusLine(x).includes('resolving Agent-1 failed: EACCES'));
    expect(f).not.toMatch(/\bat .*\(.*:\d+:\d+\)/);
  });

  it('engine errors show in the status line', async () => {
    const m = await mount();
    m.engine.error = 'watching agent_workspaces failed: ENOSPC; polling instead';
    m.engine.publish();
    await waitForFrame(m.r.lastFrame, (x) =>
      statusLine(x).includes('engine: watching agent_workspaces failed: ENOSPC'),
    );
  });
});

describe('auto-resolve', () => {
  it('a turns it on: drifted agents are resolved as they appear, conflicts are left alone', async () => {
    const m = await mount();
    let f = await press(m.r, 'a', (x) => x.includes('AUTO on'));
    f = await waitForFrame(
      m.r.lastFrame,
      (x) =>
        (row(x, 'Agent-2') ?? '').includes('✔ in-sync') && (row(x, 'Agent-3') ?? '').includes('✔ in-sync'),
    );
    expect(row(f, 'Agent-5')).toContain('⚠ conflict');
    expect(m.engine.calls).toEqual([{ kind: 'resolve', agents: ['Agent-2', 'Agent-3'] }]);
    // A new drift is picked up too.
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, () => m.engine.calls.length === 2);
    f = await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('✔ in-sync'));
    expect(m.engine.calls[1]).toEqual({ kind: 'resolve', agents: ['Agent-1'] });
    f = await press(m.r, 'a', (x) => x.includes('AUTO off'));
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.engine.calls).toHaveLength(2);
  });

  it('takes on many drifted agents in batches, one call at a time', async () => {
    const data = manyAgents(120);
    for (const id of Object.keys(data.registry.agent_fsm_states))
      data.registry.agent_fsm_states[id] = 'uninitialized';
    const m = await mount({}, new FakeEngine(data));
    expect(m.frame()).toContain('≠ 120 drift');
    await press(m.r, 'a', (x) => x.includes('AUTO on'));
    await waitForFrame(m.r.lastFrame, (x) => x.includes('✔ 120 in-sync'), 10_000);
    expect(m.engine.calls.map((c) => (c.agents as string[]).length)).toEqual([50, 50, 20]);
  });
});

describe('filtering and sorting', () => {
  it('/ filters by text as it is typed; backspace edits; enter keeps; esc clears', async () => {
    const m = await mount();
    let f = await press(m.r, '/', (x) => statusLine(x).includes('enter keep · esc clear'));
    for (const ch of 'agent-1')
      f = await press(m.r, ch, (x) =>
        statusLine(x).includes(`/${'agent-1'.slice(0, 'agent-1'.indexOf(ch) + 1)}`),
      );
    expect(rowIds(f)).toEqual(['Agent-1', 'Agent-10', 'Agent-11']);
    f = await press(m.r, KEY.backspace, (x) => statusLine(x).includes('/agent-█'));
    expect(rowIds(f)).toHaveLength(8);
    await press(m.r, '1', (x) => rowIds(x).length === 3);
    f = await press(m.r, KEY.enter, (x) => !statusLine(x).includes('esc clear'));
    expect(f).toContain('/agent-1');
    // Keys are commands again.
    await press(m.r, 'j', (x) => selectedId(x) === 'Agent-10');
    await press(m.r, '/', (x) => statusLine(x).includes('esc clear'));
    f = await press(m.r, KEY.escape, (x) => rowIds(x).length === 8);
    expect(selectedId(f)).toBe('Agent-10');
  });

  it('esc clears a kept filter', async () => {
    const m = await mount();
    await press(m.r, '/', (x) => statusLine(x).includes('esc clear'));
    await press(m.r, 'x', (x) => rowIds(x).length === 0 && x.includes('no agent matches'));
    await press(m.r, KEY.enter, (x) => !statusLine(x).includes('esc clear'));
    await press(m.r, KEY.escape, (x) => rowIds(x).length === 8 && statusLine(x).includes('filter cleared'));
  });

  it('f cycles the verdict filter', async () => {
    const m = await mount();
    let f = await press(m.r, 'f', (x) => statusLine(x).includes('problems only'));
    expect(rowIds(f)).toEqual(['Agent-2', 'Agent-3', 'Agent-5', 'Agent-9', 'Agent-10', 'Agent-11']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('drift only'));
    expect(rowIds(f)).toEqual(['Agent-2', 'Agent-3']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('stale only'));
    expect(rowIds(f)).toEqual(['Agent-6']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('invalid only'));
    expect(rowIds(f)).toEqual(['Agent-9']);
    // Every verdict has its filter, conflict and missing too.
    f = await press(m.r, 'f', (x) => statusLine(x).includes('conflict only'));
    expect(rowIds(f)).toEqual(['Agent-5', 'Agent-11']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('missing only'));
    expect(rowIds(f)).toEqual(['Agent-10']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('in sync only'));
    expect(rowIds(f)).toEqual(['Agent-1']);
    f = await press(m.r, 'f', (x) => statusLine(x).includes('all agents'));
    expect(rowIds(f)).toHaveLength(8);
  });

  it('s cycles the sort, and the selection stays on its agent', async () => {
    const m = await mount();
    await press(m.r, 'G', (x) => selectedId(x) === 'Agent-11');
    let f = await press(m.r, 's', (x) => statusLine(x).includes('sorted by verdict severity'));
    expect(rowIds(f)).toEqual([
      'Agent-9',
      'Agent-10',
      'Agent-5',
      'Agent-11',
      'Agent-2',
      'Agent-3',
      'Agent-6',
      'Agent-1',
    ]);
    expect(selectedId(f)).toBe('Agent-11');
    f = await press(m.r, 's', (x) => statusLine(x).includes('sorted by last change'));
    expect(selectedId(f)).toBe('Agent-11');
    f = await press(m.r, 's', (x) => statusLine(x).includes('sorted by agent id'));
    expect(rowIds(f)[0]).toBe('Agent-1');
    expect(selectedId(f)).toBe('Agent-11');
  });

  it('the selection follows its agent when data re-sorts the rows', async () => {
    const m = await mount();
    await press(m.r, 's', (x) => statusLine(x).includes('severity'));
    await press(m.r, 'G', (x) => selectedId(x) === 'Agent-1');
    m.engine.setRegistryFsm('Agent-1', 'idle');
    const f = await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(rowIds(f).indexOf('Agent-1')).toBeLessThan(7);
    expect(selectedId(f)).toBe('Agent-1');
  });

  it('when the selected agent disappears, its neighbour is selected', async () => {
    const m = await mount();
    await press(m.r, 'j', (x) => selectedId(x) === 'Agent-2');
    m.engine.removeFile('Agent-2');
    const { 'Agent-2': _a, ...on } = m.engine.registry.onboarding_status;
    const { 'Agent-2': _b, ...fsm } = m.engine.registry.agent_fsm_states;
    m.engine.registry = { ...m.engine.registry, onboarding_status: on, agent_fsm_states: fsm };
    m.engine.publish();
    const f = await waitForFrame(m.r.lastFrame, (x) => row(x, 'Agent-2') === undefined);
    expect(selectedId(f)).toBe('Agent-3');
  });
});

describe('pause, snapshot, help, quit', () => {
  it('p freezes the table and counts what is waiting; p again shows the latest', async () => {
    const m = await mount();
    let f = await press(m.r, 'p', (x) => x.includes('PAUSED'));
    m.engine.setRegistryFsm('Agent-1', 'idle');
    m.engine.setRegistryFsm('Agent-3', 'active');
    f = await waitForFrame(m.r.lastFrame, (x) => x.includes('2 updates waiting, 2 agents changed'));
    expect(row(f, 'Agent-1')).toContain('✔ in-sync');
    f = await press(m.r, 'p', (x) => x.includes('LIVE'));
    expect(row(f, 'Agent-1')).toContain('≠ drift');
    expect(f).not.toContain('waiting');
  });

  it('S asks for a format (the hint line lists them); t writes the table as text and says where', async () => {
    const m = await mount();
    const asked = await press(m.r, 'S', (x) =>
      statusLine(x).includes('snapshot as: t text, s svg, m markdown, j json'),
    );
    expect(hintLine(asked)).toMatch(/t text.*s svg.*m markdown.*j json.*esc cancel/);
    await press(m.r, 't', (x) =>
      statusLine(x).includes('snapshot (text) written to /srv/swarm/.sync-tui/snapshots/snapshot-1.txt'),
    );
    const text = m.snapshots[0]!;
    expect(text.split('\n')[0]).toMatch(
      /^sync-tui snapshot {2}\/srv\/swarm {2}2026-03-02T09:00:00.000Z {2}8 agents: ✖ 1 invalid/,
    );
    expect(text).toMatch(
      /AGENT\s+STATUS file\s+STATUS display\s+FSM file\s+FSM display\s+LAST SEEN\s+VERDICT\s+CHANGED\s+WHY/,
    );
    expect(text).toMatch(/Agent-2\s+ONBOARDED\s+true\s+READY\s+UNINITIALIZED\s+2m\s+≠ drift/);
  });

  it('S then s, m or j writes svg, markdown or json; esc writes nothing; the keys mean their usual thing again after', async () => {
    const m = await mount();
    await press(m.r, 'S', (x) => statusLine(x).includes('snapshot as:'));
    await press(m.r, 's', (x) =>
      statusLine(x).includes('snapshot (svg) written to /srv/swarm/.sync-tui/snapshots/snapshot-1.svg'),
    );
    expect(m.snapshots[0]).toMatch(/^<svg [^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    await press(m.r, 'S', (x) => statusLine(x).includes('snapshot as:'));
    await press(m.r, 'm', (x) => statusLine(x).includes('snapshot-2.md'));
    expect(m.snapshots[1]).toMatch(/^\| *AGENT/m);
    await press(m.r, 'S', (x) => statusLine(x).includes('snapshot as:'));
    await press(m.r, 'j', (x) => statusLine(x).includes('snapshot-3.json'));
    expect((JSON.parse(m.snapshots[2]!) as { agents: unknown[] }).agents).toHaveLength(8);
    await press(m.r, 'S', (x) => statusLine(x).includes('snapshot as:'));
    await press(m.r, KEY.escape, (x) => statusLine(x).includes('no snapshot written'));
    expect(m.snapshots).toHaveLength(3);
    // Back in the table: s sorts again, j moves.
    await press(m.r, 's', (x) => statusLine(x).includes('sorted by'));
    expect(m.snapshots).toHaveLength(3);
  });

  it('? shows every key from the binding table; any key closes it', async () => {
    const m = await mount();
    const f = await press(m.r, '?', (x) => x.includes('any key closes'));
    expect(f).toMatch(/j ↓\s+next agent/);
    // With the edit key the keys take three columns at 120x30: descriptions are cut to them.
    expect(f).toMatch(/R\s+resolve the marked, else all/);
    expect(f).toMatch(/q\s+quit/);
    expect(f.split('\n').length).toBeLessThanOrEqual(SIZE.rows - 1);
    await press(m.r, 'x', (x) => !x.includes('any key closes') && x.includes('AGENT'));
  });

  it('q quits and releases the terminal', async () => {
    const m = await mount();
    m.r.stdin.write('q');
    await waitForFrame(m.r.lastFrame, () => m.r.stdin.listenerCount('readable') === 0);
  });

  it('ctrl-c quits from the filter prompt too', async () => {
    const m = await mount();
    await press(m.r, '/', (x) => statusLine(x).includes('esc clear'));
    m.r.stdin.write(KEY.ctrlC);
    await waitForFrame(m.r.lastFrame, () => m.r.stdin.listenerCount('readable') === 0);
  });
});

describe('read-only', () => {
  it('hides write keys and refuses them', async () => {
    const m = await mount({ readOnly: true });
    let f = m.frame();
    expect(f).toContain('READ-ONLY');
    expect(f).not.toContain('AUTO');
    expect(hintLine(f)).not.toMatch(/resolve|undo|mark|auto/);
    for (const key of ['r', 'R', 'u', 'a', KEY.space]) {
      f = await press(m.r, key, (x) => statusLine(x).includes('read-only: writes are disabled'));
      await press(m.r, 'j', (x) => statusLine(x).includes('read-only'));
    }
    expect(m.engine.calls).toEqual([]);
    f = await press(m.r, '?', (x) => x.includes('any key closes'));
    expect(f).not.toContain('resolve the selected agent');
    expect(f).not.toContain('undo');
    expect(f).toMatch(/S\s+write the table to a snapshot file/);
    expect(f).toContain('read-only');
  });

  it('refuses picking a winner in a conflict', async () => {
    const m = await mount({ readOnly: true });
    for (const id of ['Agent-2', 'Agent-3', 'Agent-5']) await press(m.r, 'j', (f) => selectedId(f) === id);
    const f = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    expect(f).toContain('conflict: read-only, nothing can be written');
    await press(m.r, '1', (x) => statusLine(x).includes('read-only: writes are disabled'));
    expect(m.engine.calls).toEqual([]);
  });
});

describe('bell', () => {
  it('rings when an agent newly drifts, not on the first snapshot, not for old drift', async () => {
    const m = await mount();
    expect(m.bells).toEqual([]);
    m.engine.setFile('Agent-6', { status: 'ACTIVE', fsm: 'IDLE', at: FRESH });
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-6') ?? '').includes('✔ in-sync'));
    expect(m.bells).toEqual([]);
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.bells).toHaveLength(1);
  });

  it('stays silent with quiet', async () => {
    const m = await mount({ quiet: true });
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.bells).toEqual([]);
  });
});

/** `n` agents whose registry lags (fsm uninitialized -> active): every one drifts. */
function manyDrifted(n: number): FakeEngine {
  const data = manyAgents(n);
  for (const id of Object.keys(data.registry.agent_fsm_states))
    data.registry.agent_fsm_states[id] = 'uninitialized';
  return new FakeEngine(data);
}

describe('the R confirmation: a frozen plan, scrollable, counted once', () => {
  it('scrolls the whole list with j/k, PgDn/PgUp and g/G while the table stays put', async () => {
    const m = await mount({}, manyDrifted(40));
    let f = await press(m.r, 'R', (x) => x.includes('resolve every drifted agent (40)?'));
    expect(f).toContain('40 writes');
    expect(f).toMatch(/lines 1-\d+ of 40 · j\/k PgUp\/PgDn g\/G scroll/);
    expect(dialogOf(f)[0]).toMatch(/^\s+Agent-1\s+≠ drift/);
    f = await press(m.r, 'j', (x) => /lines 2-\d+ of 40/.test(x));
    expect(dialogOf(f)[0]).toMatch(/^\s+Agent-2\s+≠ drift/);
    f = await press(m.r, 'G', (x) => /lines \d+-40 of 40/.test(x));
    expect(f).toMatch(/^\s+Agent-40\s+≠ drift\s+fsm: "uninitialized" -> "active"$/m);
    f = await press(m.r, KEY.pageUp, (x) => !/lines \d+-40 of 40/.test(x));
    f = await press(m.r, 'g', (x) => /lines 1-\d+ of 40/.test(x));
    f = await press(m.r, KEY.pageDown, (x) => !/lines 1-\d+ of 40/.test(x));
    expect(f).not.toMatch(/^\s+Agent-1\s+≠ drift/m);
    // The table's selection did not move under the dialog.
    expect(selectedId(f)).toBe('Agent-1');
    await press(m.r, 'n', (x) => statusLine(x).includes('cancelled: nothing written'));
    expect(m.engine.calls).toEqual([]);
  });

  it('writes exactly the plan shown: an agent that changed while the dialog was open is not written, and the result says what was', async () => {
    const m = await mount();
    await press(m.r, 'R', (x) => x.includes('resolve every drifted agent (2)?'));
    // Agent-2's registry moves while the operator reads the dialog; a new agent drifts too.
    m.engine.setRegistryFsm('Agent-2', 'idle');
    m.engine.setFile('Agent-1', { status: 'ACTIVE', fsm: 'BLOCKED', at: FRESH });
    let f = await waitForFrame(m.r.lastFrame, (x) => x.includes('changed since you looked'));
    expect(f).toContain('resolve every drifted agent (2 when opened, 3 now)?');
    expect(dialogOf(f)[0]).toMatch(
      /Agent-2\s+≠ drift\s+fsm: "uninitialized" -> "ready"\s+⚠ changed since you looked: now fsm: "idle"/,
    );
    expect(f).not.toMatch(/^\s+Agent-1\s/m);
    f = await press(m.r, 'y', (x) => statusLine(x).includes('wrote'));
    expect(statusLine(f)).toMatch(
      /^⚠ wrote 2 values for 1 agent: Agent-3 status false → true, fsm "uninitialized" → "active" · Agent-2 changed since you/,
    );
    expect(m.engine.registry.agent_fsm_states['Agent-2']).toBe('idle');
    expect(m.engine.registry.agent_fsm_states['Agent-3']).toBe('active');
    expect(m.engine.registry.agent_fsm_states['Agent-1']).toBe('active');
    expect(m.engine.expects[0]!.agents.map((a) => a.id)).toEqual(['Agent-2', 'Agent-3']);
  });

  it('r writes what the (paused) screen shows, or nothing if it changed since', async () => {
    const m = await mount();
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    await press(m.r, 'p', (x) => x.includes('PAUSED'));
    m.engine.setRegistryFsm('Agent-2', 'idle');
    let f = await press(m.r, 'r', (x) => statusLine(x).includes('changed since you looked'));
    // (The whole text, "...; not written, press r again", is in describe-result.test.ts.)
    expect(statusLine(f)).toMatch(/^⚠ Agent-2 changed since you looked: now fsm: "idle"/);
    expect(m.engine.registry.agent_fsm_states['Agent-2']).toBe('idle');
    // Resumed, the screen shows the new plan, and r writes that.
    await press(m.r, 'p', (x) => !x.includes('PAUSED'));
    f = await press(m.r, 'r', (x) => statusLine(x).includes('Agent-2: resolved'));
    expect(statusLine(f)).toContain('fsm "idle" → "ready"');
    expect(m.engine.registry.agent_fsm_states['Agent-2']).toBe('ready');
  });
});
