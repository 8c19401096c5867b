// The live engine: keeps an up-to-date picture of every source (initial read, then
// chokidar batches re-read only the touched files), publishes immutable snapshots through
// a Store, and resolves / undoes against the registry with a guard, verification and the
// journal. The TUI, `watch`, `resolve` and `undo` all stand on this one object.
//
// It is built in layers, each in src/shell/engine/: picture.ts (observations, the dirty
// set, reconcile, snapshots, the stale timer), source-cache.ts (reading and re-reading the
// sources), records.ts (the journal and decisions), resolve.ts (resolve); this file opens
// an engine, undoes and closes.
import type { Config } from '../core/types.js';
import type { JournalStore } from './journal.js';
import { openAdapters } from './sources/adapter.js';
import { undoAction, type UndoDeps } from './undo.js';
import { FileSources } from './sources/file-adapter.js';
import type { FileWatcher } from './watcher.js';
import { EngineResolve } from './engine/resolve.js';
import type { EngineOptions } from './engine/state.js';

export type {
  ActionResult,
  AgentOutcome,
  AgentOutcomeStatus,
  EngineSnapshot,
  OutcomeCause,
  ResolveOpts,
  SourceHealth,
} from './engine-types.js';
import type { ActionResult, EngineSnapshot, ResolveOpts } from './engine-types.js';
export type { EngineOptions } from './engine/state.js';

export class Engine extends EngineResolve {
  /** Open an engine; with `watch`, resolves once the watchers are ready. */
  static async open(root: string, config: Config, opts: EngineOptions = {}): Promise<Engine> {
    const files = new FileSources(root, opts.fs);
    // Temp files left by a writer that was killed between write and rename.
    await files.cleanup(config);
    // Watch first, read second: whatever is written once the first read has begun has an
    // event still to come, so nothing needs reading twice. Batches that arrive before the
    // engine exists describe writes the first read sees anyway.
    let engine: Engine | undefined;
    let watcher: FileWatcher | null = null;
    if (opts.watch) {
      watcher = files.watch(config, (batches) => engine?.onBatches(batches), opts);
      await watcher.ready;
    }
    const adapters = await openAdapters(root, config, { clock: opts.clock ?? Date.now });
    let journal: JournalStore | undefined = opts.journal;
    try {
      // `journal: { stream }`: the journal on the target's store (README.md "Several hosts").
      const target = config.sources.find((s) => s.name === config.policy.target);
      if (journal === undefined && config.journalStream !== undefined && target?.store !== undefined)
        // Loaded here: the NATS client is not paid for by a root without a store.
        journal = await (
          await import('./nats/stream-journal.js')
        ).StreamJournal.open(root, target, config.journalStream);
      engine = new Engine(root, config, { ...opts, adapters, ...(journal ? { journal } : {}) }, watcher);
      // A store's watch starts after the revision its first read ended at: no gap.
      if (opts.watch)
        for (const a of adapters.values()) await a.watch((agents) => engine!.onStoreChange(a.spec, agents));
    } catch (e) {
      await watcher?.close();
      await Promise.all([...adapters.values()].map((a) => a.close()));
      await journal?.close?.();
      throw e;
    }
    engine.scheduleStaleCheck();
    return engine;
  }

  getSnapshot = (): EngineSnapshot => this.store.getSnapshot();
  subscribe = (l: () => void): (() => void) => this.store.subscribe(l);

  async close(): Promise<void> {
    this.closed = true;
    this.staleTimer.stop();
    await this.queue.catch(() => undefined);
    await this.watcher?.close();
    await Promise.all([...(this.opts.adapters?.values() ?? [])].map((a) => a.close()));
    await this.journal.close?.();
  }

  /**
   * Bring the target in line with the truth for the given agents (or all). Before
   * replacing the registry its content is compared with what the plan was computed from;
   * if another writer changed it, re-read, re-plan and retry (bounded).
   */
  resolve(agents: readonly string[] | 'all', opts: ResolveOpts = {}): Promise<ActionResult> {
    return this.serial(() => this.doResolve(agents, opts));
  }

  /**
   * Restore the before-values of an action (default: the latest resolve not yet undone),
   * with the same guard: a value that changed since is refused, with the reason.
   */
  undo(actionId?: string): Promise<ActionResult> {
    return this.serial(() => this.doUndo(actionId));
  }

  private async doUndo(actionId?: string): Promise<ActionResult> {
    const base = { kind: 'undo' as const, dryRun: false, startedAtSeq: this.store.getSnapshot().seq };
    const deps: UndoDeps = {
      root: this.root,
      config: this.config,
      clock: this.clock,
      journal: this.journal,
      maxAttempts: this.opts.maxAttempts ?? 5,
      readTarget: (spec) => {
        this.refreshSource(spec);
        const reg = this.registries.get(spec.name);
        const doc = reg?.read.documents[0];
        return reg && reg.text !== null && doc?.parse.ok ? { text: reg.text, value: doc.parse.value } : null;
      },
      journalSafe: (entries) => this.journalSafe(entries),
      undoDecisions: (undoes, action) => this.undoDecisions(undoes, action),
    };
    if (this.opts.fs) deps.fs = this.opts.fs;
    // A target in a store: compare-and-swap back, expecting the revision sync-tui wrote.
    const stores = this.opts.adapters;
    if (stores && stores.size > 0) deps.storeFor = (spec) => stores.get(spec.name);
    try {
      return this.finish({ ...base, ...(await undoAction(deps, actionId)) });
    } finally {
      // After finish: the snapshot that shows the undo's effect carries the undo as its
      // last action (watch names the action from it).
      this.publish();
    }
  }

  /** The journal, for `log`. */
  readJournal(): ReturnType<JournalStore['read']> {
    return this.journal.read();
  }
}
