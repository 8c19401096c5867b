// The bottom line: the keys that work right now, generated from the binding table.
import React from 'react';
import { BINDINGS, hintsFor, type Binding, type Command, type Mode } from '../core/tui/keys.js';
import { Line, lineWidth, type Seg } from './line.js';

export interface KeyHintsProps {
  mode: Mode;
  readOnly: boolean;
  width: number;
  /** Commands not useful right now (e.g. picking a winner when there is no conflict). */
  hide?: readonly Command[];
  /** The key table as configured (src/core/tui/key-config.ts); default the built-in one. */
  bindings?: readonly Binding[];
}

export const KeyHints = React.memo(function KeyHints({
  mode,
  readOnly,
  width,
  hide,
  bindings = BINDINGS,
}: KeyHintsProps) {
  const hints = hintsFor(mode, readOnly, bindings).filter((h) => !hide?.includes(h.command));
  // Help and quit stay at the end whatever else has to go.
  const tail = hints.filter((h) => h.command === 'help' || h.command === 'quit');
  const head = hints.filter((h) => !tail.includes(h));
  const seg = (h: { key: string; text: string }): Seg[] => [
    { text: h.key, bold: true, inverse: true, color: 'accent' },
    { text: ` ${h.text}  ` },
  ];
  const tailSegs = tail.flatMap(seg);
  const segs: Seg[] = [];
  for (const h of head) {
    const s = seg(h);
    if (lineWidth(segs) + lineWidth(s) + lineWidth(tailSegs) > width) break;
    segs.push(...s);
  }
  return <Line segs={[...segs, ...tailSegs]} width={width} />;
});
