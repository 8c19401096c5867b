// The engine's source cache (README.md "Live view"): each file or store source's last read,
// the first read of all of them, the re-reads a watcher batch or a store change asks for
// (one agent's file, a registry, what an event log appended; a whole folder after an
// overflow), and the re-reads an action makes before planning and after writing.
import * as path from 'node:path';
import { agentFile, splitAgentPattern } from '../../core/ids.js';
import { compactEvents, eventAgent } from '../../core/observe/normalize.js';
import type { Config, SourceDocument, SourceSpec } from '../../core/types.js';
import { initialTail, readAgentTails, readTail } from '../eventlog.js';
import { agentOfPath, onChainTo } from './paths.js';
import { EnginePicture } from './picture.js';
import type { EventState, RegistryState, StatusState } from './state.js';

export abstract class EngineSources extends EnginePicture {
  protected override loadAll(): void {
    const now = this.clock();
    for (const spec of this.config.sources) {
      this.lastReadAt.set(spec.name, now);
      if (spec.kind === 'status-files') {
        const read = this.opts.adapters?.get(spec.name)?.read() ?? this.files.read(spec);
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

  protected readRegistry(spec: SourceSpec): RegistryState {
    const store = this.opts.adapters?.get(spec.name);
    if (store) return { spec, read: store.read(), text: '' };
    return { spec, ...this.files.readTarget(spec) };
  }

  /** Read what was appended to an event log; re-observe the agents it mentions. */
  protected readEvents(state: EventState, agent?: string): boolean {
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
  protected readAgentLogs(state: EventState, only?: string): boolean {
    const listed = only === undefined ? this.files.agentLogs(state.spec) : null;
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

  protected agentOf(s: StatusState, rel: string): string | null {
    return agentOfPath(s.pattern, rel);
  }

  /** Re-list a status-files source and re-read what changed; agents whose file went away leave. */
  protected rescanStatus(s: StatusState): boolean {
    const read = this.files.read(s.spec);
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

  protected rereadAgent(s: StatusState, agent: string): boolean {
    const file = agentFile(s.pattern!, agent);
    const prev = s.docs.get(agent);
    const doc = this.files.readAgent(s.spec, file, agent);
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

  protected onBatches(batches: { id: string; paths: Set<string> }[]): void {
    if (this.closed) return;
    try {
      this.applyChanges(batches.flatMap((b) => [...b.paths]));
    } catch (e) {
      this.error = `reading changes failed: ${e instanceof Error ? e.message : String(e)}`;
      this.publish();
    }
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

  /** Re-read one registry from disk and re-observe it (inside an action; no publish). */
  protected refreshSource(spec: SourceSpec): void {
    if (spec.kind !== 'registry') {
      this.reloadQuiet();
      return;
    }
    this.registries.set(spec.name, this.readRegistry(spec));
    this.lastReadAt.set(spec.name, this.clock());
    this.observeWhole(spec);
  }

  /** Re-read everything without publishing. */
  protected reloadQuiet(): void {
    this.statusStates.clear();
    this.registries.clear();
    this.events.clear();
    this.loadAll();
  }
}
