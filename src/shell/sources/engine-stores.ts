// What the engine needs to treat a store source like a file source (src/shell/engine.ts):
// its health in the watcher's shape, and a planned write as a write to one agent's key.
import type { SourceSpec } from '../../core/types.js';
import type { WatchHealth } from '../watcher.js';
import type { GuardedWrite, SourceAdapter } from './adapter.js';

export function storeHealth(adapters: ReadonlyMap<string, SourceAdapter> | undefined): WatchHealth[] {
  const out: WatchHealth[] = [];
  for (const [id, a] of adapters ?? []) {
    const h = a.health();
    // `once` is no watcher mode: a one-shot command reads a store as it reads a file.
    if (h.mode === 'once' && h.healthy) continue;
    // A store that cannot be reached is shown as a failed watch: unhealthy, with its reason.
    out.push({
      id,
      mode: h.healthy && h.mode !== 'once' ? h.mode : 'failed',
      watched: h.watched,
      lastEventAt: h.lastEventAt,
      lastError: h.lastError,
    });
  }
  return out;
}

/**
 * A planned write to a store: a registry in a store is seen as one document `{ <agent>:
 * <value> }` (src/core/config/config.ts), so the path's first segment is the agent's key.
 */
export function toGuarded(
  target: SourceSpec,
  w: { agent: string; path: readonly string[]; after: unknown },
): GuardedWrite {
  const path = target.kind === 'registry' && w.path[0] === w.agent ? w.path.slice(1) : [...w.path];
  return { agent: w.agent, path, after: w.after };
}
