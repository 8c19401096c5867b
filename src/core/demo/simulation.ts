// The demo swarm: a seeded, pure simulation of agents that change state, heartbeat,
// now and then write a malformed file, and a coordinator whose registry falls behind
// (the 2025-09-14 incident, replayed). The shell applies the operations to disk.
import { FSM_TRANSITIONS } from '../config/defaults.js';

export interface SimAgent {
  id: string;
  role: string;
  fsm: string;
  /** How this agent spells its status (agents are inconsistent, as in the real data). */
  style: number;
  /** Its last file write was malformed; the next write repairs it. */
  broken: boolean;
}

export interface SimState {
  agents: SimAgent[];
  /** What the coordinator's registry holds per agent. */
  registry: Record<string, { onboarded: boolean; fsm: string }>;
  tick: number;
}

export type SimOp =
  | { kind: 'status-file'; agent: string; text: string; atomic: boolean }
  | { kind: 'event'; line: string }
  | { kind: 'registry'; text: string; atomic: boolean };

export type Rng = () => number;

/** A small, fast, seedable PRNG (mulberry32). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ROLES = [
  'Integration & Core Systems',
  'Architecture & Design',
  'Infrastructure & DevOps',
  'Quality Assurance (CAPTAIN)',
  'Business Intelligence',
  'Coordination & Communication',
  'Security & Compliance',
  'Operations & Support',
];

function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

/** How an agent in a given FSM state writes its `status`, in one of several real styles. */
export function statusWord(fsm: string, style: number): string {
  const styles: Record<string, string[]> = {
    UNINITIALIZED: ['PENDING', 'pending', 'UNINITIALIZED'],
    ONBOARDING: ['ONBOARDING', 'onboarding', 'IN_PROGRESS'],
    ONBOARDED: ['ONBOARDED', 'onboarded', 'OPERATIONAL'],
    IDLE: ['OPERATIONAL', 'IDLE', 'idle'],
    READY: ['READY', 'STANDBY_READY', 'ready'],
    ACTIVE: ['ACTIVE_AGENT_MODE', 'active', 'ACTIVE'],
    TASK_EXECUTION: ['ACTIVE_AGENT_MODE', 'BUSY', 'active'],
    BLOCKED: ['BLOCKED', 'blocked', 'BLOCKED'],
    COMPLETED: ['OPERATIONAL', 'COMPLETED', 'ONBOARDED'],
    ERROR: ['ERROR', 'FAILED', 'error'],
    OFFLINE: ['OFFLINE', 'INACTIVE', 'offline'],
  };
  const list = styles[fsm] ?? [fsm];
  return list[style % list.length]!;
}

const LIFECYCLE = new Set(['UNINITIALIZED', 'ONBOARDING']);

function stamp(now: number): string {
  // Most real files carry zone-less `YYYY-MM-DD HH:MM:SS`; the demo writes UTC that way.
  return new Date(now).toISOString().replace('T', ' ').slice(0, 19);
}

export function statusFileText(a: SimAgent, now: number): string {
  const fsmValue =
    a.style % 2 === 0
      ? a.fsm
      : { current_state: a.style === 1 ? a.fsm.toLowerCase() : a.fsm, previous_state: null, cycle_number: 1 };
  const doc = {
    agent_id: a.id,
    role: `${a.role} Specialist`,
    status: statusWord(a.fsm, a.style),
    fsm_state: fsmValue,
    last_updated: stamp(now),
    current_mission: a.fsm === 'TASK_EXECUTION' ? 'Cycle work 🚀 — queue triage' : null,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

export function registryText(state: SimState, now: number): string {
  const ids = state.agents.map((a) => a.id);
  const doc = {
    contract_history: [],
    last_updated: new Date(now).toISOString().replace('Z', '000').slice(0, 26),
    onboarding_status: Object.fromEntries(ids.map((id) => [id, state.registry[id]?.onboarded ?? false])),
    agent_fsm_states: Object.fromEntries(
      ids.map((id) => [id, (state.registry[id]?.fsm ?? 'UNINITIALIZED').toLowerCase()]),
    ),
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

/** A swarm of `n` agents right after the incident: most registered, some lagging. */
export function initialSim(n: number, rng: Rng): SimState {
  const agents: SimAgent[] = [];
  const registry: SimState['registry'] = {};
  const start = ['IDLE', 'ACTIVE', 'TASK_EXECUTION', 'READY', 'ONBOARDED', 'IDLE', 'UNINITIALIZED'];
  for (let i = 1; i <= n; i++) {
    const fsm =
      i <= start.length
        ? start[i - 1]!
        : pick(rng, ['IDLE', 'ACTIVE', 'TASK_EXECUTION', 'READY', 'IDLE', 'ONBOARDED']);
    const a: SimAgent = {
      id: `Agent-${i}`,
      role: ROLES[(i - 1) % ROLES.length]!,
      fsm,
      style: Math.floor(rng() * 3),
      broken: false,
    };
    agents.push(a);
    // The incident: the coordinator never learnt that some agents onboarded.
    const lagging = i === 2 || i === 4 || rng() < 0.15;
    registry[a.id] = lagging
      ? { onboarded: false, fsm: 'UNINITIALIZED' }
      : { onboarded: !LIFECYCLE.has(fsm), fsm };
  }
  return { agents, registry, tick: 0 };
}

/** Every file of the initial workspace. */
export function initialOps(state: SimState, now: number): SimOp[] {
  const ops: SimOp[] = state.agents.map((a) => ({
    kind: 'status-file' as const,
    agent: a.id,
    text: statusFileText(a, now),
    atomic: true,
  }));
  ops.push({ kind: 'registry', text: registryText(state, now), atomic: true });
  for (const a of state.agents)
    ops.push({
      kind: 'event',
      line: JSON.stringify({ agent: a.id, type: 'heartbeat', at: new Date(now).toISOString() }),
    });
  return ops;
}

function nextFsm(rng: Rng, fsm: string): string {
  const options = (FSM_TRANSITIONS[fsm] ?? [])
    .filter((s) => s !== 'ERROR' || rng() < 0.15)
    .filter((s) => s !== 'OFFLINE' || rng() < 0.2);
  return options.length > 0 ? pick(rng, options) : fsm;
}

/**
 * One tick: a few agents move along their FSM and write their file (now and then badly),
 * others heartbeat; the coordinator catches up on some agents and lags on the rest.
 */
export function step(state: SimState, rng: Rng, now: number): { state: SimState; ops: SimOp[] } {
  const ops: SimOp[] = [];
  const agents = state.agents.map((a) => ({ ...a }));
  const registry = { ...state.registry };
  const movers = Math.max(1, Math.round(agents.length * 0.08));
  for (let k = 0; k < movers; k++) {
    const a = pick(rng, agents);
    const roll = rng();
    if (roll < 0.55 || a.broken) {
      if (!a.broken) a.fsm = nextFsm(rng, a.fsm);
      a.broken = false;
      ops.push({ kind: 'status-file', agent: a.id, text: statusFileText(a, now), atomic: rng() < 0.7 });
      ops.push({
        kind: 'event',
        line: JSON.stringify({
          agent: a.id,
          status: statusWord(a.fsm, a.style),
          fsm: a.fsm,
          at: new Date(now).toISOString(),
        }),
      });
    } else if (roll < 0.62) {
      // A hand-written echo > status.json, cut off or with an appended second object.
      const good = statusFileText(a, now);
      const text =
        rng() < 0.5
          ? good.slice(0, Math.floor(good.length * 0.6))
          : good.trimEnd() + `{"status": "${statusWord(a.fsm, a.style)}"}\n`;
      a.broken = text.endsWith('}\n') ? false : true;
      ops.push({ kind: 'status-file', agent: a.id, text, atomic: false });
    } else {
      ops.push({
        kind: 'event',
        line: JSON.stringify({ agent: a.id, type: 'heartbeat', at: new Date(now).toISOString() }),
      });
    }
  }
  // The coordinator: catches up on a few agents, sometimes resets one (the original bug).
  let registryChanged = false;
  if (rng() < 0.12) {
    const a = pick(rng, agents);
    registry[a.id] = { onboarded: !LIFECYCLE.has(a.fsm), fsm: a.fsm };
    registryChanged = true;
  }
  if (rng() < 0.04) {
    const a = pick(rng, agents);
    registry[a.id] = { onboarded: false, fsm: 'UNINITIALIZED' };
    registryChanged = true;
  }
  const next: SimState = { agents, registry, tick: state.tick + 1 };
  if (registryChanged) ops.push({ kind: 'registry', text: registryText(next, now), atomic: rng() < 0.8 });
  return { state: next, ops };
}

/** Fold the registry the operator wrote back into the simulation, so the coordinator does not undo it. */
export function adoptRegistry(state: SimState, doc: unknown): SimState {
  if (typeof doc !== 'object' || doc === null) return state;
  const d = doc as {
    onboarding_status?: Record<string, unknown>;
    agent_fsm_states?: Record<string, unknown>;
  };
  const registry = { ...state.registry };
  for (const a of state.agents) {
    const onboarded = d.onboarding_status?.[a.id];
    const fsm = d.agent_fsm_states?.[a.id];
    if (typeof onboarded === 'boolean' && typeof fsm === 'string')
      registry[a.id] = { onboarded, fsm: fsm.toUpperCase() };
  }
  return { ...state, registry };
}
