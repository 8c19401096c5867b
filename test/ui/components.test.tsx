// The components on their own: plain props in, lines out.
import { render } from 'ink-testing-library';
import React from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { freezePlan } from '../../src/core/plan/frozen-plan.js';
import { BINDINGS } from '../../src/core/tui/keys.js';
import { layoutColumns } from '../../src/core/view/view.js';
import { AgentTable } from '../../src/ui/AgentTable.js';
import { ConfirmDialog } from '../../src/ui/ConfirmDialog.js';
import { DetailPane } from '../../src/ui/DetailPane.js';
import { Header } from '../../src/ui/Header.js';
import { HelpOverlay } from '../../src/ui/HelpOverlay.js';
import { KeyHints } from '../../src/ui/KeyHints.js';
import { StatusLine } from '../../src/ui/StatusLine.js';
import { tuiColumns } from '../../src/ui/table-model.js';
import { NO_COLOR_THEME, ThemeContext } from '../../src/ui/theme.js';
import { FakeEngine, manyAgents } from '../helpers/fake-engine.js';
import { frameOf, waitForFrame } from '../helpers/ink.js';
import { T0 } from '../helpers/workspace.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

async function draw(el: React.ReactElement): Promise<string> {
  // Colour off through the theme, as App provides it with --no-color.
  const r = render(<ThemeContext.Provider value={NO_COLOR_THEME}>{el}</ThemeContext.Provider>);
  return waitForFrame(r.lastFrame, (f) => f.length > 0);
}

describe('AgentTable', () => {
  it('turns only the rows of the window into lines', async () => {
    const snap = new FakeEngine(manyAgents(10_000)).getSnapshot();
    const columns = tuiColumns(snap.config, { changedAt: new Map(), pending: new Set(['Agent-4993']) });
    const layout = layoutColumns(columns, snap.recon.agents.slice(4990, 5000), T0, 98);
    let cellCalls = 0;
    const counted = layout.map((l) => ({
      ...l,
      column: {
        ...l.column,
        cell: (a: Parameters<typeof l.column.cell>[0], now: number) => (cellCalls++, l.column.cell(a, now)),
      },
    }));
    const f = await draw(
      <AgentTable
        rows={snap.recon.agents}
        start={4990}
        end={5000}
        layout={counted}
        selectedIndex={4995}
        marks={new Set(['Agent-4992'])}
        pending={new Set(['Agent-4993'])}
        highlights={new Map()}
        height={11}
        width={100}
        now={T0}
        emptyText="none"
      />,
    );
    const lines = f.split('\n');
    expect(lines).toHaveLength(11);
    expect(lines[0]).toMatch(/^\s+AGENT\s+STATUS file/);
    expect(lines[1]).toMatch(/^ {2}Agent-4991\s/);
    expect(lines[2]).toMatch(/^ ●Agent-4992\s/);
    expect(lines[3]).toContain('… pending');
    expect(lines[6]).toMatch(/^› Agent-4996\s/);
    expect(lines[10]).toMatch(/^ {2}Agent-5000\s/);
    expect(f).not.toContain('Agent-1 ');
    // Ten rows, a handful of columns: nothing else was even looked at.
    expect(cellCalls).toBeLessThanOrEqual(10 * layout.length);
  });
});

describe('KeyHints and HelpOverlay', () => {
  it('come from the binding table, without write keys when read-only', async () => {
    // ink-testing-library's terminal is 100 columns wide.
    const rw = await draw(<KeyHints mode="normal" readOnly={false} width={100} />);
    expect(rw).toMatch(
      /^j\/k move {2}enter detail {2}r resolve {2}space mark {2}R resolve all {2}u undo .*\? help {2}q quit\s*$/,
    );
    cleanup();
    const ro = await draw(<KeyHints mode="normal" readOnly width={100} />);
    expect(ro).not.toContain('resolve');
    expect(ro).toContain('quit');
    cleanup();
    const narrow = await draw(<KeyHints mode="normal" readOnly={false} width={40} />);
    expect(narrow).toMatch(/\? help\s+q quit\s*$/);
    cleanup();
    const help = await draw(<HelpOverlay readOnly={false} height={70} width={100} />);
    for (const b of BINDINGS.filter((b) => b.modes.includes('normal'))) expect(help).toContain(b.description);
  });
});

describe('ConfirmDialog', () => {
  it('lists before -> after per agent and scrolls through the rest instead of hiding it', async () => {
    const snap = new FakeEngine().getSnapshot();
    const byId = new Map(snap.recon.agents.map((a) => [a.id, a]));
    const ids = ['Agent-2', 'Agent-3', 'Agent-5', 'Agent-1', 'Agent-9', 'Gone-1'];
    const plan = freezePlan(ids, byId);
    let f = await draw(
      <ConfirmDialog
        plan={plan}
        agents={byId}
        from="marks"
        targetPath="coordination_system_state.json"
        height={12}
        width={140}
      />,
    );
    expect(f).toContain('resolve 6 marked agents?');
    expect(f).toContain('3 writes to coordination_system_state.json');
    expect(f).toMatch(/Agent-2\s+≠ drift\s+fsm: "uninitialized" -> "ready"/);
    expect(f).toMatch(/Agent-5\s+⚠ conflict\s+nothing to write: fsm: display cannot move/);
    expect(f).toMatch(/Gone-1\s+gone from every source/);
    cleanup();
    // 6 lines tall: 2 plan lines at a time, a position line, no "... and N more".
    f = await draw(
      <ConfirmDialog plan={plan} agents={byId} from="marks" targetPath="x.json" height={6} width={120} />,
    );
    expect(f.split('\n').length).toBeLessThanOrEqual(6);
    expect(f).not.toContain('more');
    expect(f).toContain('lines 1-2 of 6 · j/k PgUp/PgDn g/G scroll');
    expect(f).toMatch(/y\s+yes, write/);
    cleanup();
    f = await draw(
      <ConfirmDialog
        plan={plan}
        agents={byId}
        from="marks"
        targetPath="x.json"
        height={6}
        width={120}
        scroll={4}
      />,
    );
    expect(f).toContain('lines 5-6 of 6');
    expect(f).toMatch(/Agent-9/);
    expect(f).toMatch(/Gone-1\s+gone from every source/);
    expect(f).not.toContain('Agent-2');
  });

  it('marks an agent whose plan changed since the dialog opened, and shows both counts', async () => {
    const engine = new FakeEngine();
    const opened = engine.getSnapshot();
    const plan = freezePlan(['Agent-2', 'Agent-3'], opened.recon.agents);
    engine.setRegistryFsm('Agent-2', 'idle');
    const byId = new Map(engine.getSnapshot().recon.agents.map((a) => [a.id, a]));
    const f = await draw(
      <ConfirmDialog
        plan={plan}
        agents={byId}
        from="drift"
        countNow={3}
        targetPath="x.json"
        height={8}
        width={100}
      />,
    );
    expect(f).toContain('resolve every drifted agent (2 when opened, 3 now)?');
    expect(f).toContain('1 changed since (not written)');
    expect(f).toMatch(
      /Agent-2\s+≠ drift\s+fsm: "uninitialized" -> "ready"\s+⚠ changed since you looked: now fsm: "idle/,
    );
    expect(f).not.toMatch(/Agent-3.*changed since/);
  });
});

describe('DetailPane', () => {
  it('fits its height, saying how much more there is', async () => {
    const snap = new FakeEngine().getSnapshot();
    const a = snap.recon.agents.find((x) => x.id === 'Agent-3')!;
    const f = await draw(
      <DetailPane
        agent={a}
        config={snap.config}
        pending={false}
        readOnly={false}
        height={5}
        width={100}
        now={T0}
      />,
    );
    const lines = f.split('\n');
    expect(lines).toHaveLength(5);
    expect(lines[1]).toMatch(/Agent-3\s+≠ drift/);
    expect(lines[4]).toMatch(/↓ \d+ more · J\/K scroll/);
  });

  it('shows pending while a write is verified', async () => {
    const snap = new FakeEngine().getSnapshot();
    const a = snap.recon.agents.find((x) => x.id === 'Agent-2')!;
    const f = await draw(
      <DetailPane agent={a} config={snap.config} pending readOnly={false} height={12} width={140} now={T0} />,
    );
    expect(f).toMatch(/Agent-2\s+… pending/);
  });
});

describe('Header and StatusLine', () => {
  const view = {
    shown: 8,
    position: 2,
    filterText: 'agent',
    verdictFilter: 'drift' as const,
    sort: 'severity' as const,
    marks: 1,
  };

  it('shows the modes: LIVE/PAUSED, AUTO, READ-ONLY, and the view', async () => {
    const snap = new FakeEngine().getSnapshot();
    let f = await draw(
      <Header
        snapshot={snap}
        width={100}
        lines={3}
        now={T0}
        paused={false}
        auto
        readOnly={false}
        view={view}
      />,
    );
    expect(f.split('\n')[0]).toMatch(/LIVE\s+AUTO on\s*$/);
    expect(f.split('\n')[2]).toMatch(
      /^8 agents .*\/agent · drift · 1 marked · sort verdict severity · 2\/8\s*$/,
    );
    cleanup();
    f = await draw(
      <Header snapshot={snap} width={100} lines={1} now={T0} paused auto={false} readOnly view={view} />,
    );
    expect(f.split('\n')).toHaveLength(1);
    expect(f).toMatch(/PAUSED\s+READ-ONLY\s*$/);
    expect(f).not.toContain('AUTO');
  });

  it('the status line shows the filter prompt, engine errors and what waits while paused', async () => {
    let f = await draw(
      <StatusLine width={100} status={null} error={null} filterInput="age" waiting={null} />,
    );
    expect(f).toMatch(/^\/age█ {2}enter keep · esc clear/);
    cleanup();
    f = await draw(
      <StatusLine
        width={100}
        status={{ text: 'resolved', tone: 'ok', token: 1 }}
        error="events.jsonl: EACCES"
        waiting={{ updates: 3, agents: 2 }}
        filterInput={null}
      />,
    );
    expect(f).toMatch(
      /^✖ engine: events.jsonl: EACCES {2}resolved\s+⏸ paused: 3 updates waiting, 2 agents changed · p resumes\s*$/,
    );
    expect(frameOf({ lastFrame: () => f } as never)).toBe(f);
  });
});
