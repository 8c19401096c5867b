// Field paths in documents: dotted paths from the config, the `{agent}` segment, reading
// a value at a path (own properties only), the first candidate that holds a value.
import { isRecord } from '../record.js';
import { describeRaw } from './vocab.js';

export const AGENT_SEGMENT = '{agent}';

// Field paths come from the config, a handful per source, and are split for every
// document read: split each once. Bounded in case paths are built from data.
const splitCache = new Map<string, readonly string[]>();

function splitCached(path: string): readonly string[] {
  let segs = splitCache.get(path);
  if (segs === undefined) {
    segs = path.split('.').filter((s) => s.length > 0);
    if (splitCache.size >= 1024) splitCache.clear();
    splitCache.set(path, segs);
  }
  return segs;
}

/** Split a dotted path into segments. */
export function splitPath(path: string): string[] {
  return [...splitCached(path)];
}

/** Substitute the agent id into a path's `{agent}` segments. */
export function resolvePath(path: string, agent: string | undefined): string[] {
  const segs = splitCached(path);
  const out = new Array<string>(segs.length);
  for (let i = 0; i < segs.length; i++)
    out[i] = segs[i] === AGENT_SEGMENT && agent !== undefined ? agent : segs[i]!;
  return out;
}

/** Read a value at a key path; own properties only. */
export function getAt(doc: unknown, path: readonly string[]): unknown {
  let cur: unknown = doc;
  for (const key of path) {
    if (!isRecord(cur) || !Object.prototype.hasOwnProperty.call(cur, key)) return undefined;
    cur = cur[key];
  }
  return cur;
}

function isScalar(v: unknown): v is string | number | boolean | null {
  return v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';
}

export interface Located {
  raw: unknown;
  path?: string[];
  /** A candidate held something that is not a scalar (e.g. an object without the key we want). */
  shapeProblem?: string;
}

/** First candidate path holding a scalar. */
export function locate(doc: unknown, candidates: readonly string[], agent: string | undefined): Located {
  let shapeProblem: string | undefined;
  for (const candidate of candidates) {
    const path = resolvePath(candidate, agent);
    const v = getAt(doc, path);
    if (v === undefined) continue;
    if (isScalar(v)) return { raw: v, path };
    shapeProblem ??= `${path.join('.')} holds ${describeRaw(v)}, not a value`;
  }
  return shapeProblem === undefined ? { raw: undefined } : { raw: undefined, shapeProblem };
}
