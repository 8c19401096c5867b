// The journal's meaning (core/journal-model.ts): one change per (agent, path) of an action,
// write-ahead intents, interrupted changes, what undo works on, and undo of an undo.
import { describe, expect, it } from 'vitest';
import {
  actionHeadline,
  chooseUndo,
  countChanges,
  effectiveChanges,
  journalActions,
  planRestore,
  undoMessage,
  undoneBy,
  type JournalEntry,
} from '../../src/core/write/journal-model.js';

const AT = '2026-03-02T09:00:00.000Z';

function e(
  action: string,
  agent: string,
  field: string,
  before: unknown,
  after: unknown,
  outcome: JournalEntry['outcome'],
  extra: Partial<JournalEntry> = {},
): JournalEntry {
  return {
    v: 1,
    action,
    at: AT,
    kind: 'resolve',
    agent,
    field,
    target: 'display',
    file: 'registry.json',
    path: ['agents', agent, field],
    before,
    after,
    outcome,
    ...extra,
  };
}
const u = (
  action: string,
  undoes: string,
  agent: string,
  field: string,
  before: unknown,
  after: unknown,
  outcome: JournalEntry['outcome'],
) => e(action, agent, field, before, after, outcome, { kind: 'undo', undoes });

describe('journalActions', () => {
  it('counts an intent and its outcome as one change; an intent alone is interrupted', () => {
    const [a, b] = journalActions([
      e('R1', 'A', 'fsm', 'IDLE', 'READY', 'intent'),
      e('R1', 'A', 'status', 'IDLE', 'READY', 'intent'),
      e('R1', 'A', 'fsm', 'IDLE', 'READY', 'verified'),
      e('R1', 'A', 'status', 'IDLE', 'READY', 'failed'),
      e('R2', 'B', 'fsm', 'IDLE', 'READY', 'intent'),
    ]);
    expect(a!.changes.map((c) => [c.entry.field, c.state])).toEqual([
      ['fsm', 'verified'],
      ['status', 'failed'],
    ]);
    expect(countChanges(a!)).toBe('2 changes: 1 verified, 1 failed');
    expect(b!.changes.map((c) => c.state)).toEqual(['interrupted']);
    expect(actionHeadline(b!)).toBe(`R2  ${AT}  resolve  1 change: 1 interrupted (no outcome recorded)`);
    expect(effectiveChanges(b!)).toHaveLength(1);
  });

  it('reads a journal from before write-ahead (outcomes only) the same way', () => {
    const [a] = journalActions([
      e('R1', 'A', 'fsm', 'IDLE', 'READY', 'verified'),
      e('R1', 'B', 'fsm', 'IDLE', 'READY', 'applied'),
    ]);
    expect(countChanges(a!)).toBe('2 changes');
  });

  it('counts an undo of 8 of 9 changes as 8 restored and 1 refused, not as 9', () => {
    const entries = Array.from({ length: 9 }, (_, i) =>
      u('U1', 'R1', `Agent-${i}`, 'fsm', 'READY', 'IDLE', i === 8 ? 'refused' : 'verified'),
    );
    const [a] = journalActions(entries);
    expect(actionHeadline(a!)).toBe(`U1  ${AT}  undo of R1  9 changes: 8 restored, 1 refused`);
    expect(effectiveChanges(a!)).toHaveLength(8);
  });
});

describe('chooseUndo and undo of an undo', () => {
  const r1 = [
    e('R1', 'A', 'fsm', 'IDLE', 'READY', 'intent'),
    e('R1', 'A', 'fsm', 'IDLE', 'READY', 'verified'),
  ];
  const r2 = [e('R2', 'B', 'fsm', 'IDLE', 'ACTIVE', 'verified')];
  const u2 = [u('U2', 'R2', 'B', 'fsm', 'ACTIVE', 'IDLE', 'verified')];
  const redo = [u('U3', 'U2', 'B', 'fsm', 'IDLE', 'ACTIVE', 'verified')];

  it('by default takes the latest resolve not undone, then the one before', () => {
    expect(chooseUndo(journalActions([...r1, ...r2]))).toMatchObject({
      ok: true,
      action: { id: 'R2' },
      redo: null,
    });
    expect(chooseUndo(journalActions([...r1, ...r2, ...u2]))).toMatchObject({
      ok: true,
      action: { id: 'R1' },
    });
  });

  it('finds an undo by its id (it is in the journal) and re-applies: the action it undid', () => {
    const choice = chooseUndo(journalActions([...r1, ...r2, ...u2]), 'U2');
    expect(choice).toMatchObject({ ok: true, action: { id: 'U2', kind: 'undo' }, redo: { id: 'R2' } });
  });

  it('after a redo the resolve is current again, and the undo it undid is undone', () => {
    const actions = journalActions([...r1, ...r2, ...u2, ...redo]);
    expect([...undoneBy(actions)]).toEqual([['U2', 'U3']]);
    expect(chooseUndo(actions)).toMatchObject({ ok: true, action: { id: 'R2' } });
    expect(chooseUndo(actions, 'U2')).toEqual({
      ok: false,
      message: 'action U2 was already undone by U3; to re-apply it, undo U3',
    });
  });

  it('says what is wrong with an id: unknown, changed nothing, already undone', () => {
    const actions = journalActions([...r1, ...r2, ...u2, e('R3', 'C', 'fsm', 'IDLE', 'READY', 'failed')]);
    expect(chooseUndo(actions, 'nope')).toEqual({ ok: false, message: 'no action nope in the journal' });
    expect(chooseUndo(actions, 'R3')).toEqual({
      ok: false,
      message: 'action R3 changed nothing (1 change: 1 failed); nothing to undo',
    });
    expect(chooseUndo(actions, 'R2')).toEqual({
      ok: false,
      message: 'action R2 was already undone by U2; to re-apply it, undo U2',
    });
    expect(chooseUndo(journalActions([]))).toEqual({ ok: false, message: 'nothing to undo' });
  });
});

describe('planRestore and the result line', () => {
  it('restores what holds the after-value, passes an interrupted change never written, refuses one changed since', () => {
    const [a] = journalActions([
      e('R1', 'A', 'fsm', 'IDLE', 'READY', 'verified'),
      e('R1', 'B', 'fsm', 'IDLE', 'READY', 'intent'),
      e('R1', 'C', 'fsm', 'IDLE', 'READY', 'intent'),
      e('R1', 'D', 'fsm', 'IDLE', 'READY', 'verified'),
    ]);
    const now: Record<string, string> = { A: 'READY', B: 'IDLE', C: 'READY', D: 'BLOCKED' };
    const steps = planRestore(effectiveChanges(a!), (p) => now[p[1]!]);
    expect(steps.map((s) => [s.change.agent, s.state])).toEqual([
      ['A', 'restore'],
      ['B', 'already'],
      ['C', 'restore'],
      ['D', 'changed'],
    ]);
    expect(undoMessage(a!, null, steps)).toBe('undid 3 of 4 changes of R1; 1 refused (changed since)');
  });

  it('names an undo of an undo as such', () => {
    const actions = journalActions([
      e('R2', 'B', 'fsm', 'IDLE', 'ACTIVE', 'verified'),
      u('U2', 'R2', 'B', 'fsm', 'ACTIVE', 'IDLE', 'verified'),
    ]);
    const steps = planRestore(effectiveChanges(actions[1]!), () => 'IDLE');
    expect(undoMessage(actions[1]!, actions[0]!, steps)).toBe(
      'undid U2 (an undo of R2): 1 change of R2 re-applied',
    );
  });
});
