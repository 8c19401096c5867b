// The engine on real files writes exactly the plan the operator approved: an agent whose
// plan changed between showing and writing is left alone, with a machine-readable cause.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { freezePlan } from '../../src/core/plan/frozen-plan.js';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { copyFixture } from '../helpers/cli.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function open(root: string): Promise<Engine> {
  const engine = await Engine.open(root, loadConfig(root));
  cleanup.push(() => engine.close());
  return engine;
}

function workspace(): string {
  const root = copyFixture('incident');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

const REGISTRY = 'coordination_system_state.json';
const registry = (root: string) =>
  JSON.parse(fs.readFileSync(path.join(root, REGISTRY), 'utf8')) as {
    agent_fsm_states: Record<string, string>;
  };

describe('Engine.resolve with an approved plan', () => {
  it('writes the approved agents whose plan is unchanged and refuses the one whose status file moved', async () => {
    const root = workspace();
    const engine = await open(root);
    const expect_ = freezePlan(['Agent-2', 'Agent-4'], engine.getSnapshot().recon.agents);
    expect(expect_.agents.map((a) => a.writes.map((w) => `${w.before}->${w.after}`))).toEqual([
      ['uninitialized->ready'],
      ['uninitialized->idle'],
    ]);
    // Agent-2's own file changes while the operator reads the dialog.
    const file = path.join(root, 'agent_workspaces', 'Agent-2', 'status.json');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/"READY"/g, '"ONBOARDING"'));
    engine.reload();
    expect(engine.getSnapshot().recon.agents.find((a) => a.id === 'Agent-2')!.plan[0]!.after).toBe(
      'onboarding',
    );

    const r = await engine.resolve(['Agent-2', 'Agent-4'], { expect: expect_ });
    expect(r.agents.find((a) => a.agent === 'Agent-2')).toEqual({
      agent: 'Agent-2',
      status: 'unresolved',
      cause: 'changed-since-planned',
      reason: 'Agent-2 changed since you looked: now fsm: "uninitialized" -> "onboarding"; not written',
      writes: [],
    });
    expect(r.agents.find((a) => a.agent === 'Agent-4')).toMatchObject({
      status: 'resolved',
      writes: [{ field: 'fsm', before: 'uninitialized', after: 'idle' }],
    });
    expect(r.message).toMatch(
      /^resolved 1 agent \(1 write\), action a-\S+; 1 changed since you looked, not written$/,
    );
    expect(registry(root).agent_fsm_states).toMatchObject({ 'Agent-2': 'uninitialized', 'Agent-4': 'idle' });
    const { entries } = await engine.readJournal();
    // The write-ahead intent and its outcome: one change.
    expect(entries.filter((e) => e.outcome !== 'intent').map((e) => e.agent)).toEqual(['Agent-4']);
  });

  it('refuses when the registry moved under the approved plan, writing nothing', async () => {
    const root = workspace();
    const engine = await open(root);
    const expect_ = freezePlan(['Agent-2'], engine.getSnapshot().recon.agents);
    const reg = path.join(root, REGISTRY);
    fs.writeFileSync(
      reg,
      fs.readFileSync(reg, 'utf8').replace('"Agent-2": "uninitialized"', '"Agent-2": "onboarding"'),
    );
    const before = fs.readFileSync(reg, 'utf8');
    const r = await engine.resolve(['Agent-2'], { expect: expect_ });
    expect(r.agents).toEqual([
      expect.objectContaining({ agent: 'Agent-2', status: 'unresolved', cause: 'changed-since-planned' }),
    ]);
    expect(r.action).toBeNull();
    expect(r.message).toBe('nothing to write; 1 changed since you looked, not written');
    expect(fs.readFileSync(reg, 'utf8')).toBe(before);
  });
});
