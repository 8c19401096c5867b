// The swarm's own words (README.md "Vocabulary"): every value seen per field and source,
// how many agents hold it, its canonical value or `unknown`, and for unknowns a suggestion
// with its reason. Nothing is mapped here: a suggestion waits for the operator's word.
import { aliasKey } from '../observe/vocab.js';
import type { Config, FieldSpec, Reconciliation } from '../types.js';

export interface VocabValue {
  /** The value as written (text, or JSON for anything else). */
  value: string;
  agents: number;
  /** Canonical value, or `unknown`. */
  canonical: string;
  suggestion?: { canonical: string; reason: string };
}

export interface VocabEntry {
  source: string;
  field: string;
  values: VocabValue[];
}

export interface VocabReport {
  entries: VocabEntry[];
  /** Distinct values across all sources and fields, and how many of them are known. */
  distinct: number;
  known: number;
}

/** A canonical value for an unknown word: a known value at its start, else a known alias inside it. */
export function suggest(raw: string, field: FieldSpec): { canonical: string; reason: string } | undefined {
  const tokens = aliasKey(raw)
    .split(/[^A-Z0-9]+/)
    .filter((t) => t !== '');
  const aliases = field.vocabulary.aliases;
  // The longest run of leading words that is a known value or alias (`COMPLETE - LEGENDARY ...`).
  for (let n = Math.min(tokens.length - 1, 4); n >= 1; n--) {
    const head = tokens.slice(0, n).join('_');
    const c = aliases[head];
    if (c !== undefined)
      return {
        canonical: c,
        reason: `starts with '${head}', ${head === c ? 'a known value' : `an alias of ${c}`}`,
      };
  }
  // Else the longest known run anywhere inside (`MISSION_COMPLETE_READY`), later words first.
  for (let n = Math.min(tokens.length - 1, 4); n >= 1; n--) {
    for (let i = tokens.length - n; i >= 1; i--) {
      const part = tokens.slice(i, i + n).join('_');
      const c = aliases[part];
      if (c !== undefined)
        return {
          canonical: c,
          reason: `holds '${part}', ${part === c ? 'a known value' : `an alias of ${c}`}`,
        };
    }
  }
  return undefined;
}

function text(raw: unknown): string {
  return typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? String(raw));
}

export function vocabReport(recon: Reconciliation, config: Config): VocabReport {
  const counts = new Map<string, Map<string, { agents: number; canonical: string }>>();
  for (const a of recon.agents) {
    for (const [source, o] of Object.entries(a.observations)) {
      if (!o.present || !o.readable) continue;
      for (const [field, f] of Object.entries(o.fields)) {
        if (f.raw === null || f.raw === undefined) continue;
        const key = `${source}\u0000${field}`;
        let m = counts.get(key);
        if (!m) counts.set(key, (m = new Map()));
        const v = text(f.raw);
        const cur = m.get(v) ?? {
          agents: 0,
          canonical: f.unknown || f.value === null ? 'unknown' : String(f.value),
        };
        cur.agents++;
        m.set(v, cur);
      }
    }
  }
  const entries: VocabEntry[] = [];
  const distinct = new Map<string, boolean>();
  for (const spec of config.sources) {
    for (const field of config.fields) {
      const m = counts.get(`${spec.name}\u0000${field.name}`);
      if (!m) continue;
      const values = [...m]
        .map(([value, c]) => {
          const v: VocabValue = { value, agents: c.agents, canonical: c.canonical };
          const isBoolean = spec.fields[field.name]?.type === 'boolean';
          if (c.canonical === 'unknown' && !isBoolean) {
            const s = suggest(value, field);
            if (s) v.suggestion = s;
          }
          const k = `${field.name}\u0000${value}`;
          distinct.set(k, (distinct.get(k) ?? false) || c.canonical !== 'unknown');
          return v;
        })
        .sort(
          (a, b) =>
            Number(b.canonical === 'unknown') - Number(a.canonical === 'unknown') ||
            b.agents - a.agents ||
            (a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
        );
      entries.push({ source: spec.name, field: field.name, values });
    }
  }
  return { entries, distinct: distinct.size, known: [...distinct.values()].filter(Boolean).length };
}

/** The table `sync-tui vocab` prints. */
export function vocabLines(report: VocabReport): string[] {
  const out: string[] = [];
  for (const e of report.entries) {
    out.push(`${e.source} ${e.field}:`);
    for (const v of e.values) {
      const hint = v.suggestion
        ? `  suggest ${v.suggestion.canonical} (${v.suggestion.reason}): sync-tui vocab --accept '${v.value}=${v.suggestion.canonical}' --field ${e.field}`
        : '';
      out.push(`  ${v.value}  ${v.agents} agent${v.agents === 1 ? '' : 's'}  -> ${v.canonical}${hint}`);
    }
  }
  out.push(`${report.known} of ${report.distinct} distinct values known`);
  return out;
}
