// Terminal columns of sanitised text (the rules of `string-width`, which Ink uses).

import { ELLIPSIS, PRINTABLE_ASCII, sanitizeText, segmenter } from './sanitize-text.js';

/**
 * East Asian Wide (W) and Fullwidth (F) code points, as inclusive [start, end] pairs,
 * from Unicode 17's EastAsianWidth.txt; neighbouring ranges are merged across unassigned
 * code points to keep the table short.
 */
// prettier-ignore
const WIDE: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0,
  0x23f3, 0x23f3, 0x25fd, 0x25fe, 0x2614, 0x2615, 0x2630, 0x2637, 0x2648, 0x2653,
  0x267f, 0x267f, 0x268a, 0x268f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab,
  0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea,
  0x26f2, 0x26f3, 0x26f5, 0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705,
  0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c, 0x274e, 0x274e, 0x2753, 0x2755,
  0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b, 0x2b1c,
  0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e, 0x3041, 0x3247, 0x3250, 0xa4c6,
  0xa960, 0xa97c, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6b,
  0xff01, 0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x1b2fb, 0x1d300, 0x1d376, 0x1f004, 0x1f004,
  0x1f0cf, 0x1f0cf, 0x1f18e, 0x1f18e, 0x1f191, 0x1f19a, 0x1f1ae, 0x1f1ae, 0x1f200, 0x1f320,
  0x1f32d, 0x1f335, 0x1f337, 0x1f37c, 0x1f37e, 0x1f393, 0x1f3a0, 0x1f3ca, 0x1f3cf, 0x1f3d3,
  0x1f3e0, 0x1f3f0, 0x1f3f4, 0x1f3f4, 0x1f3f8, 0x1f43e, 0x1f440, 0x1f440, 0x1f442, 0x1f4fc,
  0x1f4ff, 0x1f53d, 0x1f54b, 0x1f54e, 0x1f550, 0x1f567, 0x1f57a, 0x1f57a, 0x1f595, 0x1f596,
  0x1f5a4, 0x1f5a4, 0x1f5fb, 0x1f64f, 0x1f680, 0x1f6c5, 0x1f6cc, 0x1f6cc, 0x1f6d0, 0x1f6d2,
  0x1f6d5, 0x1f6df, 0x1f6eb, 0x1f6ec, 0x1f6f4, 0x1f6fc, 0x1f7da, 0x1f7f0, 0x1f90c, 0x1f93a,
  0x1f93c, 0x1f945, 0x1f947, 0x1f9ff, 0x1fa70, 0x1fafa, 0x20000, 0x3fffd,
];

function isWide(cp: number): boolean {
  if (cp < 0x1100) return false;
  if (cp >= 0x4e00 && cp <= 0x9fff) return true; // common CJK ideographs
  let lo = 0;
  let hi = WIDE.length / 2 - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (cp < WIDE[2 * mid]!) hi = mid - 1;
    else if (cp > WIDE[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

/** Columns of one code point that starts (or spaces) a cluster. */
function codePointWidth(cp: number): number {
  return isWide(cp) ? 2 : 1;
}

/** A character that prints: not ignorable, control, format, non-spacing or enclosing mark. */
const VISIBLE = /[^\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}\p{Cs}]/u;
const SPACING_MARK = /^\p{Mc}$/u;
const KEYCAP = /^[\d#*]\uFE0F?\u20E3$/;
const PICTOGRAPHIC_ALL = /\p{Extended_Pictographic}/gu;
const EMOJI_PRESENTATION = /^\p{Emoji_Presentation}/u;

/**
 * `^\p{RGI_Emoji}$` needs the `v` flag (Node 20+); built at run time so `tsc` accepts it,
 * and only when a cluster needs it: V8 takes a few hundred milliseconds to build it and as
 * long again on its first test, which every command and the live view's first frame paid
 * (BENCHMARKS.md, notes). null: not built yet; false: this Node has no `v` flag.
 */
let rgiEmoji: RegExp | false | null = null;
function rgiEmojiRegExp(): RegExp | false {
  if (rgiEmoji === null) {
    try {
      rgiEmoji = new RegExp('^\\p{RGI_Emoji}$', 'v');
    } catch {
      rgiEmoji = false;
    }
  }
  return rgiEmoji;
}

/**
 * What can make several code points one RGI emoji (Unicode TR51, ED-27: presentation
 * sequences, keycaps, flags, modifier, tag and ZWJ sequences): VS16, the keycap mark, ZWJ,
 * a skin-tone modifier, a regional indicator, a tag character.
 */
const EMOJI_JOINER =
  /\uFE0F|\u20E3|\u200D|[\u{1F3FB}-\u{1F3FF}]|[\u{1F1E6}-\u{1F1FF}]|[\u{E0020}-\u{E007F}]/u;
const EMOJI_PRESENTATION_ONE = /^\p{Emoji_Presentation}$/u;
const REGIONAL_INDICATOR = /^[\u{1F1E6}-\u{1F1FF}]$/u;

/** `^\p{RGI_Emoji}$`, without building the expression where it cannot match or is not needed. */
export function isRgiEmoji(segment: string): boolean {
  const single = segment.length === 1 || (segment.length === 2 && segment.codePointAt(0)! > 0xffff);
  // One code point is an RGI emoji exactly when it has Emoji_Presentation and is not a lone
  // regional indicator (checked against the expression over every code point in
  // test/core/width-emoji.test.ts).
  if (single) return EMOJI_PRESENTATION_ONE.test(segment) && !REGIONAL_INDICATOR.test(segment);
  if (!EMOJI_JOINER.test(segment)) return false;
  const rgi = rgiEmojiRegExp();
  return rgi !== false ? rgi.test(segment) : EMOJI_PRESENTATION.test(segment);
}

function isEmojiCluster(segment: string): boolean {
  if (segment.length > 50) return false; // real emoji sequences are short
  if (isRgiEmoji(segment)) return true;
  if (KEYCAP.test(segment)) return true;
  if (segment.includes('\u200d')) {
    const pictographs = segment.match(PICTOGRAPHIC_ALL);
    return pictographs !== null && pictographs.length >= 2;
  }
  return false;
}

/** Columns of one grapheme cluster. */
function clusterWidth(segment: string): number {
  const c = segment.charCodeAt(0);
  if (segment.length === 1 && c >= 0x20 && c < 0x7f) return 1;
  const start = segment.search(VISIBLE);
  if (start < 0) return 0;
  if (isEmojiCluster(segment)) return 2;
  let width = 0;
  let first = true;
  for (const ch of start === 0 ? segment : segment.slice(start)) {
    const cp = ch.codePointAt(0)!;
    if (first) {
      width = codePointWidth(cp);
      first = false;
    } else if (SPACING_MARK.test(ch) || (cp >= 0xff00 && cp <= 0xffef)) {
      width += codePointWidth(cp);
    }
  }
  return width;
}

// Measuring non-ASCII text walks it grapheme by grapheme (Intl.Segmenter), ~100x the cost
// of ASCII; a live screen measures the same few hundred cell texts on every frame. Short
// texts are remembered (bounded: emptied when full). Deterministic, so core stays pure.
const MEMO_MAX_LEN = 512;
const MEMO_MAX_ENTRIES = 8192;
const widthMemo = new Map<string, number>();
const truncMemo = new Map<string, { text: string; width: number }>();

/** Width of text that is already sanitised. */
function widthOfSanitized(t: string): number {
  if (PRINTABLE_ASCII.test(t)) return t.length;
  const memo = t.length <= MEMO_MAX_LEN;
  if (memo) {
    const known = widthMemo.get(t);
    if (known !== undefined) return known;
  }
  let width = 0;
  for (const { segment } of segmenter.segment(t)) width += clusterWidth(segment);
  if (memo) {
    if (widthMemo.size >= MEMO_MAX_ENTRIES) widthMemo.clear();
    widthMemo.set(t, width);
  }
  return width;
}

/**
 * Terminal columns taken by `s` once sanitised: East Asian wide/fullwidth characters and
 * emoji (including ZWJ sequences, flags, keycaps) count 2, combining marks and other
 * zero-width characters 0, everything else 1 (ambiguous-width characters count 1).
 */
export function displayWidth(s: string): number {
  return widthOfSanitized(sanitizeText(s));
}

function truncateSanitized(t: string, maxWidth: number): { text: string; width: number } {
  if (PRINTABLE_ASCII.test(t)) {
    if (t.length <= maxWidth) return { text: t, width: t.length };
    return { text: t.slice(0, maxWidth - 1) + ELLIPSIS, width: maxWidth };
  }
  if (t.length > MEMO_MAX_LEN) return truncateWalk(t, maxWidth);
  const key = `${maxWidth}\u0000${t}`;
  let r = truncMemo.get(key);
  if (r === undefined) {
    r = truncateWalk(t, maxWidth);
    if (truncMemo.size >= MEMO_MAX_ENTRIES) truncMemo.clear();
    truncMemo.set(key, r);
  }
  return r;
}

function truncateWalk(t: string, maxWidth: number): { text: string; width: number } {
  let width = 0;
  let cutEnd = 0; // end of the longest prefix that leaves room for the ellipsis
  let cutWidth = 0;
  for (const { index, segment } of segmenter.segment(t)) {
    const w = clusterWidth(segment);
    if (width + w > maxWidth) return { text: t.slice(0, cutEnd) + ELLIPSIS, width: cutWidth + 1 };
    width += w;
    if (width <= maxWidth - 1) {
      cutEnd = index + segment.length;
      cutWidth = width;
    }
  }
  return { text: t, width };
}

/**
 * Sanitises `s` and fits it into `maxWidth` columns. When it is cut, it ends with `…` and
 * no grapheme cluster or wide character is split; the result may then be one column
 * narrower than `maxWidth` (a wide character that does not fit is dropped whole).
 * `maxWidth` is rounded down; below 1 (or NaN) gives ''.
 */
export function truncate(s: string, maxWidth: number): string {
  if (!(maxWidth >= 1)) return '';
  return truncateSanitized(sanitizeText(s), Math.floor(maxWidth)).text;
}

/** Sanitises `s` and pads it with spaces to exactly `width` columns, truncating if longer. */
export function padEnd(s: string, width: number): string {
  if (!(width >= 1)) return '';
  const w = Math.floor(width);
  const fitted = truncateSanitized(sanitizeText(s), w);
  let padded = fitted.text + ' '.repeat(Math.max(0, w - fitted.width));
  // A trailing "prepend" character (e.g. U+1193F) joins the first space into its cluster,
  // which then counts once; add spaces until the measured width is right.
  for (let guard = 0; guard < 4; guard++) {
    const actual = widthOfSanitized(padded);
    if (actual >= w) break;
    padded += ' '.repeat(w - actual);
  }
  return padded;
}
