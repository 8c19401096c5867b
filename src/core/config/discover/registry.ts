// The coordinator's registry by content: any JSON/YAML file holding maps keyed by most of
// the discovered agent ids, at the top or under a key, with the value paths inferred
// (README.md "Zero config").
import type { DiscoveryInput, RunnerUp } from './types.js';
import { tiesAndRunnersUp } from './rank.js';
import { DATA_FILE } from './status.js';

export interface RegistryField {
  /** Path with `{agent}`, e.g. `agents.{agent}.status` or `onboarding_status.{agent}`. */
  path: string;
  boolean: boolean;
}

export interface RegistryCandidate {
  path: string;
  /** The containers keyed by agent ids, e.g. `agents` or `` for the top. */
  containers: string[];
  /** Agent ids it lists. */
  agents: string[];
  /** Keys of its containers that are not agents. */
  otherKeys: number;
  fields: { status?: RegistryField; fsm?: RegistryField };
  updatedAt: string[];
}

export interface RegistryChoice {
  chosen: RegistryCandidate;
  runnersUp: RunnerUp[];
  ties: RunnerUp[];
  reason: string;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const STATUS_KEYS = ['status', 'onboarding_status', 'agent_status', 'state', 'onboarded'];
const FSM_KEYS = ['fsm_state', 'fsm', 'current_state', 'state'];
const SEEN_KEYS = [
  'last_seen',
  'last_heartbeat',
  'last_updated',
  'updated_at',
  'last_update',
  'last_activity',
  'timestamp',
];
const TOP_STAMPS = ['last_updated', 'updated_at', 'timestamp', 'generated_at'];

/** A container name that holds status values directly (`onboarding_status: {Agent-1: true}`). */
function scalarRole(key: string): 'status' | 'fsm' | 'seen' | null {
  const k = key.toLowerCase();
  if (/fsm|state/.test(k)) return 'fsm';
  if (/status|onboard/.test(k)) return 'status';
  if (/seen|heartbeat|updated|activity/.test(k)) return 'seen';
  return null;
}

function prefix(container: string): string {
  return container === '' ? '' : `${container}.`;
}

/** Most common type among values, for a key of record entries. */
function valueKind(entries: Record<string, unknown>[], key: string): 'string' | 'boolean' | 'other' | null {
  let s = 0;
  let b = 0;
  let o = 0;
  for (const e of entries) {
    const v = e[key];
    if (v === undefined) continue;
    if (typeof v === 'string') s++;
    else if (typeof v === 'boolean') b++;
    else o++;
  }
  if (s + b + o === 0) return null;
  return s >= b && s >= o ? 'string' : b >= o ? 'boolean' : 'other';
}

function inspect(path: string, doc: unknown, agents: ReadonlySet<string>): RegistryCandidate | null {
  if (!isRecord(doc)) return null;
  const containers: { key: string; map: Record<string, unknown>; hits: string[] }[] = [];
  const consider = (key: string, map: unknown) => {
    if (!isRecord(map)) return;
    const keys = Object.keys(map);
    const hits = keys.filter((k) => agents.has(k));
    // Mostly agent ids, and at least two of them (or the only one there is).
    if (
      hits.length >= Math.min(2, agents.size) &&
      hits.length * 2 >= keys.length &&
      hits.length * 10 >= agents.size * 3
    )
      containers.push({ key, map, hits });
  };
  consider('', doc);
  for (const [k, v] of Object.entries(doc)) {
    consider(k, v);
    if (isRecord(v))
      for (const [k2, v2] of Object.entries(v)) if (!/[.{}]/.test(k2)) consider(`${k}.${k2}`, v2);
  }
  if (containers.length === 0) return null;
  const fields: RegistryCandidate['fields'] = {};
  const updatedAt: string[] = [];
  const used: string[] = [];
  for (const c of containers) {
    const values = c.hits.map((h) => c.map[h]);
    const records = values.filter(isRecord);
    if (records.length * 2 >= values.length && records.length > 0) {
      const pick = (keys: string[], taken?: string) =>
        keys.find(
          (k) => k !== taken && records.filter((r) => r[k] !== undefined).length * 2 >= records.length,
        );
      const st = pick(STATUS_KEYS);
      const kind = st ? valueKind(records, st) : null;
      if (st && !fields.status && kind !== 'other')
        fields.status = { path: `${prefix(c.key)}{agent}.${st}`, boolean: kind === 'boolean' };
      const fsm = pick(FSM_KEYS, st);
      if (fsm && !fields.fsm && valueKind(records, fsm) === 'string')
        fields.fsm = { path: `${prefix(c.key)}{agent}.${fsm}`, boolean: false };
      for (const k of SEEN_KEYS)
        if (records.some((r) => r[k] !== undefined)) updatedAt.push(`${prefix(c.key)}{agent}.${k}`);
      used.push(c.key);
    } else {
      const role = scalarRole(c.key.split('.').pop() ?? '');
      const kind = values.some((v) => typeof v === 'boolean')
        ? 'boolean'
        : values.some((v) => typeof v === 'string')
          ? 'string'
          : null;
      if (kind === null) continue;
      const f = { path: `${prefix(c.key)}{agent}`, boolean: kind === 'boolean' };
      if (role === 'status' && !fields.status) fields.status = f;
      else if (role === 'fsm' && !fields.fsm && kind === 'string') fields.fsm = f;
      else if (role === 'fsm' && !fields.status && kind === 'boolean') fields.status = f;
      else if (role === 'seen') updatedAt.push(f.path);
      else continue;
      used.push(c.key);
    }
  }
  if (!fields.status && !fields.fsm) return null;
  for (const k of TOP_STAMPS) if (doc[k] !== undefined) updatedAt.push(k);
  const listed = new Set<string>();
  let otherKeys = 0;
  for (const c of containers.filter((c) => used.includes(c.key))) {
    for (const h of c.hits) listed.add(h);
    otherKeys = Math.max(otherKeys, Object.keys(c.map).length - c.hits.length);
  }
  return { path, containers: used, agents: [...listed].sort(), otherKeys, fields, updatedAt };
}

function depth(p: string): number {
  return p.split('/').length;
}

function fieldCount(c: RegistryCandidate): number {
  return Number(c.fields.status !== undefined) + Number(c.fields.fsm !== undefined);
}

export function compareRegistry(a: RegistryCandidate, b: RegistryCandidate): number {
  return (
    b.agents.length - a.agents.length ||
    fieldCount(b) - fieldCount(a) ||
    a.otherKeys - b.otherKeys ||
    depth(a.path) - depth(b.path) ||
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)
  );
}

function describe(c: RegistryCandidate, total: number): string {
  const where = c.containers.map((k) => (k === '' ? 'the top level' : `'${k}'`)).join(' and ');
  const f = [
    c.fields.status
      ? `status at ${c.fields.status.path}${c.fields.status.boolean ? ' (true/false)' : ''}`
      : '',
    c.fields.fsm ? `fsm at ${c.fields.fsm.path}` : '',
  ]
    .filter((s) => s !== '')
    .join(', ');
  return `keyed by ${c.agents.length} of ${total} agent ids under ${where}; ${f}`;
}

/** Files that may be a registry: data files outside the status-file pattern, best guesses read first. */
export function registryCandidates(
  input: DiscoveryInput,
  agents: ReadonlySet<string>,
  exclude: ReadonlySet<string>,
  maxFiles: number,
): { candidates: RegistryCandidate[]; skipped: number } {
  const name = (p: string) =>
    Number(/regist|coordinat|agents|state|status|roster/i.test(p.split('/').pop() ?? ''));
  const files = input.files
    .map((f) => f.path)
    .filter((p) => DATA_FILE.test(p) && !exclude.has(p))
    .sort((a, b) => name(b) - name(a) || depth(a) - depth(b) || (a < b ? -1 : a > b ? 1 : 0));
  const candidates: RegistryCandidate[] = [];
  for (const p of files.slice(0, maxFiles)) {
    const c = inspect(p, input.read(p), agents);
    if (c) candidates.push(c);
  }
  return { candidates, skipped: Math.max(0, files.length - maxFiles) };
}

export function chooseRegistry(candidates: RegistryCandidate[], total: number): RegistryChoice | null {
  const all = [...candidates].sort(compareRegistry);
  const chosen = all[0];
  if (!chosen) return null;
  const same = (c: RegistryCandidate) =>
    c.agents.length === chosen.agents.length && fieldCount(c) === fieldCount(chosen);
  const { ties, runnersUp } = tiesAndRunnersUp(all.slice(1), same, (c) => ({
    path: c.path,
    reason: describe(c, total),
  }));
  let reason = describe(chosen, total);
  if (ties.length > 0)
    reason += `; tie with ${ties.length} other file(s), chosen by: fewer keys that are not agents, then shallower, then alphabetical`;
  return { chosen, runnersUp, ties, reason };
}
