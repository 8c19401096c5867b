// `sync-tui report --key-history AGENT` (README.md "Several hosts"): an agent's recent values
// from the history of its key in every source held in a store (what it was, when, which
// revision; read by src/shell/key-history.ts).
import { sanitizeText, truncate } from '../core/sanitize.js';
import type { KeyHistoryItem } from '../shell/key-history.js';

export { keyHistory } from '../shell/key-history.js';

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
