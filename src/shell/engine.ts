// The live engine: keeps an up-to-date picture of every source (initial read, then
// chokidar batches re-read only the touched files), publishes immutable snapshots through
// a Store, and resolves / undoes against the registry with a guard, verification and the
// journal. The TUI, `watch`, `resolve` and `undo` all stand on this one object.
import * as path from 'node:path';
import { editDocument } from '../core/write/edit.js';
import {
  agentFile,
  agentFromEntry,
  splitAgentPattern,
  unsafeAgentId,
  type AgentPattern,
} from '../core/ids.js';
import {
  compactEvents,
  eventAgent,
  getAt,
  type ObserveContext,
  observeSource,
} from '../core/observe/normalize.js';
import { detectFormat } from '../core/read/parse.js';
import {
  agentIds,
  agentObservations,
  compareAgentIds,
  type ObservedSource,
  observeSources,
  reconcileAgent,
  summarize,
  targetSource,
} from '../core/reconcile/reconcile.js';
import type {
  AgentState,
  Config,
  Diagnostic,
  Observation,
  PlannedWrite,
  Reconciliation,
  SourceDocument,
  SourceRead,
  SourceSpec,
} from '../core/types.js';
import { decisionsFor } from '../core/reconcile/choices.js';
import { withDecisions, withoutAction, type Decision } from '../core/reconcile/decisions.js';
import { guardAgent, type GuardResult } from '../core/plan/frozen-plan.js';
import { cleanupStaleTemps, replaceIfUnchanged, type FsLayer } from './atomic.js';
import {
  DECISIONS_TARGET,
  decisionsPath,
  loadDecisions,
  saveDecisions,
  type LoadedDecisions,
} from './decision-store.js';
import { readAgentTails, readTail, initialTail, type TailState } from './eventlog.js';
import { escapesRoot, MAX_REGISTRY_BYTES, readBounded } from './fsread.js';
import { Journal, journalEntry, journalFailure, type JournalEntry, type JournalStore } from './journal.js';
import { StreamJournal } from './nats/stream-journal.js';
import { agentLogFiles, readDocument, readSource } from './sources.js';
import { Store } from './store.js';
import { openAdapters, type SourceAdapter } from './sources/adapter.js';
import { storeHealth, toGuarded } from './sources/engine-stores.js';
import { undoAction, type UndoDeps } from './undo.js';
import { watchTargets, type FileWatcher, type WatchTarget } from './watcher.js';

export type {
  ActionResult,
  AgentOutcome,
  AgentOutcomeStatus,
  EngineSnapshot,
  OutcomeCause,
  ResolveOpts,
  SourceHealth,
} from './engine-types.js';
import type {
  ActionResult,
  AgentOutcome,
  EngineSnapshot,
  ResolveOpts,
  SourceHealth,
} from './engine-types.js';

export interface EngineOptions {
  clock?: () => number;
  /** Watch sources for changes (the TUI and `watch`); one-shot commands leave it off. */
  watch?: boolean;
  fs?: FsLayer;
  quietMs?: number;
  maxWaitMs?: number;
  forcePolling?: boolean;
  /** Attempts when another writer changes the registry between plan and write. */
  maxAttempts?: number;
  /** Sources held in a store (src/shell/sources/adapter.ts), by name; opened by `open`. */
  adapters?: Map<string, SourceAdapter>;
  /** The journal in the store (`journal: { stream }`, README.md "Several hosts"); opened by `open`. */
  journal?: JournalStore;
  /** Told of each reconcile's duration and each whole-source re-read after an overflow (the metrics of `watch --metrics`). */
  observer?: { reconciled?: (ms: number) => void; resynced?: (source: string) => void };
}

interface StatusState {
  spec: SourceSpec;
  pattern: AgentPattern | null;
  docs: Map<string, SourceDocument>;
  read: SourceRead;
}

interface RegistryState {
  spec: SourceSpec;
  read: SourceRead;
  text: string | null;
}

interface EventState {
  spec: SourceSpec;
  tail: TailState;
  /** A per-agent log (`logs/{agent}.jsonl`): its pattern and one tail per agent's file. */
  pattern: AgentPattern | null;
  tails: Map<string, TailState>;
  /** Per agent, only the events that can still decide its observation (compacted). */
  byAgent: Map<string, SourceDocument[]>;
  diagnostics: Diagnostic[];
  healthy: boolean;
}

/** A source's observations, kept between changes so only touched agents are re-observed. */
interface Observed extends ObservedSource {
  seen: Map<string, Observation>;
}

const MAX_TIMER_MS = 2 ** 31 - 1;
/** The stale check wakes at most this often. */
const STALE_TICK_MS = 5000;
/** Every agent is reconciled again this often on a stale wake-up (ages in reasons). */
const FULL_STALE_REFRESH_MS = 10 * 60_000;

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

/** The agent a path (relative to the root, posix) belongs to under a status-files pattern. */
function agentOfPath(p: AgentPattern | null, rel: string): string | null {
  if (!p) return null;
  const prefix = p.dir === '' ? '' : p.dir + '/';
  if (!rel.startsWith(prefix)) return null;
  const entry = rel.slice(prefix.length).split('/')[0];
  const agent = entry ? agentFromEntry(p, entry) : null;
  // The same rule as the folder listing (readStatusFiles): an unsafe id is never read.
  return agent !== null && unsafeAgentId(agent) === null ? agent : null;
}

/** What to watch for a config: each status-files folder, and every other source's file. */
function watchTargetsFor(root: string, config: Config): WatchTarget[] {
  const targets: WatchTarget[] = [];
  for (const spec of config.sources.filter((s) => !s.store)) {
    const perAgentLog = spec.kind === 'event-log' && spec.path.includes('{agent}');
    if (spec.kind === 'status-files' || perAgentLog) {
      const p = splitAgentPattern(spec.path);
      if (!p) continue;
      targets.push({
        id: spec.name,
        root,
        kind: 'folder-of-agents',
        path: p.dir === '' ? '.' : p.dir,
        depth: p.rest === '' ? 0 : p.rest.split('/').length,
        // Only the status files themselves: agent folders also hold inboxes and reports.
        accept: (rel) => {
          const agent = agentOfPath(p, rel);
          return agent !== null && agentFile(p, agent) === rel;
        },
      });
    } else {
      targets.push({ id: spec.name, root, kind: 'file', path: spec.path });
    }
  }
  return targets;
}

function watchOptions(opts: EngineOptions): Parameters<typeof watchTargets>[2] {
  const w: Parameters<typeof watchTargets>[2] = {};
  if (opts.clock) w.clock = opts.clock;
  if (opts.quietMs !== undefined) w.quietMs = opts.quietMs;
  if (opts.maxWaitMs !== undefined) w.maxWaitMs = opts.maxWaitMs;
  if (opts.forcePolling) w.forcePolling = true;
  return w;
}

/** Outcomes with the fields a decision was recorded for (`decided`), where there are any. */
function tagDecided(list: AgentOutcome[], decisions: readonly Decision[]): AgentOutcome[] {
  if (decisions.length === 0) return list;
  return list.map((o) => {
    const fields = decisions.filter((d) => d.agent === o.agent).map((d) => d.field);
    return fields.length > 0 ? { ...o, decided: fields } : o;
  });
}

/** Whether `rel` is `base` or one of its parent folders (root-relative, posix; '' is the root). */
function onChainTo(rel: string, base: string): boolean {
  return rel === '' || rel === '.' || rel === base || base.startsWith(rel + '/');
}

export class Engine {
  readonly store: Store<EngineSnapshot>;
  private readonly clock: () => number;
  private readonly statusStates = new Map<string, StatusState>();
  private readonly registries = new Map<string, RegistryState>();
  private readonly events = new Map<string, EventState>();
  private readonly lastReadAt = new Map<string, number>();
  private readonly lastEventAt = new Map<string, number>();
  private watcher: FileWatcher | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private lastFullStale = 0;
  private staleDue = Infinity;
  private pending = new Set<string>();
  /** What snapshots carry: the same Set object until `pending` changes (cheap to compare). */
  private pendingShown: ReadonlySet<string> = new Set();
  private lastAction: ActionResult | null = null;
  private error: string | null = null;
  private seq = 0;
  private closed = false;
  private readonly journal: JournalStore;
  /** The operator's decisions (<state dir>/decisions.json), read with every load. */
  private decided: LoadedDecisions = { list: [], index: new Map(), text: '', problems: [] };
  private queue: Promise<unknown> = Promise.resolve();
  // The incremental picture: observations per source, agent states, and what is dirty.
  private readonly observed = new Map<string, Observed>();
  private readonly agentStates = new Map<string, AgentState>();
  private order: string[] = [];
  private readonly dirty = new Set<string>();
  private allDirty = true;

  constructor(
    readonly root: string,
    public config: Config,
    private readonly opts: EngineOptions = {},
    watcher: FileWatcher | null = null,
  ) {
    this.watcher = watcher;
    this.clock = opts.clock ?? Date.now;
    this.journal =
      opts.journal ??
      new Journal(path.resolve(root, config.stateDir), {
        label: path.join(config.stateDir, 'journal.jsonl'),
        root,
        ...(opts.fs ? { fs: opts.fs } : {}),
      });
    this.loadAll();
    this.lastFullStale = this.clock();
    this.store = new Store(this.compute());
  }

  /** Open an engine; with `watch`, resolves once the watchers are ready. */
  static async open(root: string, config: Config, opts: EngineOptions = {}): Promise<Engine> {
    // Temp files left by a writer that was killed between write and rename.
    for (const spec of config.sources.filter((s) => s.kind === 'registry' && !s.store)) {
      const abs = path.resolve(root, spec.path);
      // Never delete in a folder that leads out of the root (a symlinked folder).
      if (escapesRoot(root, path.dirname(abs)) !== null) continue;
      await cleanupStaleTemps(path.dirname(abs), path.basename(abs), opts.fs ? { fs: opts.fs } : {}).catch(
        () => [],
      );
    }
    // Watch first, read second: whatever is written once the first read has begun has an
    // event still to come, so nothing needs reading twice. Batches that arrive before the
    // engine exists describe writes the first read sees anyway.
    let engine: Engine | undefined;
    let watcher: FileWatcher | null = null;
    if (opts.watch) {
      watcher = watchTargets(
        watchTargetsFor(root, config),
        (batches) => engine?.onBatches(batches),
        watchOptions(opts),
      );
      await watcher.ready;
    }
    const adapters = await openAdapters(root, config, { clock: opts.clock ?? Date.now });
    let journal: JournalStore | undefined = opts.journal;
    try {
      // `journal: { stream }`: the journal on the target's store (README.md "Several hosts").
      const target = config.sources.find((s) => s.name === config.policy.target);
      if (journal === undefined && config.journalStream !== undefined && target?.store !== undefined)
        journal = await StreamJournal.open(root, target, config.journalStream);
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

  // ---------------------------------------------------------------------------------
  // Reading

  private loadAll(): void {
    const now = this.clock();
    for (const spec of this.config.sources) {
      this.lastReadAt.set(spec.name, now);
      if (spec.kind === 'status-files') {
        const read = this.opts.adapters?.get(spec.name)?.read() ?? readSource(this.root, spec);
        const docs = new Map<string, SourceDocument>();
        for (const d of read.documents) if (d.agent !== undefined) docs.set(d.agent, d);
        this.statusStates.set(spec.name, {
          spec,
          pattern: splitAgentPattern(spec.path),
          docs,
          read: { ...read, documents: [] },
        });
      } else if (spec.kind === 'registry') {
        this.registries.set(spec.name, this.readRegistry(spec));
      } else {
        const pattern = spec.path.includes('{agent}') ? splitAgentPattern(spec.path) : null;
        const state: EventState = {
          spec,
          tail: initialTail(spec.path),
          pattern,
          tails: new Map(),
          byAgent: new Map(),
          diagnostics: [],
          healthy: true,
        };
        this.events.set(spec.name, state);
        this.readEvents(state);
      }
    }
    // The first load reconciles everything; a reload marks dirty only the agents whose
    // observations changed (observeWhole diffs them), so an unchanged reload publishes nothing.
    const first = this.observed.size === 0;
    this.loadDecisions();
    for (const spec of this.config.sources) this.observeWhole(spec);
    if (first) this.allDirty = true;
  }

  private readRegistry(spec: SourceSpec): RegistryState {
    const store = this.opts.adapters?.get(spec.name);
    if (store) return { spec, read: store.read(), text: '' };
    const got = readBounded(this.root, spec.path, MAX_REGISTRY_BYTES);
    const read = readSource(this.root, spec);
    return { spec, read, text: got.ok ? got.text : null };
  }

  private ctx(): ObserveContext {
    return { fields: this.config.fields, timezone: this.config.timezone, now: this.clock() };
  }

  /** Read what was appended to an event log; re-observe the agents it mentions. */
  private readEvents(state: EventState, agent?: string): boolean {
    if (state.spec.path.includes('{agent}')) return this.readAgentLogs(state, agent);
    const t = readTail(this.root, state.tail);
    state.tail = t.state;
    const diagnosticsChanged = t.diagnostics.length > 0;
    state.diagnostics = (t.reset ? t.diagnostics : [...state.diagnostics, ...t.diagnostics]).slice(-50);
    if (!t.reset && t.documents.length === 0) return diagnosticsChanged;
    const ctx = this.ctx();
    if (t.reset) state.byAgent.clear();
    const touched = new Map<string, SourceDocument[]>();
    for (const doc of t.documents) {
      const agent = eventAgent(doc, state.spec);
      if (agent === null) continue;
      const list = touched.get(agent) ?? [...(state.byAgent.get(agent) ?? [])];
      list.push(doc);
      touched.set(agent, list);
    }
    for (const [agent, list] of touched) state.byAgent.set(agent, compactEvents(list, state.spec, ctx));
    const observed = this.observed.get(state.spec.name);
    if (t.reset || !observed) {
      if (observed) this.observeWhole(state.spec);
      this.allDirty = true;
      return true;
    }
    for (const agent of touched.keys()) this.observeAgent(state.spec, agent);
    return true;
  }

  /**
   * A per-agent event log: read what was appended to one agent's file (or, with no agent,
   * re-list the folder and read every file); an agent whose file went away leaves.
   */
  private readAgentLogs(state: EventState, only?: string): boolean {
    const listed = only === undefined ? agentLogFiles(this.root, state.spec) : null;
    const files =
      listed ??
      (state.pattern && only !== undefined ? [{ agent: only, file: agentFile(state.pattern, only) }] : []);
    let changed = false;
    const ctx = this.ctx();
    if (listed) {
      const now = new Set(listed.map((f) => f.agent));
      for (const agent of [...state.tails.keys()]) {
        if (now.has(agent)) continue;
        state.tails.delete(agent);
        state.byAgent.delete(agent);
        if (this.observed.has(state.spec.name)) this.observeAgent(state.spec, agent);
        changed = true;
      }
    }
    for (const t of readAgentTails(this.root, files, state.tails)) {
      const agent = t.agent;
      if (t.diagnostics.length > 0) {
        state.diagnostics = [...state.diagnostics, ...t.diagnostics].slice(-50);
        changed = true;
      }
      if (!t.reset && t.documents.length === 0) continue;
      const list = t.reset ? [] : [...(state.byAgent.get(agent) ?? [])];
      list.push(...t.documents);
      state.byAgent.set(agent, compactEvents(list, state.spec, ctx));
      if (this.observed.has(state.spec.name)) this.observeAgent(state.spec, agent);
      changed = true;
    }
    return changed;
  }

  /** The current documents of one source, as a read. */
  private readOf(spec: SourceSpec): SourceRead {
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
  private readSummary(spec: SourceSpec): {
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

  private reads(): SourceRead[] {
    return this.config.sources.map((spec) => this.readOf(spec));
  }

  /** Observe a whole source again; agents whose observation changed become dirty. */
  private observeWhole(spec: SourceSpec): void {
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
  private observeAgent(spec: SourceSpec, agent: string): void {
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
  private reconcileNow(): Reconciliation {
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
  private reconcilePreferring(prefer: string): Reconciliation {
    const config = { ...this.config, policy: { ...this.config.policy, prefer } };
    const sources = this.config.sources.map((spec) => this.observed.get(spec.name)!);
    const now = this.clock();
    const agents = [...agentIds(sources)]
      .sort(compareAgentIds)
      .map((id) => reconcileAgent(id, agentObservations(id, sources), config, now));
    return { agents, summary: summarize(agents) };
  }

  private compute(prefer?: string): EngineSnapshot {
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

  private shownPending(): ReadonlySet<string> {
    const shown = this.pendingShown;
    if (shown.size !== this.pending.size || [...this.pending].some((id) => !shown.has(id)))
      this.pendingShown = new Set(this.pending);
    return this.pendingShown;
  }

  private publish(): void {
    if (this.closed) return;
    this.store.set(this.compute());
    this.scheduleStaleCheck();
  }

  /** Re-read the given paths (relative to the root) and publish once if anything changed. */
  applyChanges(paths: Iterable<string>): boolean {
    const now = this.clock();
    let changed = false;
    const touched = new Set<string>();
    for (const rel of paths) {
      const p = rel.split(path.sep).join('/');
      for (const s of this.statusStates.values()) {
        // The agents folder itself (or a parent) means: re-list and re-read the whole source
        // (the watcher sends it after an inotify overflow or a restart).
        if (s.pattern && onChainTo(p, s.pattern.dir) && !touched.has(s.spec.name)) {
          touched.add(s.spec.name);
          this.lastEventAt.set(s.spec.name, now);
          this.opts.observer?.resynced?.(s.spec.name);
          changed = this.rescanStatus(s) || changed;
          continue;
        }
        const agent = this.agentOf(s, p);
        if (agent === null || touched.has(`${s.spec.name}\u0000${agent}`)) continue;
        touched.add(`${s.spec.name}\u0000${agent}`);
        this.lastEventAt.set(s.spec.name, now);
        changed = this.rereadAgent(s, agent) || changed;
      }
      for (const r of this.registries.values()) {
        if (p !== r.spec.path || touched.has(r.spec.name)) continue;
        touched.add(r.spec.name);
        this.lastEventAt.set(r.spec.name, now);
        const next = this.readRegistry(r.spec);
        if (next.text !== r.text || next.read.healthy !== r.read.healthy) {
          this.registries.set(r.spec.name, next);
          this.observeWhole(r.spec);
          changed = true;
        }
      }
      for (const e of this.events.values()) {
        if (e.pattern) {
          // A per-agent log: the folder itself means re-list; a file means that agent's log.
          if (onChainTo(p, e.pattern.dir) && !touched.has(e.spec.name)) {
            touched.add(e.spec.name);
            this.lastEventAt.set(e.spec.name, now);
            changed = this.readEvents(e) || changed;
            continue;
          }
          const agent = agentOfPath(e.pattern, p);
          if (
            agent === null ||
            agentFile(e.pattern, agent) !== p ||
            touched.has(`${e.spec.name}\u0000${agent}`)
          )
            continue;
          touched.add(`${e.spec.name}\u0000${agent}`);
          this.lastEventAt.set(e.spec.name, now);
          changed = this.readEvents(e, agent) || changed;
          continue;
        }
        if (p !== e.spec.path || touched.has(e.spec.name)) continue;
        touched.add(e.spec.name);
        this.lastEventAt.set(e.spec.name, now);
        changed = this.readEvents(e) || changed;
      }
    }
    for (const name of touched) this.lastReadAt.set(name.split('\u0000')[0]!, now);
    if (changed) this.publish();
    return changed;
  }

  private agentOf(s: StatusState, rel: string): string | null {
    return agentOfPath(s.pattern, rel);
  }

  /** Re-list a status-files source and re-read what changed; agents whose file went away leave. */
  private rescanStatus(s: StatusState): boolean {
    const read = readSource(this.root, s.spec);
    const healthChanged = read.healthy !== s.read.healthy;
    let changed = healthChanged;
    s.read = { ...read, documents: [] };
    const seen = new Set<string>();
    for (const d of read.documents) {
      if (d.agent === undefined) continue;
      seen.add(d.agent);
      const prev = s.docs.get(d.agent);
      if (!prev || prev.mtimeMs !== d.mtimeMs || JSON.stringify(prev.parse) !== JSON.stringify(d.parse)) {
        const { missing: _missing, ...clean } = d as SourceDocument & { missing?: boolean };
        s.docs.set(d.agent, clean);
        this.observeAgent(s.spec, d.agent);
        changed = true;
      }
    }
    for (const agent of [...s.docs.keys()]) {
      if (!seen.has(agent)) {
        s.docs.delete(agent);
        this.observeAgent(s.spec, agent);
        changed = true;
      }
    }
    if (healthChanged) this.observeWhole(s.spec);
    return changed;
  }

  private rereadAgent(s: StatusState, agent: string): boolean {
    const file = agentFile(s.pattern!, agent);
    const prev = s.docs.get(agent);
    const doc = readDocument(this.root, file, s.spec, agent);
    if (doc.missing) {
      if (!prev) return false;
      s.docs.delete(agent);
      this.observeAgent(s.spec, agent);
      return true;
    }
    const { missing: _missing, ...clean } = doc;
    if (prev && prev.mtimeMs === clean.mtimeMs && JSON.stringify(prev.parse) === JSON.stringify(clean.parse))
      return false;
    s.docs.set(agent, clean);
    this.observeAgent(s.spec, agent);
    return true;
  }

  /**
   * Take a config whose vocabulary changed (an alias taught from the live view, README.md
   * "Vocabulary") and re-read every source with it; the sources themselves must be the same.
   */
  reloadConfig(config: Config): void {
    this.config = { ...this.config, fields: config.fields };
    this.allDirty = true;
    this.reload();
  }

  /** Re-read every source from disk (used after our own writes and by `refresh`). */
  reload(): boolean {
    this.statusStates.clear();
    this.registries.clear();
    this.events.clear();
    this.loadAll();
    const changed = this.allDirty || this.dirty.size > 0;
    if (changed) this.publish();
    return changed;
  }

  private onBatches(batches: { id: string; paths: Set<string> }[]): void {
    if (this.closed) return;
    try {
      this.applyChanges(batches.flatMap((b) => [...b.paths]));
    } catch (e) {
      this.error = `reading changes failed: ${e instanceof Error ? e.message : String(e)}`;
      this.publish();
    }
  }

  /** Stale verdicts change with time alone: wake once at the next stale boundary. */
  private scheduleStaleCheck(): void {
    if (this.closed || !this.opts.watch) return;
    const now = this.clock();
    let next = Infinity;
    const thresholds = this.config.sources.filter((s) => s.kind !== 'registry').map((s) => s.staleAfterMs);
    const maxStale = Math.max(0, ...thresholds);
    for (const a of this.store?.getSnapshot().recon.agents ?? []) {
      if (a.lastSeen === null || a.verdict === 'stale') continue;
      const due = a.lastSeen + maxStale + 1;
      if (due > now && due < next) next = due;
    }
    if (next === Infinity) return;
    // At most one wake-up per STALE_TICK_MS: a verdict may turn stale a few seconds late
    // (thresholds are minutes), and a big fleet whose agents cross their thresholds at
    // scattered moments does not keep the process busy.
    const delay = Math.min(MAX_TIMER_MS, Math.max(STALE_TICK_MS, next - now));
    // Armed already for no later than that: keep it. Re-arming on every snapshot would
    // leave an empty timer list behind per distinct delay (Node keeps a cleared unref'd
    // timer's list until its expiry): ~3 MB after 15 minutes of a busy fleet.
    if (this.staleTimer && this.staleDue <= now + delay) return;
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleDue = now + delay;
    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      this.staleDue = Infinity;
      this.staleTick(maxStale);
    }, delay);
    this.staleTimer.unref?.();
  }

  /** Re-reconcile the agents whose stale boundary has passed (all of them now and then, so
   *  the ages in stale agents' reasons move on too). */
  private staleTick(maxStale: number): void {
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

  async close(): Promise<void> {
    this.closed = true;
    if (this.staleTimer) clearTimeout(this.staleTimer);
    await this.queue.catch(() => undefined);
    await this.watcher?.close();
    await Promise.all([...(this.opts.adapters?.values() ?? [])].map((a) => a.close()));
    await this.journal.close?.();
  }

  /** A store source's watch delivered changes (or, with no agents, a health change). */
  onStoreChange(spec: SourceSpec, agents: string[]): void {
    if (this.closed) return;
    this.lastEventAt.set(spec.name, this.clock());
    this.lastReadAt.set(spec.name, this.clock());
    const s = this.statusStates.get(spec.name);
    if (s) {
      const read = this.opts.adapters!.get(spec.name)!.read();
      const healthChanged = read.healthy !== s.read.healthy;
      s.read = { ...read, documents: [] };
      const docs = new Map(read.documents.map((d) => [d.agent!, d]));
      for (const agent of agents) {
        const d = docs.get(agent);
        if (d) s.docs.set(agent, d);
        else s.docs.delete(agent);
        this.observeAgent(spec, agent);
      }
      if (healthChanged) this.observeWhole(spec);
    } else if (this.registries.has(spec.name)) {
      this.registries.set(spec.name, this.readRegistry(spec));
      this.observeWhole(spec);
    }
    this.publish();
  }

  // ---------------------------------------------------------------------------------
  // Writing: resolve and undo, one at a time

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /**
   * Bring the target in line with the truth for the given agents (or all). Before
   * replacing the registry its content is compared with what the plan was computed from;
   * if another writer changed it, re-read, re-plan and retry (bounded).
   */
  resolve(agents: readonly string[] | 'all', opts: ResolveOpts = {}): Promise<ActionResult> {
    return this.serial(() => this.doResolve(agents, opts));
  }

  /** Re-read decisions.json; agents whose decisions changed are reconciled again. */
  private loadDecisions(): void {
    const next = loadDecisions(this.root, this.config.stateDir);
    if (next.text === this.decided.text && next.problems.length === this.decided.problems.length) return;
    for (const d of [...this.decided.list, ...next.list]) this.dirty.add(d.agent);
    this.decided = next;
    // A damaged decisions.json is said (file and entry), never fatal: its decisions are ignored.
    if (next.problems.length > 0) this.error = next.problems[0]!;
  }

  /**
   * Record what picking `prefer` settled for the resolved agents (one decision per field),
   * journaled with the action so that undoing it removes them. Returns an error, or null.
   */
  private async recordDecisions(action: string, decisions: readonly Decision[]): Promise<string | null> {
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

  private async doResolve(agents: readonly string[] | 'all', opts: ResolveOpts): Promise<ActionResult> {
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
          return this.finish({
            ...base,
            action: null,
            attempts,
            agents: outcomes((a) => ({
              agent: a.id,
              status: 'failed',
              cause: 'target-unreadable',
              reason: message,
              writes: [],
            })),
            message,
          });
        }
        const format = store ? 'json' : (target.format ?? detectFormat(target.path, reg.text));
        const edited = store ? { ok: true as const, text: '' } : editDocument(reg.text, format, writes);
        if (!edited.ok) {
          const message = `${target.path}: ${edited.message}; not written`;
          return this.finish({
            ...base,
            action: null,
            attempts,
            agents: outcomes((a) => ({
              agent: a.id,
              status: 'failed',
              cause: 'edit-refused',
              reason: message,
              writes: [],
            })),
            message,
          });
        }
        const abs = path.resolve(this.root, target.path);
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
          replaced = await replaceIfUnchanged(
            abs,
            reg.text,
            edited.text,
            this.opts.fs ? { fs: this.opts.fs } : undefined,
          );
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

  /** Remove the decisions an action recorded (journaled as part of the undo `action`). */
  private async undoDecisions(undoes: string, action: string): Promise<Decision[]> {
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

  /** The journal, for `log`. */
  readJournal(): ReturnType<JournalStore['read']> {
    return this.journal.read();
  }

  private entry(
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

  private async journalSafe(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.journal.append(entries);
    } catch (e) {
      this.error = journalFailure(e);
    }
  }

  private finish(result: ActionResult): ActionResult {
    this.lastAction = result;
    return result;
  }

  /** Re-read one registry from disk and re-observe it (inside an action; no publish). */
  private refreshSource(spec: SourceSpec): void {
    if (spec.kind !== 'registry') {
      this.reloadQuiet();
      return;
    }
    this.registries.set(spec.name, this.readRegistry(spec));
    this.lastReadAt.set(spec.name, this.clock());
    this.observeWhole(spec);
  }

  /** Re-read everything without publishing. */
  private reloadQuiet(): void {
    this.statusStates.clear();
    this.registries.clear();
    this.events.clear();
    this.loadAll();
  }
}
