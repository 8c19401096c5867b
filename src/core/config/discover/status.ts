// Status files by content: group data files into `{agent}` patterns and keep the pattern
// under which most agents' files parse and carry a status-like field (README.md "Zero config").
import { STATUS_FILE_FIELDS, STATUS_FILE_ID, STATUS_FILE_UPDATED_AT } from '../defaults.js';
import { unsafeAgentId } from '../../ids.js';
import type { DiscoveryInput, RunnerUp } from './types.js';
import { tiesAndRunnersUp } from './rank.js';

export const DATA_FILE = /\.(json|ya?ml)$/i;
/** Ids that are message names or dated copies, not agents (`msg_20250811_104117_...`). */
const GENERATED_ID = /\d{6,}|\d{4}-\d{2}-\d{2}/;

export interface StatusCandidate {
  pattern: string;
  /** Agent id -> file. */
  files: Map<string, string>;
  /** Agents whose file parses as an object holding a status-like field. */
  statusLike: string[];
  /** Agents whose file names them in an id field too. */
  idAgrees: number;
  /** Key paths seen, per field, in the order of the built-in candidates. */
  fields: Record<string, string[]>;
  updatedAt: string[];
}

export interface StatusChoice {
  chosen: StatusCandidate;
  runnersUp: RunnerUp[];
  ties: RunnerUp[];
  reason: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function get(doc: unknown, dotted: string): unknown {
  let cur = doc;
  for (const k of dotted.split('.')) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** The `{agent}` patterns a file can belong to, with the id it gives. */
function patternsOf(path: string): { pattern: string; id: string }[] {
  const segs = path.split('/');
  const out: { pattern: string; id: string }[] = [];
  const name = segs[segs.length - 1]!;
  if (segs.length >= 2) {
    // <dir>/{agent}/<name>: the agent's folder holds a file of a fixed name.
    const id = segs[segs.length - 2]!;
    out.push({ pattern: [...segs.slice(0, -2), '{agent}', name].join('/'), id });
  }
  // <dir>/{agent}.<ext>: one file per agent in a folder.
  const m = DATA_FILE.exec(name);
  if (m && segs.length >= 2) {
    const id = name.slice(0, name.length - m[0].length);
    out.push({ pattern: [...segs.slice(0, -1), `{agent}${m[0]}`].join('/'), id });
  }
  return out.filter(
    (p) => p.id !== '' && !p.id.startsWith('.') && unsafeAgentId(p.id) === null && !GENERATED_ID.test(p.id),
  );
}

function depth(pattern: string): number {
  return pattern.split('/').length;
}

const STATUS_KEYS = [...STATUS_FILE_FIELDS.status, ...STATUS_FILE_FIELDS.fsm];

/** Score every pattern; the caller picks. */
export function statusCandidates(input: DiscoveryInput): StatusCandidate[] {
  const groups = new Map<string, Map<string, string>>();
  for (const f of input.files) {
    if (!DATA_FILE.test(f.path)) continue;
    for (const { pattern, id } of patternsOf(f.path)) {
      let g = groups.get(pattern);
      if (!g) groups.set(pattern, (g = new Map()));
      g.set(id, f.path);
    }
  }
  const out: StatusCandidate[] = [];
  for (const [pattern, files] of groups) {
    const statusLike: string[] = [];
    let idAgrees = 0;
    const seen = new Map<string, number>();
    const stamps = new Map<string, number>();
    for (const [id, file] of files) {
      const doc = input.read(file);
      if (!isRecord(doc)) continue;
      const keys = STATUS_KEYS.filter((k) => {
        const v = get(doc, k);
        return typeof v === 'string' || typeof v === 'boolean' || (k === 'fsm_state' && isRecord(v));
      });
      if (keys.length === 0) continue;
      statusLike.push(id);
      for (const k of keys) seen.set(k, (seen.get(k) ?? 0) + 1);
      for (const k of STATUS_FILE_UPDATED_AT)
        if (get(doc, k) !== undefined) stamps.set(k, (stamps.get(k) ?? 0) + 1);
      if (STATUS_FILE_ID.some((k) => get(doc, k) === id)) idAgrees++;
    }
    if (statusLike.length === 0) continue;
    const fields: Record<string, string[]> = {};
    for (const [field, candidates] of Object.entries(STATUS_FILE_FIELDS)) {
      const paths = candidates.filter(
        (k) => seen.has(k) && !(field === 'fsm' && STATUS_FILE_FIELDS.status.includes(k)),
      );
      // `fsm_state` as an object: its current state is one level down.
      if (field === 'fsm' && seen.has('fsm_state') && !paths.includes('fsm_state.current_state'))
        paths.unshift('fsm_state.current_state');
      if (paths.length > 0) fields[field] = paths;
    }
    out.push({
      pattern,
      files,
      statusLike: statusLike.sort(),
      idAgrees,
      fields,
      updatedAt: STATUS_FILE_UPDATED_AT.filter((k) => stamps.has(k)),
    });
  }
  return out;
}

/** Best first: most status-like agents, then ids that agree, then a file named like a status file, then shallower, then by name. */
export function compareStatus(a: StatusCandidate, b: StatusCandidate): number {
  return (
    b.statusLike.length - a.statusLike.length ||
    b.idAgrees - a.idAgrees ||
    Number(/status/i.test(b.pattern)) - Number(/status/i.test(a.pattern)) ||
    depth(a.pattern) - depth(b.pattern) ||
    (a.pattern < b.pattern ? -1 : a.pattern > b.pattern ? 1 : 0)
  );
}

function describe(c: StatusCandidate): string {
  return `${c.statusLike.length} of ${c.files.size} files parse with a status-like field`;
}

/** A pattern that lies inside another's agent folders (a nested copy of the layout) never adds agents. */
function nestedIn(inner: string, outer: string): boolean {
  const dir = outer.slice(0, outer.indexOf('{agent}'));
  return inner !== outer && inner.startsWith(dir) && !inner.slice(dir.length).startsWith('{agent}');
}

export function chooseStatus(input: DiscoveryInput): StatusChoice | null {
  const all = statusCandidates(input).sort(compareStatus);
  const chosen = all[0];
  if (!chosen) return null;
  const same = (c: StatusCandidate) =>
    c.statusLike.length === chosen.statusLike.length && c.idAgrees === chosen.idAgrees;
  const { ties, runnersUp } = tiesAndRunnersUp(
    all.slice(1),
    same,
    (c) => ({ path: c.pattern, reason: describe(c) }),
    (c) => ({
      path: c.pattern,
      reason: `${describe(c)}${nestedIn(c.pattern, chosen.pattern) ? ' (inside the agents\u2019 folders: a nested copy, not more agents)' : ''}`,
    }),
  );
  let reason = `${describe(chosen)}; ${chosen.idAgrees} name their agent in an id field`;
  if (ties.length > 0)
    reason += `; tie with ${ties.length} other pattern(s), chosen by: status-like name, then shallower, then alphabetical`;
  return { chosen, runnersUp, ties, reason };
}
