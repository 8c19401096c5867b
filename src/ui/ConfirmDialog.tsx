// `R` asks first: the agents it would touch, each with before -> after, then y / n. The
// list is the plan frozen when the dialog opened (`y` writes exactly that, guarded; see
// src/core/plan/frozen-plan.ts); a line whose agent changed since is marked, and the list
// scrolls inside the dialog (j/k, PgUp/PgDn, g/G).
import { Box } from 'ink';
import React from 'react';
import { changedSince, type FrozenPlan } from '../core/plan/frozen-plan.js';
import { displayWidth, padEnd, sanitizeText, sanitizeValue } from '../core/sanitize.js';
import type { AgentState } from '../core/types.js';
import { VERDICT_COLOR, VERDICT_SYMBOL } from '../core/view/view.js';
import { Line, type Seg } from './line.js';

export interface ConfirmDialogProps {
  plan: FrozenPlan;
  /** Current state of each agent (undefined: gone since the dialog opened). */
  agents: ReadonlyMap<string, AgentState>;
  from: 'marks' | 'drift';
  /** How many agents the same choice would take now (the header's count), when it differs. */
  countNow?: number;
  targetPath: string | null;
  height: number;
  width: number;
  /** First plan line shown. */
  scroll?: number;
}

/** Lines of the list shown at once in a dialog `height` tall holding `count` lines. */
export function confirmRoom(height: number, count: number): number {
  const room = Math.max(0, height - 3);
  return count > room ? Math.max(1, room - 1) : room;
}

/** One line per agent: what resolving it writes (as frozen), or why it writes nothing. */
export function confirmLines(plan: FrozenPlan, agents: ReadonlyMap<string, AgentState>): Seg[][] {
  const ids = plan.agents.map((a) => sanitizeText(a.id));
  const idWidth = Math.min(28, Math.max(8, ...ids.map((id) => displayWidth(id))));
  const changed = changedSince(plan, agents);
  return plan.agents.map((f, i) => {
    const head: Seg[] = [{ text: '  ' }, { text: padEnd(ids[i]!, idWidth), bold: true }, { text: '  ' }];
    const g = changed.get(f.id);
    const mark: Seg[] = g ? [{ text: '  ' }, { text: `⚠ ${g.detail}`, color: 'mark', bold: true }] : [];
    if (f.verdict === 'gone') return [...head, { text: 'gone from every source', dim: true }, ...mark];
    const verdict: Seg = {
      text: padEnd(`${VERDICT_SYMBOL[f.verdict]} ${f.verdict}`, 10),
      color: VERDICT_COLOR[f.verdict],
    };
    if (f.writes.length === 0) {
      const why = agents.get(f.id)?.reasons[0];
      return [
        ...head,
        verdict,
        { text: '  ' },
        { text: `nothing to write${why && !g ? `: ${sanitizeText(why)}` : ''}`, dim: true },
        ...mark,
      ];
    }
    const writes: Seg[] = [];
    f.writes.forEach((w, j) => {
      if (j > 0) writes.push({ text: ', ' });
      writes.push(
        { text: `${sanitizeText(w.field)}: ` },
        { text: sanitizeValue(w.before, 30), dim: true },
        { text: ' -> ' },
        { text: sanitizeValue(w.after, 30), color: g ? 'mark' : 'ok', bold: true },
      );
    });
    return [...head, verdict, { text: '  ' }, ...writes, ...mark];
  });
}

export const ConfirmDialog = React.memo(function ConfirmDialog(p: ConfirmDialogProps) {
  if (p.height <= 0) return null;
  const n = p.plan.agents.length;
  const counted =
    p.countNow !== undefined && p.countNow !== n ? `${n} when opened, ${p.countNow} now` : `${n}`;
  const what =
    p.from === 'marks'
      ? `${counted} marked agent${n === 1 && counted === '1' ? '' : 's'}`
      : `every drifted agent (${counted})`;
  const changed = changedSince(p.plan, p.agents).size;
  const title: Seg[] = [
    { text: ` resolve ${what}? `, bold: true, inverse: true, color: 'warn' },
    { text: ` ${p.plan.writes} write${p.plan.writes === 1 ? '' : 's'}` },
    { text: changed > 0 ? `, ${changed} changed since (not written)` : '', color: 'mark', bold: true },
    { text: p.targetPath ? ` to ${sanitizeText(p.targetPath)}, each journaled and undoable with u` : '' },
  ];
  const keys: Seg[] = [
    { text: ' y ', bold: true, inverse: true, color: 'ok' },
    { text: ' yes, write   ' },
    { text: ' n ', bold: true, inverse: true, color: 'error' },
    { text: ' cancel' },
  ];
  const all = confirmLines(p.plan, p.agents);
  const room = confirmRoom(p.height, all.length);
  let body = all;
  if (all.length > room) {
    const top = Math.max(0, Math.min(all.length - room, p.scroll ?? 0));
    body = all.slice(top, top + room);
    if (p.height - 3 > room)
      body.push([
        {
          text: `  lines ${top + 1}-${top + body.length} of ${all.length} · j/k PgUp/PgDn g/G scroll`,
          dim: true,
        },
      ]);
  }
  const rule: Seg[] = [{ text: '─'.repeat(Math.max(0, p.width)), color: 'warn' }];
  return (
    <Box flexDirection="column" height={p.height}>
      <Line segs={rule} width={p.width} />
      <Line segs={title} width={p.width} />
      {body.map((segs, i) => (
        <Line key={i} segs={segs} width={p.width} />
      ))}
      {p.height >= 3 ? <Line segs={keys} width={p.width} /> : null}
    </Box>
  );
});
