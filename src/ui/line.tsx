// One terminal line made of styled segments, fitted to a width before Ink sees it, so a
// line never wraps and the frame height is exactly what the layout budgeted.
import { Box, Text } from 'ink';
import { asciiGlyphs } from '../core/view/glyphs.js';
import React from 'react';
import { displayWidth, padEnd, truncate } from '../core/sanitize.js';
import { colorOf, useTheme, type Theme, type Token } from './theme.js';

export interface Seg {
  text: string;
  /** A theme token (src/ui/theme.ts) or a plain colour name. */
  color?: Token | (string & {});
  bold?: boolean;
  dim?: boolean;
  inverse?: boolean;
  underline?: boolean;
}

/** Total columns of a line. */
export function lineWidth(segs: readonly Seg[]): number {
  return segs.reduce((w, s) => w + displayWidth(s.text), 0);
}

/**
 * Cut (or, with `pad`, fill) a line to exactly `width` columns. Segment texts are
 * sanitised on the way (truncate/padEnd sanitise), so nothing from a file reaches Ink raw.
 */
export function fitLine(segs: readonly Seg[], width: number, pad = false): Seg[] {
  const out: Seg[] = [];
  let left = Math.max(0, Math.floor(width));
  for (const s of segs) {
    if (left <= 0) break;
    const w = displayWidth(s.text);
    if (w <= left) {
      out.push(s);
      left -= w;
    } else {
      const cut = truncate(s.text, left);
      out.push({ ...s, text: cut });
      left -= displayWidth(cut);
      break;
    }
  }
  if (pad && left > 0) out.push({ text: padEnd(' ', left) });
  return out;
}

function sameStyle(a: Seg, b: Seg): boolean {
  return (
    a.color === b.color &&
    a.bold === b.bold &&
    a.dim === b.dim &&
    a.inverse === b.inverse &&
    a.underline === b.underline
  );
}

/** Joins neighbours that look the same: fewer Ink text nodes to lay out and paint. */
export function mergeSegs(segs: readonly Seg[], color: boolean): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    const t: Seg = color || s.color === undefined ? s : { ...s, color: undefined };
    const last = out[out.length - 1];
    if (last && sameStyle(last, t)) out[out.length - 1] = { ...last, text: last.text + t.text };
    else out.push(t);
  }
  return out;
}

/** A segment's Ink props; with `color` false no colour is passed at all (NO_COLOR). */
function styleProps(s: Seg, theme: Theme): Record<string, unknown> {
  const p: Record<string, unknown> = {};
  const c = colorOf(theme, s.color);
  if (c) p['color'] = c;
  if (s.bold) p['bold'] = true;
  if (s.dim) p['dimColor'] = true;
  if (s.inverse) p['inverse'] = true;
  if (s.underline) p['underline'] = true;
  return p;
}

export interface LineProps {
  segs: readonly Seg[];
  width: number;
  /** Fill to the full width (for inverse rows). */
  pad?: boolean;
  inverse?: boolean;
  /**
   * One text node per run of ASCII / non-ASCII (see asciiRuns): for the table's rows, which
   * are most of a frame. Only where `width` is the real width of the line's box: runs in a
   * row that is too wide would be squeezed by the layout rather than cut at the end.
   */
  runs?: boolean;
}

/**
 * Splits segments into runs of printable ASCII and runs of anything else. Ink measures
 * every text node of every frame with string-width, which takes ~2.5 µs for a line of
 * printable ASCII and ~350 µs once the line holds a single symbol (✔, —, ›): it then
 * walks the whole line grapheme by grapheme. One text node per run keeps the slow path
 * to the few characters that need it (about a sixth of Ink's time per frame at 140x40).
 */
export function asciiRuns(segs: readonly Seg[]): Seg[] {
  const out: Seg[] = [];
  for (const s of segs) {
    if (ASCII.test(s.text)) {
      out.push(s);
      continue;
    }
    for (const m of s.text.matchAll(RUNS)) out.push({ ...s, text: m[0] });
  }
  return out;
}

const ASCII = /^[\x20-\x7e]*$/;
const RUNS = /[\x20-\x7e]+|[^\x20-\x7e]+/g;

export const Line = React.memo(function Line({ segs, width, pad, inverse, runs }: LineProps) {
  const theme = useTheme();
  // Not a UTF-8 locale: each glyph as one ASCII character (src/core/view/glyphs.ts).
  const shownSegs = theme.ascii ? segs.map((s) => ({ ...s, text: asciiGlyphs(s.text) })) : segs;
  const merged = mergeSegs(fitLine(shownSegs, width, pad), theme.color).filter((s) => s.text !== '');
  const fitted = runs ? asciiRuns(merged) : merged;
  // An empty Text takes no height in Ink; a blank line must still be a line.
  if (!runs || fitted.length <= 1) {
    return (
      <Text wrap="truncate-end" inverse={inverse === true}>
        {fitted.length === 0
          ? ' '
          : fitted.map((s, i) => (
              <Text key={i} {...styleProps(s, theme)}>
                {s.text}
              </Text>
            ))}
      </Text>
    );
  }
  return (
    <Box flexDirection="row" height={1} flexShrink={0}>
      {fitted.map((s, i) => (
        <Text
          key={i}
          wrap="truncate-end"
          inverse={inverse === true || s.inverse === true}
          {...styleProps(s, theme)}
        >
          {s.text}
        </Text>
      ))}
    </Box>
  );
});

/** Lay segments out on the left and right of a line, the left side cut first. */
export function spread(left: readonly Seg[], right: readonly Seg[], width: number): Seg[] {
  const rw = lineWidth(right);
  if (rw + 1 > width) return fitLine(right, width);
  const l = fitLine(left, width - rw - 1);
  const gap = width - lineWidth(l) - rw;
  return [...l, { text: ' '.repeat(Math.max(1, gap)) }, ...right];
}
