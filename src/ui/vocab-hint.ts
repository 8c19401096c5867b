// An agent's first value unknown to the vocabulary, for the detail pane's hint and for
// opening the vocabulary panel on it (README.md "Vocabulary").
import type { AgentState } from '../core/types.js';

export interface UnknownValue {
  source: string;
  field: string;
  /** As the vocabulary report writes it: text, or JSON for anything else. */
  value: string;
}

export function unknownValueOf(agent: AgentState): UnknownValue | null {
  for (const [source, o] of Object.entries(agent.observations)) {
    if (!o.present || !o.readable) continue;
    for (const [field, f] of Object.entries(o.fields)) {
      if (!f.unknown || f.raw === null || f.raw === undefined) continue;
      const value = typeof f.raw === 'string' ? f.raw : (JSON.stringify(f.raw) ?? String(f.raw));
      return { source, field, value };
    }
  }
  return null;
}
