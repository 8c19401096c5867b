// The built `sync-tui watch` and `sync-tui report`, as a supervisor or a script runs them:
// a real process, real files, real signals. Reads stdout lines as they come.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryReport } from '../../src/core/report/history-report.js';
import type { WatchEvent } from '../../src/core/report/watch-events.js';
import { BIN, PROJECT, runCli, tempDir, type Run } from '../helpers/cli.js';
import { REGISTRY, resolvable } from '../helpers/resolvable.js';
import { staysFalse, waitFor } from '../helpers/wait.js';
import { startWatch, stopAllWatches, type WatchProcess } from '../helpers/watch-process.js';
import { timing } from '../helpers/report.js';

// SYNC_TUI_BIN runs another entry point with the same command line (before watch and
// report are wired into the binary).
const ENTRY = process.env['SYNC_TUI_BIN'] ?? BIN;
function cli(args: string[]): Run {
  if (ENTRY === BIN) return runCli(args);
  const r = spawnSync(process.execPath, [ENTRY, ...args], {
    cwd: PROJECT,
    env: { ...process.env, NO_COLOR: '1' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Every agent in sync. */
function inSync(): string {
  const root = resolvable(cleanup);
  const r = cli(['resolve', '--all', '--root', root]);
  expect(r.code).toBe(0);
  return root;
}

const registry = (root: string) =>
  JSON.parse(fs.readFileSync(path.join(root, REGISTRY), 'utf8')) as {
    agent_fsm_states: Record<string, string>;
    onboarding_status: Record<string, boolean>;
  };

function setStatus(root: string, id: string, fsm: string): void {
  const f = path.join(root, 'agent_workspaces', id, 'status.json');
  const doc = JSON.parse(fs.readFileSync(f, 'utf8'));
  // Atomically, as a careful agent writes (a plain write can be seen half-done: an honest `invalid`).
  fs.writeFileSync(
    f + '.tmp',
    JSON.stringify({ ...doc, fsm_state: fsm, last_updated: new Date().toISOString() }, null, 2),
  );
  fs.renameSync(f + '.tmp', f);
}

const of = (w: WatchProcess, type: string, agent?: string) => w.of(type, agent);

describe('sync-tui watch --json', () => {
  it('prints a line within a second of a file change, and exits 0 on SIGTERM with the history written', async () => {
    const root = inSync();
    const w = await startWatch({ args: ['--json', '--root', root] });
    expect(w.events[0]).toMatchObject({ type: 'initial', agent: null, summary: { agents: 5, 'in-sync': 5 } });
    expect(w.events).toHaveLength(1);

    const latencies: number[] = [];
    const moves = ['ACTIVE', 'IDLE', 'ACTIVE', 'IDLE', 'ACTIVE'];
    for (const [i, fsm] of moves.entries()) {
      const t0 = performance.now();
      setStatus(root, 'Agent-6', fsm);
      const e = await waitFor(
        () => w.events.slice(1 + i).find((x) => x.type === 'change' && x.agent === 'Agent-6'),
        { timeoutMs: 5000, what: `the change event for Agent-6 -> ${fsm}` },
      );
      latencies.push(e.receivedAt - t0);
      expect(e.truth['fsm']).toBe(fsm);
    }
    const first = of(w, 'change', 'Agent-6')[0]!;
    expect(first).toMatchObject({
      verdict: { before: 'in-sync', after: 'drift' },
      alert: 'drift',
      differences: [{ field: 'fsm', source: 'display', expected: 'ACTIVE', actual: 'IDLE' }],
    });
    expect(typeof first.seq).toBe('number');
    timing(`watch event latency (ms): ${latencies.map((l) => Math.round(l)).join(', ')}`);
    expect(Math.max(...latencies)).toBeLessThan(1000);

    expect(await w.stop('SIGTERM')).toBe(0);
    expect(w.stderr()).toBe('');
    const history = fs
      .readFileSync(path.join(root, '.sync-tui', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; agent?: string; before?: string; after?: string });
    expect(history[0]!.kind).toBe('start');
    expect(history[history.length - 1]!.kind).toBe('stop');
    expect(history.filter((h) => h.kind === 'verdict').map((h) => [h.agent, h.before, h.after])).toEqual([
      ['Agent-6', 'in-sync', 'drift'],
      ['Agent-6', 'drift', 'in-sync'],
      ['Agent-6', 'in-sync', 'drift'],
      ['Agent-6', 'drift', 'in-sync'],
      ['Agent-6', 'in-sync', 'drift'],
    ]);
  });

  it('exits 0 on SIGINT too, and prints readable lines without --json', async () => {
    const root = resolvable(cleanup);
    const w = await startWatch({ args: ['--root', root] });
    await waitFor(
      () =>
        w.lines.some((l) =>
          /initial +Agent-2 +new -> drift +fsm: display has 'uninitialized', expected 'ready'$/.test(l),
        ),
      { what: 'a readable initial line for Agent-2' },
    );
    expect(w.lines[0]).toMatch(/^\S+Z {2}initial +watching 5 agents: 3 drift, 2 in-sync$/);
    expect(await w.stop('SIGINT')).toBe(0);
  });

  it('rejects a bad --interval with exit 2', () => {
    const root = resolvable(cleanup);
    expect(cli(['watch', '--interval', 'soon', '--root', root])).toMatchObject({
      code: 2,
      stderr:
        "sync-tui: --interval: expected a duration of at least 100 ms like 30s, 5m or 1h, found 'soon'\n",
    });
  });
});

describe('sync-tui watch --on-drift', () => {
  it('runs the hook with the event as JSON on stdin; a failing hook is reported, never fatal', async () => {
    const root = inSync();
    const out = path.join(tempDir('sync-tui-hook-'), 'event.json');
    cleanup.push(() => fs.rmSync(path.dirname(out), { recursive: true, force: true }));
    const w = await startWatch({ args: ['--json', '--on-drift', `cat > ${out}`, '--root', root] });
    setStatus(root, 'Agent-6', 'ACTIVE');
    const got = await waitFor(
      () => {
        const text = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '';
        return text.endsWith('\n') ? (JSON.parse(text) as WatchEvent) : null;
      },
      { what: 'the hook to write the event' },
    );
    expect(got).toMatchObject({
      type: 'change',
      agent: 'Agent-6',
      verdict: { before: 'in-sync', after: 'drift' },
      alert: 'drift',
    });
    expect(got).toEqual(
      JSON.parse(
        JSON.stringify(of(w, 'change', 'Agent-6')[0]!, (k, v) => (k === 'receivedAt' ? undefined : v)),
      ),
    );
    // Back in sync: no alert, no hook run.
    fs.rmSync(out);
    setStatus(root, 'Agent-6', 'IDLE');
    await waitFor(() => of(w, 'change', 'Agent-6').length === 2, { what: 'Agent-6 back in sync' });
    expect(of(w, 'hook-failed')).toEqual([]);
    expect(await w.stop()).toBe(0);
    expect(fs.existsSync(out)).toBe(false);

    const w2 = await startWatch({
      args: ['--json', '--on-drift', 'echo "pager is down" >&2; exit 4', '--root', root],
    });
    setStatus(root, 'Agent-7', 'ACTIVE');
    const failed = await waitFor(() => of(w2, 'hook-failed')[0], { what: 'a hook-failed event' });
    expect(failed).toMatchObject({
      agent: 'Agent-7',
      message: 'hook exited with 4',
      hook: { exitCode: 4, stderr: 'pager is down\n', event: { type: 'change', agent: 'Agent-7' } },
    });
    setStatus(root, 'Agent-7', 'UNINITIALIZED');
    await waitFor(() => of(w2, 'change', 'Agent-7').length === 2, {
      what: 'watch to go on after the failed hook',
    });
    expect(await w2.stop()).toBe(0);
  });
});

describe('sync-tui watch --auto-resolve', () => {
  it('resolves drifted agents (registry on disk, resolved events with the action id), and report shows the episodes', async () => {
    const root = resolvable(cleanup);
    const w = await startWatch({ args: ['--json', '--auto-resolve', '--root', root] });
    await waitFor(() => of(w, 'resolved').length === 3, { what: 'three resolved events' });
    const r2 = of(w, 'resolved', 'Agent-2')[0]!;
    expect(r2).toMatchObject({
      verdict: { before: 'drift', after: 'in-sync' },
      writes: [{ field: 'fsm', before: 'uninitialized', after: 'ready' }],
      differences: [],
    });
    expect(r2.action).toMatch(/^a-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(registry(root).agent_fsm_states).toMatchObject({
      'Agent-2': 'ready',
      'Agent-3': 'active',
      'Agent-4': 'idle',
    });
    const log = JSON.parse(cli(['log', '--json', '--root', root]).stdout) as { action: string }[];
    expect(log.map((e) => e.action)).toContain(r2.action);

    // A later drift is resolved too, and the change events name the action.
    setStatus(root, 'Agent-6', 'ACTIVE');
    await waitFor(() => of(w, 'resolved', 'Agent-6').length === 1, { what: 'Agent-6 auto-resolved' });
    await waitFor(() => registry(root).agent_fsm_states['Agent-6'] === 'active', {
      what: 'the registry to hold Agent-6 active',
    });
    const back = await waitFor(() => of(w, 'change', 'Agent-6').find((e) => e.verdict.after === 'in-sync'), {
      what: 'Agent-6 back in sync',
    });
    expect(back.action).toBe(of(w, 'resolved', 'Agent-6')[0]!.action);
    expect(await w.stop()).toBe(0);

    const json = cli(['report', '--format', 'json', '--root', root]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as HistoryReport;
    const agent2 = report.agents.find((a) => a.agent === 'Agent-2')!;
    expect(agent2.episodes).toHaveLength(1);
    expect(agent2.episodes[0]).toMatchObject({
      verdict: 'drift',
      ongoing: false,
      resolvedBy: { kind: 'resolve', action: r2.action, fields: ['fsm'] },
    });
    const agent6 = report.agents.find((a) => a.agent === 'Agent-6')!;
    expect(agent6.episodes[0]).toMatchObject({ observed: true, resolvedBy: { kind: 'resolve' } });
    expect(report.summary).toMatchObject({
      agentsWithEpisodes: 4,
      episodes: 4,
      ongoing: 0,
      resolvedBy: { resolve: 4 },
    });
    expect(report.coverage.sessions).toBe(1);

    const md = cli(['report', '--format', 'md', '--since', '1h', '--root', root]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^# sync-tui report$/m);
    expect(md.stdout).toContain(
      '**4** episodes on **4** agents (0 ongoing; ended by resolve 4, undo 0, external change 0)',
    );
    expect(md.stdout).toMatch(/^\| Agent-2 \| 1 \| \d+s \| \d+s \| drift \| ok \| 1 \/ 0 \/ 0 \| {2}\|$/m);
    expect(md.stdout).toContain(`resolve \`${r2.action}\` (fsm)`);
    expect(cli(['report', '--format', 'pdf', '--root', root]).code).toBe(2);
  });

  it('backs off on an agent another writer keeps changing back, reports it flapping, and resumes after a manual resolve', async () => {
    const root = resolvable(cleanup);
    const file = path.join(root, REGISTRY);
    // The rival keeps Agent-2 at 'uninitialized' (atomic replace), for 20 s at most.
    const rivalScript = `
      const fs = require('node:fs');
      const [file, ms] = process.argv.slice(1);
      const end = Date.now() + Number(ms);
      let reverts = 0;
      const tick = () => {
        if (Date.now() > end || fs.existsSync(file + '.stop-rival')) { process.stdout.write(String(reverts)); return; }
        try {
          const doc = JSON.parse(fs.readFileSync(file, 'utf8'));
          if (doc.agent_fsm_states['Agent-2'] !== 'uninitialized') {
            doc.agent_fsm_states['Agent-2'] = 'uninitialized';
            fs.writeFileSync(file + '.rival.tmp', JSON.stringify(doc, null, 2));
            fs.renameSync(file + '.rival.tmp', file);
            reverts++;
          }
        } catch {}
        setTimeout(tick, 20);
      };
      tick();`;
    const rival = spawn(process.execPath, ['-e', rivalScript, file, '20000'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let rivalOut = '';
    rival.stdout.on('data', (d) => (rivalOut += d));
    const rivalDone = new Promise<void>((resolve) => rival.on('exit', () => resolve()));
    cleanup.push(async () => {
      if (rival.exitCode === null) rival.kill('SIGKILL');
      await rivalDone;
    });

    const w = await startWatch({ args: ['--json', '--auto-resolve', '--root', root] });
    const flap = await waitFor(() => of(w, 'flapping', 'Agent-2')[0], {
      timeoutMs: 15_000,
      what: 'a flapping event for Agent-2',
    });
    expect(flap.message).toMatch(
      /^auto-resolve stopped for Agent-2: another writer changed fsm in display back 3 times within 10 min; resolve it by hand to resume/,
    );
    const attempts = of(w, 'resolved', 'Agent-2')
      .concat(of(w, 'resolve-failed', 'Agent-2'))
      .sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    expect(attempts.length).toBe(3);
    const gaps = attempts.slice(1).map((e, i) => Date.parse(e.at) - Date.parse(attempts[i]!.at));
    // Exponential backoff: about 1 s, then about 2 s.
    // (`at` is when each result came in; the first resolve, of three agents, takes longer.)
    expect(gaps[0]).toBeGreaterThanOrEqual(800);
    expect(gaps[1]).toBeGreaterThanOrEqual(1800);
    // The other drifted agents were resolved once and left alone.
    expect(of(w, 'resolved', 'Agent-3')).toHaveLength(1);
    // No more attempts on Agent-2 while it is flapping (the next backoff would be 4 s).
    await staysFalse(
      () => of(w, 'resolved', 'Agent-2').length + of(w, 'resolve-failed', 'Agent-2').length > 3,
      4500,
      'another auto-resolve of Agent-2',
    );
    expect(registry(root).agent_fsm_states['Agent-2']).toBe('uninitialized');

    // The rival stops; an operator resolves Agent-2 by hand: watch resumes it.
    fs.writeFileSync(file + '.stop-rival', '');
    await rivalDone;
    expect(Number(rivalOut)).toBeGreaterThanOrEqual(3);
    const manual = cli(['resolve', 'Agent-2', '--root', root]);
    expect(manual.code).toBe(0);
    const resumed = await waitFor(() => of(w, 'resumed', 'Agent-2')[0], {
      timeoutMs: 6000,
      what: 'a resumed event after the manual resolve',
    });
    expect(resumed.message).toMatch(/^auto-resolve resumed for Agent-2: an operator acted on it \(a-/);
    expect(await w.stop()).toBe(0);

    const report = JSON.parse(cli(['report', '--format', 'json', '--root', root]).stdout) as HistoryReport;
    expect(report.flapping).toMatchObject([{ agent: 'Agent-2', flaggedByWatch: true, fields: ['fsm'] }]);
    // One episode per round in which our write was seen before the rival's (not every round).
    expect(report.agents.find((a) => a.agent === 'Agent-2')!.episodes.length).toBeGreaterThanOrEqual(1);
  }, 40_000);
});
