// wrapSegs (src/ui/wrap.ts): long detail-pane lines become several, none wider than the pane.
import { describe, expect, it } from 'vitest';
import { lineWidth } from '../../src/ui/line.js';
import { wrapSegs } from '../../src/ui/wrap.js';

const text = (lines: { text: string }[][]) => lines.map((l) => l.map((s) => s.text).join(''));

describe('wrapSegs', () => {
  it('leaves a line that fits alone', () => {
    expect(wrapSegs([{ text: 'short' }], 20)).toEqual([[{ text: 'short' }]]);
  });

  it('breaks at spaces, indents continuations, keeps every word and style, never exceeds the width', () => {
    const segs = [
      { text: 'also: ', dim: true },
      {
        text: 'fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE to ONBOARDED',
        color: 'red',
      },
    ];
    const lines = wrapSegs(segs, 30);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(30);
    expect(
      text(lines)
        .slice(1)
        .every((l) => l.startsWith('  ')),
    ).toBe(true);
    expect(text(lines).join(' ').replace(/\s+/g, ' ')).toBe(
      'also: fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE to ONBOARDED',
    );
    expect(
      lines
        .flat()
        .filter((s) => s.text.includes('ONBOARDED'))
        .every((s) => (s as { color?: string }).color === 'red'),
    ).toBe(true);
  });

  it('cuts a word longer than a line between characters, losing none', () => {
    const long = 'agent_workspaces/日本語/' + 'x'.repeat(40) + '/status.json';
    const lines = wrapSegs([{ text: long }], 16);
    for (const l of lines) expect(lineWidth(l)).toBeLessThanOrEqual(16);
    expect(
      text(lines)
        .map((l, i) => (i === 0 ? l : l.slice(2)))
        .join(''),
    ).toBe(long);
  });
});
