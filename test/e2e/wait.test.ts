// The built `sync-tui wait` as a pipeline runs it: a real process over real files, one
// workspace that another process brings in line while wait is blocked, one that never
// settles (the timeout passes, exit 1 and which agents and why).
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, requireCurrentDist, runCli } from '../helpers/cli.js';
import { REGISTRY, setAgent2, twoAgents } from '../helpers/resolvable.js';

const cleanup: (() => void)[] = [];
afterEach(() => {
  for (const f of cleanup.splice(0).reverse()) f();
});

const workspace = (): string => twoAgents('uninitialized', cleanup);
const writeRegistry = setAgent2;

interface Done {
  code: number | null;
  stdout: string;
  stderr: string;
}

function waitProcess(args: string[]): { done: Promise<Done>; exited: () => boolean } {
  requireCurrentDist();
  const child = spawn(process.execPath, [BIN, 'wait', ...args], {
    env: { ...process.env, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.push(() => child.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  let exited = false;
  const done = new Promise<Done>((resolve) =>
    child.on('exit', (code) => {
      exited = true;
      resolve({ code, stdout, stderr });
    }),
  );
  return { done, exited: () => exited };
}

describe('sync-tui wait', () => {
  it('returns 0 at once when every agent is already in sync', () => {
    const root = workspace();
    writeRegistry(root, 'ready');
    const r = runCli(['wait', '--root', root, '--timeout', '10s', '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      settled: true,
      timedOut: false,
      selected: 2,
      unsettled: [],
    });
  });

  it('blocks until a writer process brings the registry in line, then exits 0', async () => {
    const root = workspace();
    const w = waitProcess(['--root', root, '--timeout', '20s', '--json']);
    // Still blocked a second later: the workspace is not settled.
    await new Promise((r) => setTimeout(r, 1000));
    expect(w.exited()).toBe(false);
    // The writer: a separate process that fixes the registry a moment later.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        `setTimeout(() => { const fs = require('fs'); const f = process.argv[1]; const r = JSON.parse(fs.readFileSync(f, 'utf8')); r.agent_fsm_states['Agent-2'] = 'ready'; r.last_updated = new Date().toISOString(); fs.writeFileSync(f + '.tmp', JSON.stringify(r)); fs.renameSync(f + '.tmp', f); }, 200)`,
        path.join(root, REGISTRY),
      ],
      { stdio: 'ignore' },
    );
    cleanup.push(() => writer.kill('SIGKILL'));
    const r = await w.done;
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      settled: true,
      timedOut: false,
      selected: 2,
      unsettled: [],
    });
  }, 30_000);

  it('exits 1 when the timeout passes first, naming the agent and why', async () => {
    const root = workspace();
    const r = await waitProcess(['--root', root, '--timeout', '1500ms']).done;
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('timed out after 1500ms: 1 of 2 agent(s) not settled');
    expect(r.stdout).toMatch(/Agent-2\s+drift\s+fsm: display has 'uninitialized'/);
    expect(r.stdout).not.toContain('Agent-1 ');
  }, 30_000);

  it('waits only for the agents selected by id or filter', async () => {
    const root = workspace();
    expect(runCli(['wait', 'Agent-1', '--root', root, '--timeout', '5s']).code).toBe(0);
    expect(runCli(['wait', '--filter', '!Agent-2', '--root', root, '--timeout', '5s']).code).toBe(0);
    expect(runCli(['wait', '--filter', 'fsm:idle', '--root', root, '--timeout', '5s']).code).toBe(0);
    const drifted = runCli([
      'wait',
      '--filter',
      'verdict:drift',
      '--root',
      root,
      '--timeout',
      '1s',
      '--json',
    ]);
    expect(drifted.code).toBe(1);
    expect(JSON.parse(drifted.stdout)).toMatchObject({
      settled: false,
      timedOut: true,
      selected: 1,
      unsettled: [{ agent: 'Agent-2', verdict: 'drift' }],
    });
    const absent = runCli(['wait', 'Agent-9', '--root', root, '--timeout', '1s', '--json']);
    expect(absent.code).toBe(1);
    expect(JSON.parse(absent.stdout).unsettled).toEqual([
      { agent: 'Agent-9', verdict: null, pending: false, reason: 'no source lists this agent' },
    ]);
  }, 30_000);

  it('exits 2 on a bad filter, an unknown field or a bad timeout, saying where', () => {
    const root = workspace();
    const bad = runCli(['wait', '--root', root, '--filter', 'verdict:drfit']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--filter: unknown verdict 'drfit' (expected one of");
    expect(bad.stderr).toContain('at column 9');
    const field = runCli(['wait', '--root', root, '--filter', 'colour:red']);
    expect(field.code).toBe(2);
    expect(field.stderr).toContain("unknown field 'colour'");
    const timeout = runCli(['wait', '--root', root, '--timeout', 'soon']);
    expect(timeout.code).toBe(2);
    expect(timeout.stderr).toContain("--timeout: expected a duration like 30s, 5m or 1h, found 'soon'");
  });
});
