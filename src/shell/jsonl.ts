// JSON-lines files (the journal, the history): one append with the torn-line repair and
// the fsync that both rely on, and one reader that names every bad line by its number. A batch of lines is ONE write on an O_APPEND descriptor
// followed by fsync, so it lands whole or, after a crash, as a torn last line (which the
// readers report and skip); the next append first ends such a line, so that it starts a
// line of its own.
import type { Diagnostic } from '../core/types.js';
import { readWhole } from './read-whole.js';
import type { FsLayer } from './fs-layer.js';

/** What the append was doing when it failed, for the caller's one-line error. */
export type JsonlDoing = 'reading the end of' | 'appending to' | 'flushing';

/**
 * Appends `body` (whole lines, each ending in '\n') to the file open on `fd` (O_APPEND),
 * after a '\n' when the file does not end with one, then fsyncs. Throws `failed(e, doing)`.
 */
export async function appendJsonLines(
  fs: FsLayer,
  fd: number,
  body: Buffer,
  failed: (e: unknown, doing: JsonlDoing) => Error,
): Promise<void> {
  let prefix = false;
  try {
    const st = await fs.fstat(fd);
    if (st.size > 0) {
      const last = Buffer.alloc(1);
      const n = await fs.read(fd, last, 0, 1, st.size - 1);
      prefix = n === 1 && last[0] !== 0x0a;
    }
  } catch (e) {
    throw failed(e, 'reading the end of');
  }
  const bytes = prefix ? Buffer.concat([Buffer.from('\n'), body]) : body;
  let off = 0;
  try {
    while (off < bytes.length) {
      const n = await fs.write(fd, bytes, off, bytes.length - off, null);
      if (n <= 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
      off += n;
    }
  } catch (e) {
    throw failed(e, 'appending to');
  }
  try {
    await fs.fsync(fd);
  } catch (e) {
    throw failed(e, 'flushing');
  }
}

/** How a reader names what it skips: the diagnostic codes, and the message for a bad entry. */
export interface JsonlReading {
  /** How the file is named in diagnostics. */
  label: string;
  /** Why a parsed value is not an entry of this file, or null when it is one. */
  check: (v: unknown) => string | null;
  codes: { torn: string; corrupt: string; bad: string };
  /** The message for a line that is JSON but not an entry (`problem` from `check`). */
  badEntry: (line: number, problem: string) => string;
}

/**
 * JSON lines -> entries, tolerant: a BOM, CRLF endings and blank lines are accepted; a
 * cut-off last line (an interrupted append), a line that is not JSON and a value `check`
 * refuses each become a warning naming the line (1-based) and are skipped.
 */
export function parseJsonLines<T>(
  text: string,
  reading: JsonlReading,
): { entries: T[]; diagnostics: Diagnostic[] } {
  const entries: T[] = [];
  const diagnostics: Diagnostic[] = [];
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const warn = (code: string, message: string, line: number): void => {
    diagnostics.push({ severity: 'warning', code, message, file: reading.label, line, column: 1 });
  };
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const lineNo = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === lines.length - 1 && !endsWithNewline)
        warn(reading.codes.torn, `line ${lineNo} is cut off (an interrupted write); skipped`, lineNo);
      else warn(reading.codes.corrupt, `line ${lineNo} is not valid JSON; skipped`, lineNo);
      return;
    }
    const problem = reading.check(value);
    if (problem) {
      warn(reading.codes.bad, reading.badEntry(lineNo, problem), lineNo);
      return;
    }
    entries.push(value as T);
  });
  return { entries, diagnostics };
}

/**
 * Reads a whole JSON-lines file (at most `maxBytes`) and parses it as `parseJsonLines`
 * does. Null when there is no such file; throws (an IoFailure naming the file) when it
 * cannot be read.
 */
export async function readJsonLines<T>(
  fs: FsLayer,
  file: string,
  maxBytes: number,
  reading: JsonlReading,
): Promise<{ entries: T[]; diagnostics: Diagnostic[] } | null> {
  const bytes = await readWhole(fs, file, maxBytes);
  return bytes === null ? null : parseJsonLines<T>(bytes.toString('utf8'), reading);
}
