// The live view keeps the same verdict history as `watch` (one writer, shell/history-recorder.ts):
// the built binary in a real terminal (tmux) sees an agent drift and come back, the operator
// quits, and `sync-tui report` shows the episode.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryReport } from '../../src/core/report/history-report.js';
import { BIN, requireCurrentDist, runCli } from '../helpers/cli.js';
import { setAgent2, twoAgents } from '../helpers/resolvable.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-history-${process.pid}`;
const cleanup: (() => void)[] = [];
let session: string | null = null;

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-t', session!).out;
const rowOf = (text: string, id: string) =>
  text.split('\n').find((l) => new RegExp(`^..${id}(?![\\w-])`).test(l)) ?? '';

async function until(what: string, cond: (text: string) => boolean): Promise<string> {
  try {
    return await waitFor(() => (cond(screen()) ? screen() : null), {
      timeoutMs: 10_000,
      intervalMs: 50,
      what,
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast screen:\n${screen()}`);
  }
}

afterEach(() => {
  if (session !== null) tmux('kill-server');
  session = null;
  for (const f of cleanup.splice(0).reverse()) f();
});

describe.skipIf(!hasTmux)('the live view records verdict history', () => {
  it('writes start, the drift and its end, and stop; report shows the episode as ended externally', async () => {
    requireCurrentDist();
    const root = twoAgents('ready', cleanup);
    session = `hist-${process.pid}`;
    expect(
      tmux(
        'new-session',
        '-d',
        '-x',
        '140',
        '-y',
        '30',
        '-s',
        session,
        `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)}`,
      ).code,
    ).toBe(0);
    // Past the loader's preview (src/shell/loader.ts): history is the engine's, once it is open.
    await until(
      'both agents in sync, the load complete',
      (t) =>
        !t.includes('reading') &&
        rowOf(t, 'Agent-2').includes('in-sync') &&
        rowOf(t, 'Agent-1').includes('in-sync'),
    );

    setAgent2(root, 'uninitialized');
    await until('Agent-2 drifted', (t) => rowOf(t, 'Agent-2').includes('drift'));
    setAgent2(root, 'ready');
    await until('Agent-2 back in sync', (t) => rowOf(t, 'Agent-2').includes('in-sync'));

    const file = path.join(root, '.sync-tui', 'history.jsonl');
    await waitFor(() => fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('"after":"in-sync"'), {
      what: 'the return to in-sync in the history',
    });
    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => fs.readFileSync(file, 'utf8').includes('"kind":"stop"'), {
      what: 'the stop line',
      timeoutMs: 10_000,
    });

    const lines = fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as { kind: string; agent?: string; before?: string | null; after?: string | null },
      );
    // Each change of Agent-2's status file: its verdict transition and the values that moved
    // (the detail pane's timeline, src/core/report/value-changes.ts).
    expect(lines.map((l) => l.kind)).toEqual(['start', 'verdict', 'values', 'verdict', 'values', 'stop']);
    const verdicts = lines.filter((l) => l.kind === 'verdict');
    expect(verdicts.map((l) => [l.agent, l.before, l.after])).toEqual([
      ['Agent-2', 'in-sync', 'drift'],
      ['Agent-2', 'drift', 'in-sync'],
    ]);
    expect(lines.filter((l) => l.kind === 'values').map((l) => l.agent)).toEqual(['Agent-2', 'Agent-2']);

    const r = runCli(['report', '--root', root, '--format', 'json', '--since', '1h']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as HistoryReport;
    expect(report.coverage.sessions).toBe(1);
    const agent2 = report.agents.find((a) => a.agent === 'Agent-2');
    expect(agent2?.episodes).toHaveLength(1);
    expect(agent2?.episodes[0]).toMatchObject({
      verdict: 'drift',
      ongoing: false,
      observed: true,
      resolvedBy: { kind: 'external' },
    });
  }, 40_000);

  it('writes nothing with --read-only', async () => {
    requireCurrentDist();
    const root = twoAgents('uninitialized', cleanup);
    session = `hist-ro-${process.pid}`;
    expect(
      tmux(
        'new-session',
        '-d',
        '-x',
        '140',
        '-y',
        '30',
        '-s',
        session,
        `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)} --read-only`,
      ).code,
    ).toBe(0);
    await until('Agent-2 drifted', (t) => rowOf(t, 'Agent-2').includes('drift'));
    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => tmux('has-session', '-t', session!).code !== 0, {
      what: 'the view to quit',
      timeoutMs: 10_000,
    });
    expect(fs.existsSync(path.join(root, '.sync-tui', 'history.jsonl'))).toBe(false);
  }, 40_000);
});
