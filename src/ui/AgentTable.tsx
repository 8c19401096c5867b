// The agent table: a title row and only the rows inside the visible window. Everything
// above and below the window is never turned into elements, so ten thousand agents cost
// what forty do.
import { Box } from 'ink';
import React from 'react';
import { padEnd } from '../core/sanitize.js';
import type { AgentState } from '../core/types.js';
import { cellOf, cellStyle, type Cell, type LaidOutColumn } from '../core/view/view.js';
import { Line, type Seg } from './line.js';
import type { Highlight } from './table-model.js';

export const GUTTER = 2;
const GAP = '  ';

export interface AgentTableProps {
  /** Every row of the current view; only `start..end` are rendered. */
  rows: readonly AgentState[];
  start: number;
  end: number;
  layout: readonly LaidOutColumn[];
  selectedIndex: number;
  marks: ReadonlySet<string>;
  pending: ReadonlySet<string>;
  highlights: ReadonlyMap<string, Highlight>;
  /** Lines available, title row included. */
  height: number;
  width: number;
  now: number;
  emptyText: string;
  /** The column the rows are sorted by: its title gets an arrow (▲ ascending, ▼ reversed). */
  sortedBy?: { column: string; reverse: boolean } | null;
}

/** The shared cell style; a verdict waiting for verification is shown as pending. */
function rowCellStyle(col: string, cell: Cell, a: AgentState, pending: boolean): Omit<Seg, 'text'> {
  return col === 'verdict' && pending ? { color: 'accent', bold: true } : cellStyle(col, cell, a);
}

interface RowProps {
  agent: AgentState;
  layout: readonly LaidOutColumn[];
  selected: boolean;
  marked: boolean;
  pending: boolean;
  highlight: Highlight | undefined;
  width: number;
  now: number;
}

const Row = React.memo(function Row({
  agent,
  layout,
  selected,
  marked,
  pending,
  highlight,
  width,
  now,
}: RowProps) {
  const segs: Seg[] = [
    { text: selected ? '›' : ' ', bold: true },
    { text: marked ? '●' : ' ', color: 'mark', bold: true },
  ];
  layout.forEach((l, i) => {
    if (i > 0) segs.push({ text: GAP });
    const cell = cellOf(l.column, agent, now);
    const seg: Seg = { text: padEnd(cell.text, l.width), ...rowCellStyle(l.column.id, cell, agent, pending) };
    if (highlight?.columns.has(l.column.id)) {
      if (selected) seg.underline = true;
      else seg.inverse = true;
      seg.bold = true;
    }
    segs.push(seg);
  });
  // Only the selected row is padded: its inverse bar spans the full width.
  return <Line segs={segs} width={width} pad={selected} inverse={selected} runs />;
});

export const AgentTable = React.memo(function AgentTable(p: AgentTableProps) {
  const title: Seg[] = [{ text: ' '.repeat(GUTTER) }];
  p.layout.forEach((l, i) => {
    if (i > 0) title.push({ text: GAP });
    const sorted = p.sortedBy?.column === l.column.id;
    const arrow = sorted ? (p.sortedBy!.reverse ? '▼' : '▲') : '';
    title.push({
      text: padEnd(sorted ? `${l.column.title}${arrow}` : l.column.title, l.width),
      bold: true,
      ...(sorted ? { color: 'accent' } : {}),
    });
  });
  const body: React.ReactNode[] = [];
  for (let i = p.start; i < p.end && body.length < p.height - 1; i++) {
    const a = p.rows[i]!;
    body.push(
      <Row
        key={a.id}
        agent={a}
        layout={p.layout}
        selected={i === p.selectedIndex}
        marked={p.marks.has(a.id)}
        pending={p.pending.has(a.id)}
        highlight={p.highlights.get(a.id)}
        width={p.width}
        now={p.now - (p.now % 1000)}
      />,
    );
  }
  if (p.rows.length === 0 && p.height > 1)
    body.push(<Line key="empty" segs={[{ text: `  ${p.emptyText}`, dim: true }]} width={p.width} />);
  if (p.height <= 0) return null;
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={title} width={p.width} runs />
      {body}
    </Box>
  );
});
