// A full-width panel over the table (the journal, the vocabulary): a title line, then as
// many of its lines as fit, scrolled so that the selected line (the one that starts with
// '› ') stays in view, a third of the way down.
import { Box } from 'ink';
import React from 'react';
import { Line, type Seg } from './line.js';

export const SELECTED_MARK = '› ';

export function ListPanel(p: {
  title: Seg[];
  lines: Seg[][];
  height: number;
  width: number;
}): React.ReactElement | null {
  if (p.height <= 0) return null;
  const room = Math.max(1, p.height - 1);
  const at = Math.max(
    0,
    p.lines.findIndex((l) => l[0]?.text === SELECTED_MARK),
  );
  const top = Math.max(0, Math.min(at - Math.floor(room / 3), p.lines.length - room));
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={p.title} width={p.width} />
      {p.lines.slice(top, top + room).map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} />
      ))}
    </Box>
  );
}
