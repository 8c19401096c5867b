// One line per source saying what was found and why, for `check`'s table and the live
// view's header (README.md "Zero config").
import type { Config } from '../../types.js';
import type { LayoutReport } from './types.js';

export const NO_REGISTRY_LINE =
  "no registry: the agents' own sources are compared with each other; to compare with a coordinator, add a source of kind registry to sync-tui.config.yaml";

/** Lines describing a discovered layout; for a config file or a known layout only the want of a registry. */
export function layoutLines(config: Config): string[] {
  const layout: LayoutReport | undefined = config.layout;
  const registry = config.policy.target !== '' && config.sources.some((s) => s.name === config.policy.target);
  const out: string[] = [];
  if (layout && layout.origin === 'discovered') {
    for (const s of layout.sources) {
      const extra =
        s.ties.length > 0
          ? ` (tie: ${s.ties.map((t) => t.path).join(', ')})`
          : s.runnersUp.length > 0
            ? ` (runner-up: ${s.runnersUp[0]!.path})`
            : '';
      out.push(`${s.name}: ${s.kind} ${s.path} - ${s.reason}${extra}`);
    }
    for (const n of layout.notes) if (!n.startsWith('no registry found')) out.push(n);
  }
  if (!registry) out.push(NO_REGISTRY_LINE);
  return out;
}
