// JSON text made piece by piece, so that a large document (`check --json` of a fleet: one
// entry per agent) is printed as it is made instead of being built whole, object tree and
// text, before the first byte goes out (BENCHMARKS.md). The text is exactly
// `JSON.stringify(doc, null, indent)` of the same document.
//
// A document is plain data in which a list may be a LazyList: its items are made one at a
// time while the text is written, and dropped once written. Any other field, top level or
// per item, is whatever the document's builder puts there (src/core/report/report.ts), so adding a
// field there adds it here too.

/** A list whose items are made from `from` one at a time, when they are written. */
export class LazyList<S, T> implements Iterable<T> {
  constructor(
    readonly from: readonly S[],
    readonly make: (s: S) => T,
  ) {}

  *[Symbol.iterator](): Iterator<T> {
    for (const s of this.from) yield this.make(s);
  }

  /** JSON.stringify of a LazyList is that of the array it stands for. */
  toJSON(): T[] {
    return this.from.map(this.make);
  }
}

/** The document with every LazyList made into its array (what JSON.parse of the text gives). */
export type Materialized<D> = { [K in keyof D]: D[K] extends LazyList<infer _S, infer T> ? T[] : D[K] };

/** `doc` with its top-level LazyLists made into arrays. */
export function materialize<D extends object>(doc: D): Materialized<D> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc))
    Object.defineProperty(out, k, {
      value: v instanceof LazyList ? v.toJSON() : v,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return out as Materialized<D>;
}

function hasLazy(v: object): boolean {
  for (const x of Object.values(v)) if (x instanceof LazyList) return true;
  return false;
}

// JSON.stringify puts no raw line break inside a string, so every line break in its text
// is one it put between members: indenting the text one level deeper is a replace.
function nested(text: string, pad: string): string {
  return pad === '' ? text : text.replace(/\n/g, '\n' + pad);
}

/**
 * The text of `value` in pieces whose concatenation is `JSON.stringify(value, null,
 * indent)`; LazyLists (at the top level of plain objects, at any depth of such objects) are
 * written one item per piece.
 */
export function* jsonPieces(value: unknown, indent = 2, level = 0): Generator<string> {
  const pad = ' '.repeat(indent * level);
  const inner = ' '.repeat(indent * (level + 1));
  // With no indent, JSON.stringify puts no line breaks and no space after a colon.
  const nl = indent > 0 ? '\n' : '';
  const colon = indent > 0 ? ': ' : ':';
  if (value instanceof LazyList) {
    let first = true;
    for (const item of value as LazyList<unknown, unknown>) {
      const text = JSON.stringify(item, null, indent) ?? 'null';
      yield (first ? '[' : ',') + nl + inner + nested(text, inner);
      first = false;
    }
    yield first ? '[]' : nl + pad + ']';
    return;
  }
  if (
    value === null ||
    typeof value !== 'object' ||
    Array.isArray(value) ||
    !hasLazy(value) ||
    'toJSON' in value
  ) {
    const text = JSON.stringify(value, null, indent);
    if (text !== undefined) yield nested(text, pad);
    return;
  }
  let first = true;
  for (const [k, v] of Object.entries(value)) {
    // The members JSON.stringify leaves out.
    if (v === undefined || typeof v === 'function' || typeof v === 'symbol') continue;
    yield (first ? '{' : ',') + nl + inner + JSON.stringify(k) + colon;
    yield* jsonPieces(v, indent, level + 1);
    first = false;
  }
  yield first ? '{}' : nl + pad + '}';
}

/** The pieces of jsonPieces joined into chunks of at least `size` characters (fewer writes). */
export function* jsonChunks(value: unknown, indent = 2, size = 1 << 16): Generator<string> {
  let buf = '';
  for (const piece of jsonPieces(value, indent)) {
    buf += piece;
    if (buf.length >= size) {
      yield buf;
      buf = '';
    }
  }
  if (buf !== '') yield buf;
}
