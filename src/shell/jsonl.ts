// JSON-lines files (the journal, the history): the folder made before the first append
// (and made again when it was removed), one append with the torn-line repair and the fsync
// that both rely on, and one reader that names every bad line by its number. A batch of
// lines is ONE write on an O_APPEND descriptor followed by fsync, so it lands whole or,
// after a crash, as a torn last line (which the readers report and skip); the next append
// first ends such a line, so that it starts a line of its own.
import type { Diagnostic } from '../core/types.js';
import { parseJsonLines, type JsonlReading } from '../core/read/parse/jsonl-entries.js';
import { readWhole } from './read-whole.js';
import * as path from 'node:path';
import type { FsLayer } from './fs-layer.js';

export { type JsonlReading } from '../core/read/parse/jsonl-entries.js';

/** What the append was doing when it failed, for the caller's one-line error. */
export type JsonlDoing = 'reading the end of' | 'appending to' | 'flushing';

/**
 * Makes the folder a JSON-lines file lives in (mkdir -p), before its first append. Throws
 * `failed(e, 'creating the folder of')`.
 */
export async function makeFolder(
  fs: FsLayer,
  dir: string,
  failed: (e: unknown, doing: 'creating the folder of') => Error,
): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
  } catch (e) {
    throw failed(e, 'creating the folder of');
  }
}

/**
 * Makes `dir` again after it was removed, only if its parent folder exists (so a removed
 * root is not brought back by a process that outlived it). True when `dir` exists now.
 * The journal does so at once, the history only once the folder has been missing a while.
 */
export async function remakeFolder(fs: FsLayer, dir: string): Promise<boolean> {
  try {
    if (!(await fs.stat(path.dirname(dir))).isDirectory()) return false;
    await fs.mkdir(dir, { recursive: true });
    return true;
  } catch {
    return false;
  }
}

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
