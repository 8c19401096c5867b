// JSON documents: the fast path for a valid file, else the recovering reader, then what
// follows the value (an appended second object, pasted chat). See src/core/parse.ts.

import { reportConflictMarkers } from './conflict-markers.js';
import { fastJson } from './json-fast.js';
import { JsonReader } from './json-reader.js';
import { T } from './json-tokens.js';
import { Problems, type Limits } from './problems.js';
import { excerpt, firstNonBlank, isBlankCode } from './text.js';

export function readJsonText(text: string, p: Problems, limits: Limits): unknown {
  // Fast path: a valid file is read by JSON.parse, checked cheaply for what it would
  // hide (src/core/read/parse/json-fast.ts).
  const fast = fastJson(text, limits.maxDepth, (t) => scanJsonShape(t).colons);
  if (fast !== undefined) return fast.value;

  if (reportConflictMarkers(text, p)) return undefined;

  const first = firstNonBlank(text);
  const c = text.charCodeAt(first);
  if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) {
    p.add(
      'error',
      'not-json',
      () =>
        `expected '{' or '[' at the start of a JSON document; found ${excerpt(text, first)}, which looks like pasted text rather than JSON`,
      first,
    );
    return undefined;
  }
  if (c === 0x5b && looksLikeBracketedProse(text, first)) {
    p.add(
      'error',
      'not-json',
      () =>
        `expected a JSON value after '['; found ${excerpt(text, first)}, which looks like pasted text rather than JSON`,
      first,
    );
    return undefined;
  }

  const reader = new JsonReader(text, first, limits.maxDepth, p);
  reader.next();
  const root = reader.readValue();
  if (!root.complete) return root.value;

  // After the value: another complete value (`}{`, a second write appended with `>>`)
  // replaces it; anything else is trailing text (pasted chat), ignored with a warning.
  let value = root.value;
  let pos = reader.position();
  for (;;) {
    const probe = new JsonReader(text, pos, limits.maxDepth, new Problems(text, p.lineMode));
    const t = probe.next();
    if (t === T.EOF) break;
    const start = probe.tokenOffset();
    if (t === T.OpenBrace || t === T.OpenBracket) {
      const next = probe.readValue();
      if (next.complete && probe.problems.errors === 0) {
        p.add(
          'warning',
          'appended-object',
          () =>
            p.lineMode
              ? `a second JSON value starts at ${p.where(start)} right after the first one ends ('}{'): two records on one line`
              : `a second JSON value starts at ${p.where(start)} right after the first one ends ('}{'), as when a file is appended to; the last complete one is used`,
          start,
        );
        p.absorb(probe.problems);
        value = next.value;
        pos = probe.position();
        continue;
      }
    }
    p.add(
      'warning',
      'trailing-text',
      () => `text after the end of the JSON value ignored: ${excerpt(text, start)}`,
      start,
    );
    break;
  }
  return value;
}

/** One pass over the characters: nesting depth and ':' count outside strings. Exact for
 * valid JSON, which is all the fast path relies on. */
function scanJsonShape(text: string): { depth: number; colons: number } {
  let depth = 0;
  let max = 0;
  let colons = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not preceded by an odd run of backslashes.
      // (indexOf is much faster than a loop, and most of a status file is strings.)
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return { depth: max, colons };
        let b = q - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x3a) {
      colons++;
    }
  }
  return { depth: max, colons };
}

/** `[C2A] CAPTAIN -> Agent-7`: a bracket followed by a bare word is a chat header, not
 * an array. */
function looksLikeBracketedProse(text: string, open: number): boolean {
  let i = open + 1;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  const rest = text.slice(i, i + 6);
  if (/^(true|false|null)\b/.test(rest)) return false;
  return /^[\p{L}_$]/u.test(rest);
}
