// The journal panel (lazygit's command log; README.md "Keys and screen"): every action,
// newest first, with its changes as before -> after; the selected one is undone with `u`.
import { Box } from 'ink';
import React from 'react';
import { actionHeadline, type ActionModel } from '../core/journal-model.js';
import { sanitizeText, sanitizeValue } from '../core/sanitize.js';
import { Line, type Seg } from './line.js';

export interface JournalPanelProps {
  /** Newest first; null while it is read. */
  actions: readonly ActionModel[] | null;
  selected: number;
  height: number;
  width: number;
  error?: string | null;
}

const STATE_TOKEN: Record<string, string | undefined> = {
  verified: 'ok',
  refused: 'warn',
  failed: 'error',
  interrupted: 'mark',
};

export function journalLines(p: JournalPanelProps): Seg[][] {
  if (p.error) return [[{ text: `✖ journal not read: ${sanitizeText(p.error)}`, color: 'error' }]];
  if (p.actions === null) return [[{ text: 'reading the journal …', dim: true }]];
  if (p.actions.length === 0)
    return [[{ text: 'no actions yet: resolves and undos are listed here', dim: true }]];
  const lines: Seg[][] = [];
  p.actions.forEach((a, i) => {
    const sel = i === p.selected;
    lines.push([
      { text: sel ? '› ' : '  ', bold: true },
      { text: sanitizeText(actionHeadline(a)), bold: sel, inverse: sel },
    ]);
    if (!sel) return;
    for (const c of a.changes) {
      const e = c.entry;
      lines.push([
        { text: `    ${sanitizeText(e.agent)} ${sanitizeText(e.field)} ` },
        { text: `${sanitizeValue(e.before, 24)} -> ${sanitizeValue(e.after, 24)}`, bold: true },
        { text: `  ${c.state}`, color: STATE_TOKEN[c.state] },
      ]);
    }
  });
  return lines;
}

export const JournalPanel = React.memo(function JournalPanel(p: JournalPanelProps) {
  if (p.height <= 0) return null;
  const lines = journalLines(p);
  const room = Math.max(1, p.height - 1);
  // Keep the selected action's line in view.
  const at = Math.max(
    0,
    lines.findIndex((l) => l[0]?.text === '› '),
  );
  const top = Math.max(0, Math.min(at - Math.floor(room / 3), lines.length - room));
  const title: Seg[] = [
    { text: ' journal ', bold: true, inverse: true },
    { text: '  j/k choose · u undo it · esc close', dim: true },
  ];
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={title} width={p.width} />
      {lines.slice(top, top + room).map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} />
      ))}
    </Box>
  );
});
