// The detail pane's lines about a conflict's winners and the decisions that hold: each
// choice with what picking it would write (only choices that can be carried out get a
// number, in the order the 1-9 keys pick them), and why the others are not offered.
import { conflictChoices } from '../core/reconcile/choices.js';
import { describeWrites } from '../core/plan/frozen-plan.js';
import { targetSource } from '../core/reconcile/reconcile.js';
import { padEnd, sanitizeText, sanitizeValue } from '../core/sanitize.js';
import type { AgentState, Config } from '../core/types.js';
import type { Seg } from './line.js';

export function choiceLines(a: AgentState, config: Config, now: number, readOnly: boolean): Seg[][] {
  const lines: Seg[][] = [];
  for (const [field, d] of Object.entries(a.decisions ?? {})) {
    lines.push([
      { text: 'decided: ', color: 'cyan', bold: true },
      {
        text: `${sanitizeText(field)} = ${sanitizeValue(d.value, 24)} (${sanitizeText(d.source)} wins, ${sanitizeText(d.at.slice(0, 16).replace('T', ' '))}, ${sanitizeText(d.action)})`,
      },
      { text: ' holds until a source involved changes; u undoes it', dim: true },
    ]);
  }
  if (a.verdict !== 'conflict') return lines;
  if (readOnly) return [...lines, [{ text: 'conflict: read-only, nothing can be written', color: 'red' }]];
  const choices = conflictChoices(a, config, now);
  const offered = choices.filter((c) => c.ok).slice(0, 9);
  if (offered.length === 0)
    lines.push([
      {
        text: 'conflict: no source can settle it here (fix the value at its source)',
        color: 'red',
        bold: true,
      },
    ]);
  else
    lines.push([
      { text: 'conflict: pick the source that wins', color: 'red', bold: true },
      { text: ' (what each writes)', dim: true },
    ]);
  const width = Math.max(...choices.map((c) => c.source.length));
  const target = targetSource(config);
  offered.forEach((c, i) => {
    const what =
      c.writes.length > 0
        ? `writes ${describeWrites(c.writes)}${target ? ` to ${sanitizeText(target.path)}` : ''}`
        : `accepts ${sanitizeText(c.source)} as it is: nothing to write`;
    const kept =
      c.fields.length > 0
        ? `; decision on ${c.fields.map(sanitizeText).join(', ')} kept until a source changes`
        : '';
    lines.push([
      { text: ` ${i + 1} `, bold: true, inverse: true },
      { text: ` ${padEnd(sanitizeText(c.source), width)}  ` },
      { text: what, color: 'yellow' },
      { text: kept, dim: true },
    ]);
  });
  for (const c of choices.filter((x) => !x.ok)) {
    lines.push([
      { text: '   ', dim: true },
      { text: ` ${padEnd(sanitizeText(c.source), width)}  `, dim: true },
      { text: `not offered: ${c.why ?? 'cannot be carried out'}`, dim: true },
    ]);
  }
  return lines;
}
