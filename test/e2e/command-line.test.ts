// The `:` command line on the built binary in tmux (the demo): tab completes, :filter
// filters, :snapshot svg writes a file, an unknown command says so, :quit exits.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-colon-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'colon').out;
const send = (...keys: string[]) => tmux('send-keys', '-t', 'colon', ...keys);

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('the : command line (tmux, built binary)', () => {
  it('completes, filters, writes an SVG snapshot, rejects an unknown command and quits', async () => {
    const tmp = tempDir('sync-tui-colon-');
    made.push(tmp);
    const cmd = `env TMPDIR=${JSON.stringify(tmp)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --seed 5; echo EXIT=$?; sleep 60`;
    expect(tmux('new-session', '-d', '-x', '180', '-y', '30', '-s', 'colon', cmd).code).toBe(0);
    await waitFor(() => screen().includes('LIVE'), { timeoutMs: 15_000, what: 'the demo' });
    send(':');
    await waitFor(() => screen().includes('tab complete'), { timeoutMs: 10_000, what: 'the prompt' });
    send('-l', 'fil');
    send('Tab');
    await waitFor(() => /^:filter █/m.test(screen()), { timeoutMs: 10_000, what: 'the completed name' });
    send('-l', 'verdict:in-sync');
    send('Enter');
    await waitFor(() => screen().includes('filter: verdict:in-sync'), {
      timeoutMs: 10_000,
      what: 'the filter',
    });
    const rows = screen()
      .split('\n')
      .filter((l) => /^[› ][● ]Agent-\d+/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    for (const l of rows) expect(l).toContain('in-sync');
    send(':');
    send('-l', 'frob');
    send('Enter');
    await waitFor(() => screen().includes('unknown command :frob'), {
      timeoutMs: 10_000,
      what: 'the unknown command',
    });
    send(':');
    send('-l', 'snapshot svg');
    send('Enter');
    const s = await waitFor(() => /snapshot \(svg\) written to (\S+\.svg)/.exec(screen()), {
      timeoutMs: 10_000,
      what: 'the written path',
    });
    expect(fs.readFileSync(s[1]!, 'utf8')).toMatch(/^<svg /);
    send(':');
    send('-l', 'quit');
    send('Enter');
    const after = await waitFor(() => (screen().includes('EXIT=') ? screen() : null), {
      timeoutMs: 10_000,
      what: 'the demo to quit',
    });
    expect(after).toContain('EXIT=0');
  });
});
