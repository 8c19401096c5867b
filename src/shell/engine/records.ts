// What the engine's actions record (README.md "Resolve", "Undo"): one action at a time,
// journal entries (write-ahead intents and outcomes, src/core/write/journal-model.ts), and
// the operator's decisions (a picked winner, src/core/reconcile/decisions.ts) saved and
// removed with the action that made them.
import { withDecisions, withoutAction, type Decision } from '../../core/reconcile/decisions.js';
import type { SourceSpec } from '../../core/types.js';
import { DECISIONS_TARGET, decisionsPath, saveDecisions } from '../decision-store.js';
import type { ActionResult, AgentOutcome } from '../engine-types.js';
import { journalEntry, journalFailure, type JournalEntry } from '../journal.js';
import { EngineSources } from './source-cache.js';

/** Outcomes with the fields a decision was recorded for (`decided`), where there are any. */
export function tagDecided(list: AgentOutcome[], decisions: readonly Decision[]): AgentOutcome[] {
  if (decisions.length === 0) return list;
  return list.map((o) => {
    const fields = decisions.filter((d) => d.agent === o.agent).map((d) => d.field);
    return fields.length > 0 ? { ...o, decided: fields } : o;
  });
}

export abstract class EngineRecords extends EngineSources {
  protected serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Record what picking `prefer` settled for the resolved agents (one decision per field),
   * journaled with the action so that undoing it removes them. Returns an error, or null.
   */
  protected async recordDecisions(action: string, decisions: readonly Decision[]): Promise<string | null> {
    if (decisions.length === 0) return null;
    const file = decisionsPath(this.config.stateDir);
    const previous = new Map(this.decided.list.map((d) => [`${d.agent}\u0000${d.field}`, d.source]));
    await this.journalSafe(
      decisions.map((d) => {
        const e = this.entry(
          action,
          'resolve',
          { name: DECISIONS_TARGET, path: file } as SourceSpec,
          {
            agent: d.agent,
            field: d.field,
            path: [d.agent, d.field],
            before: previous.get(`${d.agent}\u0000${d.field}`) ?? null,
            after: d.source,
          },
          'verified',
          {
            truthFrom: d.source,
            message: `decision: ${d.source}'s value ${JSON.stringify(d.value)} wins until a source involved changes`,
          },
        );
        return e;
      }),
    );
    const error = await saveDecisions(
      this.root,
      this.config.stateDir,
      this.decided,
      withDecisions(this.decided.list, decisions),
      this.opts.fs,
    );
    this.loadDecisions();
    if (error) this.error = `the decision could not be recorded: ${error}`;
    return error;
  }

  /** Remove the decisions an action recorded (journaled as part of the undo `action`). */
  protected async undoDecisions(undoes: string, action: string): Promise<Decision[]> {
    this.loadDecisions();
    const removed = this.decided.list.filter((d) => d.action === undoes);
    if (removed.length === 0) return [];
    const file = { name: DECISIONS_TARGET, path: decisionsPath(this.config.stateDir) } as SourceSpec;
    const error = await saveDecisions(
      this.root,
      this.config.stateDir,
      this.decided,
      withoutAction(this.decided.list, undoes),
      this.opts.fs,
    );
    if (error) {
      this.error = `the decisions of ${undoes} could not be removed: ${error}`;
      return [];
    }
    await this.journalSafe(
      removed.map((d) =>
        this.entry(
          action,
          'undo',
          file,
          { agent: d.agent, field: d.field, path: [d.agent, d.field], before: d.source, after: null },
          'verified',
          { undoes, message: 'decision removed' },
        ),
      ),
    );
    this.loadDecisions();
    return removed;
  }

  protected entry(
    action: string,
    kind: 'resolve' | 'undo',
    target: SourceSpec,
    w: { agent: string; field: string; path: string[]; before: unknown; after: unknown },
    outcome: JournalEntry['outcome'],
    extra: {
      truthFrom?: string;
      undoes?: string;
      message?: string;
      revisions?: { before: number; after: number } | undefined;
    } = {},
  ): JournalEntry {
    return journalEntry(new Date(this.clock()), action, kind, target, w, outcome, extra);
  }

  protected async journalSafe(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.journal.append(entries);
    } catch (e) {
      this.error = journalFailure(e);
    }
  }

  protected finish(result: ActionResult): ActionResult {
    this.lastAction = result;
    return result;
  }
}
