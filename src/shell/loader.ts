// The live view's start: a first screenful before the whole fleet is read. Opening the
// engine reads and reconciles every agent (seconds at 10,000 agents), so the TUI is drawn
// over this loader at once: first a snapshot that only says what is being read, then one
// with the first agents in id order (the default sort, so the rows on screen are the rows
// the complete frame starts with), read the same way the engine reads them, and finally
// the engine itself, whose snapshots the loader passes on unchanged from then on.
// Snapshots of a partial load carry `loading` (engine-types.ts); the header says so.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { agentFile, agentFromEntry, splitAgentPattern, unsafeAgentId } from '../core/ids.js';
import { eventAgent, registryAgents } from '../core/observe/normalize.js';
import {
  agentIds,
  agentObservations,
  compareAgentIds,
  observeSources,
  reconcileAgent,
  summarize,
} from '../core/reconcile/reconcile.js';
import type { Config, SourceDocument, SourceRead, SourceSpec } from '../core/types.js';
import { loadDecisions } from './decision-store.js';
import type { ActionResult, EngineLike, EngineSnapshot, ResolveOpts, SourceHealth } from './engine-types.js';
import { listDir } from './fsread.js';
import { readDocument, readSource } from './sources.js';
import { Store } from './store.js';

/** Agents read for the first frame: more than a terminal has rows. */
export const PREVIEW_AGENTS = 200;
/** A single event log larger than this is not read twice: the first frame waits for the engine. */
export const PREVIEW_MAX_LOG_BYTES = 8 * 1024 * 1024;

export interface PreviewOptions {
  clock?: () => number;
  limit?: number;
  maxLogBytes?: number;
}

function emptySnapshot(
  root: string,
  config: Config,
  at: number,
  loading: { read: number; total: number },
): EngineSnapshot {
  const health: SourceHealth[] = config.sources.map((spec) => ({
    name: spec.name,
    kind: spec.kind,
    path: spec.path,
    healthy: true,
    mode: 'once',
    watched: 0,
    lastEventAt: null,
    lastReadAt: null,
    lastError: null,
    diagnostics: [],
  }));
  return {
    seq: 0,
    at,
    root,
    config,
    recon: { agents: [], summary: summarize([]) },
    health,
    pending: new Set(),
    lastAction: null,
    error: null,
    loading,
  };
}

/** The status-files agents of a source, as the engine's listing finds them (sources.ts). */
function listedAgents(root: string, spec: SourceSpec): string[] {
  const pattern = splitAgentPattern(spec.path);
  if (!pattern) return [];
  const out: string[] = [];
  for (const entry of listDir(root, pattern.dir) ?? []) {
    const agent = agentFromEntry(pattern, entry.name);
    if (agent === null) continue;
    if (pattern.rest !== '' && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
    if (pattern.rest === '' && entry.isDirectory()) continue;
    if (unsafeAgentId(agent) === null) out.push(agent);
  }
  return out;
}

/**
 * The first `limit` agents in id order, read and reconciled from every source, with the
 * count of status files listed. Null when it would cost about as much as the whole load
 * (an event log too large to read twice).
 */
export function previewSnapshot(
  root: string,
  config: Config,
  opts: PreviewOptions = {},
): EngineSnapshot | null {
  const now = (opts.clock ?? Date.now)();
  const limit = opts.limit ?? PREVIEW_AGENTS;
  const maxLog = opts.maxLogBytes ?? PREVIEW_MAX_LOG_BYTES;
  for (const spec of config.sources) {
    if (spec.kind !== 'event-log' || spec.path.includes('{agent}')) continue;
    try {
      if (fs.statSync(path.resolve(root, spec.path)).size > maxLog) return null;
    } catch {
      // absent or unreadable: the read below says so
    }
  }
  const statusSpecs = config.sources.filter((s) => s.kind === 'status-files');
  const listed = new Map(statusSpecs.map((s) => [s.name, listedAgents(root, s)]));
  // Every other source whole (one registry file, one log): their agents count for the order.
  const others = config.sources.filter((s) => s.kind !== 'status-files' && !s.path.includes('{agent}'));
  const otherReads = others.map((s) => readSource(root, s));
  const ids = new Set<string>();
  for (const list of listed.values()) for (const id of list) ids.add(id);
  // Their agents, without observing them (the ids are all the order needs).
  others.forEach((spec, k) => {
    for (const doc of otherReads[k]!.documents) {
      if (!doc.parse.ok) continue;
      if (spec.kind === 'registry') for (const id of registryAgents(doc.parse.value, spec)) ids.add(id);
      else {
        const id = eventAgent(doc, spec);
        if (id !== null) ids.add(id);
      }
    }
  });
  const first = [...ids].sort(compareAgentIds).slice(0, limit);
  const wanted = new Set(first);
  let read = 0;
  let total = 0;
  const reads: SourceRead[] = [...otherReads];
  for (const spec of config.sources) {
    if (spec.kind === 'status-files') {
      const pattern = splitAgentPattern(spec.path)!;
      const agents = listed.get(spec.name) ?? [];
      total += agents.length;
      const documents: SourceDocument[] = [];
      for (const agent of agents) {
        if (!wanted.has(agent)) continue;
        const doc = readDocument(root, agentFile(pattern, agent), spec, agent);
        read++;
        if (!doc.missing) documents.push(doc);
      }
      reads.push({ source: spec.name, documents, diagnostics: [], healthy: true });
    } else if (spec.path.includes('{agent}')) {
      // A per-agent log: only the shown agents' files.
      const pattern = splitAgentPattern(spec.path);
      const documents: SourceDocument[] = [];
      for (const agent of pattern ? first : []) {
        for (const d of readSource(root, { ...spec, path: agentFile(pattern!, agent) }).documents)
          documents.push({ ...d, agent });
      }
      reads.push({ source: spec.name, documents, diagnostics: [], healthy: true });
    }
  }
  const sources = observeSources(reads, config, now, wanted);
  const decided = loadDecisions(root, config.stateDir);
  const agents = [...agentIds(sources)]
    .filter((id) => wanted.has(id))
    .sort(compareAgentIds)
    .map((id) => reconcileAgent(id, agentObservations(id, sources), config, now, decided.index.get(id)));
  const snap = emptySnapshot(root, config, now, { read, total });
  snap.recon = { agents, summary: summarize(agents) };
  snap.health = snap.health.map((h) => ({
    ...h,
    lastReadAt: now,
    watched: h.kind === 'status-files' ? read : 0,
  }));
  return snap;
}

/**
 * An EngineLike over an engine still opening: partial snapshots until `attach`, the
 * engine's own after. Actions wait for the engine.
 */
export class LoadingEngine implements EngineLike {
  private readonly store: Store<EngineSnapshot>;
  private engine: EngineLike | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly waiting: ((e: EngineLike) => void)[] = [];

  constructor(root: string, config: Config, clock: () => number = Date.now) {
    this.store = new Store(emptySnapshot(root, config, clock(), { read: 0, total: 0 }));
  }

  getSnapshot = (): EngineSnapshot => (this.engine ? this.engine.getSnapshot() : this.store.getSnapshot());

  subscribe = (listener: () => void): (() => void) => this.store.subscribe(listener);

  /** A partial snapshot (ignored once the engine is attached). */
  show(snapshot: EngineSnapshot): void {
    if (this.engine === null) this.store.set(snapshot);
  }

  /** From now on every snapshot is the engine's. */
  attach(engine: EngineLike): void {
    this.engine = engine;
    // Listeners hear the engine through the store: a new object is set on every publish.
    this.unsubscribe = engine.subscribe(() => this.store.set(engine.getSnapshot()));
    this.store.set(engine.getSnapshot());
    for (const w of this.waiting.splice(0)) w(engine);
  }

  private ready(): Promise<EngineLike> {
    return this.engine ? Promise.resolve(this.engine) : new Promise((resolve) => this.waiting.push(resolve));
  }

  async resolve(agents: readonly string[] | 'all', opts?: ResolveOpts): Promise<ActionResult> {
    return (await this.ready()).resolve(agents, opts);
  }

  async undo(actionId?: string): Promise<ActionResult> {
    return (await this.ready()).undo(actionId);
  }

  /** Stops passing the engine's snapshots on; the engine is closed by whoever opened it. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    return Promise.resolve();
  }
}
