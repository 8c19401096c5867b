// Workspaces of the demo's shape (src/core/demo/simulation.ts), at any size:
//   agent_workspaces/{agent}/status.json   one folder per agent, as the agents write them
//   coordination_system_state.json         the coordinator's registry
//   events.jsonl                           one heartbeat per agent, plus status events
// `registry: 'lagging'` is the incident (about 15% of agents behind); `'all-drifted'` has
// the registry say UNINITIALIZED / false for every agent, so every agent drifts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type * as Sim from '../src/core/demo/simulation.js';
import { dist } from './lib.js';

export interface WorkspaceOptions {
  agents: number;
  registry: 'lagging' | 'all-drifted';
  seed?: number;
  /** Status events in the log besides the heartbeats, as a share of agents (default 0.5). */
  statusEvents?: number;
}

export interface Workspace {
  root: string;
  agents: number;
  registry: string;
  /** Bytes on disk: status files, registry, event log. */
  bytes: { status: number; registry: number; events: number };
  generatedMs: number;
  generatedAt: number;
}

export const AGENTS_DIR = 'agent_workspaces';
export const REGISTRY = 'coordination_system_state.json';
export const EVENTS = 'events.jsonl';

export function statusPath(root: string, agent: string): string {
  return path.join(root, AGENTS_DIR, agent, 'status.json');
}

export async function generateWorkspace(root: string, opts: WorkspaceOptions): Promise<Workspace> {
  const sim = await dist<typeof Sim>('core/demo/simulation.js');
  const t0 = performance.now();
  const now = Date.now();
  const rng = sim.mulberry32(opts.seed ?? 20250914);
  let state = sim.initialSim(opts.agents, rng);
  if (opts.registry === 'all-drifted') {
    state = {
      ...state,
      registry: Object.fromEntries(
        state.agents.map((a) => [a.id, { onboarded: false, fsm: 'UNINITIALIZED' }]),
      ),
    };
  }
  fs.mkdirSync(path.join(root, AGENTS_DIR), { recursive: true });
  let statusBytes = 0;
  for (const a of state.agents) {
    const file = statusPath(root, a.id);
    fs.mkdirSync(path.dirname(file));
    const text = sim.statusFileText(a, now);
    fs.writeFileSync(file, text);
    statusBytes += Buffer.byteLength(text);
  }
  const registry = sim.registryText(state, now);
  fs.writeFileSync(path.join(root, REGISTRY), registry);
  // The log: a heartbeat per agent, and status events for some, in time order.
  const lines: string[] = [];
  const at = new Date(now - 1000).toISOString();
  for (const a of state.agents) lines.push(JSON.stringify({ agent: a.id, type: 'heartbeat', at }));
  const share = opts.statusEvents ?? 0.5;
  const at2 = new Date(now - 500).toISOString();
  for (const a of state.agents) {
    if (rng() >= share) continue;
    lines.push(JSON.stringify({ agent: a.id, status: sim.statusWord(a.fsm, a.style), fsm: a.fsm, at: at2 }));
  }
  const events = lines.join('\n') + '\n';
  fs.writeFileSync(path.join(root, EVENTS), events);
  return {
    root,
    agents: opts.agents,
    registry: opts.registry,
    bytes: { status: statusBytes, registry: Buffer.byteLength(registry), events: Buffer.byteLength(events) },
    generatedMs: performance.now() - t0,
    generatedAt: now,
  };
}

/** Status file text with a new FSM state, in the same shape the agent already writes. */
export function withFsm(text: string, fsm: string, stamp: string): string {
  const doc = JSON.parse(text) as { fsm_state: unknown; last_updated?: string };
  if (typeof doc.fsm_state === 'object' && doc.fsm_state !== null) {
    const o = doc.fsm_state as { current_state: string };
    o.current_state = fsm;
  } else {
    doc.fsm_state = fsm;
  }
  doc.last_updated = stamp;
  return JSON.stringify(doc, null, 2) + '\n';
}

/** Zone-less UTC stamp, the way the demo's agents write it. */
export function stampOf(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').slice(0, 19);
}

/**
 * Write a file the ways agents do: most atomically (temp file + rename), some in place
 * (`fs.writeFileSync`, which truncates first: a reader can see it half-written).
 */
export function writeLikeAnAgent(file: string, text: string, atomic: boolean): void {
  if (atomic) {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } else {
    fs.writeFileSync(file, text);
  }
}

/**
 * A workspace of the generic layout with a YAML registry (as fixtures/workspaces/generic):
 * `agents/{agent}/status.yaml` and `registry.yaml` keyed under `agents:`, every agent
 * behind in the registry (two fields to write per agent), for `resolve --all` on YAML.
 */
export function generateYamlWorkspace(root: string, agents: number): Workspace {
  const t0 = performance.now();
  const now = Date.now();
  const at = new Date(now - 60_000).toISOString().replace('T', ' ').slice(0, 19);
  fs.mkdirSync(path.join(root, 'agents'), { recursive: true });
  let statusBytes = 0;
  let registry = `# Coordinator registry (generated for the benchmark)\nlast_updated: "${new Date(now - 60_000).toISOString()}"\nagents:\n`;
  for (let i = 0; i < agents; i++) {
    const id = `agent-${String(i).padStart(6, '0')}`;
    fs.mkdirSync(path.join(root, 'agents', id));
    const text = `# ${id}'s own status\nagent_id: ${id}\nstatus: ACTIVE          # working a task\nfsm_state: TASK_EXECUTION\nlast_updated: ${at}\n`;
    fs.writeFileSync(path.join(root, 'agents', id, 'status.yaml'), text);
    statusBytes += Buffer.byteLength(text);
    registry += `  ${id}:\n    status: IDLE\n    fsm: IDLE   # last seen by the scheduler\n`;
  }
  fs.writeFileSync(path.join(root, 'registry.yaml'), registry);
  return {
    root,
    agents,
    registry: 'registry.yaml',
    bytes: { status: statusBytes, registry: Buffer.byteLength(registry), events: 0 },
    generatedMs: performance.now() - t0,
    generatedAt: now,
  };
}
