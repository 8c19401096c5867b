// Long text in the detail pane wraps instead of being cut (README, "The live view"): a line
// of styled segments becomes as many lines of at most `width` columns as it needs, broken
// at spaces where it can, continuation lines indented.
import { displayWidth } from '../core/sanitize.js';
import { lineWidth, type Seg } from './line.js';

export function wrapSegs(segs: readonly Seg[], width: number, indent = 2): Seg[][] {
  if (lineWidth(segs) <= width || width < indent + 8) return [segs.slice()];
  const lines: Seg[][] = [];
  let cur: Seg[] = [];
  let used = 0;
  // Neighbours of one style are joined later (mergeSegs, when the line is drawn).
  const add = (text: string, style: Seg) => {
    cur.push({ ...style, text });
    used += displayWidth(text);
  };
  const newline = () => {
    lines.push(cur);
    cur = [{ text: ' '.repeat(indent) }];
    used = indent;
  };
  for (const s of segs) {
    for (const tok of s.text.match(/\s+|\S+/g) ?? []) {
      const w = displayWidth(tok);
      if (used + w <= width) {
        add(tok, s);
        continue;
      }
      // A break falls on spaces: they are dropped, not carried to the next line.
      if (/^\s+$/.test(tok)) {
        newline();
        continue;
      }
      if (w <= width - indent) {
        newline();
        add(tok, s);
        continue;
      }
      // A word longer than a line (a path, a value): cut between characters, never inside one.
      for (const ch of tok) {
        if (used + displayWidth(ch) > width) newline();
        add(ch, s);
      }
    }
  }
  lines.push(cur);
  return lines;
}
