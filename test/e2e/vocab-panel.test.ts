// The vocabulary panel on the built binary in tmux: V lists the values of a discovered tree
// (fixtures/discovery/registry-subfolder), a accepts the suggestion for the unknown one, the
// alias lands in a sync-tui.config.yaml created from the layout found, and the list follows.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, FIXTURES, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-vocab-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'vp').out;
const send = (...keys: string[]) => tmux('send-keys', '-t', 'vp', ...keys);

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('the vocabulary panel (tmux, built binary)', () => {
  it('V lists the values, a writes the alias and the list reads it as known', async () => {
    const root = tempDir('sync-tui-vocab-tmux-');
    made.push(root);
    fs.cpSync(path.join(FIXTURES, 'discovery', 'registry-subfolder'), root, { recursive: true });
    const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)}; echo EXIT=$?; sleep 60`;
    expect(tmux('new-session', '-d', '-x', '200', '-y', '40', '-s', 'vp', cmd).code).toBe(0);
    await waitFor(() => screen().includes('Agent-3') && !screen().includes('reading…'), {
      timeoutMs: 15_000,
      what: 'the live view',
    });
    send('V');
    const panel = await waitFor(() => (screen().includes(' vocabulary ') ? screen() : null), {
      timeoutMs: 10_000,
      what: 'the vocabulary panel',
    });
    expect(panel).toMatch(/› COMPLETE - LEGENDARY SESSION\s+1 agent\s+-> unknown\s+suggest ONBOARDED/);
    expect(panel).toMatch(/4 of 5 distinct values known/);
    send('a');
    await waitFor(() => screen().includes('5 of 5 distinct values known'), {
      timeoutMs: 10_000,
      what: 'the list to follow the alias',
    });
    expect(screen()).toMatch(/COMPLETE - LEGENDARY SESSION\s+1 agent\s+-> ONBOARDED/);
    expect(fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8')).toContain(
      'COMPLETE - LEGENDARY SESSION',
    );
    send('Escape');
    await waitFor(() => !screen().includes(' vocabulary '), {
      timeoutMs: 10_000,
      what: 'the panel to close',
    });
    send('q');
    await waitFor(() => (screen().includes('EXIT=0') ? true : null), { timeoutMs: 10_000, what: 'the quit' });
  });
});
