// From what a source read (parsed documents) to what it says about each agent
// (observations): canonical values, raw values, when, and diagnostics.
import { inert } from '../sanitize.js';
import { parseTimestamp } from '../time.js';
import { canonicalize, describeRaw } from './vocab.js';
import type {
  Diagnostic,
  FieldObservation,
  FieldSpec,
  Observation,
  SourceDocument,
  SourceRead,
  SourceSpec,
  TimeZonePolicy,
} from '../types.js';
import { isRecord } from '../record.js';
import { AGENT_SEGMENT, getAt, locate, resolvePath, splitPath } from './paths.js';

import { withFile } from './source-health.js';

export { getAt, resolvePath } from './paths.js';
export { sourceProblems, sourceReadable } from './source-health.js';

/** A stamp further ahead of `now` than this is treated as a lie and the mtime is used. */
export const FUTURE_TOLERANCE_MS = 5 * 60_000;

export interface ObserveContext {
  fields: FieldSpec[];
  timezone: TimeZonePolicy;
  now: number;
  /** Observe only these agents of a registry or an event log (the live view's first screenful). */
  only?: ReadonlySet<string>;
}

/** Extract fields and the write time for one agent from one document. */
function observeDocument(
  spec: SourceSpec,
  ctx: ObserveContext,
  agent: string,
  doc: unknown,
  file: string | undefined,
  mtimeMs: number | null,
  diagnostics: Diagnostic[],
): Observation {
  const fields: Record<string, FieldObservation> = {};
  for (const field of ctx.fields) {
    const mapping = spec.fields[field.name];
    if (!mapping) continue;
    const found = locate(doc, mapping.paths, agent);
    const result = canonicalize(found.raw, field, mapping);
    const obs: FieldObservation = { value: null, raw: (found.raw ?? null) as FieldObservation['raw'] };
    if (found.path !== undefined) obs.path = found.path;
    if (result.kind === 'known') obs.value = result.value;
    else if (result.kind === 'unknown') {
      obs.unknown = true;
      diagnostics.push(
        withFile(
          {
            severity: 'warning',
            code: 'unknown-value',
            message: inert(`${field.name}: ${result.reason} (kept as written, never coerced)`),
          },
          file,
        ),
      );
    } else if (found.shapeProblem !== undefined) {
      diagnostics.push(
        withFile(
          {
            severity: 'warning',
            code: 'unexpected-shape',
            message: inert(`${field.name}: ${found.shapeProblem}`),
          },
          file,
        ),
      );
    }
    fields[field.name] = obs;
  }
  const when = observedAt(spec, ctx, agent, doc, file, mtimeMs, diagnostics);
  for (const f of Object.values(fields)) if (f.raw !== null && when.at !== null) f.at = when.at;
  const observation: Observation = {
    source: spec.name,
    agent,
    present: true,
    readable: true,
    fields,
    updatedAt: when.at,
    updatedAtFrom: when.from,
    diagnostics,
  };
  if (file !== undefined) observation.file = file;
  return observation;
}

// A registry gives every agent the same top-level stamp: parse it once, not 10,000 times.
let lastStamp: { raw: unknown; tz: TimeZonePolicy; result: ReturnType<typeof parseTimestamp> } | null = null;
function parseTimestampCached(raw: unknown, tz: TimeZonePolicy): ReturnType<typeof parseTimestamp> {
  if (lastStamp && lastStamp.raw === raw && lastStamp.tz === tz) return lastStamp.result;
  const result = parseTimestamp(raw, tz);
  if (typeof raw === 'string' || typeof raw === 'number') lastStamp = { raw, tz, result };
  return result;
}

/** The document's own timestamp where it parses (and is not in the future), else the mtime. */
function observedAt(
  spec: SourceSpec,
  ctx: ObserveContext,
  agent: string,
  doc: unknown,
  file: string | undefined,
  mtimeMs: number | null,
  diagnostics: Diagnostic[],
): { at: number | null; from: Observation['updatedAtFrom'] } {
  const stamps: { path: string; ms: number }[] = [];
  for (const candidate of spec.updatedAt) {
    const path = resolvePath(candidate, agent);
    const raw = getAt(doc, path);
    if (raw === undefined || raw === null) continue;
    const parsed = parseTimestampCached(raw, spec.timezone ?? ctx.timezone);
    if (parsed.ok) stamps.push({ path: path.join('.'), ms: parsed.ms });
    else
      diagnostics.push(
        withFile(
          { ...parsed.diagnostic, message: inert(`${path.join('.')}: ${parsed.diagnostic.message}`) },
          file,
        ),
      );
  }
  const first = stamps[0];
  if (first !== undefined) {
    const disagreeing = stamps.find((s) => Math.abs(s.ms - first.ms) >= 1000);
    if (disagreeing) {
      diagnostics.push(
        withFile(
          {
            severity: 'info',
            code: 'timestamps-disagree',
            message: inert(`${first.path} and ${disagreeing.path} disagree; using ${first.path}`),
          },
          file,
        ),
      );
    }
    if (first.ms > ctx.now + FUTURE_TOLERANCE_MS) {
      diagnostics.push(
        withFile(
          {
            severity: 'warning',
            code: 'future-timestamp',
            message: inert(`${first.path} lies in the future; using the file's modification time`),
          },
          file,
        ),
      );
    } else {
      return { at: first.ms, from: 'document' };
    }
  }
  if (mtimeMs !== null) return { at: mtimeMs, from: 'mtime' };
  return { at: null, from: 'none' };
}

function unreadable(
  spec: SourceSpec,
  agent: string,
  file: string | undefined,
  diagnostics: Diagnostic[],
): Observation {
  const o: Observation = {
    source: spec.name,
    agent,
    present: true,
    readable: false,
    fields: {},
    updatedAt: null,
    updatedAtFrom: 'none',
    diagnostics,
  };
  if (file !== undefined) o.file = file;
  return o;
}

/** An observation for an agent this source does not list. */
export function absent(
  spec: SourceSpec,
  agent: string,
  healthy: boolean,
  sourceDiagnostics: Diagnostic[] = [],
): Observation {
  return {
    source: spec.name,
    agent,
    present: false,
    readable: healthy,
    fields: {},
    updatedAt: null,
    updatedAtFrom: 'none',
    diagnostics: healthy ? [] : sourceDiagnostics,
  };
}

/** What one source says about each agent it lists. */
export function observeSource(
  read: SourceRead,
  spec: SourceSpec,
  ctx: ObserveContext,
): Map<string, Observation> {
  switch (spec.kind) {
    case 'status-files':
      return observeStatusFiles(read, spec, ctx);
    case 'registry':
      return observeRegistry(read, spec, ctx);
    case 'event-log':
      return observeEventLog(read, spec, ctx);
  }
}

function observeStatusFiles(
  read: SourceRead,
  spec: SourceSpec,
  ctx: ObserveContext,
): Map<string, Observation> {
  const out = new Map<string, Observation>();
  for (const doc of read.documents) {
    if (doc.agent === undefined) continue;
    const diagnostics = doc.parse.diagnostics.map((d) => withFile(d, doc.file));
    if (!doc.parse.ok || !isRecord(doc.parse.value)) {
      if (doc.parse.ok) {
        diagnostics.push({
          severity: 'error',
          code: 'not-an-object',
          message: inert(`expected an object of fields, found ${describeRaw(doc.parse.value)}`),
          file: doc.file,
        });
      }
      out.set(doc.agent, unreadable(spec, doc.agent, doc.file, diagnostics));
      continue;
    }
    const id = locate(doc.parse.value, spec.idPaths, doc.agent);
    if (typeof id.raw === 'string' && id.raw !== doc.agent) {
      diagnostics.push({
        severity: 'warning',
        code: 'id-mismatch',
        message: inert(`${id.path?.join('.')} says '${id.raw}' but the file belongs to ${doc.agent}`),
        file: doc.file,
      });
    }
    out.set(
      doc.agent,
      observeDocument(spec, ctx, doc.agent, doc.parse.value, doc.file, doc.mtimeMs, diagnostics),
    );
  }
  return out;
}

/** The agent ids a registry lists: keys of every container that an `{agent}` path runs through. */
export function registryAgents(doc: unknown, spec: SourceSpec): string[] {
  const ids = new Set<string>();
  for (const mapping of Object.values(spec.fields)) {
    for (const candidate of mapping.paths) {
      const segments = splitPath(candidate);
      const at = segments.indexOf(AGENT_SEGMENT);
      if (at < 0) continue;
      const container = getAt(doc, segments.slice(0, at));
      if (!isRecord(container)) continue;
      for (const key of Object.keys(container)) ids.add(key);
    }
  }
  return [...ids];
}

function observeRegistry(read: SourceRead, spec: SourceSpec, ctx: ObserveContext): Map<string, Observation> {
  const out = new Map<string, Observation>();
  const doc = read.documents[0];
  if (!doc) return out;
  if (!doc.parse.ok || !isRecord(doc.parse.value)) return out; // the source is unhealthy; see sourceProblems
  for (const agent of registryAgents(doc.parse.value, spec)) {
    if (ctx.only && !ctx.only.has(agent)) continue;
    const o = observeDocument(spec, ctx, agent, doc.parse.value, doc.file, doc.mtimeMs, []);
    // An agent is listed when the registry holds at least one of its fields.
    if (Object.values(o.fields).every((f) => f.raw === null)) continue;
    out.set(agent, o);
  }
  return out;
}

/**
 * Events are folded in order: each field takes the value of the latest event that carries
 * it (with that event's time), and the observation's time is the latest event of any kind,
 * so a heartbeat keeps an agent fresh without changing its values.
 */
function observeEventLog(read: SourceRead, spec: SourceSpec, ctx: ObserveContext): Map<string, Observation> {
  const out = new Map<string, Observation>();
  for (const doc of read.documents) {
    if (!doc.parse.ok || !isRecord(doc.parse.value)) continue; // bad lines are source diagnostics
    const agent = eventAgent(doc, spec);
    if (agent === null || (ctx.only && !ctx.only.has(agent))) continue;
    const event = observeDocument(spec, ctx, agent, doc.parse.value, doc.file, null, []);
    const prev = out.get(agent);
    if (!prev) {
      out.set(agent, event);
      continue;
    }
    const later = (event.updatedAt ?? -Infinity) >= (prev.updatedAt ?? -Infinity);
    for (const [name, f] of Object.entries(event.fields)) {
      const old = prev.fields[name];
      if (f.raw === null) continue;
      if (!old || old.raw === null || (f.at ?? -Infinity) >= (old.at ?? -Infinity)) prev.fields[name] = f;
    }
    if (later) {
      prev.updatedAt = event.updatedAt;
      prev.updatedAtFrom = event.updatedAtFrom;
    }
    // Keep only the latest diagnostics per agent so a long log does not grow without bound.
    if (event.diagnostics.length > 0) prev.diagnostics = event.diagnostics;
  }
  return out;
}

export type { SourceDocument };

/** The agent an event line is about, or null. */
export function eventAgent(doc: SourceDocument, spec: SourceSpec): string | null {
  if (!doc.parse.ok || !isRecord(doc.parse.value)) return null;
  // A per-agent log (`logs/{agent}.jsonl`): the file says whose lines they are.
  if (doc.agent !== undefined) return doc.agent;
  const id = locate(doc.parse.value, spec.idPaths, undefined);
  return typeof id.raw === 'string' && id.raw !== '' ? id.raw : null;
}

/**
 * Keep only the event documents that can still decide an observation: per agent, the
 * latest event carrying each field and the latest event of any kind. Folding the compacted
 * list gives the same observations as folding everything (a long log stays small in memory).
 */
export function compactEvents(
  docs: readonly SourceDocument[],
  spec: SourceSpec,
  ctx: ObserveContext,
): SourceDocument[] {
  const keep = new Set<SourceDocument>();
  const best = new Map<string, { doc: SourceDocument; at: number }>();
  const consider = (key: string, doc: SourceDocument, at: number) => {
    const cur = best.get(key);
    if (!cur || at >= cur.at) best.set(key, { doc, at });
  };
  for (const doc of docs) {
    if (!doc.parse.ok || !isRecord(doc.parse.value)) continue;
    const value = doc.parse.value;
    const agent = eventAgent(doc, spec);
    if (agent === null) continue;
    const id = { raw: agent };
    let at = -Infinity;
    for (const candidate of spec.updatedAt) {
      const raw = getAt(value, resolvePath(candidate, id.raw));
      if (raw === undefined || raw === null) continue;
      const t = parseTimestamp(raw, spec.timezone ?? ctx.timezone);
      if (t.ok) {
        if (t.ms <= ctx.now + FUTURE_TOLERANCE_MS) at = t.ms;
        break;
      }
    }
    consider(`${id.raw}\u0000`, doc, at);
    for (const [name, mapping] of Object.entries(spec.fields)) {
      if (locate(value, mapping.paths, id.raw).raw !== undefined) consider(`${id.raw}\u0000${name}`, doc, at);
    }
  }
  for (const { doc } of best.values()) keep.add(doc);
  return docs.filter((d) => keep.has(d));
}
