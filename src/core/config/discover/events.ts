// Event logs by content: JSON-lines files whose lines name an agent, or one file per agent
// with the agent's id in its name (README.md "Zero config").
import { EVENT_ID, EVENT_UPDATED_AT, STATUS_FILE_FIELDS, STATUS_FILE_UPDATED_AT } from '../defaults.js';
import type { DiscoveryInput, RunnerUp } from './types.js';
import { tiesAndRunnersUp } from './rank.js';

export const LOG_FILE = /\.(jsonl|ndjson)$/i;

export interface EventCandidate {
  /** A file, or a pattern with `{agent}` for one file per agent. */
  path: string;
  perAgent: boolean;
  agents: string[];
  fields: Record<string, string[]>;
  updatedAt: string[];
  idPaths: string[];
}

export interface EventChoice {
  chosen: EventCandidate;
  runnersUp: RunnerUp[];
  ties: RunnerUp[];
  reason: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STATUS = ['status', ...STATUS_FILE_FIELDS.status.filter((k) => k !== 'status' && !k.includes('.'))];
const FSM = ['fsm', 'fsm_state', 'current_state'];
const STAMPS = [...new Set([...EVENT_UPDATED_AT, ...STATUS_FILE_UPDATED_AT])];

function keysSeen(lines: readonly Record<string, unknown>[], keys: readonly string[]): string[] {
  return keys.filter((k) => lines.some((l) => l[k] !== undefined && l[k] !== null));
}

function describe(c: EventCandidate, total: number): string {
  return c.perAgent
    ? `one file per agent for ${c.agents.length} of ${total} agents`
    : `lines name ${c.agents.length} of ${total} agents`;
}

export function eventCandidates(input: DiscoveryInput, agents: ReadonlySet<string>): EventCandidate[] {
  const byPattern = new Map<string, { agents: string[]; lines: Record<string, unknown>[] }>();
  const shared: EventCandidate[] = [];
  const longestFirst = [...agents].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  for (const f of input.files) {
    if (!LOG_FILE.test(f.path)) continue;
    const lines = input.lines(f.path).filter(isRecord);
    if (lines.length === 0) continue;
    const slash = f.path.lastIndexOf('/');
    const dir = f.path.slice(0, slash + 1);
    const name = f.path.slice(slash + 1);
    const named = new Set<string>();
    for (const l of lines)
      for (const k of EVENT_ID)
        if (typeof l[k] === 'string' && agents.has(l[k] as string)) named.add(l[k] as string);
    // One file per agent: the file is named after an agent (the longest id that fits).
    const id = longestFirst.find((a) => name.includes(a));
    if (id !== undefined && (named.size === 0 || (named.size === 1 && named.has(id)))) {
      const i = name.indexOf(id);
      const pattern = `${dir}${name.slice(0, i)}{agent}${name.slice(i + id.length)}`;
      const g = byPattern.get(pattern) ?? { agents: [], lines: [] };
      g.agents.push(id);
      g.lines.push(...lines.slice(0, 20));
      byPattern.set(pattern, g);
      continue;
    }
    if (named.size === 0) continue;
    shared.push({
      path: f.path,
      perAgent: false,
      agents: [...named].sort(),
      fields: fieldsOf(lines),
      updatedAt: keysSeen(lines, STAMPS),
      idPaths: keysSeen(lines, EVENT_ID),
    });
  }
  const perAgent = [...byPattern].map(([path, g]) => ({
    path,
    perAgent: true,
    agents: g.agents.sort(),
    fields: fieldsOf(g.lines),
    updatedAt: keysSeen(g.lines, STAMPS),
    idPaths: keysSeen(g.lines, EVENT_ID),
  }));
  return [...perAgent, ...shared].filter((c) => Object.keys(c.fields).length > 0);
}

function fieldsOf(lines: readonly Record<string, unknown>[]): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  const status = keysSeen(lines, STATUS);
  const fsm = keysSeen(lines, FSM).filter((k) => !status.includes(k));
  if (status.length > 0) out['status'] = status;
  if (fsm.length > 0) out['fsm'] = fsm;
  return out;
}

export function compareEvents(a: EventCandidate, b: EventCandidate): number {
  return (
    b.agents.length - a.agents.length ||
    Object.keys(b.fields).length - Object.keys(a.fields).length ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

export function chooseEvents(candidates: EventCandidate[], total: number): EventChoice | null {
  const all = [...candidates].sort(compareEvents);
  const chosen = all[0];
  if (!chosen) return null;
  const same = (c: EventCandidate) =>
    c.agents.length === chosen.agents.length &&
    Object.keys(c.fields).length === Object.keys(chosen.fields).length;
  const { ties, runnersUp } = tiesAndRunnersUp(all.slice(1), same, (c) => ({
    path: c.path,
    reason: describe(c, total),
  }));
  let reason = `${describe(chosen, total)}, carrying ${Object.keys(chosen.fields).join(' and ')}`;
  if (ties.length > 0) reason += `; tie with ${ties.length} other log(s), chosen alphabetically`;
  return { chosen, runnersUp, ties, reason };
}
