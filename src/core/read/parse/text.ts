// Small text helpers shared by the readers.

import { inert } from '../../sanitize.js';
import { lineEnd } from './positions.js';

export function positiveOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

export function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

export function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45;
}

export function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

export function isBlank(text: string): boolean {
  return firstNonBlank(text) === text.length;
}

export function firstNonBlank(text: string): number {
  let i = 0;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  return i;
}

export function findLast<X>(items: X[], test: (x: X) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as X)) return i;
  return -1;
}

/** UTF-8 size of `text` is more than `max` bytes (without encoding when it is clear). */
export function utf8Exceeds(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A string quoted for a message: shortened, escaped. */
export function quote(s: string, max = 60): string {
  let t = s;
  if (t.length > max) {
    t = t.slice(0, max);
    const last = t.charCodeAt(t.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) t = t.slice(0, -1);
    t += '…';
  }
  return `"${inert(t.replace(/["\\]/g, (c) => `\\${c}`))}"`;
}

/** The start of the text at `offset` (to the end of its line), quoted. */
export function excerpt(text: string, offset: number): string {
  return quote(text.slice(offset, Math.min(lineEnd(text, offset), offset + 200)).trimEnd(), 40);
}

export function errorText(e: unknown): string {
  return inert(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
}
