// The engine's public shapes: what the TUI, `watch` and the commands read from it.
import type { FrozenPlan } from '../core/plan/frozen-plan.js';
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

export type AgentOutcomeStatus =
  'resolved' | 'in-sync' | 'unresolved' | 'failed' | 'planned' | 'restored' | 'refused';

/**
 * Why an agent's outcome is what it is, for programs (`watch`, auto-resolve, the TUI);
 * `reason` is the same for people. One cause per outcome:
 *   verified               written (or restored) and read back holding the value
 *   in-sync                nothing to write: the registry already agrees
 *   planned                a dry run: what would be written
 *   unresolved             nothing that can be written settles it (a conflict, an unknown
 *                          value, the FSM guard), or it is still not in sync after the write
 *   changed-since-planned  its truth or target changed after the plan was shown; not written
 *   gone-since-planned     it left the picture (or its plan emptied) after the plan was shown
 *   refused                undo: the value changed since the action; left as it is
 *   not-applied            undo: an interrupted change that never reached the registry
 *   overwritten            written, but another value was read back (another writer)
 *   write-failed           replacing the registry failed; it is unchanged
 *   target-unreadable      the registry cannot be read, so nothing was planned or written
 *   edit-refused           the registry cannot be edited safely there; not written
 *   journal-failed         the journal could not record the intent, so nothing was written
 */
export type OutcomeCause =
  | 'verified'
  | 'in-sync'
  | 'planned'
  | 'unresolved'
  | 'changed-since-planned'
  | 'gone-since-planned'
  | 'refused'
  | 'not-applied'
  | 'overwritten'
  | 'write-failed'
  | 'target-unreadable'
  | 'edit-refused'
  | 'journal-failed';

export interface AgentOutcome {
  agent: string;
  status: AgentOutcomeStatus;
  cause: OutcomeCause;
  reason?: string;
  writes: { field: string; path: string[]; before: unknown; after: unknown }[];
  /** Fields a decision was recorded for (a picked winner; src/core/reconcile/decisions.ts). */
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
  /** The plan the operator approved (src/core/plan/frozen-plan.ts): an agent whose plan
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
  /**
   * Only while the live view starts (src/shell/loader.ts): a partial picture, the first
   * agents in id order; `read` status files of the `total` listed so far. Absent on every
   * snapshot of the engine itself.
   */
  loading?: { read: number; total: number };
}

/** What the TUI and `watch` need of the engine (a fake can stand in for it in tests). */
export interface EngineLike {
  subscribe(listener: () => void): () => void;
  getSnapshot(): EngineSnapshot;
  resolve(agents: readonly string[] | 'all', opts?: ResolveOpts): Promise<ActionResult>;
  undo(actionId?: string): Promise<ActionResult>;
  close(): Promise<void>;
}
