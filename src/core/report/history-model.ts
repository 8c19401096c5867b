// The shape of `sync-tui report`'s JSON (README.md "report"); built by history-report.ts.
import type { Verdict } from '../types.js';
import { VERDICTS } from '../types.js';
import type { HistoryEntry } from './history-entries.js';

/** What the report needs of a journal entry (structurally the shell's JournalEntry). */
export interface JournalLike {
  action: string;
  at: string;
  kind: 'resolve' | 'undo';
  agent: string;
  field: string;
  before: unknown;
  after: unknown;
  outcome: 'intent' | 'applied' | 'verified' | 'failed' | 'refused';
  undoes?: string;
  path?: string[];
  /** Who did it (user@host), where the journal is shared in a store (README.md "Several hosts"). */
  by?: string;
}

export const BAD_VERDICTS: readonly Verdict[] = ['drift', 'conflict', 'missing', 'invalid'];

export type ResolvedKind = 'resolve' | 'undo' | 'external' | 'ongoing';

export interface Episode {
  agent: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  /** To the end, or to `now` while ongoing. */
  durationMs: number;
  /** The worst verdict during the episode, and every verdict it went through, in order. */
  verdict: Verdict;
  verdicts: Verdict[];
  /** Why the agent entered the episode (the verdict's reasons at its start). */
  reasons: string[];
  resolvedBy: { kind: ResolvedKind; action?: string; fields?: string[]; by?: string };
  /** False when watch was not running at its start or end (that end is known only to within the gap). */
  observed: boolean;
  /** Set while ongoing and watch is not running: the state since then is not known. */
  note?: string;
}

export interface AgentHealth {
  agent: string;
  episodes: Episode[];
  /** Time in episodes, within the window. */
  totalMs: number;
  longestMs: number;
  ongoing: boolean;
  flapping: boolean;
  resolvedBy: Record<ResolvedKind, number>;
}

export interface SourceOutage {
  source: string;
  start: string;
  end: string | null;
  ongoing: boolean;
  durationMs: number;
  error: string | null;
}

export interface FlappingAgent {
  agent: string;
  episodes: number;
  /** Watch stopped auto-resolving it (fields another writer kept changing back). */
  flaggedByWatch: boolean;
  fields: string[];
}

export interface ActionSummary {
  id: string;
  at: string;
  kind: 'resolve' | 'undo';
  agents: string[];
  changes: number;
  /** Per change (an intent and its outcome are one change; an intent alone is `interrupted`). */
  outcomes: Partial<Record<Exclude<JournalLike['outcome'], 'intent'> | 'interrupted', number>>;
  undoes?: string;
}

export interface HistoryReport {
  generatedAt: string;
  window: { since: string; until: string };
  coverage: { sessions: number; watchedMs: number; windowMs: number; firstHistoryAt: string | null };
  summary: {
    agentsWithEpisodes: number;
    episodes: number;
    ongoing: number;
    flapping: number;
    unhealthySources: number;
    actions: number;
    resolvedBy: Record<ResolvedKind, number>;
  };
  agents: AgentHealth[];
  flapping: FlappingAgent[];
  sources: SourceOutage[];
  actions: ActionSummary[];
}

export interface ReportInput {
  journal: readonly JournalLike[];
  history: readonly HistoryEntry[];
  now: number;
  /** Start of the window, epoch ms. */
  since: number;
  /** Episodes in the window that make an agent flap (default 3). */
  flapEpisodes?: number;
}

/** The worst of an episode's verdicts, in VERDICTS order. */
export function worstOf(vs: readonly Verdict[]): Verdict {
  return vs.reduce((w, v) => (VERDICTS.indexOf(v) < VERDICTS.indexOf(w) ? v : w), vs[0] ?? 'drift');
}
