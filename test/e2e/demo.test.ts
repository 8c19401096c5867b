// `sync-tui demo`, headless and as an operator opens it in tmux.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, runCli } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];
const folders: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', s]);
  for (const f of folders.splice(0)) fs.rmSync(f, { recursive: true, force: true });
});

describe('sync-tui demo', () => {
  it('--headless runs the simulator and leaves a workspace that check reads', () => {
    const r = runCli(['demo', '--headless', '2s', '--keep', '--seed', '9', '--interval', '100ms']);
    expect(r.code).toBe(0);
    const root = r.stdout.trim();
    folders.push(root);
    expect(fs.existsSync(`${root}/coordination_system_state.json`)).toBe(true);
    expect(fs.readFileSync(`${root}/events.jsonl`, 'utf8').split('\n').length).toBeGreaterThan(12);
    const check = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as {
      agents: { id: string }[];
      sources?: Record<string, unknown>;
    };
    expect(check.agents).toHaveLength(12);
    expect(Object.keys(check.sources!)).toEqual(['file', 'display', 'realtime']);
  });

  it('removes its workspace unless --keep', () => {
    const r = runCli(['demo', '--headless', '300ms']);
    expect(r.code).toBe(0);
    expect(fs.existsSync(r.stdout.trim())).toBe(false);
  });

  it('rejects bad options with exit 2', () => {
    expect(runCli(['demo', '--agents', 'lots'])).toMatchObject({
      code: 2,
      stderr: "sync-tui: --agents: expected a whole number from 1 to 100000, found 'lots'\n",
    });
  });

  it.skipIf(!hasTmux)(
    'opens the live view in a terminal, keeps changing, and quits cleanly',
    async () => {
      const name = `sync-tui-demo-${process.pid}-${Date.now()}`;
      sessions.push(name);
      execFileSync('tmux', [
        'new-session',
        '-d',
        '-x',
        '140',
        '-y',
        '40',
        '-s',
        name,
        `${process.execPath} ${BIN} demo --seed 5 --interval 200ms --quiet; echo EXITED:$?; sleep 30`,
      ]);
      const pane = () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
      const first = await waitFor(() => (/Agent-12/.test(pane()) ? pane() : null), {
        timeoutMs: 15_000,
        what: 'the demo table with 12 agents',
      });
      expect(first).toMatch(/Agent-1\b/);
      expect(first.replace(/\n$/, '').split('\n').length).toBeLessThanOrEqual(40);
      await waitFor(() => pane() !== first, {
        timeoutMs: 10_000,
        what: 'the screen to change as the simulator runs',
      });
      execFileSync('tmux', ['send-keys', '-t', name, 'q']);
      const end = await waitFor(() => /EXITED:(\d+)/.exec(pane()) ?? null, {
        timeoutMs: 10_000,
        what: 'the demo to exit',
      });
      expect(end[1]).toBe('0');
    },
    45_000,
  );
});
