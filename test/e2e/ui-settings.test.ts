// The settings that persist per root (README.md "Keys and screen"), on the built binary in
// tmux: a first run changes the verdict filter, the column sort, the detail pane and the
// bell and quits; <state dir>/ui.json holds them; a second run opens with them; a run with
// --no-restore opens with the defaults; a damaged ui.json is a note, not a crash.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, copyFixture } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const SOCKET = `sync-tui-settings-${process.pid}`;
const made: string[] = [];
let session = '';

function tmux(...args: string[]): { code: number | null; out: string } {
  const r = spawnSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout };
}
const screen = () => tmux('capture-pane', '-p', '-t', session).out;
const send = (...keys: string[]) => tmux('send-keys', '-t', session, ...keys);

async function until(what: string, cond: (text: string) => boolean): Promise<string> {
  try {
    return await waitFor(() => (cond(screen()) ? screen() : null), {
      timeoutMs: 15_000,
      intervalMs: 50,
      what,
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}\nlast screen:\n${screen()}`);
  }
}

async function start(name: string, root: string, ...flags: string[]): Promise<string> {
  session = `${name}-${process.pid}`;
  const cmd = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} --root ${JSON.stringify(root)} ${flags.join(' ')}`;
  expect(tmux('new-session', '-d', '-x', '140', '-y', '40', '-s', session, cmd).code).toBe(0);
  return until('the table', (t) => /^›.Agent-\d+/m.test(t));
}

async function quit(): Promise<void> {
  send('q');
  await waitFor(() => tmux('has-session', '-t', session).code !== 0, {
    timeoutMs: 10_000,
    what: 'the session to end',
  });
}

afterEach(() => {
  tmux('kill-server');
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe.skipIf(!hasTmux)('settings saved per root in ui.json (tmux, built binary)', () => {
  it('saves the verdict filter, column sort, detail pane and bell, restores them, and --no-restore does not', async () => {
    expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    const root = copyFixture('incident');
    made.push(root);
    const file = path.join(root, '.sync-tui', 'ui.json');

    let s = await start('first', root);
    expect(s).not.toContain('agent▲');
    send('f'); // verdicts: problems
    send('>'); // sort by the first column
    await until('the sort arrow', (t) => t.includes('▲'));
    send('Enter'); // the detail pane
    send('b'); // bell off
    await until('the bell off', (t) => /bell off/i.test(t));
    await quit();
    const saved = await waitFor(
      () => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : null),
      {
        timeoutMs: 5000,
        what: 'ui.json',
      },
    );
    expect(saved).toMatchObject({ version: 1, verdictFilter: 'problems', detailOpen: true, bell: false });
    expect(saved.columnSort).toMatchObject({ reverse: false });

    s = await start('second', root);
    const firstShown = s;
    expect(firstShown).toContain('▲');
    expect(firstShown).toMatch(/problems/);
    // The detail pane is open: its table of values per source is drawn.
    expect(firstShown).toMatch(/FIELD\s+SOURCE\s+VALUE/);
    await quit();

    s = await start('third', root, '--no-restore');
    expect(s).not.toContain('▲');
    expect(s).not.toMatch(/FIELD\s+SOURCE\s+VALUE/);
    await quit();
    // Starting from the defaults changes nothing, so nothing was written over the saved settings.
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(saved);
  }, 90_000);

  it('a damaged ui.json is named on the status line and the view opens with the defaults', async () => {
    const root = copyFixture('incident');
    made.push(root);
    fs.mkdirSync(path.join(root, '.sync-tui'), { recursive: true });
    fs.writeFileSync(path.join(root, '.sync-tui', 'ui.json'), '{"version": 1, "sort": ');
    const shown = await start('damaged', root);
    await until('the note about ui.json', (t) =>
      t.includes('ui.json: not valid JSON; saved settings ignored'),
    );
    expect(shown).not.toContain('▲');
    await quit();
  }, 40_000);
});
