// Making untrusted text safe to show in a terminal, and measuring it.
//
// Everything sync-tui shows comes from files anyone can write (agents echo JSON by hand,
// paste chat messages into status files, ...). Before any of it reaches the terminal it
// goes through `sanitizeText`, which turns it into inert, single-line text:
//
// - Escape sequences are removed whole: CSI (`ESC [` ... final byte), OSC (`ESC ]` ...
//   BEL or ST, e.g. window titles, OSC 8 hyperlinks, whose visible text is kept, and OSC 52
//   clipboard writes), DCS/SOS/PM/APC strings (`ESC P`, `ESC X`, `ESC ^`, `ESC _` ... ST),
//   character-set and other short ESC sequences, and the 8-bit C1 forms of all of these
//   (U+009B CSI, U+009D OSC, U+0090/0098/009E/009F strings). A string sequence with no
//   terminator anywhere after it loses only its introducer: the rest is shown as plain
//   (inert) text rather than silently hiding everything up to the end of the input.
// - Line breaks (`\n`, `\r`, `\r\n` as one, `\v`, `\f`, U+0085, U+2028, U+2029) become a
//   visible `⏎` (U+23CE), so a value that was several lines stays recognisable on one line.
//   `\t` becomes one space. Every other C0 control, DEL and C1 control is removed.
// - Default-ignorable code points are removed: bidi controls (U+061C, U+200E/F,
//   U+202A–U+202E, U+2066–U+2069), zero-width characters (U+200B–U+200D, U+2060, U+FEFF),
//   soft hyphen, Hangul fillers, tag characters (used to smuggle invisible text), ... plus
//   the interlinear annotation characters U+FFF9–U+FFFB. Two exceptions keep emoji whole:
//   variation selectors U+FE00–U+FE0F are kept, and a ZERO WIDTH JOINER is kept only
//   directly between two pictographs (👩‍💻), where it cannot hide text.
// - Lone surrogates become U+FFFD.
// - The output is capped at SANITIZE_MAX_LENGTH (4096) UTF-16 code units: longer text is
//   cut on a grapheme boundary and ends with `…`. Work is linear in the input and stops
//   early once the cap is reached, so 100 KB+ values are cheap.
//
// `sanitizeText` is idempotent. Widths follow the same rules as `string-width` (which Ink
// uses to lay out text), from a compact East Asian Width table of our own.

/** Longest output of `sanitizeText`, in UTF-16 code units (including the final `…`). */
export const SANITIZE_MAX_LENGTH = 4096;

const NEWLINE_MARK = '\u23CE'; // ⏎
const ELLIPSIS = '\u2026'; // …
const REPLACEMENT = '\uFFFD';

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// ---------------------------------------------------------------------------------------
// Classifying code points

/** What happens to one code point outside escape sequences. */
/** `joiner`: a zero width joiner, kept only between two pictographs. */
type Kind = 'keep' | 'drop' | 'newline' | 'space' | 'joiner';

function isBidiOrZeroWidth(cp: number): boolean {
  return (
    cp === 0x061c ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x202a && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x206f) ||
    cp === 0xfeff
  );
}

/** Classify a code point that does not start an escape sequence. */
function classify(cp: number): Kind {
  if (cp >= 0x20 && cp < 0x7f) return 'keep';
  if (cp < 0x20) {
    if (cp === 0x09) return 'space';
    if (cp >= 0x0a && cp <= 0x0d) return 'newline';
    return 'drop';
  }
  if (cp <= 0x9f) return cp === 0x85 ? 'newline' : 'drop'; // DEL and C1
  if (cp < 0xad) return 'keep';
  if (cp === 0x200d) return 'joiner';
  if (cp === 0x2028 || cp === 0x2029) return 'newline';
  if (cp >= 0xd800 && cp <= 0xdfff) return 'drop'; // lone surrogate: replaced by caller
  if (cp >= 0xfe00 && cp <= 0xfe0f) return 'keep'; // variation selectors (emoji)
  if (cp >= 0xfff9 && cp <= 0xfffb) return 'drop'; // interlinear annotation
  if (isBidiOrZeroWidth(cp)) return 'drop';
  if (DEFAULT_IGNORABLE.test(String.fromCodePoint(cp))) return 'drop';
  return 'keep';
}

/** Code points that sit between a pictograph and a following ZWJ without breaking the sequence. */
function isEmojiModifierOrSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

function isPictographic(cp: number): boolean {
  return cp >= 0xa9 && PICTOGRAPHIC.test(String.fromCodePoint(cp));
}

/** The code point at `i`, or -1 past the end; a lone surrogate is returned as itself. */
function codePointAt(s: string, i: number): number {
  const cp = s.codePointAt(i);
  return cp === undefined ? -1 : cp;
}

// ---------------------------------------------------------------------------------------
// Escape sequences

/** Skips the body of a CSI sequence starting at `j` (after the introducer). */
function skipCsi(s: string, j: number): number {
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c >= 0x20 && c <= 0x3f)
      j++; // parameter and intermediate bytes
    else if (c >= 0x40 && c <= 0x7e)
      return j + 1; // final byte
    else return j; // malformed: drop what was read, reprocess this character
  }
  return j;
}

/**
 * Skips a control string (OSC, DCS, SOS, PM, APC) whose body starts at `j`.
 * Returns the index after its terminator, or -1 when there is no terminator.
 * Terminators: BEL, ST (`ESC \` or U+009C), CAN, SUB; any other ESC ends the string too
 * (and is then read as the start of the next sequence).
 */
function skipControlString(s: string, j: number): number {
  const n = s.length;
  while (j < n) {
    const c = s.charCodeAt(j);
    if (c === 0x07 || c === 0x9c || c === 0x18 || c === 0x1a) return j + 1;
    if (c === 0x1b) return s.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
    j++;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------
// sanitizeText

/**
 * Makes untrusted text inert and single-line (see the notes at the top of this file).
 * Non-string input is converted with `String()`.
 */
export function sanitizeText(s: string): string {
  if (typeof s !== 'string') s = String(s);
  if (s.length <= SANITIZE_MAX_LENGTH && PRINTABLE_ASCII.test(s)) return s;

  const n = s.length;
  // Produce a little more than the cap, so that the final cut can respect grapheme clusters.
  const produceLimit = SANITIZE_MAX_LENGTH + 32;
  const out: string[] = [];
  let outLen = 0;
  let lastWasPictographic = false;
  // Once a control string is found to have no terminator, none after it has one either.
  let unterminatedFrom = Infinity;

  const emit = (text: string, pictographic: boolean): void => {
    out.push(text);
    outLen += text.length;
    lastWasPictographic = pictographic;
  };

  /** Handles a control string whose introducer spans [i, bodyStart); returns the next index. */
  const controlString = (i: number, bodyStart: number): number => {
    if (bodyStart <= unterminatedFrom) {
      const end = skipControlString(s, bodyStart);
      if (end >= 0) return end;
      unterminatedFrom = bodyStart;
    }
    return bodyStart; // unterminated: drop the introducer only, show the rest as text
  };

  let i = 0;
  while (i < n && outLen <= produceLimit) {
    const c = s.charCodeAt(i);

    // Fast path: a run of printable ASCII.
    if (c >= 0x20 && c < 0x7f) {
      let j = i + 1;
      while (j < n) {
        const d = s.charCodeAt(j);
        if (d < 0x20 || d >= 0x7f) break;
        j++;
      }
      emit(s.slice(i, j), false);
      i = j;
      continue;
    }

    if (c === 0x1b) {
      const next = s.charCodeAt(i + 1); // NaN past the end
      if (next === 0x5b)
        i = skipCsi(s, i + 2); // ESC [
      else if (next === 0x5d || next === 0x50 || next === 0x58 || next === 0x5e || next === 0x5f) {
        i = controlString(i, i + 2); // ESC ] P X ^ _
      } else if (next >= 0x20 && next <= 0x2f) {
        // nF escape (e.g. ESC ( B): intermediates, then one final byte.
        let j = i + 2;
        while (j < n && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
        const f = s.charCodeAt(j);
        i = f >= 0x30 && f <= 0x7e ? j + 1 : j;
      } else if (next === 0x4e || next === 0x4f) {
        // SS2 / SS3 take the following character with them.
        const f = s.charCodeAt(i + 2);
        i = f >= 0x20 && f <= 0x7e ? i + 3 : i + 2;
      } else if (next >= 0x30 && next <= 0x7e)
        i += 2; // ESC 7, ESC c, ESC \, ...
      else i += 1; // lone ESC
      continue;
    }

    if (c === 0x9b) {
      i = skipCsi(s, i + 1);
      continue;
    }
    if (c === 0x9d || c === 0x90 || c === 0x98 || c === 0x9e || c === 0x9f) {
      i = controlString(i, i + 1);
      continue;
    }
    if (c === 0x0d) {
      emit(NEWLINE_MARK, false);
      i += s.charCodeAt(i + 1) === 0x0a ? 2 : 1;
      continue;
    }

    const cp = codePointAt(s, i);
    const width = cp > 0xffff ? 2 : 1;
    if (cp >= 0xd800 && cp <= 0xdfff) {
      emit(REPLACEMENT, false);
      i += 1;
      continue;
    }
    switch (classify(cp)) {
      case 'keep':
        if (isEmojiModifierOrSelector(cp)) {
          out.push(s.slice(i, i + width)); // does not change the pictograph context
          outLen += width;
        } else {
          emit(s.slice(i, i + width), isPictographic(cp));
        }
        break;
      case 'newline':
        emit(NEWLINE_MARK, false);
        break;
      case 'space':
        emit(' ', false);
        break;
      case 'joiner':
        if (lastWasPictographic && isPictographic(codePointAt(s, i + 1))) emit('\u200d', false);
        break;
      case 'drop':
        break;
    }
    i += width;
  }

  const result = out.join('');
  return result.length > SANITIZE_MAX_LENGTH ? cutToLength(result, SANITIZE_MAX_LENGTH) : result;
}

/**
 * Cuts `s` (already sanitised) to at most `max` code units including a final `…`,
 * on a grapheme boundary.
 */
function cutToLength(s: string, max: number): string {
  if (s.length <= max) return s;
  if (max <= 0) return '';
  let end = 0;
  // Segment a bounded prefix: boundaries before `max` do not depend on text far beyond it.
  for (const { index, segment } of segmenter.segment(s.slice(0, max + 64))) {
    if (index + segment.length > max - 1) break;
    end = index + segment.length;
  }
  return s.slice(0, end) + ELLIPSIS;
}

// ---------------------------------------------------------------------------------------
// Width

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

/** `^\p{RGI_Emoji}$` needs the `v` flag (Node 20+); built at run time so `tsc` accepts it. */
const RGI_EMOJI: RegExp | null = (() => {
  try {
    return new RegExp('^\\p{RGI_Emoji}$', 'v');
  } catch {
    return null;
  }
})();

function isEmojiCluster(segment: string): boolean {
  if (segment.length > 50) return false; // real emoji sequences are short
  if (RGI_EMOJI !== null ? RGI_EMOJI.test(segment) : EMOJI_PRESENTATION.test(segment)) return true;
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

// ---------------------------------------------------------------------------------------
// sanitizeValue

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

// ---------------------------------------------------------------------------------------
// JSON for terminals

/**
 * Characters that `JSON.stringify` leaves raw although a terminal acts on them or hides
 * them: DEL and C1 controls (U+009B is CSI to many terminals), bidi and zero-width
 * controls, line and paragraph separators, tag characters (U+E0000–U+E007F, as surrogate
 * pairs). C0 controls are already escaped by `JSON.stringify`.
 */
const JSON_UNSAFE =
  /[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

function unicodeEscape(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += `\\u${s.charCodeAt(i).toString(16).padStart(4, '0')}`;
  return out;
}

/**
 * Escapes, in JSON text, every character a terminal would act on or hide, as `\uXXXX`.
 * Outside strings JSON holds only ASCII, so this changes string contents only, and
 * `JSON.parse` gives back exactly the same values.
 */
export function escapeJsonText(json: string): string {
  return json.replace(JSON_UNSAFE, unicodeEscape);
}

/** `JSON.stringify`, safe to print to a terminal (see escapeJsonText). */
export function stringifyForTerminal(value: unknown, indent?: number): string {
  return escapeJsonText(JSON.stringify(value, null, indent));
}

// ---------------------------------------------------------------------------------------
// Messages

/**
 * Control, line-break and bidi characters made visible as `\u001b` escapes, the rest kept
 * as it is: for diagnostic messages that quote what a file holds (Diagnostic's contract:
 * safe to print). Unlike sanitizeText it keeps the message's length and wide characters.
 */
export function inert(message: string): string {
  return message.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
