// Which source a changed path belongs to, and what to watch for a config (README.md
// "Live view"): the engine's file sources as the watcher sees them.
import {
  agentFile,
  agentFromEntry,
  splitAgentPattern,
  unsafeAgentId,
  type AgentPattern,
} from '../../core/ids.js';
import type { Config } from '../../core/types.js';
import { watchTargets, type WatchTarget } from '../watcher.js';
import type { EngineOptions } from './state.js';

/** The agent a path (relative to the root, posix) belongs to under a status-files pattern. */
export function agentOfPath(p: AgentPattern | null, rel: string): string | null {
  if (!p) return null;
  const prefix = p.dir === '' ? '' : p.dir + '/';
  if (!rel.startsWith(prefix)) return null;
  const entry = rel.slice(prefix.length).split('/')[0];
  const agent = entry ? agentFromEntry(p, entry) : null;
  // The same rule as the folder listing (readStatusFiles): an unsafe id is never read.
  return agent !== null && unsafeAgentId(agent) === null ? agent : null;
}

/** What to watch for a config: each status-files folder, and every other source's file. */
export function watchTargetsFor(root: string, config: Config): WatchTarget[] {
  const targets: WatchTarget[] = [];
  for (const spec of config.sources.filter((s) => !s.store)) {
    const perAgentLog = spec.kind === 'event-log' && spec.path.includes('{agent}');
    if (spec.kind === 'status-files' || perAgentLog) {
      const p = splitAgentPattern(spec.path);
      if (!p) continue;
      targets.push({
        id: spec.name,
        root,
        kind: 'folder-of-agents',
        path: p.dir === '' ? '.' : p.dir,
        depth: p.rest === '' ? 0 : p.rest.split('/').length,
        // Only the status files themselves: agent folders also hold inboxes and reports.
        accept: (rel) => {
          const agent = agentOfPath(p, rel);
          return agent !== null && agentFile(p, agent) === rel;
        },
      });
    } else {
      targets.push({ id: spec.name, root, kind: 'file', path: spec.path });
    }
  }
  return targets;
}

export function watchOptions(opts: EngineOptions): Parameters<typeof watchTargets>[2] {
  const w: Parameters<typeof watchTargets>[2] = {};
  if (opts.clock) w.clock = opts.clock;
  if (opts.quietMs !== undefined) w.quietMs = opts.quietMs;
  if (opts.maxWaitMs !== undefined) w.maxWaitMs = opts.maxWaitMs;
  if (opts.forcePolling) w.forcePolling = true;
  return w;
}

/** Whether `rel` is `base` or one of its parent folders (root-relative, posix; '' is the root). */
export function onChainTo(rel: string, base: string): boolean {
  return rel === '' || rel === '.' || rel === base || base.startsWith(rel + '/');
}
