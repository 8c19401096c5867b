// The fast path of reading a JSON file (src/core/read/parse.ts): JSON.parse, and a cheap, exact
// check that JSON.parse hid nothing the tolerant reader would report. JSON.parse keeps the
// last of repeated keys silently, and gives objects an own `__proto__`, which the tolerant
// reader drops; nesting past the limit is the tolerant reader's to report too.
//
// Repeated keys, without a scan of the text that skips strings: in valid JSON every ':'
// outside a string is one property. The text's ':' count, less the ':' inside the parsed
// strings (keys and values), is at least the number of properties written, and equal to
// it exactly when no key was repeated: JSON.parse drops a repeated key's earlier value, so
// with a repeat its strings' colons are missing from the parsed side and the difference
// grows. This holds while every ':' inside a string is a raw one; a `\u` escape (which
// could spell one) sends the text to the string-skipping count instead.

/** Nesting depth and property count of a JSON.parse result, and the ':' in its strings;
 * null when an object has an own `__proto__` key. Iterative. */
export function parsedShape(
  value: unknown,
): { depth: number; properties: number; stringColons: number } | null {
  let properties = 0;
  let stringColons = 0;
  let depth = 0;
  const stack: unknown[] = [value];
  const depths: number[] = [0];
  while (stack.length > 0) {
    const v = stack.pop();
    const d = depths.pop()!;
    if (typeof v === 'string') {
      stringColons += colonsIn(v);
      continue;
    }
    if (typeof v !== 'object' || v === null) continue;
    if (d + 1 > depth) depth = d + 1;
    if (Array.isArray(v)) {
      for (const item of v) {
        if (typeof item === 'string') stringColons += colonsIn(item);
        else if (typeof item === 'object' && item !== null) {
          stack.push(item);
          depths.push(d + 1);
        }
      }
      continue;
    }
    if (Object.prototype.hasOwnProperty.call(v, '__proto__')) return null;
    for (const key in v) {
      properties++;
      stringColons += colonsIn(key);
      const item = (v as Record<string, unknown>)[key];
      if (typeof item === 'string') stringColons += colonsIn(item);
      else if (typeof item === 'object' && item !== null) {
        stack.push(item);
        depths.push(d + 1);
      }
    }
  }
  return { depth, properties, stringColons };
}

/** How many ':' the text holds. */
export function colonsIn(s: string): number {
  let n = 0;
  for (let i = s.indexOf(':'); i >= 0; i = s.indexOf(':', i + 1)) n++;
  return n;
}

/**
 * JSON.parse's result when the text is valid JSON that the tolerant reader would read the
 * same with nothing to say (no repeated key, no `__proto__`, nesting within `maxDepth`);
 * otherwise undefined, and the tolerant reader takes over. `structuralColons` counts ':'
 * outside strings by scanning (used only when the text has a `\u` escape).
 */
export function fastJson(
  text: string,
  maxDepth: number,
  structuralColons: (text: string) => number,
): { value: unknown } | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const shape = parsedShape(parsed);
  if (shape === null || shape.depth > maxDepth) return undefined;
  const structural = text.includes('\\u') ? structuralColons(text) : colonsIn(text) - shape.stringColons;
  return structural === shape.properties ? { value: parsed } : undefined;
}
