// `?`: every key, grouped, generated from the binding table (write keys left out when
// read-only). Laid out in as many columns as the height needs and the width allows.
import { Box } from 'ink';
import React from 'react';
import { BINDINGS, helpSections, type Binding } from '../core/tui/keys.js';
import { LEGEND } from '../core/view/legend.js';
import { padEnd } from '../core/sanitize.js';
import { fitLine, Line, type Seg } from './line.js';

export interface HelpOverlayProps {
  readOnly: boolean;
  height: number;
  width: number;
  /** The key table as configured (src/core/tui/key-config.ts); default the built-in one. */
  bindings?: readonly Binding[];
}

export function helpLines(readOnly: boolean, bindings: readonly Binding[] = BINDINGS): Seg[][] {
  const lines: Seg[][] = [];
  for (const s of helpSections(readOnly, bindings)) {
    if (lines.length > 0) lines.push([]);
    lines.push([{ text: s.group, bold: true, underline: true }]);
    for (const e of s.entries)
      lines.push([
        { text: padEnd(e.keys, 8), bold: true, color: 'accent' },
        { text: ' ' },
        { text: e.description },
      ]);
  }
  return lines;
}

/** The legend of the table's marks, one line under the keys (src/core/view/legend.ts). */
export function legendLine(): Seg[] {
  const segs: Seg[] = [{ text: 'Legend', bold: true, underline: true }];
  for (const e of LEGEND) segs.push({ text: '  ' }, { text: e.mark, bold: true }, { text: ` ${e.short}` });
  return segs;
}

export const HelpOverlay = React.memo(function HelpOverlay({
  readOnly,
  height,
  width,
  bindings,
}: HelpOverlayProps) {
  if (height <= 0) return null;
  const title: Seg[] = [
    { text: ' keys ', bold: true, inverse: true },
    { text: readOnly ? '  read-only: write keys are disabled' : '', color: 'error' },
    { text: '   any key closes', dim: true },
  ];
  const room = Math.max(1, height - 2);
  // Fill columns top to bottom; a column never starts with a blank line.
  const columns: Seg[][][] = [[]];
  for (const line of helpLines(readOnly, bindings)) {
    let col = columns[columns.length - 1]!;
    if (col.length >= room) columns.push((col = []));
    if (col.length === 0 && line.length === 0) continue;
    col.push(line);
  }
  const fit = columns.length > 1 && Math.floor(width / columns.length) < 30 ? 1 : columns.length;
  const w = Math.floor(width / fit);
  const out: Seg[][] = [];
  for (let r = 0; r < room; r++) {
    const segs: Seg[] = [];
    for (let c = 0; c < fit; c++) {
      const line = columns[c]![r] ?? [];
      // Every column but the last is padded to its width so the next one lines up.
      segs.push(...fitLine(line, w - 2, c < fit - 1), { text: c < fit - 1 ? '  ' : '' });
    }
    out.push(segs);
  }
  return (
    <Box flexDirection="column" height={height}>
      <Line segs={title} width={width} />
      {out.map((segs, i) => (
        <Line key={i} segs={segs} width={width} />
      ))}
      {height > 2 ? <Line segs={legendLine()} width={width} /> : null}
    </Box>
  );
});
