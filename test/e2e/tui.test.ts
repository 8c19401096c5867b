// The built `sync-tui` live view in a real terminal (tmux), driven the way an operator
// drives it: watch a file change land, select an agent, resolve it, quit.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, copyFixture } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
// A private tmux server per run: nothing else's sessions are touched.
const SOCKET = `sync-tui-e2e-${process.pid}`;
const made: string[] = [];
let session: string | null = null;

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}

function screen(): string {
  return tmux('capture-pane', '-p', '-t', session!).out;
}

function rowOf(text: string, id: string): string {
  return text.split('\n').find((l) => new RegExp(`^..${id}(?![\\w-])`).test(l)) ?? '';
}

async function until(what: string, cond: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  try {
    return await waitFor(
      () => {
        const s = screen();
        return cond(s) ? s : null;
      },
      { timeoutMs, intervalMs: 50, what },
    );
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast screen:\n${screen()}`);
  }
}

afterEach(() => {
  if (session !== null) tmux('kill-server');
  session = null;
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('sync-tui in a terminal (tmux)', () => {
  it('shows drift live, follows a file change, resolves the selected agent and quits cleanly', async () => {
    expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    const root = copyFixture('incident');
    made.push(root);
    // Fresh stamps for Agent-2, so that once resolved it is in sync rather than stale.
    const agent2 = path.join(root, 'agent_workspaces/Agent-2/status.json');
    fs.writeFileSync(
      agent2,
      fs
        .readFileSync(agent2, 'utf8')
        .replace(/"last_checkin": "[^"]*"/, `"last_checkin": "${new Date().toISOString()}"`),
    );
    const registry = path.join(root, 'coordination_system_state.json');

    session = `tui-${process.pid}`;
    const started = tmux(
      'new-session',
      '-d',
      '-x',
      '140',
      '-y',
      '40',
      '-s',
      session,
      `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)}`,
    );
    expect(started.code).toBe(0);

    // The live view (the first paint before it has no key hints: src/cli/first-paint.ts).
    let s = await until(
      'Agent-2 drifted in the live view',
      (t) => /\bq quit\b/.test(t) && rowOf(t, 'Agent-2').includes('≠ drift'),
    );
    expect(s.split('\n')[0]).toContain('LIVE');
    expect(rowOf(s, 'Agent-6')).toMatch(/IDLE\s+IDLE/);
    expect(s).toMatch(/j\/k move .*q quit/);

    // Someone edits a status file: the row follows.
    const agent6 = path.join(root, 'agent_workspaces/Agent-6/status.json');
    const doc = JSON.parse(fs.readFileSync(agent6, 'utf8'));
    doc.fsm_state = 'ACTIVE';
    fs.writeFileSync(agent6, JSON.stringify(doc, null, 2));
    s = await until('Agent-6 to show ACTIVE', (t) => /ACTIVE\s+IDLE\s.*≠ drift/.test(rowOf(t, 'Agent-6')));

    // Select Agent-2 and resolve it.
    tmux('send-keys', '-t', session, 'j');
    await until('Agent-2 selected', (t) => rowOf(t, 'Agent-2').startsWith('›'));
    tmux('send-keys', '-t', session, 'r');
    await waitFor(
      () => JSON.parse(fs.readFileSync(registry, 'utf8')).agent_fsm_states['Agent-2'] === 'ready',
      { timeoutMs: 10_000, what: 'the registry to hold Agent-2: ready' },
    );
    s = await until(
      'Agent-2 in sync and the result in the status line',
      (t) => rowOf(t, 'Agent-2').includes('✔ in-sync') && t.includes('Agent-2: resolved'),
    );
    expect(rowOf(s, 'Agent-2')).toMatch(/READY\s+READY/);
    expect(s).toMatch(/Agent-2: resolved · fsm "uninitialized" → "ready" · action a-\S+/);
    // The rest of the registry is as it was.
    const reg = JSON.parse(fs.readFileSync(registry, 'utf8'));
    expect(reg.agent_fsm_states['Agent-3']).toBe('uninitialized');

    tmux('send-keys', '-t', session, 'q');
    await waitFor(() => tmux('has-session', '-t', session!).code !== 0, {
      timeoutMs: 10_000,
      what: 'the session to end after q',
    });
  });

  it('with --read-only hides and refuses writes, and with NO_COLOR draws no colour; the registry is untouched', async () => {
    const root = copyFixture('incident');
    made.push(root);
    const registry = path.join(root, 'coordination_system_state.json');
    const before = fs.readFileSync(registry, 'utf8');
    session = `tui-ro-${process.pid}`;
    tmux(
      'new-session',
      '-d',
      '-x',
      '120',
      '-y',
      '30',
      '-s',
      session,
      `env NO_COLOR=1 ${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)} --read-only`,
    );
    let s = await until(
      'the table in the live view',
      (t) => /\bq quit\b/.test(t) && rowOf(t, 'Agent-2').includes('≠ drift'),
    );
    // With escapes: attributes (bold, inverse) but no colour at all.
    const raw = tmux('capture-pane', '-p', '-e', '-t', session).out;
    const colours = [...raw.matchAll(/\u001B\[([0-9;]*)m/g)]
      .flatMap((m) => m[1]!.split(';'))
      .filter((p) => /^(3[0-8]|4[0-8]|9[0-7]|10[0-7])$/.test(p));
    expect(colours).toEqual([]);
    expect(raw).toContain('\u001B[7m');
    expect(s.split('\n')[0]).toContain('READ-ONLY');
    expect(s).not.toMatch(/r resolve/);
    tmux('send-keys', '-t', session, 'j');
    await until('Agent-2 selected', (t) => rowOf(t, 'Agent-2').startsWith('›'));
    tmux('send-keys', '-t', session, 'r');
    s = await until('the refusal', (t) => t.includes('read-only: writes are disabled'));
    tmux('send-keys', '-t', session, 'C-c');
    await waitFor(() => tmux('has-session', '-t', session!).code !== 0, {
      timeoutMs: 10_000,
      what: 'the session to end after ctrl-c',
    });
    expect(fs.readFileSync(registry, 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(root, '.sync-tui'))).toBe(false);
  });
});
