// The file-system layer: the small promise API over file descriptors that the writer
// (atomic.ts), the JSON-lines files (journal, history) and the decision store use, and
// its real implementation. Injectable so that faults (disk full, read-only, EXDEV, a
// failing fsync) can be tested; modelled on node:fs because a FileHandle-based API is
// awkward to fake. Errors as one line: fs-errors.ts.
import * as nodeFs from 'node:fs';

export interface FsStat {
  mode: number;
  uid: number;
  gid: number;
  size: number;
  mtimeMs: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

/** The subset of node:fs used by the writer and the journal, as promises over fds. */
export interface FsLayer {
  open(file: string, flags: number, mode?: number): Promise<number>;
  read(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number>;
  write(
    fd: number,
    buffer: Uint8Array,
    offset: number,
    length: number,
    position: number | null,
  ): Promise<number>;
  fsync(fd: number): Promise<void>;
  fstat(fd: number): Promise<FsStat>;
  fchmod(fd: number, mode: number): Promise<void>;
  fchown(fd: number, uid: number, gid: number): Promise<void>;
  close(fd: number): Promise<void>;
  lstat(file: string): Promise<FsStat>;
  stat(file: string): Promise<FsStat>;
  realpath(file: string): Promise<string>;
  rename(from: string, to: string): Promise<void>;
  unlink(file: string): Promise<void>;
  readdir(dir: string): Promise<string[]>;
  mkdir(dir: string, opts: { recursive: true; mode?: number }): Promise<void>;
}

function cb<T>(run: (done: (err: NodeJS.ErrnoException | null, value: T) => void) => void): Promise<T> {
  return new Promise<T>((resolve, reject) => run((err, value) => (err ? reject(err) : resolve(value))));
}

export const realFs: FsLayer = {
  open: (file, flags, mode) => cb<number>((d) => nodeFs.open(file, flags, mode ?? 0o666, d)),
  read: (fd, buffer, offset, length, position) =>
    cb<number>((d) => nodeFs.read(fd, buffer, offset, length, position, (e, n) => d(e, n))),
  write: (fd, buffer, offset, length, position) =>
    cb<number>((d) => nodeFs.write(fd, buffer, offset, length, position, (e, n) => d(e, n))),
  fsync: (fd) => cb<void>((d) => nodeFs.fsync(fd, (e) => d(e, undefined))),
  fstat: (fd) => cb<FsStat>((d) => nodeFs.fstat(fd, d)),
  fchmod: (fd, mode) => cb<void>((d) => nodeFs.fchmod(fd, mode, (e) => d(e, undefined))),
  fchown: (fd, uid, gid) => cb<void>((d) => nodeFs.fchown(fd, uid, gid, (e) => d(e, undefined))),
  close: (fd) => cb<void>((d) => nodeFs.close(fd, (e) => d(e ?? null, undefined))),
  lstat: (file) => cb<FsStat>((d) => nodeFs.lstat(file, d)),
  stat: (file) => cb<FsStat>((d) => nodeFs.stat(file, d)),
  realpath: (file) => cb<string>((d) => nodeFs.realpath(file, d)),
  rename: (from, to) => cb<void>((d) => nodeFs.rename(from, to, (e) => d(e, undefined))),
  unlink: (file) => cb<void>((d) => nodeFs.unlink(file, (e) => d(e, undefined))),
  readdir: (dir) => cb<string[]>((d) => nodeFs.readdir(dir, d)),
  mkdir: (dir, opts) => cb<void>((d) => nodeFs.mkdir(dir, opts, (e) => d(e, undefined))),
};

export const O = {
  RDONLY: nodeFs.constants.O_RDONLY,
  /** Never block on a FIFO swapped in under us (0 where the platform lacks it). */
  NONBLOCK: nodeFs.constants.O_NONBLOCK ?? 0,
  WRONLY: nodeFs.constants.O_WRONLY,
  RDWR: nodeFs.constants.O_RDWR,
  CREAT: nodeFs.constants.O_CREAT,
  EXCL: nodeFs.constants.O_EXCL,
  APPEND: nodeFs.constants.O_APPEND,
} as const;
