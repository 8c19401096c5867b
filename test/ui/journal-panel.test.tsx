// The journal panel (L, :log): actions newest first, the selected one's changes as
// before -> after, u undoes the selected action, esc closes.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import type { JournalEntry } from '../../src/core/write/journal-model.js';
import { mount, rowIds, statusLine } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { press, stripAnsi } from '../helpers/ink.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

function entry(
  action: string,
  agent: string,
  before: unknown,
  after: unknown,
  outcome: JournalEntry['outcome'] = 'verified',
): JournalEntry {
  return {
    v: 1,
    action,
    at: '2026-11-24T10:15:00Z',
    kind: 'resolve',
    agent,
    field: 'fsm',
    target: 'display',
    file: 'reg.json',
    path: ['fsm', agent],
    before,
    after,
    outcome,
  };
}

const ENTRIES: JournalEntry[] = [
  { ...entry('a-1', 'Agent-2', 'UNINITIALIZED', 'READY'), outcome: 'intent' },
  entry('a-1', 'Agent-2', 'UNINITIALIZED', 'READY'),
  { ...entry('a-2', 'Agent-3', 'IDLE', 'ACTIVE'), outcome: 'intent' },
  entry('a-2', 'Agent-3', 'IDLE', 'ACTIVE', 'refused'),
];

describe('the journal panel', () => {
  it('L lists the actions newest first with before -> after, j moves, u undoes the selected one, esc closes', async () => {
    const reads: number[] = [];
    const m = await mount({ readJournal: async () => (reads.push(1), { entries: ENTRIES }) });
    let f = await press(m.r, 'L', (x) => x.includes(' journal ') && x.includes('a-2'));
    const lines = f.split('\n');
    const i2 = lines.findIndex((l) => l.includes('a-2'));
    const i1 = lines.findIndex((l) => l.includes('a-1'));
    expect(i2).toBeLessThan(i1);
    expect(lines[i2]).toMatch(/^› /);
    expect(f).toMatch(/Agent-3 fsm "?IDLE"? -> "?ACTIVE"?\s+refused/);
    expect(rowIds(f)).toEqual([]);
    f = await press(m.r, 'j', (x) => /^› .*a-1/m.test(stripAnsi(x)));
    f = stripAnsi(f);
    expect(f).toMatch(/Agent-2 fsm "?UNINITIALIZED"? -> "?READY"?\s+verified/);
    // The fake engine has nothing of its own to undo; what matters is which action was asked for.
    f = await press(m.r, 'u', (x) => statusLine(x).includes('nothing to undo'));
    expect(m.engine.calls.filter((c) => c.kind === 'undo')).toEqual([{ kind: 'undo', action: 'a-1' }]);
    // Read again after the undo.
    expect(reads.length).toBeGreaterThanOrEqual(2);
    f = await press(m.r, KEY.escape, (x) => rowIds(x).length === 8);
    expect(f).not.toContain(' journal ');
  });

  it(':log opens it too; with nothing journaled it says so', async () => {
    const m = await mount({ readJournal: async () => ({ entries: [] }) });
    await press(m.r, ':', (x) => statusLine(x).startsWith(':'));
    for (const ch of 'log') await press(m.r, ch, (x) => statusLine(x).includes(ch));
    await press(m.r, KEY.enter, (x) => x.includes('no actions yet'));
  });
});
