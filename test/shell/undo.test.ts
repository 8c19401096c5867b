// Undo on real temp folders: the snapshot names the undo (issue 11.5), undo verifies by
// reading back (11.6), outcomes carry a machine-readable cause (11.7), undo of an undo
// re-applies (11.10).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { realFs, type FsLayer } from '../../src/shell/fs-layer.js';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { tempDir } from '../helpers/cli.js';
import { twoSourceConfig } from '../helpers/two-sources.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const OWN: Record<string, [string, string]> = {
  'Agent-1': ['ACTIVE', 'TASK_EXECUTION'],
  'Agent-2': ['READY', 'READY'],
  'Agent-3': ['IDLE', 'IDLE'],
};
const REGISTRY =
  JSON.stringify(
    { agents: Object.fromEntries(Object.keys(OWN).map((id) => [id, { status: 'IDLE', fsm: 'IDLE' }])) },
    null,
    2,
  ) + '\n';

function workspace(): { root: string; registry: string } {
  const root = tempDir('sync-tui-undo-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), twoSourceConfig());
  for (const [id, [status, fsm]] of Object.entries(OWN)) {
    fs.mkdirSync(path.join(root, 'agents', id), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'agents', id, 'status.json'),
      JSON.stringify({ agent_id: id, status, fsm_state: fsm, last_updated: new Date().toISOString() }) + '\n',
    );
  }
  fs.writeFileSync(path.join(root, 'registry.json'), REGISTRY);
  return { root, registry: path.join(root, 'registry.json') };
}

async function open(root: string, fsLayer?: FsLayer): Promise<Engine> {
  const engine = await Engine.open(root, loadConfig(root), fsLayer ? { fs: fsLayer } : {});
  cleanup.push(() => engine.close());
  return engine;
}

/** A file layer whose next rename onto the registry is followed at once by another writer's. */
function rivalAfterRename(
  registry: string,
  rewrite: (text: string) => string,
): { fs: FsLayer; arm: () => void } {
  let armed = false;
  return {
    arm: () => (armed = true),
    fs: {
      ...realFs,
      rename: async (from, to) => {
        await realFs.rename(from, to);
        if (armed && path.resolve(to) === registry) {
          armed = false;
          fs.writeFileSync(registry, rewrite(fs.readFileSync(registry, 'utf8')));
        }
      },
    },
  };
}

const regValue = (registry: string) =>
  (
    JSON.parse(fs.readFileSync(registry, 'utf8')) as {
      agents: Record<string, { status: string; fsm: string }>;
    }
  ).agents;

describe('undo', () => {
  it('publishes its snapshot after recording its result: the last action is the undo, not the resolve', async () => {
    const { root } = workspace();
    const engine = await open(root);
    const r = await engine.resolve('all');
    expect(engine.getSnapshot().lastAction?.action).toBe(r.action);
    const seen: (string | null | undefined)[] = [];
    engine.subscribe(() => seen.push(engine.getSnapshot().lastAction?.action));
    const u = await engine.undo();
    expect(u.action).not.toBeNull();
    // The snapshot that shows the restored registry already names the undo.
    expect(engine.getSnapshot().lastAction).toMatchObject({ kind: 'undo', action: u.action });
    expect(seen.at(-1)).toBe(u.action);
    expect(seen).not.toContain(r.action);
  });

  it('verifies by reading back: a value replaced right after its rename is journaled failed, not verified', async () => {
    const { root, registry } = workspace();
    const rival = rivalAfterRename(registry, (t) => t.replace('"fsm": "IDLE"', '"fsm": "BLOCKED"')); // Agent-1 (first in the file)
    const engine = await open(root, rival.fs);
    const r = await engine.resolve('all');
    expect(r.agents.map((a) => [a.agent, a.status, a.cause])).toEqual([
      ['Agent-1', 'resolved', 'verified'],
      ['Agent-2', 'resolved', 'verified'],
      ['Agent-3', 'in-sync', 'in-sync'],
    ]);
    rival.arm();
    const u = await engine.undo();
    expect(regValue(registry)['Agent-1']).toEqual({ status: 'IDLE', fsm: 'BLOCKED' });
    const one = u.agents.find((a) => a.agent === 'Agent-1')!;
    expect(one).toMatchObject({ status: 'failed', cause: 'overwritten' });
    expect(one.reason).toBe('agents.Agent-1.fsm did not hold the restored value when read back');
    expect(u.agents.find((a) => a.agent === 'Agent-2')).toMatchObject({
      status: 'restored',
      cause: 'verified',
    });
    expect(u.message).toMatch(/; but 1 of them did not hold when read back$/);
    const undoOutcomes = (await engine.readJournal()).entries.filter(
      (e) => e.kind === 'undo' && e.outcome !== 'intent',
    );
    expect(undoOutcomes.map((e) => [e.agent, e.field, e.outcome])).toEqual([
      ['Agent-1', 'status', 'verified'],
      ['Agent-1', 'fsm', 'failed'],
      ['Agent-2', 'status', 'verified'],
      ['Agent-2', 'fsm', 'verified'],
    ]);
  });

  it('undo of an undo re-applies what the undo restored, and says so; the resolve is then current again', async () => {
    const { root, registry } = workspace();
    const engine = await open(root);
    const r = await engine.resolve('all');
    const resolved = fs.readFileSync(registry, 'utf8');
    const u = await engine.undo();
    expect(fs.readFileSync(registry, 'utf8')).toBe(REGISTRY);
    const redo = await engine.undo(u.action!);
    expect(redo.message).toBe(
      `undid ${u.action} (an undo of ${r.action}): 4 changes of ${r.action} re-applied`,
    );
    expect(redo.agents.map((a) => [a.agent, a.status, a.cause])).toEqual([
      ['Agent-1', 'restored', 'verified'],
      ['Agent-2', 'restored', 'verified'],
    ]);
    expect(fs.readFileSync(registry, 'utf8')).toBe(resolved);
    expect((await engine.undo(u.action!)).message).toBe(
      `action ${u.action} was already undone by ${redo.action}; to re-apply it, undo ${redo.action}`,
    );
    // The plain `undo` undoes the resolve again.
    expect((await engine.undo()).message).toBe(`undid ${r.action} (4 changes)`);
    expect(fs.readFileSync(registry, 'utf8')).toBe(REGISTRY);
  });
});

describe('resolve outcomes carry a cause', () => {
  it('overwritten before the read-back: cause overwritten, and the reason says what was read back', async () => {
    const { root, registry } = workspace();
    const rival = rivalAfterRename(registry, (t) => t.replace('"fsm": "TASK_EXECUTION"', '"fsm": "IDLE"'));
    const engine = await open(root, rival.fs);
    rival.arm();
    const r = await engine.resolve(['Agent-1', 'Agent-2']);
    expect(r.agents.map((a) => [a.agent, a.status, a.cause])).toEqual([
      ['Agent-1', 'failed', 'overwritten'],
      ['Agent-2', 'resolved', 'verified'],
    ]);
    expect(r.agents[0]!.reason).toBe(
      'the registry did not hold the written values when read back (fsm: wrote "TASK_EXECUTION", read back "IDLE")',
    );
  });

  it('a dry run and an agent in sync: planned and in-sync', async () => {
    const { root } = workspace();
    const engine = await open(root);
    const r = await engine.resolve('all', { dryRun: true });
    expect(r.agents.map((a) => a.cause)).toEqual(['planned', 'planned', 'in-sync']);
  });
});
