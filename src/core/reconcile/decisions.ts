// Operator decisions: "for this agent's field, the value of this source wins". Picking a
// winner in a conflict (`1`-`9` in the detail pane, `resolve --prefer SOURCE`) records one
// decision per field the choice settles. A decision holds while every source involved in
// it still says exactly what it said when the operator decided (same raw value, same
// time); as soon as one of them changes, the policy decides again, the way an acknowledged
// alert comes back when its cause moves (README.md, "Conflicts and decisions").
// Pure: the shell stores the list in `<state dir>/decisions.json`.
import type { Config, Observation } from '../types.js';

/** What one source said about the field when the decision was taken. */
export interface SourceMark {
  present: boolean;
  raw: unknown;
  at: number | null;
}

export interface Decision {
  agent: string;
  field: string;
  /** The source whose value wins. */
  source: string;
  /** The canonical value accepted (shown; the winner's current value is what is used). */
  value: string | boolean | null;
  /** Every source involved, as it was: the decision holds while they all still match. */
  marks: Record<string, SourceMark>;
  /** ISO time of the decision. */
  at: string;
  /** The resolve action that recorded it (undoing the action removes it). */
  action: string;
}

export interface DecisionsFile {
  v: 1;
  decisions: Decision[];
}

/** Sources whose word on `field` a decision depends on: every source holding the field,
 *  except the target when the target is not the winner (resolving writes the target). */
export function involvedSources(config: Config, field: string, winner: string): string[] {
  return config.sources
    .filter((s) => s.fields[field] && (s.name !== config.policy.target || s.name === winner))
    .map((s) => s.name);
}

function markOf(o: Observation | undefined, field: string): SourceMark {
  if (!o || !o.present || !o.readable) return { present: false, raw: null, at: null };
  const f = o.fields[field];
  return { present: true, raw: f?.raw ?? null, at: f?.at ?? o.updatedAt ?? null };
}

export function marksFor(
  obs: ReadonlyMap<string, Observation> | Record<string, Observation>,
  config: Config,
  field: string,
  winner: string,
): Record<string, SourceMark> {
  const get = (name: string) =>
    obs instanceof Map ? obs.get(name) : (obs as Record<string, Observation>)[name];
  return Object.fromEntries(
    involvedSources(config, field, winner).map((name) => [name, markOf(get(name), field)]),
  );
}

function sameRaw(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a decision still holds for the agent's observations now. */
export function decisionHolds(d: Decision, obs: ReadonlyMap<string, Observation>, config: Config): boolean {
  const now = marksFor(obs, config, d.field, d.source);
  const names = Object.keys(now);
  if (names.length !== Object.keys(d.marks).length) return false;
  for (const name of names) {
    const was = d.marks[name];
    const is = now[name]!;
    if (!was || was.present !== is.present || was.at !== is.at || !sameRaw(was.raw, is.raw)) return false;
  }
  return true;
}

/** Decisions by agent, for reconciliation. */
export type DecisionIndex = ReadonlyMap<string, readonly Decision[]>;

export function indexDecisions(list: readonly Decision[]): Map<string, Decision[]> {
  const out = new Map<string, Decision[]>();
  for (const d of list) {
    const l = out.get(d.agent) ?? [];
    l.push(d);
    out.set(d.agent, l);
  }
  return out;
}

/** The list with `added` replacing any earlier decision on the same agent and field. */
export function withDecisions(list: readonly Decision[], added: readonly Decision[]): Decision[] {
  const key = (d: Decision) => `${d.agent}\u0000${d.field}`;
  const replaced = new Set(added.map(key));
  return [...list.filter((d) => !replaced.has(key(d))), ...added];
}

/** The list without the decisions an action recorded (undo), and without ones that no
 *  longer hold for any agent still observed (kept tidy when writing). */
export function withoutAction(list: readonly Decision[], action: string): Decision[] {
  return list.filter((d) => d.action !== action);
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads decisions.json text; damaged entries are skipped and said. Never throws. */
export function parseDecisions(text: string, file: string): { decisions: Decision[]; problems: string[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return {
      decisions: [],
      problems: [
        `${file}: not valid JSON (${e instanceof Error ? e.message : String(e)}); decisions ignored`,
      ],
    };
  }
  if (!isRecord(doc) || doc['v'] !== 1 || !Array.isArray(doc['decisions']))
    return { decisions: [], problems: [`${file}: expected {"v": 1, "decisions": [...]}; decisions ignored`] };
  const decisions: Decision[] = [];
  const problems: string[] = [];
  (doc['decisions'] as unknown[]).forEach((d, i) => {
    const ok =
      isRecord(d) &&
      typeof d['agent'] === 'string' &&
      typeof d['field'] === 'string' &&
      typeof d['source'] === 'string' &&
      typeof d['at'] === 'string' &&
      typeof d['action'] === 'string' &&
      isRecord(d['marks']) &&
      Object.values(d['marks']).every(
        (m) =>
          isRecord(m) &&
          typeof m['present'] === 'boolean' &&
          (m['at'] === null || typeof m['at'] === 'number'),
      );
    if (ok) decisions.push(d as unknown as Decision);
    else
      problems.push(`${file}: decision ${i + 1} is not {agent, field, source, marks, at, action}; skipped`);
  });
  return { decisions, problems };
}

export function serializeDecisions(list: readonly Decision[]): string {
  const doc: DecisionsFile = { v: 1, decisions: [...list] };
  return JSON.stringify(doc, null, 2) + '\n';
}
