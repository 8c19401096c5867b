// The soak test still runs: `npm run soak` (bench/soak.ts) for seconds instead of 30
// minutes, over a few agents. What it produced is asserted (samples, events, writes, a
// clean exit of the watcher, a verdict), never the verdict's value or any figure: a short
// run on a shared machine is noise. Also: Ctrl-C of the soak stops everything cleanly.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SoakResult } from '../bench/soak.js';
import { BIN, PROJECT } from './helpers/cli.js';
import { waitFor } from './helpers/wait.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-soak-smoke-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

interface Soak {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
  /** The watcher's pid once the soak has printed it. */
  watcherPid: () => number | null;
}

const running: Soak[] = [];
afterEach(async () => {
  // On a failure: nothing may outlive the test (the soak's children have their own process groups).
  for (const s of running.splice(0)) {
    const pid = s.watcherPid();
    if (s.child.exitCode === null && s.child.signalCode === null) {
      s.child.kill('SIGKILL');
      await s.exited;
    }
    if (pid !== null && alive(pid)) process.kill(pid, 'SIGKILL');
  }
});

function runSoak(args: string[]): Soak {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env['CI'];
  const child = spawn(
    process.execPath,
    [path.join(PROJECT, 'node_modules/tsx/dist/cli.mjs'), path.join(PROJECT, 'bench/soak.ts'), ...args],
    { cwd: PROJECT, env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const s: Soak = {
    child,
    stdout: () => stdout,
    stderr: () => stderr,
    exited,
    watcherPid: () => {
      const m = /watcher: pid (\d+)/.exec(stdout);
      return m ? Number(m[1]) : null;
    },
  };
  running.push(s);
  return s;
}

const workspacesLeft = (work: string) =>
  fs.existsSync(work) ? fs.readdirSync(work).filter((f) => f.startsWith('sync-tui-soak-')) : [];

describe('npm run soak (smoke: seconds, few agents)', () => {
  it('samples the watcher, counts its events and the writes, stops it cleanly and writes the result', async () => {
    expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    const work = path.join(dir, 'run');
    const out = path.join(dir, 'run.json');
    const s = runSoak([
      '--seconds',
      '12',
      '--agents',
      '40',
      '--sample-every',
      '1',
      '--rotate-every',
      '4',
      '--work',
      work,
      '--out',
      out,
    ]);
    const code = await s.exited;
    // 0 (flat) or 1 (growing: possible in a noisy 12 s); never a usage error or a crash.
    expect([0, 1], s.stderr().slice(-2000)).toContain(code);
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as SoakResult;

    expect(r.interrupted).toBe(false);
    expect(r.samples.length).toBeGreaterThanOrEqual(5);
    for (const x of r.samples) {
      expect(x.rssMB).toBeGreaterThan(0);
      expect(x.hwmMB).toBeGreaterThanOrEqual(x.rssMB);
      expect(x.fds).toBeGreaterThan(0);
    }
    // CPU time only grows.
    expect(r.samples.map((x) => x.cpuMs)).toEqual([...r.samples.map((x) => x.cpuMs)].sort((a, b) => a - b));

    // Every line the watcher printed was JSON; it began with the initial summary and saw the churn.
    expect(r.events.badLines).toBe(0);
    expect(r.events.byType['initial']).toBeGreaterThanOrEqual(1);
    expect(r.events.byType['change']).toBeGreaterThan(0);
    expect(r.writes).not.toBeNull();
    expect(r.writes!.final).toBe(true);
    expect(r.writes!.status).toBeGreaterThan(0);
    expect(r.writes!.events).toBeGreaterThan(0);
    expect(r.writes!.rotations).toBeGreaterThan(0);
    expect(r.writes!.writes).toBe(
      r.writes!.status + r.writes!.events + r.writes!.registry + r.writes!.registrySkipped,
    );
    expect(r.churnExit).toBe(0);

    // SIGINT, exit 0, nothing on stderr; the workspace is gone and so is the watcher.
    expect(r.watcher).toMatchObject({
      exitCode: 0,
      signal: null,
      killed: false,
      cleanExit: true,
      stderrBytes: 0,
    });
    expect(r.workspace.removed).toBe(true);
    expect(workspacesLeft(work)).toEqual([]);
    expect(alive(r.watcher.pid)).toBe(false);

    expect(['flat', 'growing']).toContain(r.analysis.verdict);
    expect(r.analysis.start).not.toBeNull();
    expect(r.analysis.end).not.toBeNull();
    expect(s.stdout()).toMatch(/verdict: (flat|growing)/);
    expect(s.stdout()).toContain(`result: ${out}`);
  }, 60_000);

  it('Ctrl-C of the soak stops the churn and the watcher cleanly, removes the workspace, writes the result, exits 130', async () => {
    const work = path.join(dir, 'int');
    const out = path.join(dir, 'int.json');
    const s = runSoak([
      '--minutes',
      '5',
      '--agents',
      '20',
      '--sample-every',
      '1',
      '--work',
      work,
      '--out',
      out,
    ]);
    // Interrupt once the run is under way (a sample printed after the table header).
    await waitFor(() => /RSS MB[^\n]*\n\s+0:0\d\s/.test(s.stdout()) || s.child.exitCode !== null, {
      timeoutMs: 30_000,
      what: `the first sample (stdout: ${s.stdout()})`,
    });
    expect(s.child.exitCode).toBeNull();
    const watcherPid = s.watcherPid()!;
    expect(alive(watcherPid)).toBe(true);
    s.child.kill('SIGINT');
    expect(await s.exited).toBe(130);
    const r = JSON.parse(fs.readFileSync(out, 'utf8')) as SoakResult;
    expect(r.interrupted).toBe(true);
    expect(r.watcher).toMatchObject({ pid: watcherPid, exitCode: 0, cleanExit: true });
    expect(r.churnExit).toBe(0);
    expect(r.samples.length).toBeGreaterThan(0);
    expect(typeof r.analysis.verdict).toBe('string');
    expect(alive(watcherPid)).toBe(false);
    expect(workspacesLeft(work)).toEqual([]);
  }, 60_000);
});
