// The vocabulary panel (`V`, README.md "Vocabulary"): the same list as `sync-tui vocab`,
// every value per field and source with its agents, canonical value or unknown, and the
// suggestion with its reason; `a` accepts the selected value's suggestion.
import React from 'react';
import { sanitizeText } from '../core/sanitize.js';
import type { VocabReport, VocabValue } from '../core/report/vocab-report.js';
import type { Seg } from './line.js';
import { ListPanel, SELECTED_MARK } from './ListPanel.js';
import { BINDINGS, hintText, type Binding } from '../core/tui/keys.js';

/** One selectable line of the panel: a value of a field in a source. */
export interface VocabRow {
  source: string;
  field: string;
  value: VocabValue;
}

export function vocabRows(report: VocabReport): VocabRow[] {
  return report.entries.flatMap((e) =>
    e.values.map((value) => ({ source: e.source, field: e.field, value })),
  );
}

export interface VocabPanelProps {
  report: VocabReport;
  selected: number;
  height: number;
  width: number;
  readOnly: boolean;
  /** The key table as configured (src/core/tui/key-config.ts): the title names its keys. */
  bindings?: readonly Binding[];
}

export function vocabPanelLines(p: VocabPanelProps): Seg[][] {
  const lines: Seg[][] = [];
  let i = 0;
  for (const e of p.report.entries) {
    lines.push([{ text: `${sanitizeText(e.source)} ${sanitizeText(e.field)}:`, bold: true }]);
    for (const v of e.values) {
      const sel = i++ === p.selected;
      const unknown = v.canonical === 'unknown';
      const row: Seg[] = [
        { text: sel ? SELECTED_MARK : '  ', bold: true },
        { text: sanitizeText(v.value), bold: sel, inverse: sel },
        { text: `  ${v.agents} agent${v.agents === 1 ? '' : 's'}  -> `, dim: true },
        { text: sanitizeText(v.canonical), ...(unknown ? { color: 'mark' } : { color: 'ok' }) },
      ];
      if (v.suggestion)
        row.push({
          text: `  suggest ${sanitizeText(v.suggestion.canonical)} (${sanitizeText(v.suggestion.reason)})`,
          dim: !sel,
        });
      lines.push(row);
    }
  }
  if (lines.length === 0) lines.push([{ text: 'no values read yet', dim: true }]);
  lines.push([{ text: `${p.report.known} of ${p.report.distinct} distinct values known`, dim: true }]);
  return lines;
}

export const VocabPanel = React.memo(function VocabPanel(p: VocabPanelProps) {
  if (p.height <= 0) return null;
  const title: Seg[] = [
    { text: ' vocabulary ', bold: true, inverse: true },
    { text: `  ${hintText('vocab', p.readOnly, p.bindings ?? BINDINGS)}`, dim: true },
  ];
  return <ListPanel title={title} lines={vocabPanelLines(p)} height={p.height} width={p.width} />;
});
