// The detail pane's timeline and the edit key on the built binary in tmux: a registry change
// made while the view runs is recorded in the history and listed in the agent's timeline;
// `e` runs $EDITOR (a fake one, a real script recording its argv) on the agent's file at its
// diagnostic's line, and the screen comes back.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, copyFixture, requireCurrentDist, tempDir } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-timeline-${process.pid}`;
const made: string[] = [];

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-J', '-t', 'tl').out;
const send = (...keys: string[]) => tmux('send-keys', '-t', 'tl', ...keys);
async function until(what: string, cond: (s: string) => boolean, timeoutMs = 15_000): Promise<string> {
  try {
    return await waitFor(() => (cond(screen()) ? screen() : null), { timeoutMs, what });
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast screen:\n${screen()}`);
  }
}

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function start(root: string, env = ''): void {
  requireCurrentDist();
  const cmd = `env -u VISUAL ${env} ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)}; echo EXIT=$?; sleep 60`;
  expect(tmux('new-session', '-d', '-x', '160', '-y', '50', '-s', 'tl', cmd).code).toBe(0);
}

describe.skipIf(!hasTmux)('the timeline and the edit key (tmux, built binary)', () => {
  it("lists a registry change made while the view runs in the agent's timeline", async () => {
    const root = copyFixture('incident');
    made.push(root);
    start(root);
    await until('the table', (s) => s.includes('Agent-6') && s.includes('LIVE'));
    // The session is being recorded (its start line is written) before the change is made.
    const historyFile = path.join(root, '.sync-tui/history.jsonl');
    await waitFor(
      () => fs.existsSync(historyFile) && fs.readFileSync(historyFile, 'utf8').includes('"kind":"start"'),
      {
        timeoutMs: 15_000,
        what: 'the start line of the history',
      },
    );
    const registry = path.join(root, 'coordination_system_state.json');
    fs.writeFileSync(
      registry,
      fs.readFileSync(registry, 'utf8').replace(/("Agent-6": )"idle"/, '$1"uninitialized"'),
    );
    await until('the change on screen', (s) => /Agent-6 .*UNINITIALIZED/.test(s));
    // Agent-6 is the sixth row.
    send('j', 'j', 'j', 'j', 'j');
    await until('Agent-6 selected', (s) => /^› Agent-6\b/m.test(s));
    send('Enter');
    const s = await until('the timeline row', (t) => t.includes('display fsm: IDLE → UNINITIALIZED'));
    expect(s).toContain('TIMELINE');
    expect(s).toMatch(/\d\d-\d\d \d\d:\d\d:\d\d {2}~ display fsm: IDLE → UNINITIALIZED/);
    // The history file holds the values line the row came from.
    const history = fs.readFileSync(historyFile, 'utf8');
    expect(history).toMatch(
      /"kind":"values","at":"[^"]+","agent":"Agent-6","changes":\[\{"source":"display","field":"fsm","before":"IDLE","after":"UNINITIALIZED"\}\]/,
    );
    send('q');
    await until('the exit', (t) => t.includes('EXIT=0'));
  }, 60_000);

  it("e opens $EDITOR on the agent's file at its diagnostic's line and the view comes back", async () => {
    const root = copyFixture('incident');
    made.push(root);
    const bin = tempDir('sync-tui-editor-');
    made.push(bin);
    const argv = path.join(bin, 'argv');
    // Named vim, so it is given `+LINE FILE`.
    const editor = path.join(bin, 'vim');
    fs.writeFileSync(
      editor,
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > ${JSON.stringify(argv)}\necho FAKE-EDITOR-RAN\nsleep 1\n`,
      { mode: 0o755 },
    );
    start(root, `EDITOR=${JSON.stringify(editor)}`);
    await until('the table', (s) => s.includes('Agent-9') && s.includes('LIVE'));
    send('G', 'k', 'k');
    await until('Agent-9 selected', (s) => /^› Agent-9\b/m.test(s));
    send('e');
    await until(
      'the editor on the shell screen',
      (s) => s.includes('FAKE-EDITOR-RAN') && !s.includes('LIVE'),
    );
    const s = await until(
      'the view back',
      (t) => t.includes('LIVE') && t.includes('edited agent_workspaces/Agent-9/status.json at line'),
    );
    expect(s).not.toContain('FAKE-EDITOR-RAN');
    const args = fs.readFileSync(argv, 'utf8').trim().split('\n');
    expect(args).toHaveLength(2);
    expect(args[0]).toMatch(/^\+\d+$/);
    expect(args[1]).toBe(
      path
        .join(fs.realpathSync(root), 'agent_workspaces/Agent-9/status.json')
        .replace(fs.realpathSync(root), root),
    );
    // The line is the diagnostic's: the conflict marker's line in the file.
    const lines = fs.readFileSync(args[1]!, 'utf8').split('\n');
    expect(lines[Number(args[0]!.slice(1)) - 1]).toMatch(/^(<<<<<<<|=======|>>>>>>>)/);
    // Keys work again.
    send('j');
    await until('the next agent selected', (t) => /^› Agent-10\b/m.test(t));
    send('q');
    await until('the exit', (t) => t.includes('EXIT=0'));
  }, 60_000);
});
