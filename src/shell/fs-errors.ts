// Errno errors, answered the same way everywhere: the code of an error (`errorCode`),
// whether it means "not there" (`isNotFound`), and one line for people (`describeError`).
// Every shell module asks these, so one error never reads as two different things.

const MEANINGS: Record<string, string> = {
  ENOSPC: 'disk full',
  EDQUOT: 'disk quota exceeded',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'not found',
  EEXIST: 'already exists',
  EXDEV: 'cannot rename across file systems',
  EIO: 'input/output error',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EBUSY: 'resource busy',
  ETXTBSY: 'file busy',
  ENAMETOOLONG: 'name too long',
  ELOOP: 'too many levels of symbolic links',
  EFBIG: 'file too large',
  EINVAL: 'invalid argument',
  EAGAIN: 'resource temporarily unavailable',
  ESTALE: 'stale file handle',
  EILSEQ: 'not valid UTF-8',
  ENOTFILE: 'not a regular file',
};

/** The errno code of an error (`ENOENT`, `EACCES` ...); `EUNKNOWN` when it has none. */
export function errorCode(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code ? code : 'EUNKNOWN';
}

/** `disk full (ENOSPC)`: the meaning of an errno code, with the code. */
export function describeCode(code: string): string {
  const meaning = MEANINGS[code];
  return meaning ? `${meaning} (${code})` : `error ${code}`;
}

/**
 * What went wrong, for a message: `disk full (ENOSPC)` for an errno error; for an exception
 * without a code (a bug, or a layer that throws plain errors), its own first line, so the
 * cause is named rather than shown as `error EUNKNOWN`.
 */
export function describeError(e: unknown): string {
  const code = errorCode(e);
  if (code !== 'EUNKNOWN') return describeCode(code);
  const text = e instanceof Error ? e.message : String(e);
  const line = showFile(text.split('\n')[0]!.trim()).slice(0, 200);
  return line ? `unexpected error (${line})` : describeCode(code);
}

/** A path as one printable line. */
export function showFile(p: string): string {
  return p.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Whether the error means the file is not there (yet): ENOENT, or ENOTDIR (a part of the
 * path is a file). Only this may be passed over in silence; EACCES, EISDIR, EIO ... are
 * problems to report.
 */
export function isNotFound(e: unknown): boolean {
  const code = errorCode(e);
  return code === 'ENOENT' || code === 'ENOTDIR';
}
