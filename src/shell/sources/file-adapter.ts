// File sources behind the source seam (README.md "Several hosts"): what the engine asks of a
// source that is a plain file or folder on this machine, in the same four parts a store
// adapter (adapter.ts) gives: a full read, a stream of changes, and for a target a guarded
// write and a read-back. Every file guarantee stays where it was: bounded, confined reads
// (fsread.ts, sources.ts), chokidar batching (watcher.ts), the guarded atomic replace
// (atomic.ts). A file source has no resume token: after an overflow or a restart the
// watcher names the folder and the engine re-reads the whole source.
import * as path from 'node:path';
import type { Config, SourceDocument, SourceRead, SourceSpec } from '../../core/types.js';
import { cleanupStaleTemps, replaceIfUnchanged, type FsLayer, type ReplaceOutcome } from '../atomic.js';
import { escapesRoot, MAX_REGISTRY_BYTES, readBounded } from '../fsread.js';
import { agentLogFiles, readDocument, readSource } from '../sources.js';
import { watchTargets, type FileWatcher } from '../watcher.js';
import { watchOptions, watchTargetsFor } from '../engine/paths.js';
import type { EngineOptions } from '../engine/state.js';

/** A target file as read: its parsed read and its exact text (null when it cannot be read). */
export interface FileTargetRead {
  read: SourceRead;
  text: string | null;
}

export class FileSources {
  constructor(
    readonly root: string,
    private readonly fs?: FsLayer,
  ) {}

  /** The whole source: every status file of a folder, a registry, or an event log. */
  read(spec: SourceSpec): SourceRead {
    return readSource(this.root, spec);
  }

  /** One agent's status file (`missing` when it is gone). */
  readAgent(spec: SourceSpec, rel: string, agent: string): SourceDocument & { missing?: boolean } {
    return readDocument(this.root, rel, spec, agent);
  }

  /** A per-agent event log's files, or null for a single log. */
  agentLogs(spec: SourceSpec): { agent: string; file: string }[] | null {
    return agentLogFiles(this.root, spec);
  }

  /** A target, read whole and bounded: what a guarded write compares against. Also the read-back. */
  readTarget(spec: SourceSpec): FileTargetRead {
    const got = readBounded(this.root, spec.path, MAX_REGISTRY_BYTES);
    const read = readSource(this.root, spec);
    return { read, text: got.ok ? got.text : null };
  }

  /**
   * Replace a target's text only if it still reads `expected` (atomic, durable); the caller
   * reads it back (`readTarget`) to verify.
   */
  write(spec: SourceSpec, expected: string, next: string): Promise<ReplaceOutcome> {
    return replaceIfUnchanged(
      path.resolve(this.root, spec.path),
      expected,
      next,
      this.fs ? { fs: this.fs } : undefined,
    );
  }

  /** The stream of changes: batches of touched paths for every file source of a config. */
  watch(
    config: Config,
    onBatches: (batches: { id: string; paths: Set<string> }[]) => void,
    opts: EngineOptions,
  ): FileWatcher {
    return watchTargets(watchTargetsFor(this.root, config), onBatches, watchOptions(opts));
  }

  /** Remove temp files a writer killed between write and rename left next to each file target. */
  async cleanup(config: Config): Promise<void> {
    for (const spec of config.sources.filter((s) => s.kind === 'registry' && !s.store)) {
      const abs = path.resolve(this.root, spec.path);
      // Never delete in a folder that leads out of the root (a symlinked folder).
      if (escapesRoot(this.root, path.dirname(abs)) !== null) continue;
      await cleanupStaleTemps(path.dirname(abs), path.basename(abs), this.fs ? { fs: this.fs } : {}).catch(
        () => [],
      );
    }
  }
}
