// The --on-drift hook runner on real processes: stdin, failures, timeouts, bounds.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HookReport, WatchEvent } from '../../src/core/report/watch-events.js';
import { HookRunner } from '../../src/shell/hooks.js';
import { tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const made: string[] = [];
const runners: HookRunner[] = [];
afterEach(async () => {
  for (const r of runners.splice(0)) await r.drain(2000);
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function dir(): string {
  const d = tempDir('sync-tui-hooks-');
  made.push(d);
  return d;
}

function event(agent: string, n = 0): WatchEvent {
  return {
    type: 'change',
    at: new Date(0).toISOString(),
    agent,
    verdict: { before: 'in-sync', after: 'drift' },
    differences: [],
    truth: { n },
    reasons: [],
    alert: 'drift',
  };
}

function runner(
  command: string,
  opts: Partial<ConstructorParameters<typeof HookRunner>[0]> = {},
): { r: HookRunner; failures: HookReport[] } {
  const failures: HookReport[] = [];
  const r = new HookRunner({ command, onFailure: (f) => failures.push(f), ...opts });
  runners.push(r);
  return { r, failures };
}

describe('HookRunner', () => {
  it('gives the hook the event as one JSON line on stdin, and its environment', async () => {
    const d = dir();
    const out = path.join(d, 'got.json');
    const { r, failures } = runner(`cat > ${out}; echo "$SYNC_TUI_AGENT" > ${out}.env`, {
      envFor: (e) => ({ SYNC_TUI_AGENT: e.agent ?? '' }),
    });
    r.enqueue(event('Agent-2'));
    expect(await r.drain(5000)).toBe(true);
    expect(JSON.parse(fs.readFileSync(out, 'utf8'))).toEqual(event('Agent-2'));
    expect(fs.readFileSync(out, 'utf8').endsWith('\n')).toBe(true);
    expect(fs.readFileSync(out + '.env', 'utf8')).toBe('Agent-2\n');
    expect(failures).toEqual([]);
  });

  it('reports a non-zero exit with the end of its output, and a hook that ignores stdin is fine', async () => {
    const { r, failures } = runner('echo out; echo "bad thing" >&2; exit 3');
    r.enqueue(event('Agent-1'));
    await r.drain(5000);
    expect(failures).toMatchObject([
      {
        exitCode: 3,
        timedOut: false,
        stdout: 'out\n',
        stderr: 'bad thing\n',
        event: { type: 'change', agent: 'Agent-1' },
      },
    ]);
    const missing = runner('no-such-command-sync-tui');
    missing.r.enqueue(event('Agent-1'));
    await missing.r.drain(5000);
    expect(missing.failures[0]).toMatchObject({ exitCode: 127 });
  });

  it('keeps only the end of a long output', async () => {
    const { r, failures } = runner('head -c 100000 /dev/zero | tr "\\0" x; echo END; exit 1', {
      maxOutputBytes: 1000,
    });
    r.enqueue(event('a'));
    await r.drain(5000);
    expect(failures[0]!.stdout.length).toBe(1000);
    expect(failures[0]!.stdout.endsWith('xEND\n')).toBe(true);
  });

  it('kills a hook that overruns its timeout, children included', async () => {
    const d = dir();
    const pidFile = path.join(d, 'pid');
    const { r, failures } = runner(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 300 });
    const t0 = performance.now();
    r.enqueue(event('a'));
    await waitFor(() => failures.length === 1, { timeoutMs: 5000, what: 'the timeout to be reported' });
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(failures[0]).toMatchObject({ timedOut: true, exitCode: null, signal: 'SIGKILL' });
    expect(failures[0]!.stderr).toContain('killed after 300 ms');
    const sleeper = Number(fs.readFileSync(pidFile, 'utf8'));
    await waitFor(
      () => {
        try {
          process.kill(sleeper, 0);
          return false;
        } catch {
          return true;
        }
      },
      { what: 'the grandchild to be gone' },
    );
  });

  it('runs at most `concurrency` hooks at once', async () => {
    const d = dir();
    const { r } = runner(
      `mkdir ${d}/lock-$$ && ls ${d} | grep -c lock >> ${d}/counts; sleep 0.2; rmdir ${d}/lock-$$`,
      { concurrency: 2 },
    );
    for (let i = 0; i < 6; i++) r.enqueue(event(`A-${i}`));
    expect(r.stats().running).toBe(2);
    expect(r.stats().queued).toBe(4);
    await r.drain(10_000);
    const counts = fs.readFileSync(path.join(d, 'counts'), 'utf8').trim().split('\n').map(Number);
    expect(counts).toHaveLength(6);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
  });

  it('drops the oldest waiting events when the queue is full, and reports the count once a slot frees', async () => {
    const d = dir();
    const { r, failures } = runner(`cat >> ${d}/got`, { concurrency: 1, maxQueue: 3 });
    for (let i = 0; i < 10; i++) r.enqueue(event('A', i));
    expect(r.stats()).toMatchObject({ running: 1, queued: 3, dropped: 6 });
    await r.drain(5000);
    const got = fs
      .readFileSync(path.join(d, 'got'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as WatchEvent).truth['n']);
    expect(got).toEqual([0, 7, 8, 9]);
    expect(failures).toMatchObject([{ event: null, dropped: { since: 6, total: 6 } }]);
  });

  it('drain gives up after its deadline, kills what runs and drops what waits', async () => {
    const { r, failures } = runner('sleep 30', { concurrency: 1, timeoutMs: 60_000 });
    r.enqueue(event('a'));
    r.enqueue(event('b'));
    const t0 = performance.now();
    expect(await r.drain(200)).toBe(false);
    expect(performance.now() - t0).toBeLessThan(2000);
    expect(failures.some((f) => f.dropped?.since === 1)).toBe(true);
    expect(failures.some((f) => f.event?.agent === 'a' && f.signal === 'SIGKILL')).toBe(true);
    r.enqueue(event('c')); // closed: ignored, no throw
    expect(r.stats().queued).toBe(0);
  });
});
