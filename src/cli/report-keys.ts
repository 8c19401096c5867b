// `sync-tui report --key-history AGENT` (README.md "Several hosts"): an agent's recent values
// from the history of its key in every source held in a store (what it was, when, which
// revision).
import { sanitizeText, truncate } from '../core/sanitize.js';
import type { Config } from '../core/types.js';
import { openAdapters } from '../shell/sources/adapter.js';

export interface KeyHistoryItem {
  revision: number;
  at: string;
  operation: 'PUT' | 'DEL' | 'PURGE';
  /** The value as stored (text); a value that is not JSON is kept as text. */
  value: unknown;
}

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

export function keyHistoryMarkdown(agent: string, history: Record<string, KeyHistoryItem[]>): string {
  const cell = (s: string) => truncate(sanitizeText(s), 120).replace(/\|/g, '\\|');
  let md = `\n## Key history of ${cell(agent)}\n`;
  const names = Object.keys(history);
  if (names.length === 0) return md + '\nNo source is held in a store.\n';
  for (const name of names) {
    md += `\n### ${cell(name)}\n\n| revision | at | operation | value |\n|---|---|---|---|\n`;
    for (const h of history[name]!)
      md += `| ${h.revision} | ${h.at} | ${h.operation} | ${cell(h.operation === 'PUT' ? JSON.stringify(h.value) : '')} |\n`;
    if (history[name]!.length === 0) md += '| | | | (no value) |\n';
  }
  return md;
}
