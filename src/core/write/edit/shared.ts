// What the JSON and YAML text editors share: the write and result types, the checks every
// write passes first, splicing, and the model each edited text is checked against.
// See src/core/edit.ts.

import { setAt } from '../../plan/plan.js';
import { isRecord } from '../../record.js';

export type EditValue = string | number | boolean | null;
export interface EditWrite {
  path: readonly string[];
  /** The value to set; `undefined` removes the key (used by undo when a resolve created it). */
  after: EditValue | undefined;
}
export type SetWrite = EditWrite & { after: EditValue };
export type EditResult = { ok: true; text: string } | { ok: false; message: string };

export interface Splice {
  offset: number;
  length: number;
  /** New text, or null when the value is already what the write asks for. */
  content: string | null;
}

/**
 * Split writes into replacements of values that exist (done together from one parse) and
 * the rest (insertions, removals: done one by one, as before). Only when every path is
 * written once, so that order cannot matter.
 */
export function batchReplacements(
  writes: readonly EditWrite[],
  locate: (w: EditWrite) => Splice | null,
): { edits: Splice[]; rest: EditWrite[] } {
  const keys = new Set(writes.map((w) => w.path.join('\u0000')));
  if (keys.size !== writes.length || writes.length < 2) return { edits: [], rest: [...writes] };
  const edits: Splice[] = [];
  const rest: EditWrite[] = [];
  for (const w of writes) {
    const splice = w.after === undefined ? null : locate(w);
    if (splice === null) rest.push(w);
    else if (splice.content !== null) edits.push(splice);
  }
  return { edits, rest };
}

/** Apply non-overlapping splices in one pass. */
export function spliceAll(text: string, edits: readonly Splice[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new Error('overlapping edits');
    out += text.slice(at, e.offset) + (e.content ?? text.slice(e.offset, e.offset + e.length));
    at = e.offset + e.length;
  }
  return out + text.slice(at);
}

export function checkWrite(w: EditWrite): string | null {
  if (!Array.isArray(w.path) || w.path.length === 0) return 'a write needs a non-empty key path';
  if (w.path.some((s) => typeof s !== 'string'))
    return `key path ${showPath(w.path)} has a segment that is not a string`;
  const a: unknown = w.after;
  if (a === undefined) return null;
  if (typeof a === 'number' && !Number.isFinite(a))
    return `cannot write ${String(a)} at ${showPath(w.path)}: not a finite number`;
  if (!(a === null || typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean'))
    return `cannot write a ${typeof a} at ${showPath(w.path)}: only strings, numbers, booleans and null`;
  return null;
}

export function showPath(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

export function fail(message: string): EditResult {
  return { ok: false, message };
}

export function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

export function toModel(writes: readonly EditWrite[]): { path: string[]; after: EditValue | undefined }[] {
  return writes.map((w) => ({ path: [...w.path], after: w.after }));
}

// ---------------------------------------------------------------------------------------
// The model every edit is checked against: plan.ts's setAt for a set (as applyWrites does;
// a property test checks that editDocument agrees with applyWrites itself), plus
// removals, which plan.ts does not express.

export function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

export function modelApply(
  doc: unknown,
  writes: readonly { path: string[]; after: EditValue | undefined }[],
): unknown {
  const copy: unknown = structuredClone(doc);
  for (const w of writes) {
    if (!isRecord(copy)) throw new Error('top level is not an object');
    if (w.after === undefined) {
      // Removal: the key goes if it is there; objects on the way stay.
      let at: unknown = copy;
      for (const key of w.path.slice(0, -1))
        at = isRecord(at) && Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
      if (isRecord(at)) delete at[w.path[w.path.length - 1]!];
      continue;
    }
    setAt(copy, w.path, w.after);
  }
  return copy;
}

/** Structural equality of parsed documents (0 and -0 equal; NaN equals NaN). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (a instanceof Date || b instanceof Date)
    return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (!isRecord(a) || !isRecord(b)) return String(a) === String(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
}
