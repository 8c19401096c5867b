// The journal panel (lazygit's command log; README.md "Keys and screen"): every action,
// newest first, with its changes as before -> after; the selected one is undone (`u` by default).
import React from 'react';
import { actionHeadline, type ActionModel } from '../core/write/journal-model.js';
import { sanitizeText, sanitizeValue } from '../core/sanitize.js';
import type { Seg } from './line.js';
import { ListPanel, SELECTED_MARK } from './ListPanel.js';
import { BINDINGS, hintText, type Binding } from '../core/tui/keys.js';

export interface JournalPanelProps {
  /** Newest first; null while it is read. */
  actions: readonly ActionModel[] | null;
  selected: number;
  height: number;
  width: number;
  error?: string | null;
  readOnly?: boolean;
  /** The key table as configured (src/core/tui/key-config.ts): the title names its keys. */
  bindings?: readonly Binding[];
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
      { text: sel ? SELECTED_MARK : '  ', bold: true },
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
  const title: Seg[] = [
    { text: ' journal ', bold: true, inverse: true },
    { text: `  ${hintText('journal', p.readOnly === true, p.bindings ?? BINDINGS)}`, dim: true },
  ];
  return <ListPanel title={title} lines={journalLines(p)} height={p.height} width={p.width} />;
});
