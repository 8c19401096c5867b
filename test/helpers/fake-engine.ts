// A stand-in for the engine: real reconciliation of in-memory reads, published through the
// real Store, with resolve/undo that edit the in-memory registry. Tests push new data with
// `setFile` / `setRegistry`, and can hold a write open (`hold()`) to see `pending`.
import { guardAgent, type FrozenPlan } from '../../src/core/plan/frozen-plan.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { Config, RawValue } from '../../src/core/types.js';
import type {
  ActionResult,
  EngineLike,
  EngineSnapshot,
  ResolveOpts,
  SourceHealth,
} from '../../src/shell/engine-types.js';
import { Store } from '../../src/shell/store.js';
import { incidentConfig, incidentReads, MIN, T0, type AgentFile } from './workspace.js';

export interface RegistryDoc {
  last_updated: string;
  onboarding_status: Record<string, unknown>;
  agent_fsm_states: Record<string, unknown>;
}

/** Fresh stamps (T0 - 2 min): in-sync agents are not stale at T0. */
export const FRESH = new Date(T0 - 2 * MIN).toISOString();

/** A small incident-shaped swarm with one agent of every verdict. */
export function incidentData(): { files: Record<string, AgentFile | 'bad'>; registry: RegistryDoc } {
  return {
    files: {
      'Agent-1': { status: 'ACTIVE', fsm: 'ACTIVE', at: FRESH },
      'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: FRESH },
      'Agent-3': { status: 'ACTIVE', fsm: 'ACTIVE', at: FRESH },
      'Agent-5': { status: 'ONBOARDED', fsm: 'ONBOARDED', at: FRESH },
      'Agent-6': { status: 'ACTIVE', fsm: 'IDLE', at: '2026-03-01T09:00:00Z' },
      'Agent-9': 'bad',
      'Agent-11': { status: 'HYPERDRIVE_ENGAGED', fsm: 'ACTIVE', at: FRESH },
    },
    registry: {
      last_updated: FRESH,
      onboarding_status: {
        'Agent-1': true,
        'Agent-2': true,
        'Agent-3': false,
        'Agent-5': true,
        'Agent-6': true,
        'Agent-9': true,
        'Agent-10': true,
        'Agent-11': true,
      },
      agent_fsm_states: {
        'Agent-1': 'active',
        'Agent-2': 'uninitialized',
        'Agent-3': 'uninitialized',
        'Agent-5': 'idle',
        'Agent-6': 'idle',
        'Agent-9': 'idle',
        'Agent-10': 'idle',
        'Agent-11': 'active',
      },
    },
  };
}

/** `n` agents, all in sync (Agent-1 .. Agent-n). */
export function manyAgents(n: number): { files: Record<string, AgentFile>; registry: RegistryDoc } {
  const files: Record<string, AgentFile> = {};
  const registry: RegistryDoc = { last_updated: FRESH, onboarding_status: {}, agent_fsm_states: {} };
  for (let i = 1; i <= n; i++) {
    const id = `Agent-${i}`;
    files[id] = { status: 'ACTIVE', fsm: 'ACTIVE', at: FRESH };
    registry.onboarding_status[id] = true;
    registry.agent_fsm_states[id] = 'active';
  }
  return { files, registry };
}

interface Applied {
  action: string;
  writes: { path: string[]; before: unknown; after: unknown }[];
}

export class FakeEngine implements EngineLike {
  readonly store: Store<EngineSnapshot>;
  readonly config: Config;
  files: Record<string, AgentFile | 'bad'>;
  registry: RegistryDoc;
  now = T0;
  error: string | null = null;
  readonly calls: {
    kind: 'resolve' | 'undo';
    agents?: readonly string[] | 'all';
    prefer?: string;
    action?: string;
  }[] = [];
  /** The approved plan each resolve was given (undefined: none), in call order. */
  readonly expects: (FrozenPlan | undefined)[] = [];
  private seq = 0;
  private pending = new Set<string>();
  private gate: Promise<void> | null = null;
  private openGate: (() => void) | null = null;
  private applied: Applied[] = [];
  private actions = 0;
  closed = false;

  constructor(
    data: { files: Record<string, AgentFile | 'bad'>; registry: RegistryDoc } = incidentData(),
    config: Config = incidentConfig(),
  ) {
    this.files = data.files;
    this.registry = data.registry;
    this.config = config;
    this.store = new Store(this.compute());
  }

  subscribe = (l: () => void): (() => void) => this.store.subscribe(l);
  getSnapshot = (): EngineSnapshot => this.store.getSnapshot();

  private compute(prefer?: string): EngineSnapshot {
    const reads = incidentReads(this.files, {
      onboarded: this.registry.onboarding_status,
      fsm: this.registry.agent_fsm_states,
      last_updated: this.registry.last_updated,
    });
    const config = prefer ? { ...this.config, policy: { ...this.config.policy, prefer } } : this.config;
    const recon = reconcile(reads, config, this.now);
    const health: SourceHealth[] = this.config.sources.map((s) => ({
      name: s.name,
      kind: s.kind,
      path: s.path,
      healthy: true,
      mode: 'events',
      watched: s.kind === 'status-files' ? Object.keys(this.files).length : 1,
      lastEventAt: null,
      lastReadAt: this.now - 3000,
      lastError: null,
      diagnostics: [],
    }));
    return {
      seq: ++this.seq,
      at: this.now,
      root: '/srv/swarm',
      config: this.config,
      recon,
      health,
      pending: new Set(this.pending),
      lastAction: null,
      error: this.error,
    };
  }

  /** Publish a new snapshot from the current data (what a watcher batch does). */
  publish(): void {
    this.store.set(this.compute());
  }

  setFile(agent: string, file: AgentFile | 'bad'): void {
    this.files = { ...this.files, [agent]: file };
    this.publish();
  }

  removeFile(agent: string): void {
    const { [agent]: _gone, ...rest } = this.files;
    this.files = rest;
    this.publish();
  }

  setRegistryFsm(agent: string, value: unknown): void {
    this.registry = {
      ...this.registry,
      agent_fsm_states: { ...this.registry.agent_fsm_states, [agent]: value },
    };
    this.publish();
  }

  /** Hold the next writes open until `release()`: the UI should show them as pending. */
  hold(): void {
    this.gate = new Promise<void>((resolve) => {
      this.openGate = resolve;
    });
  }

  release(): void {
    this.openGate?.();
    this.gate = null;
    this.openGate = null;
  }

  async resolve(agents: readonly string[] | 'all', opts: ResolveOpts = {}): Promise<ActionResult> {
    this.calls.push({ kind: 'resolve', agents, ...(opts.prefer ? { prefer: opts.prefer } : {}) });
    this.expects.push(opts.expect);
    const startedAtSeq = this.getSnapshot().seq;
    const snap = this.compute(opts.prefer);
    this.seq--; // planning is not a published snapshot
    // The engine's guard: an approved agent whose plan differs now is not written.
    const refused = new Map<string, { cause: string; reason: string }>();
    for (const f of opts.expect?.agents ?? []) {
      const g = guardAgent(
        f,
        snap.recon.agents.find((a) => a.id === f.id),
      );
      if (!g.ok) refused.set(f.id, g);
    }
    const chosen = snap.recon.agents.filter(
      (a) => (agents === 'all' || agents.includes(a.id)) && !refused.has(a.id),
    );
    for (const a of chosen) this.pending.add(a.id);
    this.publish();
    if (this.gate) await this.gate;
    const action = `A${++this.actions}`;
    const writes: Applied['writes'] = [];
    for (const a of chosen) {
      for (const w of a.plan) {
        const [section, id] = w.path as [keyof RegistryDoc, string];
        const table = { ...(this.registry[section] as Record<string, unknown>) };
        writes.push({ path: w.path, before: table[id], after: w.after });
        table[id] = w.after as RawValue;
        this.registry = { ...this.registry, [section]: table };
      }
    }
    if (writes.length > 0) this.applied.push({ action, writes });
    this.pending.clear();
    this.publish();
    const after = this.getSnapshot().recon.agents;
    const outcomes = chosen.map((a) => {
      const now = after.find((x) => x.id === a.id);
      const ok = now && (now.verdict === 'in-sync' || now.verdict === 'stale');
      const status = (
        a.plan.length === 0 ? (ok ? 'in-sync' : 'unresolved') : ok ? 'resolved' : 'unresolved'
      ) as ActionResult['agents'][number]['status'];
      return {
        agent: a.id,
        status,
        cause: (status === 'resolved' ? 'verified' : status) as ActionResult['agents'][number]['cause'],
        ...(ok ? {} : { reason: now?.reasons[0] ?? 'gone' }),
        writes: a.plan.map((w) => ({ field: w.field, path: w.path, before: w.before, after: w.after })),
      };
    });
    for (const [agent, g] of refused)
      outcomes.push({
        agent,
        status: 'unresolved',
        cause: g.cause,
        reason: g.reason,
        writes: [],
      } as (typeof outcomes)[number]);
    const n = outcomes.filter((o) => o.status === 'resolved').length;
    return {
      action: writes.length > 0 ? action : null,
      kind: 'resolve',
      dryRun: false,
      attempts: 1,
      agents: outcomes,
      message:
        writes.length > 0
          ? `resolved ${n} agent${n === 1 ? '' : 's'} (${writes.length} writes), action ${action}`
          : 'nothing to write',
      startedAtSeq,
    };
  }

  async undo(actionId?: string): Promise<ActionResult> {
    this.calls.push({ kind: 'undo', ...(actionId !== undefined ? { action: actionId } : {}) });
    const startedAtSeq = this.getSnapshot().seq;
    const last = this.applied.pop();
    if (!last)
      return {
        action: null,
        kind: 'undo',
        dryRun: false,
        attempts: 0,
        agents: [],
        message: 'nothing to undo',
        startedAtSeq,
      };
    for (const w of last.writes) {
      const [section, id] = w.path as [keyof RegistryDoc, string];
      this.registry = {
        ...this.registry,
        [section]: { ...(this.registry[section] as Record<string, unknown>), [id]: w.before },
      };
    }
    this.publish();
    return {
      action: `U${last.action}`,
      kind: 'undo',
      dryRun: false,
      attempts: 1,
      agents: [],
      message: `undid ${last.action} (${last.writes.length} changes)`,
      startedAtSeq,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
  }
}
