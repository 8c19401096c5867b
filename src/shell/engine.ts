// The live engine: keeps an up-to-date picture of every source (initial read, then
// chokidar batches re-read only the touched files), publishes immutable snapshots through
// a Store, and resolves / undoes against the registry with a guard, verification and the
// journal. The TUI, `watch`, `resolve` and `undo` all stand on this one object.
import * as path from 'node:path';
import { editDocument } from '../core/edit.js';
import { agentFile, agentFromEntry, splitAgentPattern, unsafeAgentId, type AgentPattern } from '../core/ids.js';
import { compactEvents, eventAgent, getAt, type ObserveContext, observeSource } from '../core/normalize.js';
import { detectFormat } from '../core/parse.js';
import { agentIds, agentObservations, compareAgentIds, type ObservedSource, observeSources, reconcileAgent, summarize, targetSource } from '../core/reconcile.js';
import type { AgentState, Config, Diagnostic, Observation, PlannedWrite, Reconciliation, SourceDocument, SourceRead, SourceSpec } from '../core/types.js';
import { cleanupStaleTemps, replaceIfUnchanged, type FsLayer } from './atomic.js';
import { readAgentTails, readTail, initialTail, type TailState } from './eventlog.js';
import { escapesRoot, MAX_REGISTRY_BYTES, readBounded } from './fsread.js';
import { Journal, type JournalEntry } from './journal.js';
import { agentLogFiles, readDocument, readSource } from './sources.js';
import { Store } from './store.js';
import { openAdapters, type SourceAdapter } from './sources/adapter.js';
import { storeHealth, toGuarded } from './sources/engine-stores.js';
import { watchTargets, type FileWatcher, type WatchTarget } from './watcher.js';

export type { ActionResult, AgentOutcome, AgentOutcomeStatus, EngineSnapshot, SourceHealth } from './engine-types.js';
import type { ActionResult, AgentOutcome, AgentOutcomeStatus, EngineSnapshot, SourceHealth } from './engine-types.js';

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
  if (a === undefined || a.present !== b.present || a.readable !== b.readable || a.updatedAt !== b.updatedAt || a.file !== b.file) return false;
  if (a.updatedAtFrom !== b.updatedAtFrom || a.diagnostics.length !== b.diagnostics.length) return false;
  for (let i = 0; i < a.diagnostics.length; i++) if (a.diagnostics[i]!.message !== b.diagnostics[i]!.message) return false;
  const names = Object.keys(b.fields);
  if (Object.keys(a.fields).length !== names.length) return false;
  for (const name of names) {
    const x = a.fields[name];
    const y = b.fields[name]!;
    if (!x || x.value !== y.value || x.unknown !== y.unknown || x.at !== y.at || x.path?.join('\u0000') !== y.path?.join('\u0000')) return false;
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
  private readonly journal: Journal;
  private queue: Promise<unknown> = Promise.resolve();
  // The incremental picture: observations per source, agent states, and what is dirty.
  private readonly observed = new Map<string, Observed>();
  private readonly agentStates = new Map<string, AgentState>();
  private order: string[] = [];
  private readonly dirty = new Set<string>();
  private allDirty = true;

  constructor(
    readonly root: string,
    readonly config: Config,
    private readonly opts: EngineOptions = {},
    watcher: FileWatcher | null = null,
  ) {
    this.watcher = watcher;
    this.clock = opts.clock ?? Date.now;
    this.journal = new Journal(path.resolve(root, config.stateDir), { label: path.join(config.stateDir, 'journal.jsonl'), root, ...(opts.fs ? { fs: opts.fs } : {}) });
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
      await cleanupStaleTemps(path.dirname(abs), path.basename(abs), opts.fs ? { fs: opts.fs } : {}).catch(() => []);
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
    try {
      engine = new Engine(root, config, { ...opts, adapters }, watcher);
      // A store's watch starts after the revision its first read ended at: no gap.
      if (opts.watch) for (const a of adapters.values()) await a.watch((agents) => engine!.onStoreChange(a.spec, agents));
    } catch (e) {
      await watcher?.close();
      await Promise.all([...adapters.values()].map((a) => a.close()));
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
        this.statusStates.set(spec.name, { spec, pattern: splitAgentPattern(spec.path), docs, read: { ...read, documents: [] } });
      } else if (spec.kind === 'registry') {
        this.registries.set(spec.name, this.readRegistry(spec));
      } else {
        const pattern = spec.path.includes('{agent}') ? splitAgentPattern(spec.path) : null;
        const state: EventState = { spec, tail: initialTail(spec.path), pattern, tails: new Map(), byAgent: new Map(), diagnostics: [], healthy: true };
        this.events.set(spec.name, state);
        this.readEvents(state);
      }
    }
    // The first load reconciles everything; a reload marks dirty only the agents whose
    // observations changed (observeWhole diffs them), so an unchanged reload publishes nothing.
    const first = this.observed.size === 0;
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
    const files = listed ?? (state.pattern && only !== undefined ? [{ agent: only, file: agentFile(state.pattern, only) }] : []);
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
    return { source: spec.name, documents: [...e.byAgent.values()].flat(), diagnostics: e.diagnostics, healthy: e.healthy };
  }

  /** What the health line needs of a source, without listing its documents (per snapshot). */
  private readSummary(spec: SourceSpec): { diagnostics: readonly Diagnostic[]; healthy: boolean; documents: number } {
    const s = this.statusStates.get(spec.name);
    if (s) return { diagnostics: s.read.diagnostics, healthy: s.read.healthy, documents: s.docs.size };
    const r = this.registries.get(spec.name);
    if (r) return { diagnostics: r.read.diagnostics, healthy: r.read.healthy, documents: r.read.documents.length };
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
    const [next] = observeSources([this.readOf(spec)], { ...this.config, sources: [spec] }, this.clock()) as [ObservedSource];
    const prev = this.observed.get(spec.name);
    const observed: Observed = { ...next, seen: new Map(next.seen) };
    this.observed.set(spec.name, observed);
    if (!prev || prev.readable !== observed.readable) {
      this.allDirty = true;
      return;
    }
    for (const [agent, o] of observed.seen) if (!sameObservation(prev.seen.get(agent), o)) this.dirty.add(agent);
    for (const agent of prev.seen.keys()) if (!observed.seen.has(agent)) this.dirty.add(agent);
  }

  /** Observe one agent of a per-agent source again (a status file or its events). */
  private observeAgent(spec: SourceSpec, agent: string): void {
    const observed = this.observed.get(spec.name);
    if (!observed) return;
    const s = this.statusStates.get(spec.name);
    const e = this.events.get(spec.name);
    const documents = s ? (s.docs.has(agent) ? [s.docs.get(agent)!] : []) : (e?.byAgent.get(agent) ?? []);
    const o = observeSource({ source: spec.name, documents, diagnostics: [], healthy: true }, spec, this.ctx()).get(agent);
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
      for (const id of agentIds(sources)) this.agentStates.set(id, reconcileAgent(id, agentObservations(id, sources), this.config, now));
      membership = true;
    } else {
      for (const id of this.dirty) {
        if (sources.some((src) => src.seen.has(id))) {
          if (!this.agentStates.has(id)) membership = true;
          this.agentStates.set(id, reconcileAgent(id, agentObservations(id, sources), this.config, now));
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
    const agents = [...agentIds(sources)].sort(compareAgentIds).map((id) => reconcileAgent(id, agentObservations(id, sources), config, now));
    return { agents, summary: summarize(agents) };
  }

  private compute(prefer?: string): EngineSnapshot {
    const now = this.clock();
    const recon = prefer ? this.reconcilePreferring(prefer) : this.reconcileNow();
    const wh = [...(this.watcher?.health() ?? []), ...storeHealth(this.opts.adapters)];
    const health: SourceHealth[] = this.config.sources.map((spec) => {
      const read = this.readSummary(spec);
      const w = wh.find((h) => h.id === spec.name);
      const diagnostics = [...read.diagnostics];
      const reg = this.registries.get(spec.name);
      if (reg) for (const d of reg.read.documents) if (!d.parse.ok) diagnostics.push(...d.parse.diagnostics);
      const healthy = read.healthy && !(reg && reg.read.documents.some((d) => !d.parse.ok)) && w?.mode !== 'failed';
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
    if (shown.size !== this.pending.size || [...this.pending].some((id) => !shown.has(id))) this.pendingShown = new Set(this.pending);
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
          if (agent === null || agentFile(e.pattern, agent) !== p || touched.has(`${e.spec.name}\u0000${agent}`)) continue;
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
    if (prev && prev.mtimeMs === clean.mtimeMs && JSON.stringify(prev.parse) === JSON.stringify(clean.parse)) return false;
    s.docs.set(agent, clean);
    this.observeAgent(s.spec, agent);
    return true;
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
      for (const [id, a] of this.agentStates) if (a.lastSeen !== null && a.verdict !== 'stale' && a.lastSeen + maxStale < now) this.dirty.add(id);
    }
    this.publish();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.staleTimer) clearTimeout(this.staleTimer);
    await this.queue.catch(() => undefined);
    await this.watcher?.close();
    await Promise.all([...(this.opts.adapters?.values() ?? [])].map((a) => a.close()));
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
  resolve(agents: readonly string[] | 'all', opts: { dryRun?: boolean; prefer?: string } = {}): Promise<ActionResult> {
    return this.serial(() => this.doResolve(agents, opts));
  }

  private async doResolve(agents: readonly string[] | 'all', opts: { dryRun?: boolean; prefer?: string }): Promise<ActionResult> {
    const startedAtSeq = this.store.getSnapshot().seq;
    const target = targetSource(this.config);
    const base = { kind: 'resolve' as const, dryRun: opts.dryRun === true, startedAtSeq };
    if (!target) return this.finish({ ...base, action: null, attempts: 0, agents: [], message: 'no target source to write to' });
    const wanted = agents === 'all' ? null : new Set(agents);
    const maxAttempts = this.opts.maxAttempts ?? 5;
    if (!opts.dryRun && wanted) for (const a of wanted) this.pending.add(a);
    if (!opts.dryRun) this.publish();

    let attempts = 0;
    let lastChangeMessage = '';
    try {
      let actionId: string | undefined;
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
            if (!chosen.some((a) => a.id === id)) chosen.push({ id, verdict: 'missing', reasons: [`no source lists ${id}`], observations: {}, truth: {}, differences: [], plan: [], lastSeen: null });
          }
        }
        const writes = chosen.flatMap((a) => a.plan);
        const outcomes = (status: (a: (typeof chosen)[number]) => AgentOutcome): AgentOutcome[] => chosen.map(status);
        const describe = (w: PlannedWrite) => ({ field: w.field, path: w.path, before: w.before, after: w.after });
        const unresolvedReason = (a: (typeof chosen)[number]) => a.reasons.find((r) => !r.startsWith('no write or heartbeat')) ?? a.verdict;

        if (writes.length === 0 || opts.dryRun) {
          return this.finish({
            ...base,
            action: null,
            attempts,
            agents: outcomes((a) => {
              if (a.plan.length > 0) return { agent: a.id, status: 'planned', writes: a.plan.map(describe) };
              if (a.verdict === 'in-sync' || a.verdict === 'stale') return { agent: a.id, status: 'in-sync', writes: [] };
              return { agent: a.id, status: 'unresolved', reason: unresolvedReason(a), writes: [] };
            }),
            message: opts.dryRun ? `dry run: ${writes.length} write(s) planned` : 'nothing to write',
          });
        }

        const reg = this.registries.get(target.name);
        if (!reg || reg.text === null) {
          return this.finish({ ...base, action: null, attempts, agents: outcomes((a) => ({ agent: a.id, status: 'failed', reason: `${target.path} cannot be read`, writes: [] })), message: `${target.path} cannot be read` });
        }
        const action = (actionId ??= Journal.newActionId(new Date(this.clock())));
        let replaced: { ok: true } | { ok: false; reason: string; message: string };
        const revs = new Map<string, { before: number; after: number }>();
        if (store) {
          // Compare-and-swap per agent's key on the revision this plan was made from.
          const wrote = await store.write(writes.map((w) => toGuarded(target, w)));
          for (const [agent, r] of wrote.revisions) revs.set(agent, r);
          replaced = wrote;
          if (!wrote.ok && wrote.reason === 'changed' && revs.size > 0) {
            // The keys that were written stay written: journal them before re-planning the rest.
            this.refreshSource(target);
            const value = this.registries.get(target.name)?.read.documents[0]?.parse.value;
            const done = writes.filter((w) => revs.has(w.agent));
            await this.journalSafe(done.map((w) => this.entry(action, 'resolve', target, w.agent, w.field, w.path, w.before, w.after, getAt(value, w.path) === w.after ? 'verified' : 'failed', { truthFrom: w.truthFrom, revisions: revs.get(w.agent) })));
          }
        } else {
          const format = target.format ?? detectFormat(target.path, reg.text);
          const edited = editDocument(reg.text, format, writes);
          if (!edited.ok) {
            const message = `${target.path}: ${edited.message}; not written`;
            return this.finish({ ...base, action: null, attempts, agents: outcomes((a) => ({ agent: a.id, status: 'failed', reason: message, writes: [] })), message });
          }
          const abs = path.resolve(this.root, target.path);
          replaced = await replaceIfUnchanged(abs, reg.text, edited.text, this.opts.fs ? { fs: this.opts.fs } : undefined);
        }
        if (!replaced.ok && replaced.reason === 'changed') {
          lastChangeMessage = replaced.message;
          continue; // someone else wrote the registry: re-read, re-plan, retry
        }
        if (!replaced.ok) {
          await this.journalSafe(writes.map((w) => this.entry(action, 'resolve', target, w.agent, w.field, w.path, w.before, w.after, 'failed', { truthFrom: w.truthFrom, message: replaced.message })));
          return this.finish({
            ...base,
            action,
            attempts,
            agents: outcomes((a) => {
              if (a.plan.length > 0) return { agent: a.id, status: 'failed', reason: replaced.message, writes: a.plan.map(describe) };
              // Nothing was to be written for it: what it is, as a dry run would say.
              if (a.verdict === 'in-sync' || a.verdict === 'stale') return { agent: a.id, status: 'in-sync', writes: [] };
              return { agent: a.id, status: 'unresolved', reason: unresolvedReason(a), writes: [] };
            }),
            message: replaced.message,
          });
        }

        // Verify: read the registry back; an agent is resolved only if the values match.
        this.refreshSource(target);
        const after = this.registries.get(target.name);
        const doc = after?.read.documents[0];
        const value = doc?.parse.ok ? doc.parse.value : undefined;
        const verified = (w: PlannedWrite) => value !== undefined && getAt(value, w.path) === w.after;
        await this.journalSafe(writes.map((w) => this.entry(action, 'resolve', target, w.agent, w.field, w.path, w.before, w.after, verified(w) ? 'verified' : 'failed', { truthFrom: w.truthFrom, revisions: revs.get(w.agent) })));
        const check = this.compute(opts.prefer);
        const afterById = new Map(check.recon.agents.map((x) => [x.id, x]));
        const result = outcomes((a) => {
          const now = afterById.get(a.id);
          const ok = a.plan.every(verified);
          if (a.plan.length > 0 && !ok) return { agent: a.id, status: 'failed', reason: 'the registry did not hold the written values when read back', writes: a.plan.map(describe) };
          if (now && (now.verdict === 'in-sync' || now.verdict === 'stale')) return { agent: a.id, status: a.plan.length ? 'resolved' : 'in-sync', writes: a.plan.map(describe) };
          return { agent: a.id, status: 'unresolved', reason: now ? unresolvedReason(now) : 'gone', writes: a.plan.map(describe) };
        });
        const n = result.filter((r) => r.status === 'resolved').length;
        return this.finish({ ...base, action, attempts, agents: result, message: `resolved ${n} agent${n === 1 ? '' : 's'} (${writes.length} write${writes.length === 1 ? '' : 's'}), action ${action}` });
      }
      const message = `the registry kept changing under us (${attempts} attempts); nothing written. Last: ${lastChangeMessage}`;
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
    const startedAtSeq = this.store.getSnapshot().seq;
    const base = { kind: 'undo' as const, dryRun: false, startedAtSeq };
    const { entries } = await this.journal.read();
    const undone = new Set(entries.filter((e) => e.kind === 'undo' && e.undoes).map((e) => e.undoes!));
    const resolves = entries.filter((e) => e.kind === 'resolve' && (e.outcome === 'verified' || e.outcome === 'applied'));
    const id = actionId ?? [...resolves].reverse().find((e) => !undone.has(e.action))?.action;
    if (!id) return this.finish({ ...base, action: null, attempts: 0, agents: [], message: 'nothing to undo' });
    const mine = resolves.filter((e) => e.action === id);
    if (mine.length === 0) return this.finish({ ...base, action: null, attempts: 0, agents: [], message: `no applied action ${id} in the journal` });
    if (undone.has(id)) return this.finish({ ...base, action: null, attempts: 0, agents: [], message: `action ${id} was already undone` });

    const target = this.config.sources.find((s) => s.name === mine[0]!.target);
    if (!target) return this.finish({ ...base, action: null, attempts: 0, agents: [], message: `source ${mine[0]!.target} is not in the config` });
    const abs = path.resolve(this.root, target.path);
    const action = Journal.newActionId(new Date(this.clock()));
    const store = this.opts.adapters?.get(target.name);
    for (let attempts = 1; attempts <= (this.opts.maxAttempts ?? 5); attempts++) {
      await store?.refresh();
      this.refreshSource(target);
      const reg = this.registries.get(target.name);
      const doc = reg?.read.documents[0];
      if (!reg || reg.text === null || !doc?.parse.ok) {
        return this.finish({ ...base, action: null, attempts, agents: [], message: `${target.path} cannot be read; nothing undone` });
      }
      const current = doc.parse.value;
      // In a store, the key must still be at the revision sync-tui wrote (compare-and-swap back).
      const restorable = mine.filter((e) => getAt(current, e.path) === e.after && (!store || e.revisionAfter === undefined || store.revision(e.agent) === e.revisionAfter));
      const refused = mine.filter((e) => !restorable.includes(e));
      const agents = new Map<string, AgentOutcome>();
      for (const e of mine) {
        const o = agents.get(e.agent) ?? { agent: e.agent, status: 'restored' as AgentOutcomeStatus, writes: [] };
        if (refused.includes(e)) {
          o.status = 'refused';
          o.reason = `${e.path.join('.')} changed since (now ${JSON.stringify(getAt(current, e.path)) ?? 'absent'}); left as it is`;
        }
        o.writes.push({ field: e.field, path: e.path, before: e.after, after: e.before });
        agents.set(e.agent, o);
      }
      if (restorable.length === 0) {
        await this.journalSafe(refused.map((e) => this.entry(action, 'undo', target, e.agent, e.field, e.path, getAt(current, e.path), e.before, 'refused', { undoes: id, message: 'changed since' })));
        return this.finish({ ...base, action, attempts, agents: [...agents.values()], message: `undo of ${id} refused: every value changed since` });
      }
      const revs = new Map<string, { before: number; after: number }>();
      let replaced: { ok: true } | { ok: false; reason: string; message: string };
      if (store) {
        const expect = new Map(restorable.filter((e) => e.revisionAfter !== undefined).map((e) => [e.agent, e.revisionAfter!]));
        const wrote = await store.write(restorable.map((e) => toGuarded(target, { agent: e.agent, path: e.path, after: e.before })), expect);
        for (const [agent, r] of wrote.revisions) revs.set(agent, r);
        // Part written and part refused: the refused keys are re-read and refused next round.
        replaced = !wrote.ok && wrote.reason === 'changed' && revs.size > 0 ? { ok: true } : wrote;
      } else {
        const format = target.format ?? detectFormat(target.path, reg.text);
        const edited = editDocument(
          reg.text,
          format,
          restorable.map((e) => ({ path: e.path, after: e.before === undefined ? undefined : (e.before as string | number | boolean | null) })),
        );
        if (!edited.ok) return this.finish({ ...base, action: null, attempts, agents: [...agents.values()], message: `${target.path}: ${edited.message}; nothing undone` });
        replaced = await replaceIfUnchanged(abs, reg.text, edited.text, this.opts.fs ? { fs: this.opts.fs } : undefined);
      }
      if (!replaced.ok && replaced.reason === 'changed') continue;
      if (!replaced.ok) return this.finish({ ...base, action: null, attempts, agents: [...agents.values()], message: replaced.message });
      this.refreshSource(target);
      await this.journalSafe([
        ...restorable.map((e) => this.entry(action, 'undo', target, e.agent, e.field, e.path, e.after, e.before, store && !revs.has(e.agent) ? 'refused' : 'verified', { undoes: id, revisions: revs.get(e.agent) })),
        ...refused.map((e) => this.entry(action, 'undo', target, e.agent, e.field, e.path, getAt(current, e.path), e.before, 'refused', { undoes: id, message: 'changed since' })),
      ]);
      const msg = refused.length ? `undid ${restorable.length} of ${mine.length} changes of ${id}; ${refused.length} refused (changed since)` : `undid ${id} (${restorable.length} change${restorable.length === 1 ? '' : 's'})`;
      this.publish();
      return this.finish({ ...base, action, attempts, agents: [...agents.values()], message: msg });
    }
    return this.finish({ ...base, action: null, attempts: this.opts.maxAttempts ?? 5, agents: [], message: 'the registry kept changing under us; nothing undone' });
  }

  /** The journal, for `log`. */
  readJournal(): ReturnType<Journal['read']> {
    return this.journal.read();
  }

  private entry(
    action: string,
    kind: 'resolve' | 'undo',
    target: SourceSpec,
    agent: string,
    field: string,
    p: string[],
    before: unknown,
    after: unknown,
    outcome: JournalEntry['outcome'],
    extra: { truthFrom?: string; undoes?: string; message?: string; revisions?: { before: number; after: number } | undefined } = {},
  ): JournalEntry {
    const e: JournalEntry = { v: 1, action, at: new Date(this.clock()).toISOString(), kind, agent, field, target: target.name, file: target.path, path: p, before, after, outcome };
    if (extra.truthFrom !== undefined) e.truthFrom = extra.truthFrom;
    if (extra.undoes !== undefined) e.undoes = extra.undoes;
    if (extra.message !== undefined) e.message = extra.message;
    if (extra.revisions) {
      e.revisionBefore = extra.revisions.before;
      e.revisionAfter = extra.revisions.after;
    }
    return e;
  }

  private async journalSafe(entries: JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    try {
      await this.journal.append(entries);
    } catch (e) {
      this.error = `the journal could not be written: ${e instanceof Error ? e.message : String(e)}`;
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

