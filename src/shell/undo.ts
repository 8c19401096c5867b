// `undo`: restore the before-values of a journaled action, with the resolve's guard
// (a value someone changed since is refused), write-ahead journaling (intents first, see
// core/journal-model.ts) and verification by reading the registry back. An undo's own id
// may be given: undoing an undo re-applies what it restored (a redo).
import * as path from 'node:path';
import { editDocument } from '../core/write/edit.js';
import {
  chooseUndo,
  effectiveChanges,
  journalActions,
  planRestore,
  undoMessage,
  type RestoreStep,
} from '../core/write/journal-model.js';
import { getAt } from '../core/observe/normalize.js';
import { detectFormat } from '../core/read/parse.js';
import type { Config, SourceSpec } from '../core/types.js';
import { replaceIfUnchanged } from './atomic.js';
import type { FsLayer } from './fs-layer.js';
import { DECISIONS_TARGET } from './decision-store.js';
import type { ActionResult, AgentOutcome } from './engine-types.js';
import { Journal, journalEntry, journalFailure, type JournalEntry, type JournalStore } from './journal.js';
import type { SourceAdapter } from './sources/adapter.js';
import { toGuarded } from './sources/engine-stores.js';

export interface UndoDeps {
  root: string;
  config: Config;
  clock: () => number;
  journal: JournalStore;
  fs?: FsLayer;
  maxAttempts: number;
  /** Re-reads the registry from disk: its text and parsed value, or null when unreadable. */
  readTarget(spec: SourceSpec): { text: string; value: unknown } | null;
  /** Appends entries; a failure is kept as the engine's error (an outcome after a write). */
  journalSafe(entries: JournalEntry[]): Promise<void>;
  /** Removes the operator decisions action `undoes` recorded, journaled under `action`. */
  undoDecisions?(undoes: string, action: string): Promise<{ agent: string }[]>;
  /** The adapter of a target held in a store (README.md "Several hosts"), if any. */
  storeFor?(spec: SourceSpec): SourceAdapter | undefined;
}

export type UndoResult = Omit<ActionResult, 'kind' | 'dryRun' | 'startedAtSeq'>;

const show = (v: unknown) => JSON.stringify(v) ?? 'absent';
const NOT_APPLIED = 'it never reached the registry (the action was interrupted before its write)';

export async function undoAction(d: UndoDeps, actionId?: string): Promise<UndoResult> {
  const none = (message: string, attempts = 0): UndoResult => ({
    action: null,
    attempts,
    agents: [],
    message,
  });
  const chosen = chooseUndo(journalActions((await d.journal.read()).entries), actionId);
  if (!chosen.ok) return none(chosen.message);
  const { action: target, redo } = chosen;
  // Decisions an action recorded (a picked winner) are undone by removing them, not in the
  // registry (src/shell/decision-store.ts).
  const all = effectiveChanges(target);
  const changes = all.filter((c) => c.entry.target !== DECISIONS_TARGET);
  if (changes.length === 0) {
    const action = Journal.newActionId(new Date(d.clock()));
    const removed = (await d.undoDecisions?.(target.id, action)) ?? [];
    const agents = [...new Set(removed.map((x) => x.agent))].map((agent): AgentOutcome => ({
      agent,
      status: 'restored',
      cause: 'verified',
      writes: [],
    }));
    return {
      action: removed.length > 0 ? action : null,
      attempts: 1,
      agents,
      message: `undid ${target.id} (${removed.length} decision${removed.length === 1 ? '' : 's'} removed)`,
    };
  }
  const spec = d.config.sources.find((s) => s.name === changes[0]!.entry.target);
  if (!spec) return none(`source ${changes[0]!.entry.target} is not in the config`);
  const abs = path.resolve(d.root, spec.path);
  const now = () => new Date(d.clock());
  const store = d.storeFor?.(spec);

  for (let attempts = 1; attempts <= d.maxAttempts; attempts++) {
    const action = Journal.newActionId(now());
    await store?.refresh();
    const reg = d.readTarget(spec);
    if (!reg) return none(`${spec.path} cannot be read; nothing undone`, attempts);
    const steps = planRestore(changes, (p) => getAt(reg.value, p));
    // In a store the key must still be at the revision sync-tui wrote, not merely hold the
    // same value: anyone's write since means the undo is refused for it.
    if (store)
      for (const s of steps)
        if (
          s.state === 'restore' &&
          s.change.revisionAfter !== undefined &&
          store.revision(s.change.agent) !== s.change.revisionAfter
        )
          s.state = 'changed';
    const revs = new Map<string, { before: number; after: number }>();
    const entryOf = (s: RestoreStep, outcome: JournalEntry['outcome'], message?: string) =>
      journalEntry(
        now(),
        action,
        'undo',
        spec,
        {
          agent: s.change.agent,
          field: s.change.field,
          path: s.change.path,
          before: s.current,
          after: s.change.before,
        },
        outcome,
        {
          undoes: target.id,
          revisions: revs.get(s.change.agent),
          ...(message !== undefined ? { message } : {}),
        },
      );
    const refusedEntries = () =>
      steps.filter((s) => s.state === 'changed').map((s) => entryOf(s, 'refused', 'changed since'));
    const toWrite = steps.filter((s) => s.state !== 'changed');
    if (toWrite.length === 0) {
      await d.journalSafe(refusedEntries());
      return {
        action,
        attempts,
        agents: outcomes(steps, () => true),
        message: undoMessage(target, redo, steps),
      };
    }
    const restore = steps.filter((s) => s.state === 'restore');
    let next = reg.text;
    if (restore.length > 0 && !store) {
      const format = spec.format ?? detectFormat(spec.path, reg.text);
      const edited = editDocument(
        reg.text,
        format,
        restore.map((s) => ({
          path: s.change.path,
          after:
            s.change.before === undefined ? undefined : (s.change.before as string | number | boolean | null),
        })),
      );
      if (!edited.ok)
        return {
          ...none(`${spec.path}: ${edited.message}; nothing undone`, attempts),
          agents: outcomes(steps, () => false, 'edit-refused', edited.message),
        };
      next = edited.text;
    }
    // Write-ahead: the intent is on disk before the registry changes, or nothing changes.
    try {
      await d.journal.append(toWrite.map((s) => entryOf(s, 'intent')));
    } catch (e) {
      const why = journalFailure(e);
      return {
        ...none(`${why}; nothing undone`, attempts),
        agents: outcomes(steps, () => false, 'journal-failed', why),
      };
    }
    if (restore.length > 0) {
      const expect = new Map(
        restore.flatMap((s) =>
          s.change.revisionAfter !== undefined ? [[s.change.agent, s.change.revisionAfter] as const] : [],
        ),
      );
      const replaced = store
        ? await store.write(
            restore.map((s) =>
              toGuarded(spec, { agent: s.change.agent, path: s.change.path, after: s.change.before }),
            ),
            expect,
          )
        : await replaceIfUnchanged(abs, reg.text, next, d.fs ? { fs: d.fs } : undefined);
      if (store && 'revisions' in replaced) for (const [agent, r] of replaced.revisions) revs.set(agent, r);
      if (!replaced.ok) {
        const again = replaced.reason === 'changed';
        const message = again
          ? 'not written: another program changed the registry first; planned again'
          : replaced.message;
        await d.journalSafe(toWrite.map((s) => entryOf(s, 'failed', message)));
        if (again) continue;
        return {
          action,
          attempts,
          agents: outcomes(steps, () => false, 'write-failed', replaced.message),
          message: `${replaced.message}; nothing undone`,
        };
      }
    }
    // Verify as resolve does: read the registry back; a value is restored only if it is there.
    const back = d.readTarget(spec);
    const verified = (s: RestoreStep) =>
      back !== null && getAt(back.value, s.change.path) === s.change.before;
    await d.journalSafe([
      ...toWrite.map((s) =>
        verified(s)
          ? entryOf(
              s,
              'verified',
              s.state === 'already'
                ? 'already as before (the action was interrupted before its write)'
                : undefined,
            )
          : entryOf(s, 'failed', 'another value was read back'),
      ),
      ...refusedEntries(),
    ]);
    if (all.length > changes.length) await d.undoDecisions?.(target.id, action);
    const agents = outcomes(steps, verified);
    const lost = toWrite.filter((s) => !verified(s)).length;
    const message =
      lost > 0
        ? `${undoMessage(target, redo, steps)}; but ${lost} of them did not hold when read back`
        : undoMessage(target, redo, steps);
    return { action, attempts, agents, message };
  }
  return none('the registry kept changing under us; nothing undone', d.maxAttempts);
}

/** One outcome per agent, its writes in journal order (the worst of its changes wins). */
function outcomes(
  steps: readonly RestoreStep[],
  held: (s: RestoreStep) => boolean,
  failCause?: AgentOutcome['cause'],
  failReason?: string,
): AgentOutcome[] {
  const byAgent = new Map<string, AgentOutcome>();
  for (const s of steps) {
    let o = byAgent.get(s.change.agent);
    if (!o) {
      o =
        s.state === 'already'
          ? {
              agent: s.change.agent,
              status: 'restored',
              cause: 'not-applied',
              reason: NOT_APPLIED,
              writes: [],
            }
          : { agent: s.change.agent, status: 'restored', cause: 'verified', writes: [] };
      byAgent.set(s.change.agent, o);
    }
    o.writes.push({
      field: s.change.field,
      path: s.change.path,
      before: s.change.after,
      after: s.change.before,
    });
    if (s.state === 'changed') {
      if (o.status !== 'failed') {
        o.status = 'refused';
        o.cause = 'refused';
        o.reason = `${s.change.path.join('.')} changed since (now ${show(s.current)}); left as it is`;
      }
    } else if (failCause !== undefined) {
      o.status = 'failed';
      o.cause = failCause;
      o.reason = failReason ?? failCause;
    } else if (!held(s)) {
      o.status = 'failed';
      o.cause = 'overwritten';
      o.reason = `${s.change.path.join('.')} did not hold the restored value when read back`;
    } else if (s.state === 'restore' && o.cause === 'not-applied') {
      o.cause = 'verified';
      delete o.reason;
    }
  }
  return [...byAgent.values()];
}
