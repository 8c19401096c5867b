// Vocabularies: canonical values, aliases, and projection into what a source can hold.
// Principle: never coerce silently. A value that is not in the vocabulary is reported
// as unknown, kept raw, and never written over anything.
import type { CanonicalValue, FieldMapping, FieldSpec, RawValue, Vocabulary } from '../types.js';

/** The form aliases are compared in: case-insensitive, `-` and spaces same as `_`. */
export function aliasKey(s: string): string {
  return s
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
}

/** Build a vocabulary from `canonical -> [aliases]`; canonical values are themselves aliases. */
export function buildVocabulary(values: Record<string, readonly string[]>): Vocabulary {
  const aliases: Record<string, string> = {};
  for (const [canonical, list] of Object.entries(values)) {
    aliases[aliasKey(canonical)] = canonical;
    for (const alias of list) aliases[aliasKey(alias)] = canonical;
  }
  return { values: Object.keys(values), aliases };
}

export type Canonicalized =
  { kind: 'absent' } | { kind: 'known'; value: CanonicalValue } | { kind: 'unknown'; reason: string };

/** Map a raw value read from a source to the field's canonical domain for that source. */
export function canonicalize(raw: unknown, field: FieldSpec, mapping: FieldMapping): Canonicalized {
  if (raw === undefined || raw === null) return { kind: 'absent' };
  if (mapping.type === 'boolean') {
    if (typeof raw === 'boolean') return { kind: 'known', value: raw };
    return { kind: 'unknown', reason: `expected true or false, found ${describeRaw(raw)}` };
  }
  if (typeof raw !== 'string') {
    return { kind: 'unknown', reason: `expected one of the ${field.name} values, found ${describeRaw(raw)}` };
  }
  if (raw.trim() === '') return { kind: 'unknown', reason: `empty ${field.name} value` };
  const canonical = lookup(raw, field.vocabulary, mapping.aliases);
  if (canonical !== undefined) return { kind: 'known', value: canonical };
  return { kind: 'unknown', reason: `'${raw}' is not a known ${field.name} value` };
}

/**
 * A source's aliases (first match wins, in the order written), then the field's vocabulary,
 * as one table per pair of alias objects, with the raw strings already met (bounded). Was a
 * loop over the source's aliases normalising each one per value read: ~0.3 s of a
 * 10,000-agent `check` (BENCHMARKS.md notes).
 */
interface AliasTable {
  byKey: Map<string, string>;
  byRaw: Map<string, string | null>;
}
const tables = new WeakMap<Record<string, string>, WeakMap<Record<string, string>, AliasTable>>();
const MAX_RAW_REMEMBERED = 4096;

function lookup(raw: string, vocabulary: Vocabulary, own: Record<string, string>): string | undefined {
  let inner = tables.get(own);
  if (!inner) tables.set(own, (inner = new WeakMap()));
  let table = inner.get(vocabulary.aliases);
  if (!table) {
    const byKey = new Map<string, string>();
    for (const [alias, canonical] of Object.entries(own)) {
      const key = aliasKey(alias);
      if (!byKey.has(key)) byKey.set(key, canonical);
    }
    for (const [key, canonical] of Object.entries(vocabulary.aliases))
      if (!byKey.has(key)) byKey.set(key, canonical);
    inner.set(vocabulary.aliases, (table = { byKey, byRaw: new Map() }));
  }
  const seen = table.byRaw.get(raw);
  if (seen !== undefined) return seen ?? undefined;
  const found = table.byKey.get(aliasKey(raw));
  if (table.byRaw.size < MAX_RAW_REMEMBERED) table.byRaw.set(raw, found ?? null);
  return found;
}

export type Projection = { ok: true; value: CanonicalValue } | { ok: false; reason: string };

/**
 * Project a canonical truth into what a source can hold (docs/DESIGN.md principle 2). A registry
 * that stores `onboarded: true/false` cannot hold ACTIVE; it holds `true` when ACTIVE is
 * listed among the values that mean true, and nothing otherwise.
 */
export function project(value: CanonicalValue, mapping: FieldMapping): Projection {
  if (mapping.type === 'enum') {
    if (typeof value === 'string') return { ok: true, value };
    return { ok: false, reason: 'a true/false value cannot be written where a word is expected' };
  }
  if (typeof value === 'boolean') return { ok: true, value };
  if (mapping.trueValues?.includes(value)) return { ok: true, value: true };
  if (mapping.falseValues?.includes(value)) return { ok: true, value: false };
  return {
    ok: false,
    reason: `${value} has no true/false form (true: ${list(mapping.trueValues)}; false: ${list(mapping.falseValues)})`,
  };
}

/** The raw value to write for a projected canonical value, in the source's spelling. */
export function spell(value: CanonicalValue, mapping: FieldMapping): RawValue {
  if (typeof value === 'boolean') return value;
  switch (mapping.writeCase) {
    case 'lower':
      return value.toLowerCase();
    case 'upper':
      return value.toUpperCase();
    default:
      return value;
  }
}

function list(values: readonly string[] | undefined): string {
  return values && values.length > 0 ? values.join(', ') : 'none';
}

export function describeRaw(raw: unknown): string {
  if (raw === null) return 'null';
  if (Array.isArray(raw)) return 'a list';
  if (typeof raw === 'object') return 'an object';
  if (typeof raw === 'string') return `'${raw.length > 60 ? raw.slice(0, 57) + '...' : raw}'`;
  return `${typeof raw} ${String(raw)}`;
}
