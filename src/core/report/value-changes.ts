// The `values` lines of the verdict history (`<stateDir>/history.jsonl`, README.md "watch"):
// which source's value of which field changed, from what, to what, so the detail pane's
// timeline (src/core/report/timeline.ts) can say when each source changed. Pure: two
// reconciliations and the time come in, lines go out.
//
// One line per agent whose observed values changed between two snapshots:
//   {"v":1,"kind":"values","at":"…","agent":"Agent-2",
//    "changes":[{"source":"display","field":"fsm","before":"READY","after":null,"afterRaw":"uninitialized"}]}
// `before`/`after` are canonical values (null: no usable value); `…Raw` is the raw text when
// the value is not in the vocabulary (bounded); `…Listed: false` when the source does not
// list the agent (or cannot be read). The first snapshot of a session writes none (the
// start line stands for it); an agent that appears later is recorded with `before` null.
import type { AgentState, CanonicalValue, FieldObservation, Observation, Reconciliation } from '../types.js';
import { formatIso } from '../time.js';

/** Longest raw text or value kept on a line. */
export const MAX_VALUE_CHARS = 120;
/** Most changes kept per line (fields x sources of one agent). */
const MAX_CHANGES = 64;

export interface ValueChange {
  source: string;
  field: string;
  before: CanonicalValue | null;
  after: CanonicalValue | null;
  beforeRaw?: string;
  afterRaw?: string;
  /** False: the source did not list the agent (or could not be read) before / after. */
  beforeListed?: false;
  afterListed?: false;
}

export interface HistoryValues {
  v: 1;
  kind: 'values';
  at: string;
  agent: string;
  changes: ValueChange[];
}

interface Seen {
  value: CanonicalValue | null;
  raw?: string;
  listed: boolean;
}

const cut = (s: string): string => (s.length > MAX_VALUE_CHARS ? `${s.slice(0, MAX_VALUE_CHARS - 1)}…` : s);

function rawText(raw: FieldObservation['raw']): string {
  return cut(typeof raw === 'string' ? raw : JSON.stringify(raw));
}

function seen(o: Observation | undefined, f: FieldObservation | undefined): Seen {
  if (!o || !o.present || !o.readable) return { value: null, listed: false };
  if (!f) return { value: null, listed: true };
  const value = typeof f.value === 'string' ? cut(f.value) : f.value;
  // The raw text only where the value does not say it: not in the vocabulary.
  if (f.unknown && f.raw !== null) return { value, raw: rawText(f.raw), listed: true };
  return { value, listed: true };
}

const same = (a: Seen, b: Seen): boolean => a.value === b.value && a.raw === b.raw && a.listed === b.listed;

/** The changes of one agent's observed values (`before` undefined: it just appeared). */
export function agentValueChanges(before: AgentState | undefined, after: AgentState): ValueChange[] {
  const out: ValueChange[] = [];
  const sources = new Set([...Object.keys(after.observations), ...Object.keys(before?.observations ?? {})]);
  for (const source of sources) {
    const ob = before?.observations[source];
    const oa = after.observations[source];
    const fields = new Set([...Object.keys(oa?.fields ?? {}), ...Object.keys(ob?.fields ?? {})]);
    for (const field of fields) {
      const b = seen(ob, ob?.fields[field]);
      const a = seen(oa, oa?.fields[field]);
      if (same(a, b)) continue;
      // An agent that appears: only the values it has.
      if (before === undefined && a.value === null && a.raw === undefined) continue;
      const c: ValueChange = { source, field, before: b.value, after: a.value };
      if (b.raw !== undefined) c.beforeRaw = b.raw;
      if (a.raw !== undefined) c.afterRaw = a.raw;
      if (!b.listed && before !== undefined) c.beforeListed = false;
      if (!a.listed) c.afterListed = false;
      out.push(c);
      if (out.length >= MAX_CHANGES) return out;
    }
  }
  return out;
}

/** The `values` lines between two reconciliations (none for the first). */
export function valueLines(prev: Reconciliation | null, next: Reconciliation, at: number): HistoryValues[] {
  if (prev === null) return [];
  const before = new Map(prev.agents.map((a) => [a.id, a]));
  const lines: HistoryValues[] = [];
  const iso = formatIso(at);
  for (const a of next.agents) {
    const b = before.get(a.id);
    if (b === a) continue;
    const changes = agentValueChanges(b, a);
    if (changes.length > 0) lines.push({ v: 1, kind: 'values', at: iso, agent: a.id, changes });
  }
  return lines;
}

/** Why `v` (known to be an object of kind `values`) is not a values line, or null. */
export function valuesLineProblem(e: Record<string, unknown>): string | null {
  if (typeof e['agent'] !== 'string') return '"agent" is not a string';
  const changes = e['changes'];
  if (!Array.isArray(changes)) return '"changes" is not a list';
  for (const c of changes as unknown[]) {
    const x = c as Record<string, unknown> | null;
    if (
      typeof x !== 'object' ||
      x === null ||
      typeof x['source'] !== 'string' ||
      typeof x['field'] !== 'string'
    )
      return '"changes" holds an entry without "source" and "field"';
  }
  return null;
}
