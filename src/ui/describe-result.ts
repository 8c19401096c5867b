// One status line for an action's result (what was written, and why anything approved was
// not): the words the TUI shows after r, R, 1-9 and u.
import { sanitizeText, sanitizeValue } from '../core/sanitize.js';
import type { StatusTone } from '../core/tui/ui-state.js';
import type { ActionResult } from '../shell/engine-types.js';

export function errorText(e: unknown): string {
  return sanitizeText(e instanceof Error ? e.message : String(e));
}

/** `wrote 3 values for 2 agents: Agent-2 fsm "a" → "b"; Agent-3 …`, at most `max` agents named. */
function writtenText(r: ActionResult, max: number): string {
  // Written and read back: resolved, or written but still not in sync (cause `unresolved`).
  const written = r.agents.filter(
    (a) =>
      a.writes.length > 0 &&
      (a.cause === 'verified' || (a.status === 'unresolved' && a.cause === 'unresolved')),
  );
  if (written.length === 0) return '';
  const values = written.reduce((n, a) => n + a.writes.length, 0);
  const one = (a: ActionResult['agents'][number]) =>
    `${sanitizeText(a.agent)} ${a.writes.map((w) => `${sanitizeText(w.field)} ${sanitizeValue(w.before, 16)} → ${sanitizeValue(w.after, 16)}`).join(', ')}`;
  const more = written.length > max ? `; +${written.length - max} more (sync-tui log lists them)` : '';
  return `wrote ${values} value${values === 1 ? '' : 's'} for ${written.length} agent${written.length === 1 ? '' : 's'}: ${written.slice(0, max).map(one).join('; ')}${more}`;
}

/**
 * One status line for an action's result, and how it should look: what was written (which
 * agents, which fields), and why anything approved was not. `again` is the key that plans
 * afresh (an agent that changed since it was shown says "press R again").
 */
export function describeResult(r: ActionResult, again = 'R'): { text: string; tone: StatusTone } {
  const counts = new Map<string, number>();
  for (const a of r.agents) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const tone: StatusTone = counts.has('failed')
    ? 'error'
    : counts.has('unresolved') || counts.has('refused') || (r.action === null && r.agents.length === 0)
      ? 'warn'
      : 'ok';
  const message = sanitizeText(r.message);
  if (r.agents.length === 1) {
    const a = r.agents[0]!;
    const writes = a.writes
      .map((w) => `${sanitizeText(w.field)} ${sanitizeValue(w.before, 24)} → ${sanitizeValue(w.after, 24)}`)
      .join(', ');
    // Not written because it changed since it was shown: that is the whole story.
    if (a.cause === 'changed-since-planned' && a.reason)
      return { text: `${sanitizeText(a.reason)}, press ${again} again`, tone };
    const parts = [`${sanitizeText(a.agent)}: ${a.status}`];
    if (writes && a.status !== 'unresolved') parts.push(writes);
    if (a.reason)
      parts.push(
        sanitizeText(a.reason) + (a.cause === 'changed-since-planned' ? `, press ${again} again` : ''),
      );
    if (a.decided)
      parts.push(`decision kept on ${a.decided.map(sanitizeText).join(', ')} until a source changes`);
    if (r.action) parts.push(`action ${sanitizeText(r.action)}`);
    else parts.push(message);
    return { text: parts.join(' · '), tone };
  }
  if (r.agents.length === 0) return { text: message, tone };
  if (r.kind === 'undo') {
    // An undo's message counts changes already; a count of agents after it would mix units.
    const firstProblem = r.agents.find(
      (a) => a.status === 'failed' || a.status === 'unresolved' || a.status === 'refused',
    );
    return {
      text: firstProblem
        ? `${message} · ${sanitizeText(firstProblem.agent)}: ${sanitizeText(firstProblem.reason ?? firstProblem.status)}`
        : message,
      tone,
    };
  }
  // Several agents: what was written first (which agents, which fields), then what was
  // not and why, then the action id for `u` / `log`.
  const parts: string[] = [];
  const wrote = writtenText(r, 3);
  if (wrote) parts.push(wrote);
  const changed = r.agents.filter(
    (a) => a.cause === 'changed-since-planned' || a.cause === 'gone-since-planned',
  );
  if (changed.length > 0)
    parts.push(
      `${sanitizeText(changed[0]!.reason ?? changed[0]!.agent)}${changed.length > 1 ? ` (+${changed.length - 1} more changed since)` : ''}, press ${again} again`,
    );
  const problems = r.agents.filter(
    (a) =>
      !changed.includes(a) && (a.status === 'failed' || a.status === 'unresolved' || a.status === 'refused'),
  );
  if (problems.length > 0)
    parts.push(
      `${problems.length} ${problems[0]!.status}: ${sanitizeText(problems[0]!.agent)}: ${sanitizeText(problems[0]!.reason ?? problems[0]!.status)}${problems.length > 1 ? ', …' : ''}`,
    );
  if (!wrote) parts.unshift(message);
  else if (r.action) parts.push(`action ${sanitizeText(r.action)}`);
  if (parts.length === 1 && parts[0] === message)
    parts.push([...counts].map(([st, n]) => `${n} ${st}`).join(', '));
  return { text: parts.join(' · '), tone };
}
