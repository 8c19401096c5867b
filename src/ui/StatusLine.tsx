// One line: the filter prompt while typing, else the engine's error, else the last action
// and its result; while paused, how many updates are waiting.
import React from 'react';
import { sanitizeText } from '../core/sanitize.js';
import type { StatusEntry, StatusTone } from '../core/tui/ui-state.js';
import { Line, spread, type Seg } from './line.js';
import { BINDINGS, hintText, type Binding } from '../core/tui/keys.js';

export interface StatusLineProps {
  width: number;
  status: StatusEntry | null;
  /** An error the engine reports (shown before the last action). */
  error: string | null;
  /** The filter being typed, or null when not in filter input. */
  filterInput: string | null;
  /** While paused: updates and agents changed since the pause. */
  waiting: { updates: number; agents: number } | null;
  /** The `:` command line being typed, or null/absent when not typing one. */
  commandInput?: string | null;
  /** The key table as configured (src/core/tui/key-config.ts): the prompts name its keys. */
  bindings?: readonly Binding[];
}

const TONE: Record<StatusTone, Omit<Seg, 'text'>> = {
  info: {},
  busy: { color: 'accent' },
  ok: { color: 'ok' },
  warn: { color: 'warn' },
  error: { color: 'error', bold: true },
};

const TONE_MARK: Record<StatusTone, string> = { info: '', busy: '… ', ok: '✔ ', warn: '⚠ ', error: '✖ ' };

export const StatusLine = React.memo(function StatusLine(p: StatusLineProps) {
  let left: Seg[];
  if (p.commandInput !== undefined && p.commandInput !== null) {
    // The prompt, then what tab offered (or the last message), dimmed.
    left = [
      { text: ':', bold: true, color: 'accent' },
      { text: sanitizeText(p.commandInput) },
      { text: '█', color: 'accent' },
    ];
    left.push({
      text:
        p.status && p.status.text !== ''
          ? `  ${sanitizeText(p.status.text)}`
          : `  ${hintText('command-input', false, p.bindings ?? BINDINGS)}`,
      dim: true,
    });
  } else if (p.filterInput !== null) {
    left = [
      { text: '/', bold: true, color: 'accent' },
      { text: sanitizeText(p.filterInput) },
      { text: '█', color: 'accent' },
      { text: `  ${hintText('filter-input', false, p.bindings ?? BINDINGS)}`, dim: true },
    ];
  } else if (p.error) {
    left = [{ text: `✖ engine: ${sanitizeText(p.error)}`, color: 'error', bold: true }];
    if (p.status) left.push({ text: '  ' }, { text: sanitizeText(p.status.text), ...TONE[p.status.tone] });
  } else if (p.status) {
    left = [{ text: TONE_MARK[p.status.tone] + sanitizeText(p.status.text), ...TONE[p.status.tone] }];
  } else {
    left = [{ text: 'ready', dim: true }];
  }
  const right: Seg[] = p.waiting
    ? [
        {
          text: ` ⏸ paused: ${p.waiting.updates} update${p.waiting.updates === 1 ? '' : 's'} waiting, ${p.waiting.agents} agent${p.waiting.agents === 1 ? '' : 's'} changed · p resumes `,
          color: 'warn',
          inverse: true,
        },
      ]
    : [];
  return <Line segs={spread(left, right, p.width)} width={p.width} />;
});
