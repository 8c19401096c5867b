// `sync-tui resolve`, `undo` and `log`: thin functions over the same engine the TUI uses.
import * as path from 'node:path';
import { displayWidth, padEnd, sanitizeText, stringifyForTerminal, truncate } from '../core/sanitize.js';
import { actionHeadline, journalActions } from '../core/write/journal-model.js';
import type { Diagnostic } from '../core/types.js';
import { Engine, type ActionResult } from '../shell/engine.js';
import { NO_REGISTRY_LINE } from '../core/config/discover/describe.js';
import { targetSource } from '../core/reconcile/reconcile.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { colorWanted, painter } from './ansi.js';

export interface ResolveOptions {
  root: string;
  config?: string;
  all?: boolean;
  dryRun?: boolean;
  prefer?: string;
  json?: boolean;
  color?: boolean;
}

const MAX_ID_WIDTH = 40;

function show(v: unknown): string {
  return v === undefined || v === null ? '∅' : sanitizeText(typeof v === 'string' ? v : JSON.stringify(v));
}

function printAction(
  r: ActionResult,
  json: boolean | undefined,
  color: boolean | undefined,
  out: NodeJS.WriteStream,
): void {
  if (json) {
    out.write(stringifyForTerminal(r, 2) + '\n');
    return;
  }
  const paint = painter(colorWanted(color, out));
  const tone: Record<string, string> = {
    resolved: 'green',
    restored: 'green',
    'in-sync': 'green',
    planned: 'cyan',
    unresolved: 'yellow',
    refused: 'yellow',
    failed: 'red',
  };
  // Ids are data: a 10,000-character registry key must not widen every line.
  const width = Math.min(
    MAX_ID_WIDTH,
    Math.max(8, ...r.agents.map((a) => displayWidth(sanitizeText(a.agent)))),
  );
  for (const a of r.agents) {
    const writes = a.writes.map((w) => `${w.field}: ${show(w.before)} -> ${show(w.after)}`).join(', ');
    const decided = a.decided
      ? `decision kept on ${a.decided.map(sanitizeText).join(', ')} until a source changes`
      : '';
    const detail = [writes, a.reason ? sanitizeText(a.reason) : '', decided]
      .filter((s) => s !== '')
      .join('; ');
    const status =
      detail === ''
        ? paint(tone[a.status] ?? '', a.status)
        : `${paint(tone[a.status] ?? '', a.status.padEnd(10))}  ${detail}`;
    out.write(`${padEnd(truncate(sanitizeText(a.agent), width), width)}  ${status}\n`);
  }
  out.write(sanitizeText(r.message) + '\n');
}

/** One stderr line per damaged journal line (file:line: what is wrong), as `log` prints them. */
function printDiagnostics(diagnostics: readonly Diagnostic[], err: NodeJS.WritableStream): void {
  for (const d of diagnostics)
    err.write(
      `sync-tui: ${sanitizeText([d.file, d.line].filter((x) => x !== undefined).join(':'))}: ${sanitizeText(d.message)}\n`,
    );
}

/**
 * Before a write: say which lines of the journal are damaged (they are skipped; the new
 * entries still go on a line of their own). After it: say when the journal could not
 * record the action (the engine keeps that as its error; the registry may be written).
 */
async function journalBefore(engine: Engine, err: NodeJS.WritableStream): Promise<void> {
  printDiagnostics((await engine.readJournal()).diagnostics, err);
}

function journalAfter(engine: Engine, err: NodeJS.WritableStream): void {
  const snap = engine.getSnapshot();
  // A registry that cannot be read (a folder, unparsable, gone) is why nothing was planned
  // for it: name the file and the cause, rather than only "nothing to write".
  const target = snap.health.find((h) => h.name === snap.config.policy.target);
  if (target && !target.healthy) {
    const d = target.diagnostics.find((x) => x.severity === 'error') ?? target.diagnostics[0];
    const where = [d?.file ?? target.path, d?.line, d?.column].filter((x) => x !== undefined).join(':');
    err.write(
      `sync-tui: the registry (source ${sanitizeText(target.name)}) cannot be read: ${sanitizeText(where)}: ${sanitizeText(d?.message ?? target.lastError ?? 'unreadable')}\n`,
    );
  }
  if (snap.error) err.write(`sync-tui: ${sanitizeText(snap.error)}\n`);
}

export async function runResolve(
  agents: string[],
  opts: ResolveOptions,
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  if (opts.all && agents.length > 0) throw new UsageError('resolve: give --all or agent ids, not both');
  if (!opts.all && agents.length === 0)
    throw new UsageError('resolve: name the agents to resolve, or pass --all');
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  if (targetSource(config) === undefined) {
    throw new UsageError(
      `resolve: ${root} has no registry, so there is nothing to write to; ${NO_REGISTRY_LINE} (or set policy.target)`,
    );
  }
  if (opts.prefer !== undefined && !config.sources.some((s) => s.name === opts.prefer)) {
    throw new UsageError(
      `--prefer: no source named '${opts.prefer}' (sources: ${config.sources.map((s) => s.name).join(', ')})`,
    );
  }
  const engine = await Engine.open(root, config);
  try {
    if (!opts.dryRun) await journalBefore(engine, err);
    const r = await engine.resolve(opts.all ? 'all' : agents, {
      dryRun: opts.dryRun === true,
      ...(opts.prefer ? { prefer: opts.prefer } : {}),
    });
    printAction(r, opts.json, opts.color, out);
    journalAfter(engine, err);
    const ok = r.agents.every(
      (a) => a.status === 'resolved' || a.status === 'in-sync' || (opts.dryRun && a.status === 'planned'),
    );
    return ok && !(r.action === null && r.attempts > 1 && r.agents.length === 0) ? 0 : 1;
  } finally {
    await engine.close();
  }
}

export async function runUndo(
  actionId: string | undefined,
  opts: { root: string; config?: string; json?: boolean; color?: boolean },
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const root = path.resolve(opts.root);
  const engine = await Engine.open(root, loadConfig(root, opts.config));
  try {
    // Undo works from the readable entries; a damaged line it skips is named first.
    await journalBefore(engine, err);
    const r = await engine.undo(actionId);
    printAction(r, opts.json, opts.color, out);
    journalAfter(engine, err);
    return r.action !== null && r.agents.every((a) => a.status === 'restored') ? 0 : 1;
  } finally {
    await engine.close();
  }
}

export async function runLog(
  opts: { root: string; config?: string; json?: boolean; limit?: string },
  out: NodeJS.WriteStream = process.stdout,
  err: NodeJS.WriteStream = process.stderr,
): Promise<number> {
  const root = path.resolve(opts.root);
  const engine = await Engine.open(root, loadConfig(root, opts.config));
  try {
    const { entries, diagnostics } = await engine.readJournal();
    const limit = opts.limit === undefined ? Infinity : Number(opts.limit);
    if (!(limit > 0)) throw new UsageError(`--limit: expected a positive number, found '${opts.limit}'`);
    printDiagnostics(diagnostics, err);
    if (opts.json) {
      // One entry per change, as before write-ahead: its outcome, or its intent when none
      // was recorded (interrupted). The journal file itself holds both.
      const changes = journalActions(entries).flatMap((a) => a.changes.map((c) => c.entry));
      out.write(stringifyForTerminal(changes.slice(-limit)) + '\n');
      return 0;
    }
    // One line per action, one per change (an intent and its outcome are one change).
    const actions = journalActions(entries).slice(-limit);
    for (const a of actions) {
      // Who did it, where the journal is shared in a store (README.md "Several hosts").
      const by = a.changes.find((c) => c.entry.by !== undefined)?.entry.by;
      out.write(sanitizeText(actionHeadline(a) + (by !== undefined ? `  by ${by}` : '')) + '\n');
      for (const { entry: e, state } of a.changes) {
        out.write(
          `  ${sanitizeText(e.agent)}  ${sanitizeText(e.field)}  ${show(e.before)} -> ${show(e.after)}  ${state}${e.truthFrom ? `  (truth: ${sanitizeText(e.truthFrom)})` : ''}${e.message ? `  ${sanitizeText(e.message)}` : ''}\n`,
        );
      }
    }
    if (actions.length === 0) out.write('the journal is empty\n');
    return 0;
  } finally {
    await engine.close();
  }
}
