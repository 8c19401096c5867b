// The readable line `sync-tui watch` prints per event without --json (the JSON shape is
// core/watch-events.ts). Everything from files is sanitised before it reaches the terminal.
import { sanitizeText } from '../core/sanitize.js';
import type { Verdict } from '../core/types.js';
import { VERDICT_COLOR } from '../core/view/view.js';
import type { WatchEvent } from '../core/report/watch-events.js';
import type { Paint } from './ansi.js';

function show(v: unknown): string {
  return v === undefined || v === null ? '∅' : sanitizeText(typeof v === 'string' ? v : JSON.stringify(v));
}

/** One readable line per event (without --json). */
export function formatEventLine(e: WatchEvent, paint: Paint = (_c, t) => t): string {
  const head = `${e.at}  ${e.type.padEnd(14)}`;
  const verdict = (v: Verdict | null, none: string) => (v === null ? none : paint(VERDICT_COLOR[v] ?? '', v));
  const action = e.action ? `  [${sanitizeText(e.action)}]` : '';
  if (e.type === 'hook-failed' && e.hook) {
    const h = e.hook;
    if (h.dropped) return `${head}  ${sanitizeText(e.message ?? '')}`;
    const how = h.timedOut
      ? 'timed out'
      : h.exitCode !== null
        ? `exit ${h.exitCode}`
        : h.signal
          ? `killed by ${h.signal}`
          : 'could not run';
    const tail = (h.stderr || h.stdout).trim().split('\n').pop() ?? '';
    return `${head}  ${e.agent ? sanitizeText(e.agent) + '  ' : ''}${how}${tail ? `: ${sanitizeText(tail)}` : ''}`;
  }
  if (e.agent === null) return `${head}  ${sanitizeText(e.message ?? '')}`;
  let detail: string;
  if (e.type === 'resolved' && e.writes)
    detail = e.writes.map((w) => `${w.field}: ${show(w.before)} -> ${show(w.after)}`).join(', ');
  else detail = e.message ?? e.reasons[0] ?? (e.verdict.after === 'in-sync' ? 'values agree' : '');
  const move =
    e.verdict.before === e.verdict.after && e.type !== 'change'
      ? verdict(e.verdict.after, '?')
      : `${verdict(e.verdict.before, 'new')} -> ${verdict(e.verdict.after, 'gone')}`;
  return `${head}  ${sanitizeText(e.agent)}  ${move}  ${sanitizeText(detail)}${action}`;
}
