// Positions, decided once for every format (see the header of src/core/read/parse.ts):
// 1-based lines and code-point columns; CRLF is one line break.

/** 1-based line and column (in code points) of a UTF-16 offset; see the header comment. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  return new LineIndex(String(text)).locate(offset);
}

/** Offsets to lines and code-point columns; each lookup is a binary search, so many
 * diagnostics on one very long line stay cheap. */
export class LineIndex {
  private starts: number[] | undefined;
  /** Per line: where its surrogate pairs start, found when the line is first needed. */
  private readonly pairs = new Map<number, number[]>();

  constructor(
    private readonly text: string,
    /** Treat the text as one line (a JSON-lines record). */
    private readonly singleLine = false,
  ) {}

  locate(offset: number): { line: number; column: number } {
    const text = this.text;
    const at = clamp(offset, text.length);
    const starts = (this.starts ??= this.singleLine ? [0] : lineStarts(text));
    const line = lastAtOrBelow(starts, at);
    const start = starts[line] as number;
    let pairs = this.pairs.get(line);
    if (pairs === undefined) {
      pairs = surrogatePairs(
        text,
        start,
        line + 1 < starts.length ? (starts[line + 1] as number) : text.length,
      );
      this.pairs.set(line, pairs);
    }
    // A pair wholly before the offset is one column, not two.
    const whole = lastAtOrBelow(pairs, at - 2) + 1;
    return { line: line + 1, column: 1 + (at - start) - whole };
  }
}

/** Index of the last item <= n in an ascending list (-1 when none). */
function lastAtOrBelow(sorted: number[], n: number): number {
  let lo = -1;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] as number) <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function surrogatePairs(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i + 1 < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(i);
        i++;
      }
    }
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

export function lineEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return text.length;
}

/** Start of the line after the one starting at `start`, or -1 at the last line. */
export function nextLineStart(text: string, start: number): number {
  const end = lineEnd(text, start);
  if (end >= text.length) return -1;
  return text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
}

function clamp(offset: number, length: number): number {
  if (!Number.isFinite(offset) || offset < 0) return offset === Infinity ? length : 0;
  return Math.min(Math.floor(offset), length);
}
