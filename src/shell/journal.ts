// The audit journal: one JSON object per line in `<state dir>/journal.jsonl`.
//
// Every change sync-tui makes (and every refusal or failure) is recorded with its before
// and after values, so it can be shown (`sync-tui log`) and undone (`sync-tui undo`).
// Entries of one resolve or undo share an action id. Write-ahead (core/journal-model.ts):
// the intents of an action are appended before the registry is written, its outcomes
// after; each batch with ONE write (O_APPEND) followed by fsync, so it lands whole or
// (after a crash) as a torn last line, which `read` reports and skips. Appending after a
// torn line starts a new line.
import * as path from 'node:path';
import { JOURNAL_OUTCOMES, type JournalEntry } from '../core/write/journal-model.js';
import type { Diagnostic } from '../core/types.js';
import { appendJsonLines, makeFolder, readJsonLines, remakeFolder } from './jsonl.js';
import { describeError, errorCode, showFile } from './fs-errors.js';
import { O, realFs, type FsLayer } from './fs-layer.js';
import { escapesRoot } from './fsread.js';

export type { JournalEntry } from '../core/write/journal-model.js';

export interface JournalAction {
  id: string;
  at: string;
  kind: string;
  entries: JournalEntry[];
}

/** A journal write failed; `message` is one line naming the file and the cause. */
export class JournalError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JournalError';
  }
}

/** What the engine and `undo` need of a journal: this file, or a stream (shell/nats/stream-journal.ts). */
export interface JournalStore {
  append(entries: readonly JournalEntry[]): Promise<void>;
  read(): Promise<{ entries: JournalEntry[]; diagnostics: Diagnostic[] }>;
  close?(): Promise<void>;
}

export const JOURNAL_FILE = 'journal.jsonl';
/** The journal is read whole; past this size `read` reports it instead. */
export const MAX_JOURNAL_BYTES = 256 * 1024 * 1024;

const KINDS = new Set(['resolve', 'undo']);
const OUTCOMES = new Set<string>(JOURNAL_OUTCOMES);

function isStr(v: unknown): v is string {
  return typeof v === 'string';
}

/** Why `v` is not a journal entry, or null when it is one. */
export function entryProblem(v: unknown): string | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not an object';
  const e = v as Record<string, unknown>;
  if (e['v'] !== 1) return `unsupported version ${JSON.stringify(e['v'] ?? null)}`;
  for (const k of ['action', 'at', 'agent', 'field', 'target', 'file'] as const)
    if (!isStr(e[k])) return `"${k}" is missing or not a string`;
  if (!isStr(e['kind']) || !KINDS.has(e['kind'])) return '"kind" is not resolve or undo';
  if (!isStr(e['outcome']) || !OUTCOMES.has(e['outcome']))
    return '"outcome" is not intent, applied, verified, failed or refused';
  if (!Array.isArray(e['path']) || !e['path'].every(isStr)) return '"path" is not a list of strings';
  for (const k of ['truthFrom', 'undoes', 'message', 'by'] as const)
    if (e[k] !== undefined && !isStr(e[k])) return `"${k}" is not a string`;
  return null;
}

export class Journal {
  readonly file: string;
  private readonly fs: FsLayer;
  private readonly label: string;
  private dirReady = false;

  /**
   * @param dir absolute state folder; created (mkdir -p) on the first append.
   * @param opts.label how the journal file is named in diagnostics (e.g. relative to the root).
   */
  private readonly root: string | undefined;

  constructor(
    readonly dir: string,
    opts: { fs?: FsLayer; label?: string; root?: string } = {},
  ) {
    this.file = path.join(dir, JOURNAL_FILE);
    this.fs = opts.fs ?? realFs;
    this.label = opts.label ?? this.file;
    this.root = opts.root;
  }

  /** With a root: refuses a state folder that leads out of it (see escapesRoot). */
  private confined(): JournalError | null {
    if (this.root === undefined) return null;
    const why = escapesRoot(this.root, this.dir);
    return why === null
      ? null
      : new JournalError('EXDEV', `the journal ${showFile(this.label)} is not used: ${why}`);
  }

  /** `a-20261124T101500Z-3f9c`: the UTC time to the second and 16 random bits. */
  static newActionId(now: Date, random: () => number = Math.random): string {
    const stamp = now
      .toISOString()
      .replace(/\.\d+Z$/, 'Z')
      .replace(/[-:]/g, '');
    const r = Math.min(0xffff, Math.max(0, Math.floor(random() * 0x10000)));
    return `a-${stamp}-${r.toString(16).padStart(4, '0')}`;
  }

  /**
   * Appends the entries with one write and an fsync (they land together). Rejects with a
   * JournalError (one-line message) when the journal cannot be written.
   */
  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    for (const e of entries) {
      const problem = entryProblem(e);
      if (problem) throw new JournalError('EINVAL', `refusing to journal a malformed entry (${problem})`);
    }
    const body = entries.map((e) => JSON.stringify(e)).join('\n') + '\n';
    const escaped = this.confined();
    if (escaped) throw escaped;
    const fs = this.fs;
    const where = showFile(this.file);
    const failed = (e: unknown, doing: string): JournalError => {
      return new JournalError(errorCode(e), `${describeError(e)} while ${doing} the journal ${where}`);
    };
    if (!this.dirReady) {
      await makeFolder(fs, this.dir, failed);
      this.dirReady = true;
    }
    let fd: number;
    try {
      fd = await fs.open(this.file, O.RDWR | O.APPEND | O.CREAT, 0o644);
    } catch (e) {
      // The state folder was removed after it was made (a long-running watch outlives it):
      // make it again, if the folder it lives in is still there (never re-create a root).
      if (errorCode(e) !== 'ENOENT' || !(await remakeFolder(fs, this.dir))) throw failed(e, 'opening');
      try {
        fd = await fs.open(this.file, O.RDWR | O.APPEND | O.CREAT, 0o644);
      } catch (again) {
        throw failed(again, 'opening');
      }
    }
    try {
      await appendJsonLines(fs, fd, Buffer.from(body, 'utf8'), failed);
    } finally {
      await fs.close(fd).catch(() => undefined);
    }
  }

  /** All readable entries, in file order; bad lines become diagnostics. Never throws. */
  async read(): Promise<{ entries: JournalEntry[]; diagnostics: Diagnostic[] }> {
    const diagnostics: Diagnostic[] = [];
    const entries: JournalEntry[] = [];
    const escaped = this.confined();
    if (escaped) {
      diagnostics.push({
        severity: 'error',
        code: 'journal-outside-root',
        message: escaped.message,
        file: this.label,
      });
      return { entries, diagnostics };
    }
    let got: { entries: JournalEntry[]; diagnostics: Diagnostic[] } | null;
    try {
      got = await readJsonLines<JournalEntry>(this.fs, this.file, MAX_JOURNAL_BYTES, {
        label: this.label,
        check: entryProblem,
        codes: { torn: 'journal-torn-line', corrupt: 'journal-corrupt-line', bad: 'journal-bad-entry' },
        badEntry: (line, problem) => `line ${line} is not a journal entry (${problem}); skipped`,
      });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      diagnostics.push({
        severity: 'error',
        code: 'journal-unreadable',
        message: `the journal cannot be read: ${message}`,
        file: this.label,
      });
      return { entries, diagnostics };
    }
    return got ?? { entries, diagnostics };
  }

  /** Entries grouped by action, in the order the actions were first written. Never throws. */
  async actions(): Promise<JournalAction[]> {
    const { entries } = await this.read();
    return groupActions(entries);
  }
}

/** Groups entries by action id, in order of first appearance. */
export function groupActions(entries: readonly JournalEntry[]): JournalAction[] {
  const byId = new Map<string, JournalAction>();
  for (const e of entries) {
    let a = byId.get(e.action);
    if (!a) {
      a = { id: e.action, at: e.at, kind: e.kind, entries: [] };
      byId.set(e.action, a);
    }
    a.entries.push(e);
  }
  return [...byId.values()];
}

/** One journal entry of an action on a target (the optional keys only when given). */
export function journalEntry(
  at: Date,
  action: string,
  kind: 'resolve' | 'undo',
  target: { name: string; path: string },
  change: { agent: string; field: string; path: string[]; before: unknown; after: unknown },
  outcome: JournalEntry['outcome'],
  extra: {
    truthFrom?: string;
    undoes?: string;
    message?: string;
    revisions?: { before: number; after: number } | undefined;
  } = {},
): JournalEntry {
  const e: JournalEntry = {
    v: 1,
    action,
    at: at.toISOString(),
    kind,
    agent: change.agent,
    field: change.field,
    target: target.name,
    file: target.path,
    path: change.path,
    before: change.before,
    after: change.after,
    outcome,
  };
  if (extra.truthFrom !== undefined) e.truthFrom = extra.truthFrom;
  if (extra.undoes !== undefined) e.undoes = extra.undoes;
  if (extra.message !== undefined) e.message = extra.message;
  if (extra.revisions) {
    e.revisionBefore = extra.revisions.before;
    e.revisionAfter = extra.revisions.after;
  }
  return e;
}

/** A journal failure as one line (a JournalError's message names the file and cause). */
export function journalFailure(e: unknown): string {
  return `the journal could not be written: ${e instanceof Error ? e.message : String(e)}`;
}
