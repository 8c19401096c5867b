// Values (any JSON) shown as short, inert, single-line text.

import {
  ELLIPSIS,
  classify,
  codePointAt,
  cutToLength,
  isEmojiModifierOrSelector,
  isPictographic,
  sanitizeText,
} from './sanitize-text.js';

/** How far into nested arrays/objects a rendering goes before writing `[…]` / `{…}`. */
const MAX_DEPTH = 3;
const BARE_KEY = /^[A-Za-z_$][\w$-]*$/;

function escapeCodePoint(cp: number): string {
  switch (cp) {
    case 0x0a:
      return '\\n';
    case 0x0d:
      return '\\r';
    case 0x09:
      return '\\t';
    default:
      return cp > 0xffff ? `\\u{${cp.toString(16)}}` : `\\u${cp.toString(16).padStart(4, '0')}`;
  }
}

/**
 * Quotes a string JSON-style. Everything that `sanitizeText` would remove or change is
 * written as an escape instead (`\n`, `\u001b`, `\u202e`, `\u200b`, ...), so invisible
 * differences between values become visible. At most `limit` code units are read.
 */
function quoteString(s: string, limit: number): string {
  const parts: string[] = ['"'];
  const n = Math.min(s.length, limit);
  let lastWasPictographic = false;
  for (let i = 0; i < n;) {
    const cp = codePointAt(s, i);
    const size = cp > 0xffff ? 2 : 1;
    let text: string;
    let pictographic = false;
    let keepsContext = false;
    if (cp === 0x22) text = '\\"';
    else if (cp === 0x5c) text = '\\\\';
    else if (cp >= 0x20 && cp < 0x7f) text = s[i]!;
    else if (cp >= 0xd800 && cp <= 0xdfff) text = escapeCodePoint(cp);
    else {
      const kind = classify(cp);
      if (kind === 'keep') {
        text = s.slice(i, i + size);
        keepsContext = isEmojiModifierOrSelector(cp);
        pictographic = isPictographic(cp);
      } else if (kind === 'joiner' && lastWasPictographic && isPictographic(codePointAt(s, i + 1))) {
        text = '\u200d';
      } else {
        text = escapeCodePoint(cp);
      }
    }
    parts.push(text);
    if (!keepsContext) lastWasPictographic = pictographic;
    i += size;
  }
  if (s.length > n) parts.push(ELLIPSIS);
  parts.push('"');
  return parts.join('');
}

function renderValue(v: unknown, depth: number, ancestors: object[], budget: number): string {
  switch (typeof v) {
    case 'string':
      return quoteString(v, budget);
    case 'number':
    case 'boolean':
      return String(v);
    case 'bigint':
      return `${v}n`;
    case 'undefined':
      return 'undefined';
    case 'symbol':
      return v.toString();
    case 'function':
      return '[function]';
  }
  if (v === null) return 'null';
  const obj = v as object;
  if (Object.prototype.toString.call(obj) === '[object Date]') {
    const ms = (obj as Date).getTime();
    return Number.isNaN(ms) ? 'Invalid Date' : (obj as Date).toISOString();
  }
  if (ancestors.includes(obj)) return '[Circular]';
  const isArray = Array.isArray(obj);
  if (depth >= MAX_DEPTH) return isArray ? '[…]' : '{…}';
  ancestors.push(obj);
  try {
    const parts: string[] = [];
    let used = 2;
    if (isArray) {
      for (const item of obj) {
        if (used > budget) break;
        const r = renderValue(item, depth + 1, ancestors, budget - used);
        parts.push(r);
        used += r.length + 2;
      }
      return `[${parts.join(', ')}]`;
    }
    for (const key of Object.keys(obj)) {
      if (used > budget) break;
      const k = BARE_KEY.test(key) ? key : quoteString(key, budget - used);
      const r = renderValue(
        (obj as Record<string, unknown>)[key],
        depth + 1,
        ancestors,
        budget - used - k.length,
      );
      parts.push(`${k}: ${r}`);
      used += k.length + r.length + 4;
    }
    return `{${parts.join(', ')}}`;
  } catch {
    return '[unreadable]';
  } finally {
    ancestors.pop();
  }
}

/**
 * A short, safe rendering of a raw value of any type, JSON-like: strings are quoted with
 * invisible and control characters shown as escapes (`"READY\u200b"`), numbers, booleans
 * and null as in JSON, arrays and objects compactly (`{current_state: "ACTIVE"}`), nested
 * at most three levels deep. The result is sanitised and at most `maxLen` (default 200)
 * code units long, ending with `…` when cut. Work is bounded by `maxLen`, not by the value.
 */
export function sanitizeValue(v: unknown, maxLen = 200): string {
  if (!(maxLen >= 1)) return '';
  const max = Math.floor(maxLen);
  const rendered = renderValue(v, 0, [], max + 8);
  return cutToLength(sanitizeText(rendered), max);
}

const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/;

/** Whether a string holds characters a terminal would act on or hide (escapes, bidi, zero-width). */
export function hasHiddenChars(s: string): boolean {
  return HIDDEN.test(s);
}

/** A raw value for display: plain when it is plain text, else quoted with hidden characters escaped. */
export function showRaw(v: unknown, maxLen = 60): string {
  return typeof v === 'string' && !hasHiddenChars(v) ? sanitizeText(v) : sanitizeValue(v, maxLen);
}
