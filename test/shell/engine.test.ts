// The engine on real temp folders: resolve, verify, journal, undo, concurrent writers,
// and live updates through real chokidar.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/shell/probe.js';
import { Engine } from '../../src/shell/engine.js';
import { copyFixture, PROJECT } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function open(root: string, watch = false): Promise<Engine> {
  const engine = await Engine.open(root, loadConfig(root), { watch, quietMs: 20, maxWaitMs: 100 });
  cleanup.push(() => engine.close());
  return engine;
}

function workspace(name = 'incident'): string {
  const root = copyFixture(name);
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

const REGISTRY = 'coordination_system_state.json';
const readRegistry = (root: string) =>
  JSON.parse(fs.readFileSync(path.join(root, REGISTRY), 'utf8')) as Record<string, Record<string, unknown>>;

describe('Engine.resolve', () => {
  it('writes only planned fields, verifies by reading back, journals, and undo restores the bytes', async () => {
    const root = workspace();
    const original = fs.readFileSync(path.join(root, REGISTRY), 'utf8');
    const engine = await open(root);
    const r = await engine.resolve('all');
    const byAgent = Object.fromEntries(r.agents.map((a) => [a.agent, a]));
    expect(byAgent['Agent-2']).toMatchObject({
      status: 'resolved',
      writes: [{ field: 'fsm', before: 'uninitialized', after: 'ready' }],
    });
    expect(byAgent['Agent-3']!.status).toBe('resolved');
    expect(byAgent['Agent-4']!.status).toBe('resolved');
    expect(byAgent['Agent-1']).toMatchObject({ status: 'unresolved' });
    expect(byAgent['Agent-1']!.reason).toMatch(/cannot move IDLE -> ONBOARDED/);
    expect(byAgent['Agent-9']).toMatchObject({ status: 'unresolved' });
    expect(r.action).toMatch(/^a-\d{8}T\d{6}Z-[0-9a-f]+$/);

    const reg = readRegistry(root);
    expect(reg['agent_fsm_states']).toMatchObject({
      'Agent-2': 'ready',
      'Agent-3': 'active',
      'Agent-4': 'idle',
      'Agent-1': 'idle',
    });
    expect(reg['onboarding_status']!['Agent-3']).toBe(true);
    // Unrelated keys and their order survive.
    expect(Object.keys(reg)).toEqual(Object.keys(JSON.parse(original)));
    expect(reg['contract_history']).toEqual(JSON.parse(original).contract_history);

    const verdicts = Object.fromEntries(engine.getSnapshot().recon.agents.map((a) => [a.id, a.verdict]));
    expect(verdicts['Agent-2']).not.toBe('drift');
    expect(Object.values(verdicts)).not.toContain('drift');

    const { entries } = await engine.readJournal();
    // Write-ahead: the four intents, then the four outcomes.
    expect(entries.slice(0, 4).map((e) => e.outcome)).toEqual(['intent', 'intent', 'intent', 'intent']);
    expect(
      entries.slice(4).map((e) => [e.agent, e.field, e.before, e.after, e.outcome, e.truthFrom]),
    ).toEqual([
      ['Agent-2', 'fsm', 'uninitialized', 'ready', 'verified', 'file'],
      ['Agent-3', 'status', false, true, 'verified', 'file'],
      ['Agent-3', 'fsm', 'uninitialized', 'active', 'verified', 'file'],
      ['Agent-4', 'fsm', 'uninitialized', 'idle', 'verified', 'file'],
    ]);

    const u = await engine.undo();
    expect(u.message).toBe(`undid ${r.action} (4 changes)`);
    expect(fs.readFileSync(path.join(root, REGISTRY), 'utf8')).toBe(original);
    expect((await engine.undo()).message).toBe('nothing to undo');
  });

  it('dry-run plans without writing', async () => {
    const root = workspace();
    const before = fs.readFileSync(path.join(root, REGISTRY), 'utf8');
    const engine = await open(root);
    const r = await engine.resolve(['Agent-2', 'Agent-6'], { dryRun: true });
    expect(r.agents.map((a) => [a.agent, a.status])).toEqual([
      ['Agent-2', 'planned'],
      ['Agent-6', 'in-sync'],
    ]);
    expect(fs.readFileSync(path.join(root, REGISTRY), 'utf8')).toBe(before);
  });

  it('settles a conflict with prefer', async () => {
    const root = workspace();
    const engine = await open(root);
    const r = await engine.resolve(['Agent-1'], { prefer: 'file' });
    expect(r.agents[0]).toMatchObject({
      agent: 'Agent-1',
      status: 'resolved',
      writes: [{ field: 'fsm', before: 'idle', after: 'onboarded' }],
    });
    expect(readRegistry(root)['agent_fsm_states']!['Agent-1']).toBe('onboarded');
  });

  it('refuses to undo a value someone changed since, and says why', async () => {
    const root = workspace();
    const engine = await open(root);
    const r = await engine.resolve(['Agent-2', 'Agent-4']);
    const reg = readRegistry(root);
    reg['agent_fsm_states']!['Agent-2'] = 'active';
    fs.writeFileSync(path.join(root, REGISTRY), JSON.stringify(reg, null, 2));
    const u = await engine.undo(r.action!);
    expect(u.message).toBe(`undid 1 of 2 changes of ${r.action}; 1 refused (changed since)`);
    expect(u.agents.find((a) => a.agent === 'Agent-2')).toMatchObject({
      status: 'refused',
      reason: 'agent_fsm_states.Agent-2 changed since (now "active"); left as it is',
    });
    const after = readRegistry(root)['agent_fsm_states']!;
    expect(after['Agent-2']).toBe('active');
    expect(after['Agent-4']).toBe('uninitialized');
  });

  it('reports a failed write clearly and leaves the registry intact', async () => {
    const root = workspace();
    const before = fs.readFileSync(path.join(root, REGISTRY), 'utf8');
    fs.chmodSync(root, 0o555);
    cleanup.push(() => fs.chmodSync(root, 0o755));
    const engine = await open(root);
    const r = await engine.resolve(['Agent-2']);
    if (process.getuid?.() === 0) {
      // root ignores folder permissions; the write goes through.
      expect(r.agents[0]!.status).toBe('resolved');
      return;
    }
    expect(r.agents[0]!.status).toBe('failed');
    expect(r.message).toMatch(/permission denied/i);
    expect(fs.readFileSync(path.join(root, REGISTRY), 'utf8')).toBe(before);
  });

  it('loses no change of another writer that rewrites the registry during resolve --all', async () => {
    const root = workspace();
    const file = path.join(root, REGISTRY);
    // Many agents, so resolve has plenty to write while the rival runs.
    const reg = readRegistry(root);
    for (let i = 100; i < 400; i++) {
      const id = `Agent-${i}`;
      fs.mkdirSync(path.join(root, 'agent_workspaces', id));
      fs.writeFileSync(
        path.join(root, 'agent_workspaces', id, 'status.json'),
        JSON.stringify({
          agent_id: id,
          status: 'ACTIVE',
          fsm_state: 'TASK_EXECUTION',
          last_updated: new Date().toISOString(),
        }),
      );
      reg['onboarding_status']![id] = false;
      reg['agent_fsm_states']![id] = 'uninitialized';
    }
    fs.writeFileSync(file, JSON.stringify(reg, null, 2));

    const N = 600;
    const rival = spawn(
      process.execPath,
      [path.join(PROJECT, 'test/helpers/rival-writer.mjs'), file, String(N)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    rival.stdout.on('data', (d) => (out += d));
    const rivalDone = new Promise<number | null>((resolve) => rival.on('exit', resolve));
    let torn = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        try {
          JSON.parse(fs.readFileSync(file, 'utf8'));
        } catch {
          torn++;
        }
        await new Promise((r) => setImmediate(r));
      }
    })();

    const engine = await open(root);
    let resolved = 0;
    // Keep resolving while the rival writes, as an operator pressing R would.
    do {
      const r = await engine.resolve('all');
      resolved += r.agents.filter((a) => a.status === 'resolved').length;
      // With nothing left to write, resolve does no I/O: let the rival's exit be seen.
      await new Promise((r) => setTimeout(r, 5));
    } while (rival.exitCode === null);
    expect(await rivalDone).toBe(0);
    sampling = false;
    await sampler;
    await engine.resolve('all');

    const final = readRegistry(root);
    expect(JSON.parse(out).done).toBe(N);
    expect(final['rival_counter']).toBe(N); // no increment of the rival was lost
    for (let i = 100; i < 400; i++) {
      expect(final['agent_fsm_states']![`Agent-${i}`]).toBe('task_execution'); // none of ours was lost
      expect(final['onboarding_status']![`Agent-${i}`]).toBe(true);
    }
    expect(torn).toBe(0);
    expect(resolved).toBeGreaterThan(0);
  }, 60_000);
});

describe('Engine live', () => {
  it('reflects a status file change, an atomic save, a delete and a re-create', async () => {
    const root = workspace();
    const engine = await open(root, true);
    const verdict = (id: string) => engine.getSnapshot().recon.agents.find((a) => a.id === id)?.verdict;
    const seq0 = engine.getSnapshot().seq;
    const f6 = path.join(root, 'agent_workspaces/Agent-6/status.json');

    const doc = JSON.parse(fs.readFileSync(f6, 'utf8'));
    fs.writeFileSync(
      f6,
      JSON.stringify({ ...doc, fsm_state: 'ACTIVE', last_updated: new Date().toISOString() }),
    );
    await waitFor(() => verdict('Agent-6') === 'drift', { what: 'Agent-6 drifts after its file changes' });
    expect(engine.getSnapshot().seq).toBeGreaterThan(seq0);

    // Editor-style atomic save: write a temp file, rename over.
    fs.writeFileSync(
      f6 + '.tmp',
      JSON.stringify({ ...doc, fsm_state: 'IDLE', last_updated: new Date().toISOString() }),
    );
    fs.renameSync(f6 + '.tmp', f6);
    await waitFor(() => verdict('Agent-6') === 'in-sync', {
      what: 'Agent-6 back in sync after an atomic save',
    });

    fs.rmSync(path.dirname(f6), { recursive: true });
    await waitFor(() => verdict('Agent-6') === 'missing', {
      what: 'Agent-6 missing after its folder is deleted',
    });
    fs.mkdirSync(path.dirname(f6));
    fs.writeFileSync(f6, JSON.stringify({ ...doc, last_updated: new Date().toISOString() }));
    await waitFor(() => verdict('Agent-6') === 'in-sync', { what: 'Agent-6 back after re-creation' });
  });

  it('reflects registry edits and a new agent folder, and publishes nothing when nothing changed', async () => {
    const root = workspace();
    const engine = await open(root, true);
    let published = 0;
    engine.subscribe(() => published++);
    const reg = readRegistry(root);
    reg['agent_fsm_states']!['Agent-2'] = 'ready';
    fs.writeFileSync(path.join(root, REGISTRY), JSON.stringify(reg, null, 2));
    await waitFor(
      () => engine.getSnapshot().recon.agents.find((a) => a.id === 'Agent-2')?.verdict === 'stale',
      { what: 'Agent-2 in sync (stale by the clock)' },
    );

    fs.mkdirSync(path.join(root, 'agent_workspaces/Agent-12'));
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-12/status.json'),
      '{"agent_id":"Agent-12","status":"IDLE","fsm_state":"IDLE"}',
    );
    await waitFor(() => engine.getSnapshot().recon.agents.some((a) => a.id === 'Agent-12'), {
      what: 'Agent-12 appears',
    });

    const count = published;
    // Touching a file without changing it re-reads it but publishes nothing new.
    const f = path.join(root, 'agent_workspaces/Agent-12/status.json');
    fs.writeFileSync(f, fs.readFileSync(f));
    const other = path.join(root, 'agent_workspaces/Agent-5/status.json');
    fs.writeFileSync(other, fs.readFileSync(other));
    // A later real change proves the earlier events were processed.
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-12/status.json'),
      '{"agent_id":"Agent-12","status":"ACTIVE","fsm_state":"IDLE"}',
    );
    await waitFor(
      () =>
        engine.getSnapshot().recon.agents.find((a) => a.id === 'Agent-12')?.observations['file']?.fields[
          'status'
        ]?.value === 'ACTIVE',
    );
    expect(published - count).toBeLessThanOrEqual(2);
  });

  it('ends with the right picture after 2,000 status files change at once', async () => {
    const root = workspace();
    const reg = readRegistry(root);
    const ids = Array.from({ length: 2000 }, (_, i) => `Agent-${1000 + i}`);
    const write = (id: string, fsm: string) =>
      fs.writeFileSync(
        path.join(root, 'agent_workspaces', id, 'status.json'),
        JSON.stringify({
          agent_id: id,
          status: 'ACTIVE',
          fsm_state: fsm,
          last_updated: new Date().toISOString(),
        }),
      );
    for (const id of ids) {
      fs.mkdirSync(path.join(root, 'agent_workspaces', id));
      write(id, 'IDLE');
      reg['onboarding_status']![id] = true;
      reg['agent_fsm_states']![id] = 'idle';
    }
    fs.writeFileSync(path.join(root, REGISTRY), JSON.stringify(reg));
    const engine = await open(root, true);
    const count = (fsm: string) =>
      engine.getSnapshot().recon.agents.filter((a) => ids.includes(a.id) && a.truth['fsm']?.value === fsm)
        .length;
    expect(count('IDLE')).toBe(2000);
    let published = 0;
    engine.subscribe(() => published++);
    for (const id of ids) write(id, 'ACTIVE');
    await waitFor(() => count('ACTIVE') === 2000, { timeoutMs: 15_000, what: 'all 2,000 changes reflected' });
    // Batched: far fewer snapshots than changes.
    expect(published).toBeLessThan(200);
  }, 30_000);

  it('re-lists the whole source when the watcher reports the agents folder itself', async () => {
    const root = workspace();
    const engine = await open(root);
    fs.rmSync(path.join(root, 'agent_workspaces/Agent-7'), { recursive: true });
    fs.mkdirSync(path.join(root, 'agent_workspaces/Agent-13'));
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-13/status.json'),
      '{"agent_id":"Agent-13","status":"IDLE","fsm_state":"IDLE"}',
    );
    expect(engine.applyChanges(['agent_workspaces'])).toBe(true);
    const ids = engine.getSnapshot().recon.agents.map((a) => a.id);
    expect(ids).toContain('Agent-13');
    expect(engine.getSnapshot().recon.agents.find((a) => a.id === 'Agent-7')!.verdict).toBe('missing');
    // Nothing changed since: a second rescan, or a full reload, publishes nothing.
    expect(engine.applyChanges(['agent_workspaces'])).toBe(false);
    const seq = engine.getSnapshot().seq;
    expect(engine.reload()).toBe(false);
    expect(engine.getSnapshot().seq).toBe(seq);
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-13/status.json'),
      '{"agent_id":"Agent-13","status":"ACTIVE","fsm_state":"IDLE"}',
    );
    expect(engine.reload()).toBe(true);
    expect(engine.getSnapshot().seq).toBe(seq + 1);
  });

  it('follows an event log: appends, a half-written line, truncation', async () => {
    const root = workspace('generic');
    const engine = await open(root, true);
    const log = path.join(root, 'events.jsonl');
    const truth = (id: string) => engine.getSnapshot().recon.agents.find((a) => a.id === id)?.truth['fsm'];
    // The fixture ends with a half-written gamma line; completing it makes it count.
    fs.appendFileSync(log, 'IVE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:59:00Z"}\n');
    await waitFor(() => truth('gamma')?.value === 'TASK_EXECUTION', {
      what: 'gamma truth from the completed line',
    });
    fs.appendFileSync(
      log,
      `{"agent":"alpha","status":"IDLE","fsm":"IDLE","at":"${new Date().toISOString()}"}\n`,
    );
    await waitFor(() => truth('alpha')?.value === 'IDLE', { what: 'alpha truth from an appended line' });
    fs.writeFileSync(log, '');
    await waitFor(() => truth('alpha')?.from === 'file', { what: 'truncated log no longer decides alpha' });
  });
});
