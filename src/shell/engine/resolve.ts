// Resolve (README.md "Resolve"): bring the target in line with the truth for some agents
// or all. Plan against the target as read now, refuse what changed since the operator saw
// the plan (src/core/plan/frozen-plan.ts), journal the intent, write guarded (a file by
// atomic replace if unchanged, a store by compare-and-swap per key), read back to verify,
// and re-plan (bounded) when another writer got there first.
import { decisionsFor } from '../../core/reconcile/choices.js';
import type { Decision } from '../../core/reconcile/decisions.js';
import { getAt } from '../../core/observe/normalize.js';
import { guardAgent, type GuardResult } from '../../core/plan/frozen-plan.js';
import { detectFormat } from '../../core/read/parse.js';
import { targetSource } from '../../core/reconcile/reconcile.js';
import type { AgentState, PlannedWrite } from '../../core/types.js';
import { editDocument } from '../../core/write/edit.js';
import type { ActionResult, AgentOutcome, OutcomeCause, ResolveOpts } from '../engine-types.js';
import { Journal, journalFailure, type JournalEntry } from '../journal.js';
import { toGuarded } from '../sources/engine-stores.js';
import { EngineRecords, tagDecided } from './records.js';

export abstract class EngineResolve extends EngineRecords {
  protected async doResolve(agents: readonly string[] | 'all', opts: ResolveOpts): Promise<ActionResult> {
    const startedAtSeq = this.store.getSnapshot().seq;
    const target = targetSource(this.config);
    const base = { kind: 'resolve' as const, dryRun: opts.dryRun === true, startedAtSeq };
    if (!target)
      return this.finish({
        ...base,
        action: null,
        attempts: 0,
        agents: [],
        message: 'no target source to write to',
      });
    const wanted = agents === 'all' ? null : new Set(agents);
    const maxAttempts = this.opts.maxAttempts ?? 5;
    if (!opts.dryRun && wanted) for (const a of wanted) this.pending.add(a);
    if (!opts.dryRun) this.publish();

    let attempts = 0;
    let lastChangeMessage = '';
    try {
      let actionId: string | undefined;
      let storeWritten = 0;
      const store = this.opts.adapters?.get(target.name);
      while (attempts < maxAttempts) {
        attempts++;
        await store?.refresh();
        // Plan against the registry as it is on disk now. The agents' own files are kept
        // current by the watcher (or were just read by a one-shot command); a change that
        // lands after this plan shows as drift again in the next snapshot.
        this.refreshSource(target);
        const snap = this.compute(opts.prefer);
        const chosen = snap.recon.agents.filter((a) => (wanted ? wanted.has(a.id) : true));
        if (wanted) {
          for (const id of wanted) {
            if (!chosen.some((a) => a.id === id))
              chosen.push({
                id,
                verdict: 'missing',
                reasons: [`no source lists ${id}`],
                observations: {},
                truth: {},
                differences: [],
                plan: [],
                lastSeen: null,
              });
          }
        }
        // What the operator approved, frozen when it was shown: an agent whose plan differs
        // now is not written (src/core/plan/frozen-plan.ts).
        const refused = new Map<string, GuardResult & { ok: false }>();
        for (const f of opts.expect?.agents ?? []) {
          const g = guardAgent(
            f,
            snap.recon.agents.find((a) => a.id === f.id),
          );
          if (!g.ok) refused.set(f.id, g);
        }
        const writes = chosen.filter((a) => !refused.has(a.id)).flatMap((a) => a.plan);
        const outcomes = (status: (a: (typeof chosen)[number]) => AgentOutcome): AgentOutcome[] =>
          chosen.map((a) => {
            const g = refused.get(a.id);
            return g
              ? { agent: a.id, status: 'unresolved', cause: g.cause, reason: g.reason, writes: [] }
              : status(a);
          });
        /** Every chosen agent failed for one reason: nothing was written. */
        const failAll = (cause: OutcomeCause, message: string): ActionResult =>
          this.finish({
            ...base,
            action: null,
            attempts,
            agents: outcomes((a) => ({ agent: a.id, status: 'failed', cause, reason: message, writes: [] })),
            message,
          });
        // A winner picked by the operator (--prefer, 1-9) is recorded as decisions that
        // keep it the truth until a source involved changes (src/core/reconcile/decisions.ts).
        // The agents as the policy alone sees them, at plan time (before anything is written).
        const normal =
          opts.prefer && !opts.dryRun
            ? new Map(this.compute().recon.agents.map((a) => [a.id, a]))
            : new Map<string, AgentState>();
        const decide = (action: string): Decision[] => {
          if (!opts.prefer || opts.dryRun) return [];
          const at = new Date(this.clock()).toISOString();
          return chosen
            .filter(
              (a) =>
                !refused.has(a.id) && normal.has(a.id) && a.verdict !== 'conflict' && a.verdict !== 'invalid',
            )
            .flatMap((a) => decisionsFor(normal.get(a.id)!, a, this.config, opts.prefer!, at, action));
        };
        const describe = (w: PlannedWrite) => ({
          field: w.field,
          path: w.path,
          before: w.before,
          after: w.after,
        });
        const unresolvedReason = (a: (typeof chosen)[number]) =>
          a.reasons.find((r) => !r.startsWith('no write or heartbeat')) ?? a.verdict;

        /** What an agent with nothing to write is, as a dry run would say. */
        const unwritten = (a: (typeof chosen)[number]): AgentOutcome => {
          if (a.verdict === 'in-sync' || a.verdict === 'stale')
            return { agent: a.id, status: 'in-sync', cause: 'in-sync', writes: [] };
          return {
            agent: a.id,
            status: 'unresolved',
            cause: 'unresolved',
            reason: unresolvedReason(a),
            writes: [],
          };
        };
        const failedAll = (cause: AgentOutcome['cause'], reason: string) =>
          outcomes((a) =>
            a.plan.length > 0 || cause === 'target-unreadable' || cause === 'edit-refused'
              ? { agent: a.id, status: 'failed', cause, reason, writes: a.plan.map(describe) }
              : unwritten(a),
          );

        if (writes.length === 0 || opts.dryRun) {
          // Nothing to write, but a winner picked where the target already agrees: the
          // decision alone settles the conflict.
          const accepted = writes.length === 0 ? decide(Journal.newActionId(new Date(this.clock()))) : [];
          const recordError = await this.recordDecisions(accepted[0]?.action ?? '', accepted);
          // Verdicts as `check` will say them: from the policy (and decisions), not the preference.
          const now =
            opts.prefer && !opts.dryRun ? new Map(this.compute().recon.agents.map((a) => [a.id, a])) : null;
          const changed = refused.size > 0 ? `; ${refused.size} changed since you looked, not written` : '';
          return this.finish({
            ...base,
            action: accepted.length > 0 && !recordError ? accepted[0]!.action : null,
            attempts,
            agents: tagDecided(
              outcomes((a) =>
                a.plan.length > 0
                  ? { agent: a.id, status: 'planned', cause: 'planned', writes: a.plan.map(describe) }
                  : unwritten(now?.get(a.id) ?? a),
              ),
              recordError ? [] : accepted,
            ),
            message: opts.dryRun
              ? `dry run: ${writes.length} write(s) planned`
              : accepted.length > 0 && !recordError
                ? `nothing to write; decision recorded: ${opts.prefer}'s value wins for ${[...new Set(accepted.map((d) => d.agent))].length} agent(s) until a source changes, action ${accepted[0]!.action}${changed}`
                : `nothing to write${changed}`,
          });
        }

        const reg = this.registries.get(target.name);
        if (!reg || reg.text === null) {
          const message = `${target.path} cannot be read`;
          return failAll('target-unreadable', message);
        }
        const format = store ? 'json' : (target.format ?? detectFormat(target.path, reg.text));
        const edited = store ? { ok: true as const, text: '' } : editDocument(reg.text, format, writes);
        if (!edited.ok) {
          const message = `${target.path}: ${edited.message}; not written`;
          return failAll('edit-refused', message);
        }
        // One action across attempts: keys a store wrote before a retry belong to it too.
        const action = store
          ? (actionId ??= Journal.newActionId(new Date(this.clock())))
          : Journal.newActionId(new Date(this.clock()));
        const revs = new Map<string, { before: number; after: number }>();
        const journaled = (
          outcome: JournalEntry['outcome'],
          message?: string,
          only: readonly PlannedWrite[] = writes,
        ) =>
          only.map((w) =>
            this.entry(action, 'resolve', target, w, outcome, {
              truthFrom: w.truthFrom,
              revisions: revs.get(w.agent),
              ...(message !== undefined ? { message } : {}),
            }),
          );
        // Write-ahead (core/journal-model.ts): the intent is on disk before the registry
        // changes; if it cannot be recorded, nothing is written (it could not be undone).
        try {
          await this.journal.append(journaled('intent'));
        } catch (e) {
          const message = `${journalFailure(e)}; nothing written`;
          return this.finish({
            ...base,
            action: null,
            attempts,
            agents: failedAll('journal-failed', message),
            message,
          });
        }
        let replaced: { ok: true } | { ok: false; reason: string; message: string };
        if (store) {
          // Compare-and-swap per agent's key on the revision this plan was made from.
          const wrote = await store.write(writes.map((w) => toGuarded(target, w)));
          for (const [agent, r] of wrote.revisions) revs.set(agent, r);
          replaced = wrote;
          if (!wrote.ok && wrote.reason === 'changed' && revs.size > 0) {
            // The keys that were written stay written: journal them before re-planning the rest.
            this.refreshSource(target);
            const now = this.registries.get(target.name)?.read.documents[0]?.parse.value;
            const done = writes.filter((w) => revs.has(w.agent));
            storeWritten += done.length;
            await this.journalSafe([
              ...journaled(
                'verified',
                undefined,
                done.filter((w) => getAt(now, w.path) === w.after),
              ),
              ...journaled(
                'failed',
                'another value was read back',
                done.filter((w) => getAt(now, w.path) !== w.after),
              ),
            ]);
            await this.journalSafe(
              journaled(
                'failed',
                'not written: another program changed the key first; planned again',
                writes.filter((w) => !revs.has(w.agent)),
              ),
            );
            lastChangeMessage = wrote.message;
            continue;
          }
        } else {
          // A file target: replaced atomically only if it still holds the text planned from.
          replaced = await this.files.write(target, reg.text, edited.text);
        }
        if (!replaced.ok && replaced.reason === 'changed') {
          lastChangeMessage = replaced.message;
          await this.journalSafe(
            journaled('failed', 'not written: another program changed the registry first; planned again'),
          );
          continue; // someone else wrote the registry: re-read, re-plan, retry
        }
        if (!replaced.ok) {
          await this.journalSafe(journaled('failed', replaced.message));
          return this.finish({
            ...base,
            action,
            attempts,
            agents: failedAll('write-failed', replaced.message),
            message: replaced.message,
          });
        }

        // Verify: read the registry back; an agent is resolved only if the values match.
        this.refreshSource(target);
        const after = this.registries.get(target.name);
        const doc = after?.read.documents[0];
        const value = doc?.parse.ok ? doc.parse.value : undefined;
        const verified = (w: PlannedWrite) => value !== undefined && getAt(value, w.path) === w.after;
        await this.journalSafe(
          writes.map((w) =>
            this.entry(
              action,
              'resolve',
              target,
              w,
              verified(w) ? 'verified' : 'failed',
              verified(w)
                ? { truthFrom: w.truthFrom, revisions: revs.get(w.agent) }
                : {
                    truthFrom: w.truthFrom,
                    message: 'another value was read back',
                    revisions: revs.get(w.agent),
                  },
            ),
          ),
        );
        const made = writes.every(verified) ? decide(action) : [];
        const recordError = await this.recordDecisions(action, made);
        // Verdicts as `check` will report them: the policy and the decisions, never the
        // one-run preference alone (a picked winner that did not stick is unresolved).
        const check = this.compute();
        const afterById = new Map(check.recon.agents.map((x) => [x.id, x]));
        const result = outcomes((a): AgentOutcome => {
          const now = afterById.get(a.id);
          const ok = a.plan.every(verified);
          if (a.plan.length > 0 && !ok) {
            const lost = a.plan
              .filter((w) => !verified(w))
              .map(
                (w) =>
                  `${w.field}: wrote ${JSON.stringify(w.after)}, read back ${JSON.stringify(value === undefined ? null : getAt(value, w.path)) ?? 'nothing'}`,
              );
            return {
              agent: a.id,
              status: 'failed',
              cause: 'overwritten',
              reason: `the registry did not hold the written values when read back (${lost.join('; ')})`,
              writes: a.plan.map(describe),
            };
          }
          if (now && (now.verdict === 'in-sync' || now.verdict === 'stale'))
            return a.plan.length
              ? { agent: a.id, status: 'resolved', cause: 'verified', writes: a.plan.map(describe) }
              : { agent: a.id, status: 'in-sync', cause: 'in-sync', writes: [] };
          return {
            agent: a.id,
            status: 'unresolved',
            cause: 'unresolved',
            reason: now ? unresolvedReason(now) : 'gone',
            writes: a.plan.map(describe),
          };
        });
        const n = result.filter((r) => r.status === 'resolved').length;
        const changed = refused.size > 0 ? `; ${refused.size} changed since you looked, not written` : '';
        return this.finish({
          ...base,
          action,
          attempts,
          agents: tagDecided(result, recordError ? [] : made),
          message: `resolved ${n} agent${n === 1 ? '' : 's'} (${writes.length} write${writes.length === 1 ? '' : 's'}), action ${action}${changed}`,
        });
      }
      const written =
        storeWritten > 0
          ? `${storeWritten} write(s) made in earlier attempts are in the journal (action ${actionId})`
          : 'nothing written';
      const message = `the registry kept changing under us (${attempts} attempts); ${written}. Last: ${lastChangeMessage}`;
      return this.finish({ ...base, action: null, attempts, agents: [], message });
    } finally {
      this.pending.clear();
      this.publish();
    }
  }
}
