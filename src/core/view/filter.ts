// The filter language shared by `sync-tui wait --filter` and the live view's `/` (README.md
// "Filters"). A filter is terms separated by spaces; an agent is shown when it matches
// every term. A term is:
//
//   text            the agent id, its verdict or any of its values contains text
//                   (case-insensitive)
//   /regex/         the same texts match the regular expression (case-insensitive)
//   verdict:V[,W]   the agent's verdict is one of the listed verdicts
//   source:NAME     some field of the agent differs in source NAME
//   id:text         the agent id contains text (id:/regex/ too)
//   FIELD:value     some source (or the truth) holds a value for FIELD that contains value,
//                   compared like the vocabulary compares (case, `-`/space vs `_` ignored);
//                   FIELD:/regex/ too
//   !TERM           negation: the agent does not match TERM
//
// A value with spaces is quoted: `fsm:"waiting for input"`. Pure: no config at parse time;
// `filterProblem` checks the field and source names against a config.
import type { AgentState, Config, Verdict } from '../types.js';
import { VERDICTS } from '../types.js';

export type FilterMatcher = { kind: 'text'; text: string } | { kind: 'regex'; re: RegExp; source: string };

export type FilterTerm =
  | { kind: 'text'; match: FilterMatcher; negate: boolean; column: number }
  | { kind: 'id'; match: FilterMatcher; negate: boolean; column: number }
  | { kind: 'verdict'; verdicts: Verdict[]; negate: boolean; column: number }
  | { kind: 'source'; source: string; negate: boolean; column: number }
  | { kind: 'field'; field: string; match: FilterMatcher; negate: boolean; column: number };

export interface Filter {
  text: string;
  terms: FilterTerm[];
}

export type FilterParse = { ok: true; filter: Filter } | { ok: false; message: string; column: number };

/** The filter that matches everything. */
export const EMPTY_FILTER: Filter = { text: '', terms: [] };

interface Token {
  text: string;
  /** 1-based column of the token's first character. */
  column: number;
}

function tokenize(text: string): Token[] | { message: string; column: number } {
  const out: Token[] = [];
  let i = 0;
  const chars = [...text];
  while (i < chars.length) {
    if (/\s/.test(chars[i]!)) {
      i++;
      continue;
    }
    const start = i;
    let tok = '';
    while (i < chars.length && !/\s/.test(chars[i]!)) {
      const c = chars[i]!;
      if (c === '"') {
        const open = i;
        i++;
        while (i < chars.length && chars[i] !== '"') tok += chars[i++]!;
        if (i >= chars.length) return { message: 'a quote is not closed', column: open + 1 };
        i++;
        continue;
      }
      if (c === '/' && (tok === '' || tok === '!' || tok.endsWith(':'))) {
        // A regex runs to the next unescaped slash, spaces included.
        const open = i;
        tok += c;
        i++;
        while (i < chars.length && chars[i] !== '/') {
          if (chars[i] === '\\' && i + 1 < chars.length) tok += chars[i++]!;
          tok += chars[i++]!;
        }
        if (i >= chars.length)
          return { message: "a regular expression is not closed with '/'", column: open + 1 };
        tok += '/';
        i++;
        continue;
      }
      tok += c;
      i++;
    }
    out.push({ text: tok, column: start + 1 });
  }
  return out;
}

function matcher(value: string, column: number): FilterMatcher | { message: string; column: number } {
  if (value.length >= 2 && value.startsWith('/') && value.endsWith('/')) {
    const source = value.slice(1, -1);
    try {
      return { kind: 'regex', re: new RegExp(source, 'i'), source };
    } catch (e) {
      return { message: `not a regular expression: ${e instanceof Error ? e.message : String(e)}`, column };
    }
  }
  return { kind: 'text', text: value.toLowerCase() };
}

/** Parse a filter; a problem names the 1-based column where it is. */
export function parseFilter(text: string): FilterParse {
  const tokens = tokenize(text);
  if (!Array.isArray(tokens)) return { ok: false, ...tokens };
  const terms: FilterTerm[] = [];
  for (const t of tokens) {
    let body = t.text;
    let column = t.column;
    const negate = body.startsWith('!');
    if (negate) {
      body = body.slice(1);
      column++;
    }
    if (body === '') return { ok: false, message: "'!' needs a term after it", column: t.column };
    const colon = body.startsWith('/') ? -1 : body.indexOf(':');
    if (colon < 0) {
      const m = matcher(body, column);
      if ('message' in m) return { ok: false, ...m };
      terms.push({ kind: 'text', match: m, negate, column: t.column });
      continue;
    }
    const key = body.slice(0, colon).toLowerCase();
    const value = body.slice(colon + 1);
    const valueColumn = column + colon + 1;
    if (key === '') return { ok: false, message: "expected a field name before ':'", column };
    if (value === '') return { ok: false, message: `expected a value after '${key}:'`, column: valueColumn };
    if (key === 'verdict') {
      const verdicts: Verdict[] = [];
      for (const v of value.toLowerCase().split(',')) {
        const name = v === 'insync' || v === 'in_sync' || v === 'sync' ? 'in-sync' : v;
        if (!(VERDICTS as readonly string[]).includes(name)) {
          return {
            ok: false,
            message: `unknown verdict '${v}' (expected one of ${VERDICTS.join(', ')})`,
            column: valueColumn,
          };
        }
        verdicts.push(name as Verdict);
      }
      terms.push({ kind: 'verdict', verdicts, negate, column: t.column });
    } else if (key === 'source') {
      terms.push({ kind: 'source', source: value, negate, column: t.column });
    } else {
      const m = matcher(value, valueColumn);
      if ('message' in m) return { ok: false, ...m };
      if (key === 'id') terms.push({ kind: 'id', match: m, negate, column: t.column });
      else terms.push({ kind: 'field', field: body.slice(0, colon), match: m, negate, column: t.column });
    }
  }
  return { ok: true, filter: { text, terms } };
}

/** A field or source the filter names that the config does not have, or null. */
export function filterProblem(filter: Filter, config: Config): { message: string; column: number } | null {
  const fields = config.fields.map((f) => f.name);
  const sources = config.sources.map((s) => s.name);
  for (const t of filter.terms) {
    if (t.kind === 'field' && !fields.some((f) => f.toLowerCase() === t.field.toLowerCase())) {
      return {
        message: `unknown field '${t.field}' (fields: ${fields.join(', ') || 'none'}; also verdict, source, id)`,
        column: t.column,
      };
    }
    if (t.kind === 'source' && !sources.includes(t.source)) {
      return {
        message: `unknown source '${t.source}' (sources: ${sources.join(', ') || 'none'})`,
        column: t.column,
      };
    }
  }
  return null;
}

/** Vocabulary-style comparison: case, and `-`/space vs `_`, ignored. */
function norm(s: string): string {
  return s.toLowerCase().replace(/[-\s]+/g, '_');
}

function test(m: FilterMatcher, value: string, exact: boolean): boolean {
  if (m.kind === 'regex') {
    m.re.lastIndex = 0;
    return m.re.test(value);
  }
  return exact ? norm(value).includes(norm(m.text)) : value.toLowerCase().includes(m.text);
}

function asText(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return null;
}

/** The texts a plain term is matched against: the id, the verdict, every value and raw value. */
function agentTexts(a: AgentState): string[] {
  const parts: string[] = [a.id, a.verdict];
  for (const o of Object.values(a.observations)) {
    for (const f of Object.values(o.fields))
      for (const v of [asText(f.value), asText(f.raw)]) if (v !== null) parts.push(v);
  }
  return parts;
}

function termMatches(t: FilterTerm, a: AgentState, config: Pick<Config, 'fields'>): boolean {
  switch (t.kind) {
    case 'text':
      return agentTexts(a).some((v) => test(t.match, v, false));
    case 'id':
      return test(t.match, a.id, false);
    case 'verdict':
      return t.verdicts.includes(a.verdict);
    case 'source':
      return a.differences.some((d) => d.source === t.source);
    case 'field': {
      const field =
        config.fields.find((f) => f.name.toLowerCase() === t.field.toLowerCase())?.name ?? t.field;
      const values: string[] = [];
      const truth = asText(a.truth[field]?.value);
      if (truth !== null) values.push(truth);
      for (const o of Object.values(a.observations)) {
        const f = o.fields[field];
        if (!f) continue;
        for (const v of [asText(f.value), asText(f.raw)]) if (v !== null) values.push(v);
      }
      return values.some((v) => test(t.match, v, true));
    }
  }
}

/** Whether the agent matches every term of the filter. */
export function matches(filter: Filter, agent: AgentState, config: Pick<Config, 'fields'>): boolean {
  for (const t of filter.terms) if (termMatches(t, agent, config) === t.negate) return false;
  return true;
}

/**
 * The live view's `/` line: the filter as typed so far. A text that does not parse yet (an
 * open quote or regex while typing) is matched as plain text, and the problem is said with
 * its column, so the table never goes blank on a half-typed term.
 */
export function liveFilter(text: string): { filter: Filter; error: string | null } {
  const parsed = parseFilter(text);
  if (parsed.ok) return { filter: parsed.filter, error: null };
  const plain: Filter = {
    text,
    terms: [{ kind: 'text', match: { kind: 'text', text: text.toLowerCase() }, negate: false, column: 1 }],
  };
  return { filter: plain, error: `column ${parsed.column}: ${parsed.message}; matched as text` };
}
