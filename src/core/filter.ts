// The `/` filter language of the live view (README.md "Keys and screen"): terms separated by
// spaces, all of which must hold.
//   text          the id, verdict or any value contains it (case-insensitive)
//   /re/          the same texts match a regular expression (case-insensitive)
//   field:value   `verdict:conflict`, `source:display` (the agent is listed by that source),
//                 `id:Agent-1`, or a configured field (`fsm:IDLE`: any source's value, or
//                 the agreed truth, contains it); value may be a /re/ too
//   !term         negation
// A word with a colon whose left side names no known field is plain text, so `12:30` still
// finds a time. Pure: no clock, no I/O.
import type { AgentState, Config } from './types.js';

export type Matcher = { kind: 'text'; text: string } | { kind: 're'; re: RegExp };

export interface FilterTerm {
  negate: boolean;
  /** Null: the agent's whole search text; else a field name as typed (lower case). */
  field: string | null;
  match: Matcher;
  /** The term as typed (a plain-text fallback for an unknown field). */
  raw: string;
}

export interface Filter {
  terms: FilterTerm[];
  /** The first problem found (an invalid regular expression), for the status line. */
  error: string | null;
}

const SPECIAL_FIELDS = ['verdict', 'source', 'id'] as const;

function matcher(text: string): { m: Matcher; error: string | null } {
  if (text.length >= 2 && text.startsWith('/') && text.endsWith('/')) {
    const body = text.slice(1, -1);
    try {
      return { m: { kind: 're', re: new RegExp(body, 'iu') }, error: null };
    } catch (e) {
      return {
        m: { kind: 'text', text: text.toLowerCase() },
        error: `not a regular expression: ${text} (${e instanceof Error ? e.message : String(e)}); matched as text`,
      };
    }
  }
  return { m: { kind: 'text', text: text.toLowerCase() }, error: null };
}

/** Splits on spaces, except inside a /regex/ (so `/a b/` stays one term). */
function words(text: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '/' && (cur === '' || cur === '!' || cur.endsWith(':'))) {
      // A regex: up to the next unescaped slash.
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      cur += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (/\s/u.test(ch)) {
      if (cur !== '') out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur !== '') out.push(cur);
  return out;
}

export function parseFilter(text: string): Filter {
  const terms: FilterTerm[] = [];
  let error: string | null = null;
  for (const word of words(text)) {
    let rest = word;
    let negate = false;
    if (rest.startsWith('!') && rest.length > 1) {
      negate = true;
      rest = rest.slice(1);
    }
    let field: string | null = null;
    const colon = rest.indexOf(':');
    if (colon > 0 && !rest.startsWith('/')) {
      field = rest.slice(0, colon).toLowerCase();
      rest = rest.slice(colon + 1);
    }
    const { m, error: e } = matcher(rest);
    error ??= e;
    terms.push({ negate, field, match: m, raw: word.startsWith('!') && negate ? word.slice(1) : word });
  }
  return { terms, error };
}

function test(m: Matcher, s: string): boolean {
  return m.kind === 're' ? m.re.test(s) : s.toLowerCase().includes(m.text);
}

function scalar(v: unknown): string {
  return v === null || v === undefined || typeof v === 'object' ? '' : String(v as string | number | boolean);
}

/** The texts a term without a field is matched against: id, verdict, every value. */
export function agentTexts(a: AgentState): string[] {
  const parts = [a.id, a.verdict];
  for (const o of Object.values(a.observations)) {
    for (const f of Object.values(o.fields)) {
      if (f.value !== null) parts.push(String(f.value));
      const raw = scalar(f.raw);
      if (raw !== '') parts.push(raw);
    }
  }
  return parts;
}

function fieldTexts(a: AgentState, field: string): string[] {
  const out: string[] = [];
  for (const o of Object.values(a.observations)) {
    const f = Object.entries(o.fields).find(([k]) => k.toLowerCase() === field)?.[1];
    if (!f) continue;
    if (f.value !== null) out.push(String(f.value));
    const raw = scalar(f.raw);
    if (raw !== '') out.push(raw);
  }
  const t = Object.entries(a.truth).find(([k]) => k.toLowerCase() === field)?.[1];
  if (t && t.value !== null) out.push(String(t.value));
  return out;
}

function termHolds(t: FilterTerm, a: AgentState, config: Pick<Config, 'fields'>): boolean {
  const known =
    t.field !== null &&
    ((SPECIAL_FIELDS as readonly string[]).includes(t.field) ||
      config.fields.some((f) => f.name.toLowerCase() === t.field));
  if (t.field === null || !known) {
    const m = t.field === null ? t.match : matcher(t.raw).m;
    return agentTexts(a).some((s) => test(m, s));
  }
  switch (t.field) {
    case 'verdict':
      // `verdict:in` finds in-sync, `verdict:/^(drift|conflict)$/` several.
      return t.match.kind === 're' ? t.match.re.test(a.verdict) : a.verdict.startsWith(t.match.text);
    case 'id':
      return test(t.match, a.id);
    case 'source':
      return Object.values(a.observations).some((o) => o.present && test(t.match, o.source));
    default:
      return fieldTexts(a, t.field).some((s) => test(t.match, s));
  }
}

/** Whether an agent passes every term of the filter (an empty filter passes all). */
export function matches(filter: Filter, agent: AgentState, config: Pick<Config, 'fields'>): boolean {
  for (const t of filter.terms) if (termHolds(t, agent, config) === t.negate) return false;
  return true;
}
