// Copy on the built binary in tmux (the demo): `c` then `i` writes the OSC 52 sequence with
// the selected agent's id. capture-pane cannot see OSC 52, so the pane's raw output is
// piped to a file (pipe-pane) and the sequence is read from there.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-copy-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'copy').out;
const send = (...keys: string[]) => tmux('send-keys', '-t', 'copy', ...keys);

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('copy with OSC 52 (tmux, built binary)', () => {
  it('c then i writes the selected id as an OSC 52 sequence and says so', async () => {
    const tmp = tempDir('sync-tui-copy-');
    made.push(tmp);
    const raw = path.join(tmp, 'pane.raw');
    const cmd = `env TMPDIR=${JSON.stringify(tmp)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --seed 5; sleep 60`;
    expect(tmux('new-session', '-d', '-x', '180', '-y', '30', '-s', 'copy', cmd).code).toBe(0);
    expect(tmux('pipe-pane', '-o', '-t', 'copy', `cat >> ${JSON.stringify(raw)}`).code).toBe(0);
    await waitFor(() => screen().includes('LIVE') && /^›.Agent-\d+/m.test(screen()), {
      timeoutMs: 15_000,
      what: 'the demo with a selected row',
    });
    send('c');
    await waitFor(() => screen().includes('i id, p path'), { timeoutMs: 10_000, what: 'the copy prompt' });
    send('i');
    await waitFor(() => screen().includes('copied the id of'), {
      timeoutMs: 10_000,
      what: 'the copied line',
    });
    const m = await waitFor(
      () => /\x1b\]52;c;([A-Za-z0-9+/=]+)\x07/.exec(fs.existsSync(raw) ? fs.readFileSync(raw, 'latin1') : ''),
      { timeoutMs: 10_000, what: 'the OSC 52 sequence in the pane output' },
    );
    const copiedId = Buffer.from(m[1]!, 'base64').toString('utf8');
    expect(screen()).toContain(`copied the id of ${copiedId}: ${copiedId}`);
    // The demo's rows re-sort as it runs; the copied id is the one the status line names.
    expect(copiedId).toMatch(/^Agent-\d+$/);
    send('q');
  }, 40_000);
});
