// The snapshot key on the built binary in tmux: in the demo the file lands outside the
// temp workspace that `q` removes, its full path is in the status line, and it is still
// there after quitting.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-snapkey-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'snap').out;

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('the snapshot key in the demo (tmux)', () => {
  it('S then s writes an SVG outside the demo folder, says the full path, and the file outlives q', async () => {
    const tmp = tempDir('sync-tui-snapkey-');
    made.push(tmp);
    const cmd = `env TMPDIR=${JSON.stringify(tmp)} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} demo --seed 5; echo EXIT=$?; sleep 60`;
    expect(tmux('new-session', '-d', '-x', '180', '-y', '30', '-s', 'snap', cmd).code).toBe(0);
    await waitFor(() => screen().includes('LIVE'), { timeoutMs: 15_000, what: 'the demo' });
    const demoRoot = fs
      .readdirSync(tmp)
      .filter((n) => n.startsWith('sync-tui-demo-'))
      .map((n) => path.join(tmp, n))[0]!;
    expect(demoRoot).toBeDefined();
    tmux('send-keys', '-t', 'snap', 'S');
    await waitFor(() => screen().includes('snapshot as:'), {
      timeoutMs: 10_000,
      what: 'the format question',
    });
    tmux('send-keys', '-t', 'snap', 's');
    const s = await waitFor(() => /snapshot \(svg\) written to (\S+\.svg)/.exec(screen()), {
      timeoutMs: 10_000,
      what: 'the written path',
    });
    const file = s[1]!;
    expect(path.isAbsolute(file)).toBe(true);
    expect(file.startsWith(demoRoot + path.sep)).toBe(false);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^<svg /);
    tmux('send-keys', '-t', 'snap', 'q');
    const after = await waitFor(() => (screen().includes('EXIT=') ? screen() : null), {
      timeoutMs: 10_000,
      what: 'the demo to quit',
    });
    expect(after).toContain('EXIT=0');
    expect(after).toContain(`snapshots of this session are in ${path.dirname(file)}`);
    expect(fs.existsSync(demoRoot)).toBe(false);
    expect(fs.existsSync(file)).toBe(true);
  });
});
