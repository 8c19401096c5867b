// Applying a plan to a parsed document (pure). The shell applies the same writes to the
// file's text so that formatting survives; this is the model it is checked against.
import type { PlannedWrite } from '../types.js';
import { isRecord } from '../record.js';

/** A deep copy of `doc` with every write applied (intermediate objects created as needed). */
export function applyWrites(doc: unknown, writes: readonly PlannedWrite[]): unknown {
  const copy: unknown = structuredClone(doc);
  for (const w of writes) setAt(copy, w.path, w.after);
  return copy;
}

export function setAt(doc: unknown, path: readonly string[], value: unknown): void {
  if (!isRecord(doc) || path.length === 0) throw new Error('a write needs an object and a non-empty path');
  let cur: Record<string, unknown> = doc;
  for (const key of path.slice(0, -1)) {
    const next = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
    if (isRecord(next)) cur = next;
    else {
      const created: Record<string, unknown> = {};
      Object.defineProperty(cur, key, {
        value: created,
        enumerable: true,
        writable: true,
        configurable: true,
      });
      cur = created;
    }
  }
  Object.defineProperty(cur, path[path.length - 1]!, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}
