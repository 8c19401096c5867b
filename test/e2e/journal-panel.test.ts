// The journal panel on the built binary in tmux (the demo): resolve an agent, L lists the
// action with before -> after, u undoes it from the panel.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-journal-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'jp').out;
const send = (...keys: string[]) => tmux('send-keys', '-t', 'jp', ...keys);

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('the journal panel (tmux, built binary)', () => {
  it('lists a resolve with before -> after and undoes it with u', async () => {
    const tmp = tempDir('sync-tui-journal-');
    made.push(tmp);
    const cmd = `env TMPDIR=${JSON.stringify(tmp)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --seed 5; echo EXIT=$?; sleep 60`;
    expect(tmux('new-session', '-d', '-x', '180', '-y', '40', '-s', 'jp', cmd).code).toBe(0);
    await waitFor(() => screen().includes('LIVE'), { timeoutMs: 15_000, what: 'the demo' });
    // Show only drifted agents, resolve the first.
    send('f', 'f');
    await waitFor(() => screen().includes('drift only'), { timeoutMs: 10_000, what: 'the drift filter' });
    send('r');
    await waitFor(() => /resolved|action a-/.test(screen()), { timeoutMs: 15_000, what: 'the resolve' });
    send('L');
    const panel = await waitFor(
      () => (/ journal /.test(screen()) && / -> /.test(screen()) ? screen() : null),
      { timeoutMs: 10_000, what: 'the journal panel' },
    );
    expect(panel).toMatch(/› a-\S+\s+\S+\s+resolve/);
    send('u');
    // The undo is journaled too: listed first once the panel re-reads.
    await waitFor(() => /› \S+\s+\S+\s+undo of a-/.test(screen()), {
      timeoutMs: 15_000,
      what: 'the undo in the panel',
    });
    send('Escape');
    await waitFor(() => !screen().includes(' journal '), { timeoutMs: 10_000, what: 'the panel to close' });
    send('q');
    await waitFor(() => (screen().includes('EXIT=0') ? true : null), {
      timeoutMs: 10_000,
      what: 'the demo to quit',
    });
  });
});
