// `R` asks first: the agents it would touch, each with before -> after, then y / n.
import { Box } from 'ink';
import React from 'react';
import { displayWidth, padEnd, sanitizeText, sanitizeValue } from '../core/sanitize.js';
import type { AgentState } from '../core/types.js';
import { VERDICT_COLOR, VERDICT_SYMBOL } from '../core/view.js';
import { Line, type Seg } from './line.js';

export interface ConfirmDialogProps {
  ids: readonly string[];
  /** Current state of each agent (undefined: gone since the dialog opened). */
  agents: ReadonlyMap<string, AgentState>;
  from: 'marks' | 'drift';
  targetPath: string | null;
  height: number;
  width: number;
  color: boolean;
}

/** One line per agent: what resolving it would write, or why it would write nothing. */
export function confirmLines(ids: readonly string[], agents: ReadonlyMap<string, AgentState>): Seg[][] {
  const idWidth = Math.min(28, Math.max(8, ...ids.map((id) => displayWidth(id))));
  return ids.map((id) => {
    const a = agents.get(id);
    const head: Seg[] = [{ text: '  ' }, { text: padEnd(id, idWidth), bold: true }, { text: '  ' }];
    if (!a) return [...head, { text: 'gone from every source', dim: true }];
    const verdict: Seg = { text: padEnd(`${VERDICT_SYMBOL[a.verdict]} ${a.verdict}`, 10), color: VERDICT_COLOR[a.verdict] };
    if (a.plan.length === 0) return [...head, verdict, { text: '  ' }, { text: `nothing to write${a.reasons[0] ? `: ${sanitizeText(a.reasons[0])}` : ''}`, dim: true }];
    const writes: Seg[] = [];
    a.plan.forEach((w, i) => {
      if (i > 0) writes.push({ text: ', ' });
      writes.push({ text: `${sanitizeText(w.field)}: ` }, { text: sanitizeValue(w.before, 30), dim: true }, { text: ' -> ' }, { text: sanitizeValue(w.after, 30), color: 'green', bold: true });
    });
    return [...head, verdict, { text: '  ' }, ...writes];
  });
}

export const ConfirmDialog = React.memo(function ConfirmDialog(p: ConfirmDialogProps) {
  if (p.height <= 0) return null;
  const n = p.ids.length;
  const what = p.from === 'marks' ? `${n} marked agent${n === 1 ? '' : 's'}` : `every drifted agent (${n})`;
  const title: Seg[] = [
    { text: ` resolve ${what}? `, bold: true, inverse: true, color: 'yellow' },
    { text: p.targetPath ? `  writes ${sanitizeText(p.targetPath)}, each change journaled and undoable with u` : '' },
  ];
  const keys: Seg[] = [{ text: ' y ', bold: true, inverse: true, color: 'green' }, { text: ' yes, write   ' }, { text: ' n ', bold: true, inverse: true, color: 'red' }, { text: ' cancel' }];
  let body = confirmLines(p.ids, p.agents);
  const room = Math.max(0, p.height - 3);
  if (body.length > room) {
    const more = body.length - Math.max(0, room - 1);
    body = [...body.slice(0, Math.max(0, room - 1)), [{ text: `  … and ${more} more`, dim: true }]];
  }
  const rule: Seg[] = [{ text: '─'.repeat(Math.max(0, p.width)), color: 'yellow' }];
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={rule} width={p.width} color={p.color} />
      <Line segs={title} width={p.width} color={p.color} />
      {body.map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} color={p.color} />
      ))}
      {p.height >= 3 ? <Line segs={keys} width={p.width} color={p.color} /> : null}
    </Box>
  );
});
