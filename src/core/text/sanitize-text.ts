// Making untrusted text safe to show in a terminal (docs/DESIGN.md, "Architecture"; the
// public surface is src/core/sanitize.ts).
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
export const ELLIPSIS = '\u2026'; // …
const REPLACEMENT = '\uFFFD';

export const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/u;
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;

// Made on first use: creating an Intl.Segmenter takes ~20 ms (ICU's break rules), which a
// command that meets no non-ASCII text (`check --json` of a plain fleet) need not pay.
let graphemeSegmenter: Intl.Segmenter | undefined;
export const segmenter = {
  segment(text: string): Intl.Segments {
    graphemeSegmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    return graphemeSegmenter.segment(text);
  },
};

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
export function classify(cp: number): Kind {
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
export function isEmojiModifierOrSelector(cp: number): boolean {
  return (cp >= 0xfe00 && cp <= 0xfe0f) || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

export function isPictographic(cp: number): boolean {
  return cp >= 0xa9 && PICTOGRAPHIC.test(String.fromCodePoint(cp));
}

/** The code point at `i`, or -1 past the end; a lone surrogate is returned as itself. */
export function codePointAt(s: string, i: number): number {
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
export function cutToLength(s: string, max: number): string {
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
