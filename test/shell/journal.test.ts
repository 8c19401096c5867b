// The audit journal: round trip, grouping, torn and corrupt lines, appends after a tear.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { realFs, type FsLayer } from '../../src/shell/fs-layer.js';
import { groupActions, Journal, JournalError, type JournalEntry } from '../../src/shell/journal.js';

let root: string;
let stateDir: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-journal-'));
  stateDir = path.join(root, '.sync-tui', 'state');
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

function entry(action: string, agent: string, over: Partial<JournalEntry> = {}): JournalEntry {
  return {
    v: 1,
    action,
    at: '2026-11-24T10:15:00.000Z',
    kind: 'resolve',
    agent,
    field: 'fsm',
    target: 'display',
    file: 'coordination_system_state.json',
    path: ['agent_fsm_states', agent],
    before: 'uninitialized',
    after: 'idle',
    truthFrom: 'file',
    outcome: 'applied',
    ...over,
  };
}

const journalFile = () => path.join(stateDir, 'journal.jsonl');

describe('Journal', () => {
  it('creates its folder on the first append and reads entries back', async () => {
    const j = new Journal(stateDir);
    expect(await j.read()).toEqual({ entries: [], diagnostics: [] });
    expect(fs.existsSync(stateDir)).toBe(false);
    const a = [
      entry('a-1', 'Agent-1'),
      entry('a-1', 'Agent-2', { before: null, after: { nested: ['x'] }, message: 'ok ✓ "quoted"\nnewline' }),
    ];
    await j.append(a);
    expect(fs.readFileSync(journalFile(), 'utf8').split('\n')).toHaveLength(3);
    expect(await j.read()).toEqual({ entries: a, diagnostics: [] });
  });

  it('an entry without a before value (the key was created) reads back without it', async () => {
    const j = new Journal(stateDir);
    const e = entry('a-1', 'Agent-9', { before: undefined });
    await j.append([e]);
    const { entries } = await j.read();
    expect(entries[0]).not.toHaveProperty('before');
    expect(entries[0]!.after).toBe('idle');
  });

  it('groups entries by action, in the order actions were written', async () => {
    const j = new Journal(stateDir);
    await j.append([entry('a-1', 'Agent-1'), entry('a-1', 'Agent-2')]);
    await j.append([
      entry('a-2', 'Agent-1', {
        kind: 'undo',
        undoes: 'a-1',
        at: '2026-11-24T10:16:00.000Z',
        before: 'idle',
        after: 'uninitialized',
      }),
    ]);
    await j.append([entry('a-1', 'Agent-1', { outcome: 'verified' })]);
    const actions = await j.actions();
    expect(actions.map((a) => [a.id, a.kind, a.at, a.entries.length])).toEqual([
      ['a-1', 'resolve', '2026-11-24T10:15:00.000Z', 3],
      ['a-2', 'undo', '2026-11-24T10:16:00.000Z', 1],
    ]);
    expect(actions[0]!.entries.map((e) => e.outcome)).toEqual(['applied', 'applied', 'verified']);
    expect(groupActions([])).toEqual([]);
  });

  it('reads the good entries of a damaged journal and names the bad lines', async () => {
    const good1 = JSON.stringify(entry('a-1', 'Agent-1'));
    const good2 = JSON.stringify(entry('a-2', 'Agent-2'));
    const text = [
      good1,
      'garbage here {',
      '',
      good2,
      '{"v":1,"action":"a-3"}',
      '[1,2]',
      JSON.stringify({ ...entry('a-4', 'A'), v: 2 }),
      good1.slice(0, 40),
    ].join('\n');
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(journalFile(), text);
    const { entries, diagnostics } = await new Journal(stateDir, {
      label: '.sync-tui/state/journal.jsonl',
    }).read();
    expect(entries.map((e) => e.action)).toEqual(['a-1', 'a-2']);
    expect(diagnostics.map((d) => [d.line, d.code])).toEqual([
      [2, 'journal-corrupt-line'],
      [5, 'journal-bad-entry'],
      [6, 'journal-bad-entry'],
      [7, 'journal-bad-entry'],
      [8, 'journal-torn-line'],
    ]);
    for (const d of diagnostics) {
      expect(d.file).toBe('.sync-tui/state/journal.jsonl');
      expect(d.message).not.toMatch(/garbage|[\n\r]/);
    }
    expect(diagnostics[2]!.message).toMatch(/not an object/);
    expect(diagnostics[3]!.message).toMatch(/unsupported version 2/);
  });

  it('tolerates CRLF lines and a BOM', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(
      journalFile(),
      '\uFEFF' + JSON.stringify(entry('a-1', 'A')) + '\r\n' + JSON.stringify(entry('a-2', 'B')) + '\r\n',
    );
    const { entries, diagnostics } = await new Journal(stateDir).read();
    expect(entries.map((e) => e.action)).toEqual(['a-1', 'a-2']);
    expect(diagnostics).toEqual([]);
  });

  it('an append after a torn last line starts a new line', async () => {
    const j = new Journal(stateDir);
    await j.append([entry('a-1', 'Agent-1')]);
    fs.appendFileSync(journalFile(), '{"v":1,"action":"a-2","at":"2026'); // a write cut off
    await j.append([entry('a-3', 'Agent-3'), entry('a-3', 'Agent-4')]);
    const { entries, diagnostics } = await j.read();
    expect(entries.map((e) => `${e.action}/${e.agent}`)).toEqual([
      'a-1/Agent-1',
      'a-3/Agent-3',
      'a-3/Agent-4',
    ]);
    expect(diagnostics).toEqual([expect.objectContaining({ line: 2, code: 'journal-corrupt-line' })]);
    expect(fs.readFileSync(journalFile(), 'utf8').endsWith('\n')).toBe(true);
  });

  it('a complete last line without a line break still counts, and the next append separates it', async () => {
    fs.mkdirSync(stateDir, { recursive: true });
    fs.writeFileSync(journalFile(), JSON.stringify(entry('a-1', 'A')));
    const j = new Journal(stateDir);
    expect((await j.read()).entries).toHaveLength(1);
    await j.append([entry('a-2', 'B')]);
    expect((await j.read()).entries.map((e) => e.action)).toEqual(['a-1', 'a-2']);
  });

  it('one append is one write followed by one fsync', async () => {
    const calls: string[] = [];
    const spy: FsLayer = {
      ...realFs,
      write: async (...args) => {
        calls.push('write');
        return realFs.write(...args);
      },
      fsync: async (fd) => {
        calls.push('fsync');
        return realFs.fsync(fd);
      },
    };
    await new Journal(stateDir, { fs: spy }).append([
      entry('a-1', 'A'),
      entry('a-1', 'B'),
      entry('a-1', 'C'),
    ]);
    expect(calls).toEqual(['write', 'fsync']);
  });

  it('write failures reject with a one-line JournalError naming the file and the cause', async () => {
    const full: FsLayer = {
      ...realFs,
      write: async () => Promise.reject(Object.assign(new Error('x'), { code: 'ENOSPC' })),
    };
    const err = await new Journal(stateDir, { fs: full })
      .append([entry('a-1', 'A')])
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(JournalError);
    expect((err as JournalError).code).toBe('ENOSPC');
    expect((err as JournalError).message).toBe(
      `disk full (ENOSPC) while appending to the journal ${journalFile()}`,
    );

    const ro: FsLayer = {
      ...realFs,
      mkdir: async () => Promise.reject(Object.assign(new Error('x'), { code: 'EROFS' })),
    };
    await expect(new Journal(stateDir, { fs: ro }).append([entry('a-1', 'A')])).rejects.toThrow(
      /read-only file system \(EROFS\) while creating the folder of the journal/,
    );
  });

  it('refuses to write a malformed entry', async () => {
    const bad = { ...entry('a-1', 'A'), outcome: 'maybe' } as unknown as JournalEntry;
    await expect(new Journal(stateDir).append([bad])).rejects.toThrow(/malformed entry/);
    expect(fs.existsSync(journalFile())).toBe(false);
  });

  it('an unreadable journal is a diagnostic, not an exception', async () => {
    fs.mkdirSync(journalFile(), { recursive: true }); // a folder where the file should be
    const { entries, diagnostics } = await new Journal(stateDir).read();
    expect(entries).toEqual([]);
    expect(diagnostics).toEqual([expect.objectContaining({ severity: 'error', code: 'journal-unreadable' })]);
  });

  it('action ids carry the UTC time and 16 random bits', () => {
    const now = new Date(Date.UTC(2026, 10, 24, 10, 15, 0, 123));
    expect(Journal.newActionId(now, () => 0.2498)).toBe('a-20261124T101500Z-3ff2');
    expect(Journal.newActionId(now, () => 0)).toBe('a-20261124T101500Z-0000');
    expect(Journal.newActionId(now, () => 0.9999999999)).toBe('a-20261124T101500Z-ffff');
    expect(Journal.newActionId(now)).toMatch(/^a-20261124T101500Z-[0-9a-f]{4}$/);
  });
});

describe('a state folder that leads out of the root', () => {
  it('is neither written nor read: the journal says why, and nothing lands outside', async () => {
    const base = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-jroot-'));
    const root = path.join(base, 'root');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(root);
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'journal.jsonl'), 'not ours\n');
    fs.symlinkSync(outside, path.join(root, '.sync-tui'));
    try {
      const j = new Journal(path.join(root, '.sync-tui'), { root, label: '.sync-tui/journal.jsonl' });
      await expect(j.append([entry('a-20261124T101500Z-0001', 'Agent-1')])).rejects.toThrow(
        /journal \.sync-tui\/journal\.jsonl is not used: a symlink on the way leads outside the root/,
      );
      expect(fs.readFileSync(path.join(outside, 'journal.jsonl'), 'utf8')).toBe('not ours\n');
      const read = await j.read();
      expect(read.entries).toEqual([]);
      expect(read.diagnostics).toEqual([expect.objectContaining({ code: 'journal-outside-root' })]);
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
