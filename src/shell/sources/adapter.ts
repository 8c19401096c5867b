// The source layer (README.md "Several hosts"): what the engine asks of a source that is
// not a plain file on this machine. A store adapter gives a full read, a stream of changes
// that resumes from a token after a disconnect, and, for a target, a guarded write and a
// read-back. File sources give the same four parts through file-adapter.ts (over
// sources.ts, watcher.ts, atomic.ts); a second store (Redis) is one more implementation.
import type { Config, SourceRead, SourceSpec } from '../../core/types.js';

export interface AdapterHealth {
  healthy: boolean;
  mode: 'events' | 'once' | 'failed';
  watched: number;
  lastEventAt: number | null;
  /** Why the source is unhealthy, with when it became so. */
  lastError: string | null;
  since: number | null;
}

/** One value to set (or, with `after` undefined, remove) in one agent's document. */
export interface GuardedWrite {
  agent: string;
  /** The path inside the agent's own document. */
  path: string[];
  after: unknown;
}

export interface Revisions {
  before: number;
  after: number;
}

export type WriteResult =
  | { ok: true; revisions: Map<string, Revisions> }
  | {
      ok: false;
      reason: 'changed' | 'failed';
      message: string;
      revisions: Map<string, Revisions>;
      changed: string[];
    };

export interface HistoryItem {
  revision: number;
  at: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
  text: string;
}

export interface SourceAdapter {
  readonly spec: SourceSpec;
  /** The whole source as last read or watched (no I/O). */
  read(): SourceRead;
  /** The revision an agent's document was read at (0: absent), or null when unknown. */
  revision(agent: string): number | null;
  /** Read again what a one-shot command or a refused write needs (before planning). */
  refresh(): Promise<void>;
  /** Deliver changes from now on; agents whose documents changed, and health changes. */
  watch(onChange: (agents: string[]) => void): Promise<void>;
  /** Where a watch resumes after a disconnect (the last revision seen). */
  resumeToken(): string | null;
  /**
   * Write each agent's document only if it is still at the revision read (or `expect`'s);
   * every written document is read back before this returns.
   */
  write(writes: readonly GuardedWrite[], expect?: ReadonlyMap<string, number>): Promise<WriteResult>;
  /** An agent's recent values, oldest first. */
  history(agent: string, limit: number): Promise<HistoryItem[]>;
  health(): AdapterHealth;
  close(): Promise<void>;
}

export interface AdapterOptions {
  clock: () => number;
}

/** Open an adapter for every store source of a config (none for file sources). */
export async function openAdapters(
  root: string,
  config: Config,
  opts: AdapterOptions,
): Promise<Map<string, SourceAdapter>> {
  const out = new Map<string, SourceAdapter>();
  const specs = config.sources.filter((s) => s.store !== undefined);
  if (specs.length === 0) return out;
  // Loaded only when a config names a store: file-only runs never load the client.
  const { NatsKvAdapter } = await import('../nats/kv-adapter.js');
  try {
    for (const spec of specs) out.set(spec.name, await NatsKvAdapter.open(root, spec, opts));
  } catch (e) {
    await Promise.all([...out.values()].map((a) => a.close()));
    throw e;
  }
  return out;
}

/** A one-shot read of every source: files as `readAll` reads them, stores through adapters. */
export async function readAllWithStores(
  root: string,
  config: Config,
  readFiles: (specs: SourceSpec[]) => SourceRead[],
  clock: () => number,
): Promise<SourceRead[]> {
  const adapters = await openAdapters(root, config, { clock });
  try {
    const files = readFiles(config.sources.filter((s) => !s.store));
    return config.sources.map((s) => adapters.get(s.name)?.read() ?? files.find((r) => r.source === s.name)!);
  } finally {
    await Promise.all([...adapters.values()].map((a) => a.close()));
  }
}
