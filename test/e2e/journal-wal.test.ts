// The write-ahead journal through the built binary (issue 11.8, 11.10): a journal that
// cannot be written stops the resolve before the registry is touched (exit 1, the reason);
// an intent without an outcome (a crash between them) is shown as interrupted by `log` and
// undone by `undo` from the current values; undo of an undo re-applies; `log` counts changes.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { JournalEntry } from '../../src/shell/journal.js';
import { runCli, tempDir, type Run } from '../helpers/cli.js';
import { waitFor } from '../helpers/wait.js';
import { startWatch, stopAllWatches } from '../helpers/watch-process.js';
import { twoSourceConfig } from '../helpers/two-sources.js';

const cleanup: (() => void)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) f();
});

const IDS = Array.from({ length: 9 }, (_, i) => `Agent-${i + 1}`);
const REGISTRY =
  JSON.stringify(
    { agents: Object.fromEntries(IDS.map((id) => [id, { status: 'IDLE', fsm: 'IDLE' }])) },
    null,
    2,
  ) + '\n';

function workspace(drifted = IDS): string {
  const root = tempDir('sync-tui-wal-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), twoSourceConfig());
  for (const id of IDS) {
    fs.mkdirSync(path.join(root, 'agents', id), { recursive: true });
    const fsm = drifted.includes(id) ? 'READY' : 'IDLE';
    fs.writeFileSync(
      path.join(root, 'agents', id, 'status.json'),
      JSON.stringify({
        agent_id: id,
        status: 'IDLE',
        fsm_state: fsm,
        last_updated: new Date().toISOString(),
      }) + '\n',
    );
  }
  fs.writeFileSync(path.join(root, 'registry.json'), REGISTRY);
  return root;
}

const cli = (root: string, ...args: string[]): Run => runCli([...args, '--root', root]);
const journalFile = (root: string) => path.join(root, '.sync-tui', 'journal.jsonl');
const journal = (root: string): JournalEntry[] =>
  fs
    .readFileSync(journalFile(root), 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JournalEntry);
const registryText = (root: string) => fs.readFileSync(path.join(root, 'registry.json'), 'utf8');
const setRegistryFsm = (root: string, id: string, fsm: string) => {
  const reg = JSON.parse(registryText(root)) as { agents: Record<string, { fsm: string }> };
  reg.agents[id]!.fsm = fsm;
  fs.writeFileSync(path.join(root, 'registry.json'), JSON.stringify(reg, null, 2) + '\n');
};

function immutable(dir: string): boolean {
  if (spawnSync('chattr', ['+i', dir]).status !== 0) return false;
  cleanup.push(() => void spawnSync('chattr', ['-i', dir]));
  return true;
}

describe('a journal that cannot be written', () => {
  it('an immutable state folder (no journal yet): resolve writes nothing and exits 1 naming the journal and the cause', (ctx) => {
    const root = workspace(['Agent-1']);
    fs.mkdirSync(path.join(root, '.sync-tui'));
    if (!immutable(path.join(root, '.sync-tui'))) return ctx.skip();
    const r = cli(root, 'resolve', '--all');
    const why = `the journal could not be written: operation not permitted (EPERM) while opening the journal ${journalFile(root)}; nothing written`;
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n').slice(-2)).toEqual([why, '']);
    expect(r.stdout).toContain(`Agent-1   failed      fsm: IDLE -> READY; ${why}\n`);
    expect(r.stderr).toBe('');
    expect(registryText(root)).toBe(REGISTRY);
    expect(fs.readdirSync(root).filter((n) => n.includes('.tmp'))).toEqual([]);
    const json = JSON.parse(cli(root, 'resolve', '--all', '--json').stdout) as {
      agents: { agent: string; cause: string }[];
    };
    expect(json.agents.find((a) => a.agent === 'Agent-1')?.cause).toBe('journal-failed');
  });

  it('an immutable journal file: the same, and the journal is left as it was', (ctx) => {
    const root = workspace(['Agent-1', 'Agent-2']);
    expect(cli(root, 'resolve', 'Agent-1').code).toBe(0);
    const before = fs.readFileSync(journalFile(root), 'utf8');
    const reg = registryText(root);
    if (!immutable(journalFile(root))) return ctx.skip();
    const r = cli(root, 'resolve', 'Agent-2');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      `the journal could not be written: operation not permitted (EPERM) while opening the journal ${journalFile(root)}; nothing written\n`,
    );
    expect(registryText(root)).toBe(reg);
    expect(fs.readFileSync(journalFile(root), 'utf8')).toBe(before);
  });
});

describe('an intent without an outcome (a crash between the registry write and the outcome)', () => {
  /** A resolve of Agent-1..3 whose outcome lines are then cut off, as a crash would leave it. */
  function interrupted(root: string): string {
    expect(cli(root, 'resolve', 'Agent-1', 'Agent-2', 'Agent-3').code).toBe(0);
    const entries = journal(root);
    fs.writeFileSync(
      journalFile(root),
      entries
        .filter((e) => e.outcome === 'intent')
        .map((e) => JSON.stringify(e) + '\n')
        .join(''),
    );
    return entries[0]!.action;
  }

  it('log shows it as interrupted; undo restores what reached the registry, passes what did not, refuses what changed since', () => {
    const root = workspace();
    const id = interrupted(root);
    // Agent-2's write never reached the registry; Agent-3's was changed by someone since.
    setRegistryFsm(root, 'Agent-2', 'IDLE');
    setRegistryFsm(root, 'Agent-3', 'BLOCKED');
    const log = cli(root, 'log');
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(
      new RegExp(`^${id}  \\S+  resolve  3 changes: 3 interrupted \\(no outcome recorded\\)$`, 'm'),
    );
    expect(log.stdout).toContain('  Agent-1  fsm  IDLE -> READY  interrupted  (truth: file)\n');
    expect((JSON.parse(cli(root, 'log', '--json').stdout) as JournalEntry[]).map((e) => e.outcome)).toEqual([
      'intent',
      'intent',
      'intent',
    ]);

    const u = cli(root, 'undo');
    expect(u.code).toBe(1); // one value refused
    expect(u.stdout.split('\n')).toEqual([
      'Agent-1   restored    fsm: READY -> IDLE',
      'Agent-2   restored    fsm: READY -> IDLE; it never reached the registry (the action was interrupted before its write)',
      'Agent-3   refused     fsm: READY -> IDLE; agents.Agent-3.fsm changed since (now "BLOCKED"); left as it is',
      `undid 2 of 3 changes of ${id}; 1 refused (changed since)`,
      '',
    ]);
    const reg = JSON.parse(registryText(root)) as { agents: Record<string, { fsm: string }> };
    expect([reg.agents['Agent-1']!.fsm, reg.agents['Agent-2']!.fsm, reg.agents['Agent-3']!.fsm]).toEqual([
      'IDLE',
      'IDLE',
      'BLOCKED',
    ]);
    expect(cli(root, 'log').stdout).toMatch(
      /^a-\S+ {2}\S+ {2}undo of a-\S+ {2}3 changes: 2 restored, 1 refused$/m,
    );
    expect(cli(root, 'undo')).toMatchObject({ code: 1, stdout: 'nothing to undo\n' });
  });
});

describe('undo counts changes, and undo of an undo re-applies', () => {
  it('an undo of 8 of 9 changes is logged as such; undoing that undo re-applies the 8', () => {
    const root = workspace();
    const r = cli(root, 'resolve', '--all');
    expect(r.code).toBe(0);
    const resolve = journal(root)[0]!.action;
    setRegistryFsm(root, 'Agent-9', 'BLOCKED');
    const u = cli(root, 'undo');
    expect(u.code).toBe(1);
    expect(u.stdout.split('\n').slice(-2)).toEqual([
      `undid 8 of 9 changes of ${resolve}; 1 refused (changed since)`,
      '',
    ]);
    const undo = journal(root).at(-1)!.action;
    expect(cli(root, 'log').stdout).toContain(`  undo of ${resolve}  9 changes: 8 restored, 1 refused\n`);
    expect(cli(root, 'log').stdout).toMatch(new RegExp(`^${resolve}  \\S+  resolve  9 changes$`, 'm'));

    const redo = cli(root, 'undo', undo);
    expect(redo.code).toBe(0);
    expect(redo.stdout.split('\n').slice(-2)).toEqual([
      `undid ${undo} (an undo of ${resolve}): 8 changes of ${resolve} re-applied`,
      '',
    ]);
    const reg = JSON.parse(registryText(root)) as { agents: Record<string, { fsm: string }> };
    expect(IDS.map((id) => reg.agents[id]!.fsm)).toEqual([
      ...Array.from({ length: 8 }, () => 'READY'),
      'BLOCKED',
    ]);
    expect(cli(root, 'undo', undo).stdout).toMatch(
      new RegExp(`^action ${undo} was already undone by a-\\S+; to re-apply it, undo a-\\S+$`, 'm'),
    );
  });
});

describe('watch and a journal it cannot read', () => {
  it('watch --auto-resolve says the journal is a folder (EISDIR) instead of taking it for an empty file', async () => {
    const root = workspace([]);
    fs.mkdirSync(journalFile(root), { recursive: true });
    const w = await startWatch({
      args: ['--json', '--auto-resolve', '--root', root],
      ready: (x) => x.events.some((e) => e.type === 'error' || e.type === 'initial'),
    });
    const error = await waitFor(() => w.of('error')[0], {
      timeoutMs: 10_000,
      what: 'an error event about the journal',
    });
    expect(error.message).toBe(
      `the journal cannot be read, so resolves by hand are not noticed: it is a folder, not a file (EISDIR) while reading ${journalFile(root)}`,
    );
    expect(await w.stop()).toBe(0);
    expect(w.of('error')).toHaveLength(1);
  });
});
