// `sync-tui demo --nats` (README.md "Several hosts"): a throwaway nats-server, the
// simulator writing into its buckets, and the views reading them; without a server, one
// line and exit 2.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, PROJECT, requireCurrentDist, runCli } from '../helpers/cli.js';
import { natsAvailable } from '../helpers/nats.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const sessions: string[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) spawnSync('tmux', ['kill-session', '-t', s]);
});

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const sock = net.connect(port, '127.0.0.1');
    sock.once('connect', () => {
      sock.destroy();
      resolve(true);
    });
    sock.once('error', () => resolve(false));
  });
}

describe('sync-tui demo --nats', () => {
  it('without nats-server: one line naming what to install, exit 2', () => {
    const r = runCli(['demo', '--nats', '--headless', '1s'], {
      env: { NATS_SERVER: '/nonexistent/nats-server' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'sync-tui: demo --nats: nats-server is not installed (Debian: apt-get install nats-server; or set NATS_SERVER to its path)\n',
    );
  });

  it.skipIf(!natsAvailable())(
    '--headless: check reads the agents from the buckets while it runs; server and folder are gone after',
    async () => {
      requireCurrentDist();
      const child = spawn(
        process.execPath,
        [BIN, 'demo', '--nats', '--headless', '6s', '--seed', '4', '--interval', '100ms'],
        { cwd: PROJECT, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
      const root = await waitFor(() => (out.includes('\n') ? out.split('\n')[0]! : null), {
        timeoutMs: 15_000,
        what: 'the demo folder on stdout',
      });
      const config = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
      const port = Number(/nats:\/\/127\.0\.0\.1:(\d+)/.exec(config)![1]);
      expect(config).toMatch(/store: nats/);
      const check = runCli(['check', '--json', '--root', root]);
      const doc = JSON.parse(check.stdout) as {
        agents: { id: string; sources: Record<string, { present: boolean }> }[];
      };
      expect(doc.agents).toHaveLength(12);
      expect(doc.agents.every((a) => a.sources['agents']!.present && a.sources['registry']!.present)).toBe(
        true,
      );
      expect(await exited).toBe(0);
      expect(fs.existsSync(root)).toBe(false);
      expect(await portOpen(port)).toBe(false);
    },
    40_000,
  );

  it.skipIf(!natsAvailable() || !hasTmux)(
    'opens the live view over the buckets, keeps changing, and quits cleanly',
    async () => {
      const name = `sync-tui-nats-demo-${process.pid}-${Date.now()}`;
      sessions.push(name);
      requireCurrentDist();
      execFileSync('tmux', [
        'new-session',
        '-d',
        '-x',
        '160',
        '-y',
        '40',
        '-s',
        name,
        `${process.execPath} ${BIN} demo --nats --seed 5 --interval 200ms --quiet; echo EXITED:$?; sleep 30`,
      ]);
      const pane = () => execFileSync('tmux', ['capture-pane', '-p', '-t', name], { encoding: 'utf8' });
      const first = await waitFor(() => (/Agent-12/.test(pane()) ? pane() : null), {
        timeoutMs: 20_000,
        what: 'the demo table with 12 agents',
      });
      expect(first).toMatch(/registry/);
      await waitFor(() => pane() !== first, {
        timeoutMs: 10_000,
        what: 'the screen to change as the simulator writes into the bucket',
      });
      execFileSync('tmux', ['send-keys', '-t', name, 'q']);
      const end = await waitFor(() => /EXITED:(\d+)/.exec(pane()) ?? null, {
        timeoutMs: 10_000,
        what: 'the demo to exit',
      });
      expect(end[1]).toBe('0');
    },
    60_000,
  );
});
