// The vocabulary of sync-tui (see docs/DESIGN.md). Everything here is plain data: no fs,
// no clock, no Ink. Times are epoch milliseconds passed in by the shell.

/** Verdicts, worst first. */
export const VERDICTS = ['invalid', 'missing', 'conflict', 'drift', 'stale', 'in-sync'] as const;
export type Verdict = (typeof VERDICTS)[number];

export type Severity = 'error' | 'warning' | 'info';

/** Something a reader should know about an input: where it is and what was expected. */
export interface Diagnostic {
  severity: Severity;
  /** Stable machine-readable code, e.g. `duplicate-key`, `conflict-marker`, `unknown-value`. */
  code: string;
  /** One human sentence; never contains raw control characters (callers sanitise). */
  message: string;
  /** Path of the file relative to the root, where known. */
  file?: string;
  /** 1-based line and column, where known. */
  line?: number;
  column?: number;
}

/** Result of reading text as structured data. Never thrown: failures are diagnostics. */
export interface ParseResult {
  /** The best value that could be read; `undefined` when nothing usable was found. */
  value: unknown;
  diagnostics: Diagnostic[];
  /** True when `value` is usable (possibly with warnings); false means the input is invalid. */
  ok: boolean;
}

export type DataFormat = 'json' | 'yaml';

/** A raw scalar as it appeared in a source. */
export type RawValue = string | number | boolean | null;

/** Canonical value in a field's domain: a vocabulary word, or a boolean for boolean projections. */
export type CanonicalValue = string | boolean;

// ---------------------------------------------------------------------------------------
// Fields, vocabularies and the FSM

export interface Vocabulary {
  /** Canonical values, in the order they are shown. */
  values: string[];
  /** Alias (compared case-insensitively, ignoring `-`/space vs `_`) -> canonical value. */
  aliases: Record<string, string>;
}

export interface FsmRules {
  /** state -> states it may move to directly. States must be canonical values of the field. */
  transitions: Record<string, string[]>;
}

export interface FieldSpec {
  name: string;
  vocabulary: Vocabulary;
  /** Present when the field is an FSM state: moves in the target are guarded. */
  fsm?: FsmRules;
}

// ---------------------------------------------------------------------------------------
// Sources and how their data maps to fields

export type SourceKind = 'status-files' | 'registry' | 'event-log';

/** How one source holds one field. */
export interface FieldMapping {
  /**
   * Candidate paths, tried in order; the first that holds a scalar wins. Dotted keys
   * (`fsm_state.current_state`); in a registry a segment `{agent}` stands for the agent id
   * (`agent_fsm_states.{agent}`).
   */
  paths: string[];
  /** `enum` (default): vocabulary words. `boolean`: the source can only hold true/false. */
  type: 'enum' | 'boolean';
  /** For `boolean`: canonical values that project to true / to false. Others cannot be projected. */
  trueValues?: string[];
  falseValues?: string[];
  /** How canonical values are spelled when written to this source. */
  writeCase: 'upper' | 'lower' | 'as-is';
  /** Per-source aliases: raw spelling -> canonical, consulted before the field's own. */
  aliases: Record<string, string>;
}

export interface SourceSpec {
  name: string;
  kind: SourceKind;
  /** Path relative to the root. For status-files it contains one `{agent}` segment. */
  path: string;
  format?: DataFormat;
  /** field name -> mapping. A field absent here is not held by this source. */
  fields: Record<string, FieldMapping>;
  /** Candidate paths for the write time (`{agent}` allowed in a registry). */
  updatedAt: string[];
  /** Candidate paths for the agent id inside the document (status files), to catch mismatches. */
  idPaths: string[];
  /** Whether every agent is expected to appear in this source (else `missing`). */
  required: boolean;
  /** Milliseconds after which an agent with no newer write/heartbeat here is stale. */
  staleAfterMs: number;
  /** How this source's times without a zone are read; the config's `timezone` when absent. */
  timezone?: TimeZonePolicy;
  /** Held in a key-value store (one key per agent) instead of files (README.md "Several hosts"). */
  store?: StoreSpec;
}

/**
 * A key-value store holding one document per agent. Secrets are never held here: only
 * where to find them (an environment variable's name or a file).
 */
export interface StoreSpec {
  engine: 'nats';
  servers: string[];
  bucket: string;
  /** The key of one agent, holding `{agent}` as one whole token (`agents.{agent}`). */
  key: string;
  creds?: string;
  tokenEnv?: string;
  tokenFile?: string;
  user?: string;
  userEnv?: string;
  passwordEnv?: string;
  passwordFile?: string;
  tlsCa?: string;
  /** Create the bucket when it is absent, with this many replicas and this much history. */
  create: boolean;
  replicas: number;
  history: number;
}

export type TruthPolicy = 'newest' | string[];

export interface Policy {
  /** field name -> `newest` (of the agent's own sources) or an ordered list of source names. */
  truth: Record<string, TruthPolicy>;
  /** Name of the source resolution writes to (default: the registry). */
  target: string;
  autoResolve: boolean;
  /** A source preferred for this run (`--prefer`): it wins every field it has a value for. */
  prefer?: string;
}

export type TimeZonePolicy = 'local' | 'UTC' | { offsetMinutes: number };

export interface Config {
  /** Where the config came from: a file path, or `detected:<layout>`. */
  origin: string;
  fields: FieldSpec[];
  sources: SourceSpec[];
  policy: Policy;
  timezone: TimeZonePolicy;
  /** Folder (relative to the root) for the journal and history. */
  stateDir: string;
  /** The journal in this JetStream stream on the target's store (README.md "Several hosts"). */
  journalStream?: string;
  /** Keys of the live view in place of the defaults, by command (README.md "Keys and screen"). */
  keys?: import('./tui/key-config.js').KeyOverrides;
  /** Colours of the named tokens over the defaults (README.md "Theme"). */
  theme?: Partial<Record<import('./view/theme-tokens.js').Token, string>>;
  /** What was discovered and why (README.md "Zero config"); absent for a config file. */
  layout?: import('./config/discover/types.js').LayoutReport;
}

// ---------------------------------------------------------------------------------------
// What sources say

/** Everything read from one source at one moment, before it is split per agent. */
export interface SourceRead {
  source: string;
  /** Per-agent documents (status files, event log) or one document (registry). */
  documents: SourceDocument[];
  /** Problems with the source as a whole (unreadable root, missing registry file). */
  diagnostics: Diagnostic[];
  /** False when the source as a whole cannot be read. */
  healthy: boolean;
}

export interface SourceDocument {
  /** Agent id for per-agent documents; undefined for a registry. */
  agent?: string;
  /** Path relative to the root. */
  file: string;
  parse: ParseResult;
  /** File modification time, epoch ms. */
  mtimeMs: number | null;
}

export interface FieldObservation {
  /** Canonical value, or null when the source has no usable value. */
  value: CanonicalValue | null;
  /** The value as written, or null when absent. */
  raw: RawValue | Record<string, unknown> | unknown[];
  /** The key path the value was found at (resolved, agent id substituted). */
  path?: string[];
  /** When this value was written (the document's time, or the event's). */
  at?: number;
  /** True when the raw value is present but not in the vocabulary (never coerced). */
  unknown?: boolean;
}

/** What one source says about one agent. */
export interface Observation {
  source: string;
  agent: string;
  /** False when the agent is not listed by this source at all. */
  present: boolean;
  /** False when the source document for this agent could not be read or parsed. */
  readable: boolean;
  fields: Record<string, FieldObservation>;
  /** The document's own timestamp if it parses, else the file's mtime; epoch ms. */
  updatedAt: number | null;
  /** Where updatedAt came from. */
  updatedAtFrom: 'document' | 'mtime' | 'none';
  file?: string;
  diagnostics: Diagnostic[];
}

// ---------------------------------------------------------------------------------------
// Reconciliation

export interface Difference {
  field: string;
  /** The source that differs from the truth. */
  source: string;
  expected: CanonicalValue | null;
  actual: CanonicalValue | null;
  /** Raw value in the differing source. */
  actualRaw?: unknown;
}

export interface TruthValue {
  value: CanonicalValue | null;
  /** Source the truth came from, and when that source wrote it. */
  from: string | null;
  at: number | null;
}

export interface PlannedWrite {
  agent: string;
  field: string;
  /** Target source name. */
  target: string;
  /** Resolved key path in the target document (agent id substituted). */
  path: string[];
  before: unknown;
  /** The raw value to write, already in the target's domain and spelling. */
  after: RawValue;
  /** Canonical truth and where it came from. */
  truth: CanonicalValue;
  truthFrom: string;
}

export interface AgentState {
  id: string;
  verdict: Verdict;
  /** Human reasons for the verdict (one per problem), worst first. */
  reasons: string[];
  observations: Record<string, Observation>;
  truth: Record<string, TruthValue>;
  differences: Difference[];
  plan: PlannedWrite[];
  /** Newest write/heartbeat across the agent's own sources. */
  lastSeen: number | null;
  /** Fields settled by an operator's decision that still holds (src/core/reconcile/decisions.ts). */
  decisions?: Record<string, { source: string; value: CanonicalValue | null; at: string; action: string }>;
}

export type VerdictCounts = Record<Verdict, number>;

export interface Reconciliation {
  agents: AgentState[];
  summary: { agents: number } & VerdictCounts;
}
