// The verdict history `watch` keeps beside the journal: `<stateDir>/history.jsonl`, one
// JSON object per line (see core/history-report.ts for the shapes). Written like the
// journal: the lines of one batch go out in ONE write to a file opened with O_APPEND,
// then fsync, so a crash leaves at most a torn last line, which readers skip; an append
// after a torn line starts a new line.
//
// Bounded: appends are buffered (at most `maxPending` lines wait while a write is in
// flight; beyond that the oldest are dropped and counted), and when the file would grow
// past `maxBytes` (20 MB) it is renamed to history.jsonl.1 (replacing the previous one)
// and a new file is started. Readers read .1 then the current file. So the history never
// takes more than about 2 x maxBytes on disk.
//
// Also here: JsonlTail, which reads the lines appended to a JSON-lines file since the last
// look (watch uses it to notice resolves made by other sync-tui processes in the journal).
import * as fsp from 'node:fs/promises';
import * as path from 'node:path';
import { historyReading, type HistoryEntry } from '../core/report/history-report.js';
import type { Diagnostic } from '../core/types.js';
import { appendJsonLines, makeFolder, readJsonLines, remakeFolder } from './jsonl.js';
import { O, realFs, type FsLayer } from './fs-layer.js';
import { describeError, errorCode, isNotFound, showFile } from './fs-errors.js';
import { escapesRoot } from './fsread.js';

export const HISTORY_FILE = 'history.jsonl';
export const MAX_HISTORY_BYTES = 20 * 1024 * 1024;
/** A vanished state folder is made again only after it has been missing this long. */
const REMAKE_AFTER_MS = 2000;

export interface HistoryOptions {
  fs?: FsLayer;
  maxBytes?: number;
  maxPending?: number;
  /** A write failed (one line); called once per failure streak, not per batch. */
  onError?: (message: string) => void;
  /** The root the history must stay inside (a state folder symlinked out is refused). */
  root?: string;
  /** Wall clock (ms) for the re-make grace period; default Date.now. */
  clock?: () => number;
}

export class HistoryWriter {
  readonly file: string;
  private readonly fs: FsLayer;
  private readonly maxBytes: number;
  private readonly maxPending: number;
  private pending: string[] = [];
  private writing: Promise<void> | null = null;
  private dirReady = false;
  private failing = false;
  /** When the state folder was first found missing (see open). */
  private missingSince: number | null = null;
  /** The file has been opened (so exists, or existed). */
  private opened = false;
  dropped = 0;

  constructor(
    readonly dir: string,
    private readonly opts: HistoryOptions = {},
  ) {
    this.file = path.join(dir, HISTORY_FILE);
    this.fs = opts.fs ?? realFs;
    this.maxBytes = opts.maxBytes ?? MAX_HISTORY_BYTES;
    this.maxPending = opts.maxPending ?? 10_000;
  }

  /** Queue entries; they are written together with whatever else is waiting. Never throws. */
  append(entries: readonly HistoryEntry[]): void {
    if (entries.length === 0) return;
    for (const e of entries) this.pending.push(JSON.stringify(e));
    if (this.pending.length > this.maxPending) {
      const excess = this.pending.length - this.maxPending;
      this.pending.splice(0, excess);
      this.dropped += excess;
    }
    if (!this.writing) this.writing = this.loop();
  }

  /** Resolves once everything appended so far is written (or failed). */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
  }

  private async loop(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const lines = this.pending;
        this.pending = [];
        try {
          await this.write(lines.join('\n') + '\n');
          this.failing = false;
        } catch (e) {
          if (!this.failing) this.opts.onError?.(e instanceof Error ? e.message : String(e));
          this.failing = true;
        }
      }
    } finally {
      this.writing = null;
    }
  }

  private async write(body: string): Promise<void> {
    const fs = this.fs;
    const where = showFile(this.file);
    const failed = (e: unknown, doing: string) =>
      new Error(`${describeError(e)} while ${doing} the history ${where}`);
    const escaped = this.opts.root === undefined ? null : escapesRoot(this.opts.root, this.dir);
    if (escaped !== null) throw new Error(`the history ${where} is not written: ${escaped}`);
    if (!this.dirReady) {
      await makeFolder(fs, this.dir, failed);
      this.dirReady = true;
    }
    const bytes = Buffer.from(body, 'utf8');
    let fd = await this.open(failed);
    try {
      const st = await fs.fstat(fd);
      if (st.size > 0 && st.size + bytes.length > this.maxBytes) {
        await fs.close(fd).catch(() => undefined);
        try {
          await fs.rename(this.file, this.file + '.1');
        } catch (e) {
          // Another watch may have rotated it a moment ago; anything else is worth saying.
          if (errorCode(e) !== 'ENOENT') throw failed(e, 'rotating');
        }
        this.opened = false; // a new file is due
        fd = await this.open(failed);
      }
      // One message for every step of the append, as before: 'appending to'.
      await appendJsonLines(fs, fd, bytes, (e) => failed(e, 'appending to'));
    } catch (e) {
      throw e instanceof Error && e.message.includes('the history') ? e : failed(e, 'appending to');
    } finally {
      await fs.close(fd).catch(() => undefined);
    }
  }

  private async open(failed: (e: unknown, doing: string) => Error): Promise<number> {
    try {
      // Once the file exists it is never created again at once: a file that vanished means
      // its folder is being removed (see below), and creating it would stop that.
      const fd = await this.fs.open(
        this.file,
        this.opened ? O.RDWR | O.APPEND : O.RDWR | O.APPEND | O.CREAT,
        0o644,
      );
      this.missingSince = null;
      this.opened = true;
      return fd;
    } catch (e) {
      // The state folder was removed while watch ran: make it again if its parent (the
      // root) is there; a removed root stays removed. Not at once: someone deleting the
      // whole root (rm -rf) must not find the folder re-made under their feet; only once it
      // has been missing for REMAKE_AFTER_MS.
      if (errorCode(e) !== 'ENOENT') throw failed(e, 'opening');
      const now = (this.opts.clock ?? Date.now)();
      this.missingSince ??= now;
      if (now - this.missingSince < REMAKE_AFTER_MS || !(await remakeFolder(this.fs, this.dir)))
        throw failed(e, 'opening');
      this.missingSince = null;
      try {
        return await this.fs.open(this.file, O.RDWR | O.APPEND | O.CREAT, 0o644);
      } catch (again) {
        throw failed(again, 'opening');
      }
    }
  }
}

/** The history (rotated part first), tolerant of torn and bad lines. Never throws. */
export async function readHistory(
  dir: string,
  opts: { fs?: FsLayer; label?: string; maxBytes?: number } = {},
): Promise<{ entries: HistoryEntry[]; diagnostics: Diagnostic[] }> {
  const fs = opts.fs ?? realFs;
  const max = opts.maxBytes ?? 4 * MAX_HISTORY_BYTES;
  const entries: HistoryEntry[] = [];
  const diagnostics: Diagnostic[] = [];
  const label = opts.label ?? path.join(dir, HISTORY_FILE);
  for (const [file, shown] of [
    [path.join(dir, HISTORY_FILE + '.1'), label + '.1'],
    [path.join(dir, HISTORY_FILE), label],
  ] as const) {
    let got: { entries: HistoryEntry[]; diagnostics: Diagnostic[] } | null;
    try {
      got = await readJsonLines<HistoryEntry>(fs, file, max, historyReading(shown));
    } catch (e) {
      diagnostics.push({
        severity: 'error',
        code: 'history-unreadable',
        message: `the history cannot be read: ${e instanceof Error ? e.message : String(e)}`,
        file: shown,
      });
      continue;
    }
    if (got === null) continue;
    entries.push(...got.entries);
    diagnostics.push(...got.diagnostics);
  }
  return { entries, diagnostics };
}

/**
 * Reads what was appended to a JSON-lines file since the last call. Starts at the end of
 * the file as it is when created (`fromStart` to read it all). A file that shrank or was
 * replaced (rotation) is read again from its start. A partial last line waits for its end;
 * one longer than `maxLine` is dropped. At most `maxRead` bytes are read per call.
 */
/** A JSON-lines file that exists but cannot be read; `message` names it and the cause. */
export class JsonlTailError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JsonlTailError';
  }
}

export class JsonlTail {
  private offset = 0;
  private rest: Buffer = Buffer.alloc(0);
  private ino: number | null = null;
  private started = false;

  constructor(
    readonly file: string,
    private readonly opts: { fromStart?: boolean; maxLine?: number; maxRead?: number } = {},
  ) {}

  async read(): Promise<unknown[]> {
    let handle: fsp.FileHandle | null = null;
    try {
      handle = await fsp.open(this.file, 'r');
      const st = await handle.stat();
      // A folder opens for reading on Linux; it is still not the file.
      if (!st.isFile())
        throw Object.assign(new Error('not a file'), { code: st.isDirectory() ? 'EISDIR' : 'ENOTFILE' });
      if (!this.started) {
        this.started = true;
        this.ino = st.ino;
        this.offset = this.opts.fromStart ? 0 : st.size;
        if (!this.opts.fromStart) return [];
      }
      if (st.ino !== this.ino || st.size < this.offset) {
        this.ino = st.ino;
        this.offset = 0;
        this.rest = Buffer.alloc(0);
      }
      if (st.size === this.offset) return [];
      const want = Math.min(st.size - this.offset, this.opts.maxRead ?? 4 * 1024 * 1024);
      const buf = Buffer.alloc(want);
      const { bytesRead } = await handle.read(buf, 0, want, this.offset);
      this.offset += bytesRead;
      const data = this.rest.length
        ? Buffer.concat([this.rest, buf.subarray(0, bytesRead)])
        : buf.subarray(0, bytesRead);
      const cut = data.lastIndexOf(0x0a);
      // Only whole lines are decoded; the partial last one waits (a UTF-8 character is never split).
      this.rest = Buffer.from(data.subarray(cut + 1));
      if (this.rest.length > (this.opts.maxLine ?? 1024 * 1024)) this.rest = Buffer.alloc(0);
      const values: unknown[] = [];
      if (cut < 0) return values;
      for (const line of data.subarray(0, cut).toString('utf8').split('\n')) {
        if (line.trim() === '') continue;
        try {
          values.push(JSON.parse(line));
        } catch {
          // a torn or foreign line: skipped
        }
      }
      return values;
    } catch (e) {
      // Only "not there (yet)" is quiet: a folder in its place, no permission, an I/O error
      // are the caller's to report (watch says so), never taken for an empty file.
      if (!isNotFound(e))
        throw new JsonlTailError(errorCode(e), `${describeError(e)} while reading ${showFile(this.file)}`);
      if (!this.started) {
        // Not there yet: everything written from now on is new.
        this.started = true;
        this.offset = 0;
      }
      return [];
    } finally {
      await handle?.close().catch(() => undefined);
    }
  }
}
