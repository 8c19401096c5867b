// Guarded atomic replace of one file (docs/DESIGN.md principle 4: never lose a write).
//
// replaceIfUnchanged(path, expected, next):
//   1. read the file; if it is not exactly `expected` any more, someone else wrote it:
//      return 'changed' with what is there now (the caller re-reads, re-plans, retries);
//   2. write `next` to a temp file in the SAME folder (`.<base>.sync-tui-<pid>-<hex>.tmp`),
//      created exclusively, given the original's owner (best effort) and mode, fsync'd;
//   3. read the file again right before the rename, synchronously and in the same turn of
//      the event loop as the rename on the real file system (narrows the window in which
//      another writer could be overwritten to microseconds; it cannot close it: there is no
//      compare-and-swap rename), and return 'changed' if it moved;
//   4. rename the temp file over the file (atomic within one file system), fsync the
//      folder (best effort) so the rename itself survives a power cut.
// A reader, or a crash at any moment, sees either the old or the new content, never a mix.
// On any failure the temp file is removed and the original is untouched; nothing throws.
//
// The file system is injectable (`FsLayer`, src/shell/fs-layer.ts) so that faults (disk
// full, read-only, EXDEV, failing fsync) can be tested.
//
// Known limits: the replaced file is a new inode, so hard links to it keep the old
// content, and extended attributes / ACLs are not copied (mode and, where permitted, owner
// are). A symlink is followed: the file it points to is replaced and the link kept.
import * as nodeFs from 'node:fs';
import * as path from 'node:path';

import { O, realFs, type FsLayer, type FsStat } from './fs-layer.js';

// The file-system layer lives in fs-layer.ts; re-exported for existing importers.
export { realFs, type FsLayer } from './fs-layer.js';

export type ReplaceOutcome =
  | { ok: true; text: string }
  | { ok: false; reason: 'changed'; currentText: string; message: string }
  | { ok: false; reason: 'io'; code: string; message: string };

/** Files larger than this are not read back for the comparison (a registry is far smaller). */
export const MAX_COMPARE_BYTES = 64 * 1024 * 1024;

// Errors as one line: src/shell/fs-errors.ts (one answer per error everywhere).
import { describeCode, describeError, errorCode, showFile } from './fs-errors.js';
import { IoFailure, readWhole } from './read-whole.js';
// Our temp files (temp-files.ts), re-exported for existing importers.
export { cleanupStaleTemps, isTempFor, tempName } from './temp-files.js';
import { tempName } from './temp-files.js';

function io(code: string, message: string): ReplaceOutcome {
  return { ok: false, reason: 'io', code, message };
}

// ---------------------------------------------------------------------------------------
// Reading

type Current = { kind: 'text'; text: string; bytes: Buffer } | { kind: 'missing' };

async function readCurrent(fs: FsLayer, file: string, doing: string): Promise<Current> {
  const bytes = await readWhole(fs, file, MAX_COMPARE_BYTES, doing);
  return bytes === null ? { kind: 'missing' } : { kind: 'text', text: bytes.toString('utf8'), bytes };
}

/**
 * Compares what is on disk with `expected`. Returns null when they are the same, else the
 * outcome to return.
 */
function compare(file: string, cur: Current, expected: string, when: string): ReplaceOutcome | null {
  if (cur.kind === 'missing') {
    if (expected === '') return null;
    return {
      ok: false,
      reason: 'changed',
      currentText: '',
      message: `${showFile(file)} was removed ${when}; not replaced`,
    };
  }
  if (cur.text !== expected) {
    return {
      ok: false,
      reason: 'changed',
      currentText: cur.text,
      message: `${showFile(file)} was changed by someone else ${when}; not replaced`,
    };
  }
  if (!cur.bytes.equals(Buffer.from(expected, 'utf8'))) {
    // The same text after decoding, different bytes: invalid UTF-8 that a write would replace.
    return io('EILSEQ', `${showFile(file)} contains bytes that are not valid UTF-8; not replaced`);
  }
  return null;
}

// ---------------------------------------------------------------------------------------
// The replace

/** Replaces the file at `absPath` with `next` if it still holds exactly `expected`. Never throws. */
export async function replaceIfUnchanged(
  absPath: string,
  expected: string,
  next: string,
  opts: { fs?: FsLayer } = {},
): Promise<ReplaceOutcome> {
  const fs = opts.fs ?? realFs;
  try {
    return await replace(fs, path.resolve(absPath), expected, next);
  } catch (e) {
    if (e instanceof IoFailure) return io(e.code, e.message);
    const code = errorCode(e);
    return io(code, `${describeError(e)} while replacing ${showFile(absPath)}`);
  }
}

async function replace(
  fs: FsLayer,
  requested: string,
  expected: string,
  next: string,
): Promise<ReplaceOutcome> {
  // Follow a symlink so that the link stays a link and the file it points to is replaced.
  let target = requested;
  try {
    const l = await fs.lstat(requested);
    if (l.isSymbolicLink()) target = await fs.realpath(requested);
  } catch (e) {
    const code = errorCode(e);
    if (code !== 'ENOENT') return io(code, `${describeError(e)} while looking at ${showFile(requested)}`);
  }

  const first = await readCurrent(fs, target, 'reading');
  if (first.kind === 'missing' && expected !== '')
    return io('ENOENT', `${showFile(requested)} ${describeCode('ENOENT')}; nothing was written`);
  const differs = compare(requested, first, expected, 'since it was read');
  if (differs) return differs;

  let original: FsStat | null = null;
  if (first.kind === 'text') {
    try {
      original = await fs.stat(target);
    } catch (e) {
      const code = errorCode(e);
      return io(code, `${describeError(e)} while looking at ${showFile(requested)}`);
    }
  }

  const dir = path.dirname(target);
  const tmp = path.join(dir, tempName(path.basename(target)));
  const what = `${showFile(requested)}; the file was not changed`;
  let fd: number | null = null;
  let created = false;
  /** Closes and removes the temp file; says so when it could not be removed. */
  const cleanup = async (): Promise<string> => {
    if (fd !== null) await fs.close(fd).catch(() => undefined);
    fd = null;
    if (!created) return '';
    created = false;
    try {
      await fs.unlink(tmp);
    } catch (e) {
      if (errorCode(e) !== 'ENOENT')
        return ` (the temporary file ${showFile(tmp)} could not be removed: ${describeCode(errorCode(e))})`;
    }
    return '';
  };
  /** `cause`: an errno code, or the error itself (named by describeError). */
  const fail = async (cause: unknown, doing: string): Promise<ReplaceOutcome> => {
    const leftover = await cleanup();
    const code = typeof cause === 'string' ? cause : errorCode(cause);
    const why = typeof cause === 'string' ? describeCode(cause) : describeError(cause);
    return io(code, `${why} while ${doing} ${what}${leftover}`);
  };

  try {
    fd = await fs.open(tmp, O.WRONLY | O.CREAT | O.EXCL, original ? 0o600 : 0o666);
    created = true;
  } catch (e) {
    return fail(e, 'creating a temporary file next to');
  }
  const bytes = Buffer.from(next, 'utf8');
  try {
    let off = 0;
    while (off < bytes.length) {
      const n = await fs.write(fd, bytes, off, bytes.length - off, off);
      if (n <= 0) return fail('EIO', 'writing a temporary copy of');
      off += n;
    }
  } catch (e) {
    return fail(e, 'writing a temporary copy of');
  }
  if (original) {
    // Owner first: chown may clear set-id bits, which chmod then restores.
    if (
      typeof process.getuid === 'function' &&
      (original.uid !== process.getuid() || original.gid !== process.getgid?.())
    ) {
      await fs.fchown(fd, original.uid, original.gid).catch(() => undefined); // best effort: needs privileges
    }
    try {
      await fs.fchmod(fd, original.mode & 0o7777);
    } catch (e) {
      return fail(e, 'setting the permissions of a temporary copy of');
    }
  }
  try {
    await fs.fsync(fd);
  } catch (e) {
    return fail(e, 'flushing a temporary copy of');
  }
  try {
    const closing = fd;
    fd = null;
    await fs.close(closing);
  } catch (e) {
    return fail(e, 'closing a temporary copy of');
  }

  // Last look before the rename. On the real file system it is made synchronously, in the
  // same turn of the event loop as the rename (see sameBytesNow): another writer's rename
  // that lands between the look and ours is lost, and with awaited calls that window spans
  // several round trips through the event loop (open, fstat, read, read, close, rename),
  // milliseconds each when the loop is busy: a coordinator writing every few milliseconds
  // lost about one write in ten to `watch --auto-resolve` that way. Synchronously it is a
  // few microseconds. (An injected layer keeps the awaited path, so faults can be injected.)
  if (fs === realFs && sameBytesNow(target, Buffer.from(expected, 'utf8'))) {
    try {
      nodeFs.renameSync(tmp, target);
    } catch (e) {
      return fail(e, 'moving the new content into place for');
    }
    created = false;
    await syncDir(fs, dir);
    return { ok: true, text: next };
  }
  let again: Current;
  try {
    again = await readCurrent(fs, target, 'reading again');
  } catch (e) {
    return fail(e instanceof IoFailure ? (e.original ?? e.code) : e, 're-reading');
  }
  const moved = compare(requested, again, expected, 'while the new content was being written');
  if (moved) {
    await cleanup();
    return moved;
  }

  try {
    await fs.rename(tmp, target);
  } catch (e) {
    return fail(e, 'moving the new content into place for');
  }
  created = false;
  await syncDir(fs, dir);
  return { ok: true, text: next };
}

/**
 * Whether `file` holds exactly `expected` right now (absent counts as holding ''), read
 * synchronously. Anything unusual (not a regular file, another size, an error) is false:
 * the caller then reads it the careful way, which says what is wrong.
 */
function sameBytesNow(file: string, expected: Buffer): boolean {
  let fd: number;
  try {
    fd = nodeFs.openSync(file, O.RDONLY | O.NONBLOCK);
  } catch (e) {
    return errorCode(e) === 'ENOENT' && expected.length === 0;
  }
  try {
    const st = nodeFs.fstatSync(fd);
    if (!st.isFile() || st.size !== expected.length) return false;
    const buf = Buffer.alloc(expected.length + 1);
    let n = 0;
    for (;;) {
      const got = nodeFs.readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
      if (n === buf.length) break;
    }
    return n === expected.length && buf.subarray(0, n).equals(expected);
  } catch {
    return false;
  } finally {
    try {
      nodeFs.closeSync(fd);
    } catch {
      // nothing to do
    }
  }
}

/** fsync a folder so a rename in it is durable (best effort: not every platform allows it). */
export async function syncDir(fs: FsLayer, dir: string): Promise<void> {
  let fd: number | null = null;
  try {
    fd = await fs.open(dir, O.RDONLY);
    await fs.fsync(fd);
  } catch {
    // EISDIR/EINVAL/EPERM on some platforms and file systems: the data is written anyway.
  } finally {
    if (fd !== null) await fs.close(fd).catch(() => undefined);
  }
}
