// What the audit journal means, as pure functions over its entries (the file itself is
// src/shell/journal.ts). README.md, "How a resolve writes": every change is journaled with
// its before and after values so it can be shown (`log`) and undone (`undo`).
//
// Write-ahead: a resolve or undo first appends one `intent` entry per change it is about
// to make (fsynced), then writes the registry, then appends the outcome of each change
// (`verified`, `failed`, `refused`). A change whose intent has no outcome was interrupted
// (a crash between the two): it may or may not be in the registry, so `undo` decides from
// the current value. Journals written before intents existed have outcome entries only.
//
// One unit everywhere: a change is one (agent, path) of one action.

export type JournalOutcome = 'intent' | 'applied' | 'verified' | 'failed' | 'refused';
export const JOURNAL_OUTCOMES: readonly JournalOutcome[] = [
  'intent',
  'applied',
  'verified',
  'failed',
  'refused',
];

export interface JournalEntry {
  v: 1;
  /** Action id, e.g. `a-20261124T101500Z-3f9c`, shared by all entries of one resolve/undo. */
  action: string;
  /** ISO time. */
  at: string;
  kind: 'resolve' | 'undo';
  agent: string;
  field: string;
  target: string;
  file: string;
  path: string[];
  before: unknown;
  after: unknown;
  /** Source of truth, for resolves. */
  truthFrom?: string;
  /** For undo entries: the action undone. */
  undoes?: string;
  outcome: JournalOutcome;
  message?: string;
  /** A key-value store's revisions of the agent's key before and after the write (README.md "Several hosts"). */
  revisionBefore?: number;
  revisionAfter?: number;
  /** Who did it (user@host): set where the journal lives in a store's stream, shared by hosts. */
  by?: string;
}

/** How one change of an action ended: its outcome, or `interrupted` (an intent alone). */
export type ChangeState = 'verified' | 'failed' | 'refused' | 'interrupted';

export interface JournalChange {
  /** The last entry for this (agent, path) in the action (its outcome, or the intent). */
  entry: JournalEntry;
  state: ChangeState;
}

export interface ActionModel {
  id: string;
  at: string;
  kind: 'resolve' | 'undo';
  undoes?: string;
  /** One per (agent, path), in the order first journaled. */
  changes: JournalChange[];
}

const changeKey = (e: JournalEntry) => `${e.agent}\u0000${e.path.join('\u0000')}`;

function stateOf(e: JournalEntry): ChangeState {
  if (e.outcome === 'intent') return 'interrupted';
  return e.outcome === 'applied' ? 'verified' : e.outcome;
}

/** The journal's actions, in the order first written; each change is counted once. */
export function journalActions(entries: readonly JournalEntry[]): ActionModel[] {
  const byId = new Map<string, { model: ActionModel; index: Map<string, number> }>();
  for (const e of entries) {
    let a = byId.get(e.action);
    if (!a) {
      const model: ActionModel = { id: e.action, at: e.at, kind: e.kind, changes: [] };
      a = { model, index: new Map() };
      byId.set(e.action, a);
    }
    if (e.undoes !== undefined && a.model.undoes === undefined) a.model.undoes = e.undoes;
    const key = changeKey(e);
    const at = a.index.get(key);
    // An outcome replaces the intent before it; an intent never replaces an outcome.
    if (at === undefined) {
      a.index.set(key, a.model.changes.length);
      a.model.changes.push({ entry: e, state: stateOf(e) });
    } else if (e.outcome !== 'intent' || a.model.changes[at]!.state === 'interrupted') {
      a.model.changes[at] = { entry: e, state: stateOf(e) };
    }
  }
  return [...byId.values()].map((a) => a.model);
}

/** The changes of an action that may be in the registry: verified, or interrupted. */
export function effectiveChanges(a: ActionModel): JournalChange[] {
  return a.changes.filter((c) => c.state === 'verified' || c.state === 'interrupted');
}

/**
 * Which actions are undone now, and by what: an action is undone by a later undo of it
 * that changed something and is not itself undone (so an undo of that undo - a redo -
 * makes the action current again).
 */
export function undoneBy(actions: readonly ActionModel[]): Map<string, string> {
  const byId = new Map(actions.map((a) => [a.id, a]));
  const undoers = new Map<string, ActionModel[]>();
  for (const a of actions) {
    if (a.kind !== 'undo' || a.undoes === undefined || effectiveChanges(a).length === 0) continue;
    const list = undoers.get(a.undoes) ?? [];
    list.push(a);
    undoers.set(a.undoes, list);
  }
  const memo = new Map<string, string | null>();
  const visiting = new Set<string>();
  const undoneOf = (id: string): string | null => {
    if (memo.has(id)) return memo.get(id)!;
    if (visiting.has(id)) return null; // a hand-edited cycle: treat as not undone
    visiting.add(id);
    let by: string | null = null;
    for (const u of [...(undoers.get(id) ?? [])].reverse()) {
      if (byId.has(u.id) && undoneOf(u.id) === null) {
        by = u.id;
        break;
      }
    }
    visiting.delete(id);
    memo.set(id, by);
    return by;
  };
  const out = new Map<string, string>();
  for (const a of actions) {
    const by = undoneOf(a.id);
    if (by !== null) out.set(a.id, by);
  }
  return out;
}

export type UndoChoice =
  { ok: true; action: ActionModel; redo: ActionModel | null } | { ok: false; message: string };

/**
 * The action `undo` works on: the given id, or the latest resolve that changed something
 * and is not undone. An undo's id is accepted: undoing it re-applies what it restored
 * (`redo` is then the action it undid).
 */
export function chooseUndo(actions: readonly ActionModel[], id?: string): UndoChoice {
  const undone = undoneBy(actions);
  if (id === undefined) {
    const latest = [...actions]
      .reverse()
      .find((a) => a.kind === 'resolve' && effectiveChanges(a).length > 0 && !undone.has(a.id));
    return latest ? { ok: true, action: latest, redo: null } : { ok: false, message: 'nothing to undo' };
  }
  const a = actions.find((x) => x.id === id);
  if (!a) return { ok: false, message: `no action ${id} in the journal` };
  if (effectiveChanges(a).length === 0) {
    return { ok: false, message: `action ${id} changed nothing (${countChanges(a)}); nothing to undo` };
  }
  const by = undone.get(a.id);
  if (by !== undefined)
    return { ok: false, message: `action ${id} was already undone by ${by}; to re-apply it, undo ${by}` };
  const redo =
    a.kind === 'undo' && a.undoes !== undefined ? (actions.find((x) => x.id === a.undoes) ?? null) : null;
  return { ok: true, action: a, redo };
}

export type RestoreState = 'restore' | 'already' | 'changed';

export interface RestoreStep {
  change: JournalEntry;
  /** restore: the value is the action's after-value, put back the before-value.
   *  already: it holds the before-value (an interrupted change never written).
   *  changed: someone changed it since; left alone. */
  state: RestoreState;
  current: unknown;
}

/** What undoing the changes means against the registry as it is now. */
export function planRestore(
  changes: readonly JournalChange[],
  currentAt: (path: readonly string[]) => unknown,
): RestoreStep[] {
  return changes.map(({ entry, state }) => {
    const current = currentAt(entry.path);
    if (current === entry.after) return { change: entry, state: 'restore', current };
    if (state === 'interrupted' && current === entry.before)
      return { change: entry, state: 'already', current };
    return { change: entry, state: 'changed', current };
  });
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `9 changes` or `9 changes: 8 verified, 1 refused` (the one unit is the change). */
export function countChanges(a: ActionModel): string {
  const counts = new Map<ChangeState, number>();
  for (const c of a.changes) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  const total = plural(a.changes.length, 'change');
  if (counts.size === 1 && counts.has('verified')) return total;
  const order: ChangeState[] = ['verified', 'refused', 'failed', 'interrupted'];
  const label = (s: ChangeState) =>
    s === 'interrupted'
      ? 'interrupted (no outcome recorded)'
      : s === 'verified' && a.kind === 'undo'
        ? 'restored'
        : s;
  const parts = order.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${label(s)}`);
  return `${total}: ${parts.join(', ')}`;
}

/** The result line of an undo, counting changes only. */
export function undoMessage(
  target: ActionModel,
  redo: ActionModel | null,
  steps: readonly RestoreStep[],
): string {
  const done = steps.filter((s) => s.state !== 'changed').length;
  const refused = steps.length - done;
  const what = redo ? `${target.id} (an undo of ${redo.id})` : target.id;
  if (done === 0) return `undo of ${what} refused: every value changed since`;
  const again = redo ? `: ${done === 1 ? 'it is' : 'they are'} re-applied` : '';
  if (refused > 0)
    return `undid ${done} of ${steps.length} changes of ${what}${again}; ${refused} refused (changed since)`;
  return redo
    ? `undid ${what}: ${plural(done, 'change')} of ${redo.id} re-applied`
    : `undid ${what} (${plural(done, 'change')})`;
}

/** The line `log` prints for an action. */
export function actionHeadline(a: ActionModel): string {
  return `${a.id}  ${a.at}  ${a.kind}${a.undoes ? ` of ${a.undoes}` : ''}  ${countChanges(a)}`;
}
