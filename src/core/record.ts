// One answer, everywhere in the core, to "is this a JSON object?".

/** A plain object (not null, not an array, not a Date): what a parsed JSON or YAML map is. */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
}
