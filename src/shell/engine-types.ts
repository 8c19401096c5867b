// The engine's public shapes: what the TUI, `watch` and the commands read from it.
import type { FrozenPlan } from '../core/frozen-plan.js';
import type { Config, Diagnostic, Reconciliation, SourceSpec } from '../core/types.js';

export interface SourceHealth {
  name: string;
  kind: SourceSpec['kind'];
  path: string;
  healthy: boolean;
  mode: 'events' | 'polling' | 'failed' | 'once';
  watched: number;
  lastEventAt: number | null;
  lastReadAt: number | null;
  lastError: string | null;
  diagnostics: Diagnostic[];
}

export type AgentOutcomeStatus = 'resolved' | 'in-sync' | 'unresolved' | 'failed' | 'planned' | 'restored' | 'refused';

export interface AgentOutcome {
  agent: string;
  status: AgentOutcomeStatus;
  /** Machine-readable why, where there is one (e.g. `changed-since-planned`). */
  cause?: string;
  reason?: string;
  writes: { field: string; path: string[]; before: unknown; after: unknown }[];
  /** Fields a decision was recorded for (a picked winner; src/core/decisions.ts). */
  decided?: string[];
}

export interface ActionResult {
  action: string | null;
  kind: 'resolve' | 'undo';
  dryRun: boolean;
  attempts: number;
  agents: AgentOutcome[];
  message: string;
  /** Seq of the snapshot the action started from; a result never repaints newer state. */
  startedAtSeq: number;
}

export interface ResolveOpts {
  dryRun?: boolean;
  prefer?: string;
  /** The plan the operator approved (src/core/frozen-plan.ts): an agent whose plan
   *  differs at write time is not written; its outcome says so (`changed-since-planned`). */
  expect?: FrozenPlan;
}

export interface EngineSnapshot {
  seq: number;
  at: number;
  root: string;
  config: Config;
  recon: Reconciliation;
  health: SourceHealth[];
  /** Agents with a write in flight: shown as pending until a re-read confirms them. */
  pending: ReadonlySet<string>;
  lastAction: ActionResult | null;
  error: string | null;
}

/** What the TUI and `watch` need of the engine (a fake can stand in for it in tests). */
export interface EngineLike {
  subscribe(listener: () => void): () => void;
  getSnapshot(): EngineSnapshot;
  resolve(agents: readonly string[] | 'all', opts?: ResolveOpts): Promise<ActionResult>;
  undo(actionId?: string): Promise<ActionResult>;
  close(): Promise<void>;
}
