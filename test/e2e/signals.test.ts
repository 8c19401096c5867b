// Signals sent from outside (`kill`, `timeout`, a supervisor, a closed terminal): the built
// binary gives the terminal back (no alternate screen left on), removes the demo's temp
// folder, and exits 128 + the signal's number.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, copyFixture, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-signals-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;

/** Runs `args` in a tmux pane under a shell that prints the exit code; returns the pane and the pid file. */
function startInTmux(session: string, args: string[], env: Record<string, string> = {}): { pidFile: string } {
  const dir = tempDir('sync-tui-sig-');
  made.push(dir);
  const pidFile = path.join(dir, 'pid');
  const envs = Object.entries(env)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(' ');
  const inner = `echo $$ > ${JSON.stringify(pidFile)}; exec env ${envs} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args.map((a) => JSON.stringify(a)).join(' ')}`;
  const cmd = `echo BEFORE; sh -c ${JSON.stringify(inner).replace(/\$/g, '\\$')}; echo EXIT=$?; sleep 60`;
  expect(tmux('new-session', '-d', '-x', '140', '-y', '30', '-s', session, cmd).code).toBe(0);
  return { pidFile };
}

const screen = (session: string) => tmux('capture-pane', '-p', '-t', session).out;
const altScreen = (session: string) =>
  tmux('display-message', '-p', '-t', session, '#{alternate_on}').out.trim();

describe.skipIf(!hasTmux)('signals from outside, on the live view in tmux', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: leaves the alternate screen, shows the cursor, exits ${CODES[signal]}`, async () => {
      const root = copyFixture('incident');
      made.push(root);
      const session = `sig-${signal}`;
      const { pidFile } = startInTmux(session, ['--root', root]);
      await waitFor(() => altScreen(session) === '1' && screen(session).includes('LIVE'), {
        timeoutMs: 15_000,
        what: 'the live view on the alternate screen',
      });
      const pid = Number(fs.readFileSync(pidFile, 'utf8'));
      process.kill(pid, signal);
      const s = await waitFor(() => (screen(session).includes('EXIT=') ? screen(session) : null), {
        timeoutMs: 10_000,
        what: 'the shell to print the exit code',
      });
      expect(s).toContain(`EXIT=${CODES[signal]}`);
      // The shell's own screen is back, with what it showed before.
      expect(altScreen(session)).toBe('0');
      expect(s).toMatch(/^BEFORE$/m);
      expect(tmux('display-message', '-p', '-t', session, '#{cursor_flag}').out.trim()).toBe('1');
    });
  }

  it('SIGINT on the demo removes its temp folder and restores the terminal', async () => {
    const tmp = tempDir('sync-tui-sig-tmp-');
    made.push(tmp);
    const session = 'sig-demo';
    const { pidFile } = startInTmux(session, ['demo', '--seed', '3'], { TMPDIR: tmp });
    await waitFor(() => altScreen(session) === '1' && screen(session).includes('LIVE'), {
      timeoutMs: 15_000,
      what: 'the demo on the alternate screen',
    });
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('sync-tui-demo-'))).toHaveLength(1);
    process.kill(Number(fs.readFileSync(pidFile, 'utf8')), 'SIGINT');
    const s = await waitFor(() => (screen(session).includes('EXIT=') ? screen(session) : null), {
      timeoutMs: 10_000,
      what: 'the demo to exit',
    });
    expect(s).toContain('EXIT=130');
    expect(altScreen(session)).toBe('0');
    expect(fs.readdirSync(tmp).filter((n) => n.startsWith('sync-tui-demo-'))).toEqual([]);
  });
});

describe('signals from outside, on the headless demo (spawn)', () => {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    it(`${signal}: the temp folder is removed and the exit code is ${CODES[signal]}`, async () => {
      const child = spawn(process.execPath, [BIN, 'demo', '--headless', '60s', '--interval', '100ms'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      child.stdout.on('data', (b: Buffer) => (out += b.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const root = await waitFor(() => (out.includes('\n') ? out.trim() : null), {
        timeoutMs: 10_000,
        what: 'the demo to print its folder',
      });
      made.push(root);
      expect(fs.existsSync(root)).toBe(true);
      child.kill(signal);
      expect(await exited).toBe(CODES[signal]);
      expect(fs.existsSync(root)).toBe(false);
    });
  }
});
