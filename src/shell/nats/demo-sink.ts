// The demo simulator writing into NATS buckets (README.md "Several hosts"): each agent's
// status value is a key of the status bucket, the coordinator's view of each agent a key
// of the registry bucket, and the event log stays a file beside the config. The registry
// bucket is watched so the coordinator adopts what an operator resolved.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { encodeKeyToken } from '../../core/key-token.js';
import type { SimOp } from '../../core/demo/simulation.js';
import { DEMO_EVENTS, type SimSink } from '../simulator.js';

export const DEMO_STATUS_BUCKET = 'demo_status';
export const DEMO_REGISTRY_BUCKET = 'demo_registry';

interface RegistryValue {
  onboarded: boolean;
  fsm: string;
}

/** The demo's config: NATS status and registry sources, the event log a file. */
export function natsDemoConfig(url: string): string {
  return `# sync-tui demo --nats: a throwaway nats-server on ${url} (README.md "Several hosts").
stale: 15m
sources:
  agents:
    kind: status-files
    store: nats
    nats: { servers: ${url}, bucket: ${DEMO_STATUS_BUCKET}, key: "agents.{agent}" }
    fields:
      status: [status]
      fsm: [fsm_state.current_state, fsm_state]
    updated_at: [last_updated]
    id: [agent_id]
  registry:
    kind: registry
    store: nats
    nats: { servers: ${url}, bucket: ${DEMO_REGISTRY_BUCKET} }
    fields:
      status:
        paths: [onboarded]
        type: boolean
        true: [ONBOARDED, ACTIVE, READY, IDLE, BLOCKED, ERROR, OFFLINE]
        false: [PENDING, UNINITIALIZED, ONBOARDING]
      fsm:
        paths: [fsm]
        type: enum
        case: lower
  events:
    kind: event-log
    path: ${DEMO_EVENTS}
    required: false
    fields:
      status: [status]
      fsm: [fsm]
    updated_at: [at]
    id: [agent]
policy:
  target: registry
  truth:
    status: newest
    fsm: newest
`;
}

export class NatsDemoSink implements SimSink {
  private readonly mirror = new Map<string, RegistryValue>();
  private pending = new Set<Promise<unknown>>();
  lastError: string | null = null;

  private constructor(
    private readonly root: string,
    private readonly nc: NatsConnection,
    private readonly status: KV,
    private readonly registry: KV,
  ) {}

  /** Connect, create both buckets, and start mirroring the registry bucket. */
  static async open(url: string, root: string): Promise<NatsDemoSink> {
    const nc = await connect({ servers: url, name: 'sync-tui demo simulator', timeout: 5000 });
    const kvm = new Kvm(jetstream(nc));
    const status = await kvm.create(DEMO_STATUS_BUCKET, { history: 10 });
    const registry = await kvm.create(DEMO_REGISTRY_BUCKET, { history: 10 });
    const sink = new NatsDemoSink(root, nc, status, registry);
    const watch = await registry.watch();
    void (async () => {
      try {
        for await (const e of watch) {
          if (e.operation !== 'PUT') continue;
          try {
            const v = e.json<Partial<RegistryValue>>();
            if (typeof v.onboarded === 'boolean' && typeof v.fsm === 'string')
              sink.mirror.set(e.key, { onboarded: v.onboarded, fsm: v.fsm });
          } catch {
            // Not JSON: the coordinator keeps its own picture of that agent.
          }
        }
      } catch (e) {
        sink.lastError = e instanceof Error ? e.message : String(e);
      }
    })();
    return sink;
  }

  private put(kv: KV, key: string, text: string): void {
    const p = kv.put(key, text).then(
      () => undefined,
      (e: unknown) => {
        this.lastError = e instanceof Error ? e.message : String(e);
      },
    );
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  apply(op: SimOp): void {
    if (op.kind === 'event') {
      fs.appendFileSync(path.join(this.root, DEMO_EVENTS), op.line + '\n');
      return;
    }
    if (op.kind === 'status-file') {
      this.put(this.status, `agents.${encodeKeyToken(op.agent)}`, op.text);
      return;
    }
    // The registry document, one key per agent; only agents whose entry differs from the
    // bucket's (as last seen by the watch) are written.
    const doc = JSON.parse(op.text) as {
      onboarding_status: Record<string, boolean>;
      agent_fsm_states: Record<string, string>;
    };
    for (const [id, onboarded] of Object.entries(doc.onboarding_status)) {
      const fsm = doc.agent_fsm_states[id] ?? 'uninitialized';
      const key = encodeKeyToken(id);
      const seen = this.mirror.get(key);
      if (seen !== undefined && seen.onboarded === onboarded && seen.fsm === fsm) continue;
      this.put(this.registry, key, JSON.stringify({ onboarded, fsm }));
    }
  }

  registryDoc(): unknown {
    if (this.mirror.size === 0) return null;
    const onboarding_status: Record<string, boolean> = {};
    const agent_fsm_states: Record<string, string> = {};
    for (const [id, v] of this.mirror) {
      onboarding_status[id] = v.onboarded;
      agent_fsm_states[id] = v.fsm;
    }
    return { onboarding_status, agent_fsm_states };
  }

  /** Every write handed over so far has been acknowledged (or failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  async close(): Promise<void> {
    await this.flush();
    await this.nc.close();
  }
}
