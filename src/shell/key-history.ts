// An agent's recent values from the history of its key in every source held in a store
// (README.md "Several hosts"): what it was, when, which revision. `report --key-history`
// prints it (src/cli/report-keys.ts); the detail pane's timeline shows it
// (src/shell/timeline-data.ts).
import type { KeyRevision } from '../core/report/timeline.js';
import type { Config } from '../core/types.js';
import { openAdapters } from './sources/adapter.js';

export type KeyHistoryItem = KeyRevision;

export async function keyHistory(
  root: string,
  config: Config,
  agent: string,
  limit = 20,
): Promise<Record<string, KeyHistoryItem[]>> {
  const adapters = await openAdapters(root, config, { clock: Date.now });
  try {
    const out: Record<string, KeyHistoryItem[]> = {};
    for (const [name, a] of adapters) {
      out[name] = (await a.history(agent, limit)).map((h) => {
        let value: unknown = h.text;
        try {
          value = h.operation === 'PUT' ? JSON.parse(h.text) : null;
        } catch {
          // not JSON: shown as the text it is
        }
        return { revision: h.revision, at: new Date(h.at).toISOString(), operation: h.operation, value };
      });
    }
    return out;
  } finally {
    await Promise.all([...adapters.values()].map((a) => a.close()));
  }
}
