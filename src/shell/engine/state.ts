// What the engine keeps per source between changes (README.md "Live view"): the options it
// was opened with, each source's last read, and each source's observations. The engine's
// layers (picture.ts, source-cache.ts, records.ts, resolve.ts, ../engine.ts) share these.
import type { AgentPattern } from '../../core/ids.js';
import type { ObservedSource } from '../../core/reconcile/reconcile.js';
import type { Diagnostic, Observation, SourceDocument, SourceRead, SourceSpec } from '../../core/types.js';
import type { FsLayer } from '../atomic.js';
import type { TailState } from '../eventlog.js';
import type { JournalStore } from '../journal.js';
import type { SourceAdapter } from '../sources/adapter.js';

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

export interface StatusState {
  spec: SourceSpec;
  pattern: AgentPattern | null;
  docs: Map<string, SourceDocument>;
  read: SourceRead;
}

export interface RegistryState {
  spec: SourceSpec;
  read: SourceRead;
  text: string | null;
}

export interface EventState {
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
export interface Observed extends ObservedSource {
  seen: Map<string, Observation>;
}
