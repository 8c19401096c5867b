// The engine's incremental picture (README.md "Live view"): every source's observations
// kept between changes, agent states reconciled again only where something changed (the
// dirty set), and snapshots computed and published through the Store. The layers above
// (source-cache.ts reads, records.ts and resolve.ts act, ../engine.ts opens) fill it.
import * as path from 'node:path';
import { observeSource, type ObserveContext } from '../../core/observe/normalize.js';
import {
  agentIds,
  agentObservations,
  compareAgentIds,
  type ObservedSource,
  observeSources,
  reconcileAgent,
  summarize,
} from '../../core/reconcile/reconcile.js';
import type {
  AgentState,
  Config,
  Diagnostic,
  Observation,
  Reconciliation,
  SourceRead,
  SourceSpec,
} from '../../core/types.js';
import { loadDecisions, type LoadedDecisions } from '../decision-store.js';
import type { ActionResult, EngineSnapshot, SourceHealth } from '../engine-types.js';
import { Journal, type JournalStore } from '../journal.js';
import { storeHealth } from '../sources/engine-stores.js';
import { FileSources } from '../sources/file-adapter.js';
import { Store } from '../store.js';
import type { FileWatcher } from '../watcher.js';
import { FULL_STALE_REFRESH_MS, StaleTimer } from './stale-timer.js';
import type { EngineOptions, EventState, Observed, RegistryState, StatusState } from './state.js';

/** Whether two observations say the same thing (diagnostics included). */
function sameObservation(a: Observation | undefined, b: Observation): boolean {
  if (
    a === undefined ||
    a.present !== b.present ||
    a.readable !== b.readable ||
    a.updatedAt !== b.updatedAt ||
    a.file !== b.file
  )
    return false;
  if (a.updatedAtFrom !== b.updatedAtFrom || a.diagnostics.length !== b.diagnostics.length) return false;
  for (let i = 0; i < a.diagnostics.length; i++)
    if (a.diagnostics[i]!.message !== b.diagnostics[i]!.message) return false;
  const names = Object.keys(b.fields);
  if (Object.keys(a.fields).length !== names.length) return false;
  for (const name of names) {
    const x = a.fields[name];
    const y = b.fields[name]!;
    if (
      !x ||
      x.value !== y.value ||
      x.unknown !== y.unknown ||
      x.at !== y.at ||
      x.path?.join('\u0000') !== y.path?.join('\u0000')
    )
      return false;
    if (x.raw !== y.raw && JSON.stringify(x.raw) !== JSON.stringify(y.raw)) return false;
  }
  return true;
}

export abstract class EnginePicture {
  readonly store: Store<EngineSnapshot>;
  protected readonly clock: () => number;
  protected readonly statusStates = new Map<string, StatusState>();
  protected readonly registries = new Map<string, RegistryState>();
  protected readonly events = new Map<string, EventState>();
  protected readonly lastReadAt = new Map<string, number>();
  protected readonly lastEventAt = new Map<string, number>();
  protected watcher: FileWatcher | null = null;
  protected readonly staleTimer: StaleTimer;
  protected lastFullStale = 0;
  protected pending = new Set<string>();
  /** What snapshots carry: the same Set object until `pending` changes (cheap to compare). */
  protected pendingShown: ReadonlySet<string> = new Set();
  protected lastAction: ActionResult | null = null;
  protected error: string | null = null;
  protected seq = 0;
  protected closed = false;
  protected readonly journal: JournalStore;
  /** The file sources (src/shell/sources/file-adapter.ts); store sources are in `opts.adapters`. */
  protected readonly files: FileSources;
  /** The operator's decisions (<state dir>/decisions.json), read with every load. */
  protected decided: LoadedDecisions = { list: [], index: new Map(), text: '', problems: [] };
  protected queue: Promise<unknown> = Promise.resolve();
  // The incremental picture: observations per source, agent states, and what is dirty.
  protected readonly observed = new Map<string, Observed>();
  protected readonly agentStates = new Map<string, AgentState>();
  protected order: string[] = [];
  protected readonly dirty = new Set<string>();
  protected allDirty = true;

  constructor(
    readonly root: string,
    public config: Config,
    protected readonly opts: EngineOptions = {},
    watcher: FileWatcher | null = null,
  ) {
    this.watcher = watcher;
    this.files = new FileSources(root, opts.fs);
    this.clock = opts.clock ?? Date.now;
    this.staleTimer = new StaleTimer(this.clock, (maxStale) => this.staleTick(maxStale));
    this.journal =
      opts.journal ??
      new Journal(path.resolve(root, config.stateDir), {
        label: path.join(config.stateDir, 'journal.jsonl'),
        root,
        ...(opts.fs ? { fs: opts.fs } : {}),
      });
    // The subclasses declare no fields of their own, so their loadAll may run here.
    this.loadAll();
    this.lastFullStale = this.clock();
    this.store = new Store(this.compute());
  }

  /** Read every source (source-cache.ts) and observe it; no publish. */
  protected abstract loadAll(): void;

  protected ctx(): ObserveContext {
    return { fields: this.config.fields, timezone: this.config.timezone, now: this.clock() };
  }

  /** The current documents of one source, as a read. */
  protected readOf(spec: SourceSpec): SourceRead {
    const s = this.statusStates.get(spec.name);
    if (s) return { ...s.read, documents: [...s.docs.values()] };
    const r = this.registries.get(spec.name);
    if (r) return r.read;
    const e = this.events.get(spec.name)!;
    return {
      source: spec.name,
      documents: [...e.byAgent.values()].flat(),
      diagnostics: e.diagnostics,
      healthy: e.healthy,
    };
  }

  /** What the health line needs of a source, without listing its documents (per snapshot). */
  protected readSummary(spec: SourceSpec): {
    diagnostics: readonly Diagnostic[];
    healthy: boolean;
    documents: number;
  } {
    const s = this.statusStates.get(spec.name);
    if (s) return { diagnostics: s.read.diagnostics, healthy: s.read.healthy, documents: s.docs.size };
    const r = this.registries.get(spec.name);
    if (r)
      return { diagnostics: r.read.diagnostics, healthy: r.read.healthy, documents: r.read.documents.length };
    const e = this.events.get(spec.name)!;
    let documents = 0;
    for (const docs of e.byAgent.values()) documents += docs.length;
    return { diagnostics: e.diagnostics, healthy: e.healthy, documents };
  }

  /** Observe a whole source again; agents whose observation changed become dirty. */
  protected observeWhole(spec: SourceSpec): void {
    const [next] = observeSources([this.readOf(spec)], { ...this.config, sources: [spec] }, this.clock()) as [
      ObservedSource,
    ];
    const prev = this.observed.get(spec.name);
    const observed: Observed = { ...next, seen: new Map(next.seen) };
    this.observed.set(spec.name, observed);
    if (!prev || prev.readable !== observed.readable) {
      this.allDirty = true;
      return;
    }
    for (const [agent, o] of observed.seen)
      if (!sameObservation(prev.seen.get(agent), o)) this.dirty.add(agent);
    for (const agent of prev.seen.keys()) if (!observed.seen.has(agent)) this.dirty.add(agent);
  }

  /** Observe one agent of a per-agent source again (a status file or its events). */
  protected observeAgent(spec: SourceSpec, agent: string): void {
    const observed = this.observed.get(spec.name);
    if (!observed) return;
    const s = this.statusStates.get(spec.name);
    const e = this.events.get(spec.name);
    const documents = s ? (s.docs.has(agent) ? [s.docs.get(agent)!] : []) : (e?.byAgent.get(agent) ?? []);
    const o = observeSource(
      { source: spec.name, documents, diagnostics: [], healthy: true },
      spec,
      this.ctx(),
    ).get(agent);
    if (o) observed.seen.set(agent, o);
    else observed.seen.delete(agent);
    this.dirty.add(agent);
  }

  /** Bring agent states up to date: all of them, or only the dirty ones. */
  protected reconcileNow(): Reconciliation {
    const now = this.clock();
    const sources = this.config.sources.map((spec) => this.observed.get(spec.name)!);
    let membership = false;
    if (this.allDirty) {
      this.agentStates.clear();
      for (const id of agentIds(sources))
        this.agentStates.set(
          id,
          reconcileAgent(id, agentObservations(id, sources), this.config, now, this.decided.index.get(id)),
        );
      membership = true;
    } else {
      for (const id of this.dirty) {
        if (sources.some((src) => src.seen.has(id))) {
          if (!this.agentStates.has(id)) membership = true;
          this.agentStates.set(
            id,
            reconcileAgent(id, agentObservations(id, sources), this.config, now, this.decided.index.get(id)),
          );
        } else if (this.agentStates.delete(id)) {
          membership = true;
        }
      }
    }
    this.dirty.clear();
    this.allDirty = false;
    if (membership) this.order = [...this.agentStates.keys()].sort(compareAgentIds);
    const agents = this.order.map((id) => this.agentStates.get(id)!);
    return { agents, summary: summarize(agents) };
  }

  /** Every agent under a one-run preference (`--prefer`); not cached. */
  protected reconcilePreferring(prefer: string): Reconciliation {
    const config = { ...this.config, policy: { ...this.config.policy, prefer } };
    const sources = this.config.sources.map((spec) => this.observed.get(spec.name)!);
    const now = this.clock();
    const agents = [...agentIds(sources)]
      .sort(compareAgentIds)
      .map((id) => reconcileAgent(id, agentObservations(id, sources), config, now));
    return { agents, summary: summarize(agents) };
  }

  protected compute(prefer?: string): EngineSnapshot {
    const now = this.clock();
    const t0 = performance.now();
    const recon = prefer ? this.reconcilePreferring(prefer) : this.reconcileNow();
    this.opts.observer?.reconciled?.(performance.now() - t0);
    const wh = [...(this.watcher?.health() ?? []), ...storeHealth(this.opts.adapters)];
    const health: SourceHealth[] = this.config.sources.map((spec) => {
      const read = this.readSummary(spec);
      const w = wh.find((h) => h.id === spec.name);
      const diagnostics = [...read.diagnostics];
      const reg = this.registries.get(spec.name);
      if (reg) for (const d of reg.read.documents) if (!d.parse.ok) diagnostics.push(...d.parse.diagnostics);
      const healthy =
        read.healthy && !(reg && reg.read.documents.some((d) => !d.parse.ok)) && w?.mode !== 'failed';
      return {
        name: spec.name,
        kind: spec.kind,
        path: spec.path,
        healthy,
        mode: w?.mode ?? 'once',
        watched: w?.watched ?? read.documents,
        lastEventAt: this.lastEventAt.get(spec.name) ?? w?.lastEventAt ?? null,
        lastReadAt: this.lastReadAt.get(spec.name) ?? null,
        lastError: w?.lastError ?? diagnostics.find((d) => d.severity === 'error')?.message ?? null,
        diagnostics,
      };
    });
    return {
      seq: ++this.seq,
      at: now,
      root: this.root,
      config: this.config,
      recon,
      health,
      pending: this.shownPending(),
      lastAction: this.lastAction,
      error: this.error,
    };
  }

  protected shownPending(): ReadonlySet<string> {
    const shown = this.pendingShown;
    if (shown.size !== this.pending.size || [...this.pending].some((id) => !shown.has(id)))
      this.pendingShown = new Set(this.pending);
    return this.pendingShown;
  }

  protected publish(): void {
    if (this.closed) return;
    this.store.set(this.compute());
    this.scheduleStaleCheck();
  }

  /** Re-read decisions.json; agents whose decisions changed are reconciled again. */
  protected loadDecisions(): void {
    const next = loadDecisions(this.root, this.config.stateDir);
    if (next.text === this.decided.text && next.problems.length === this.decided.problems.length) return;
    for (const d of [...this.decided.list, ...next.list]) this.dirty.add(d.agent);
    this.decided = next;
    // A damaged decisions.json is said (file and entry), never fatal: its decisions are ignored.
    if (next.problems.length > 0) this.error = next.problems[0]!;
  }

  /** Stale verdicts change with time alone: wake once at the next stale boundary. */
  protected scheduleStaleCheck(): void {
    if (this.closed || !this.opts.watch) return;
    this.staleTimer.schedule(this.config, this.store?.getSnapshot().recon.agents ?? []);
  }

  /** Re-reconcile the agents whose stale boundary has passed (all of them now and then, so
   *  the ages in stale agents' reasons move on too). */
  protected staleTick(maxStale: number): void {
    if (this.closed) return;
    const now = this.clock();
    if (now - this.lastFullStale >= FULL_STALE_REFRESH_MS) {
      this.lastFullStale = now;
      this.allDirty = true;
    } else {
      for (const [id, a] of this.agentStates)
        if (a.lastSeen !== null && a.verdict !== 'stale' && a.lastSeen + maxStale < now) this.dirty.add(id);
    }
    this.publish();
  }
}
