// Discovery by content (README.md "Zero config"): what the shell's bounded walk hands in,
// and what discovery reports back. Plain data and read callbacks; no fs here.

/** A file the walk listed, relative to the root, posix separators. */
export interface TreeFile {
  path: string;
}

export interface DiscoveryInput {
  /** Every data file the walk listed (JSON, YAML, JSON-lines), in any order. */
  files: readonly TreeFile[];
  /** Set when the walk stopped early: says which bound was hit. */
  truncated?: string;
  /** The parsed document at a path, or undefined when it cannot be read, parsed or is too big. */
  read(path: string): unknown;
  /** The first parsed lines of a JSON-lines file (objects only); [] when none parse. */
  lines(path: string): readonly unknown[];
}

/** A candidate that lost, and why. */
export interface RunnerUp {
  path: string;
  reason: string;
}

/** One discovered source, as `check --json` shows it under `layout.sources`. */
export interface LayoutSource {
  name: string;
  kind: 'status-files' | 'registry' | 'event-log';
  /** The path pattern (`{agent}` where one file per agent). */
  path: string;
  /** field -> the key paths read for it. */
  fields: Record<string, string[]>;
  /** Key paths of the write time / last seen. */
  updatedAt: string[];
  /** Booleans recognised as a boolean domain, per field. */
  booleanFields?: string[];
  /** How many agents this source holds. */
  agents: number;
  /** Why it was chosen, in one sentence. */
  reason: string;
  /** Other candidates of the same kind that scored lower (best first, at most a few). */
  runnersUp: RunnerUp[];
  /** Candidates that scored the same as the chosen one (chosen by the tie-break in `reason`). */
  ties: RunnerUp[];
}

export interface LayoutReport {
  /** How the layout came about: `discovered`, `known:<layout>` or `config`. */
  origin: string;
  sources: LayoutSource[];
  /** False when no registry was found (or configured): only the agents' own sources are compared. */
  registry: boolean;
  /** Other remarks: bounds hit, what to do without a registry. */
  notes: string[];
}
