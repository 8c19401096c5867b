// Reading a regular file whole, bounded and without blocking on a FIFO: the guarded replace
// (atomic.ts) compares with it, the JSON-lines reader (jsonl.ts) reads the journal and the
// history with it. Errors are one line naming the file (src/shell/fs-errors.ts).
import { describeCode, describeError, errorCode, showFile } from './fs-errors.js';
import { O, type FsLayer } from './fs-layer.js';

/** An I/O failure with its errno code and a one-line message (thrown by readWhole). */
export class IoFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    /** The error it stands for, when there was one. */
    readonly original?: unknown,
  ) {
    super(message);
    this.name = 'IoFailure';
  }
}

/**
 * Reads a regular file whole (at most `max` bytes), without blocking on FIFOs. Returns
 * null when it does not exist; throws IoFailure on anything else.
 */
export async function readWhole(
  fs: FsLayer,
  file: string,
  max: number,
  doing = 'reading',
): Promise<Buffer | null> {
  let fd: number;
  try {
    fd = await fs.open(file, O.RDONLY | O.NONBLOCK);
  } catch (e) {
    const code = errorCode(e);
    if (code === 'ENOENT') return null;
    throw new IoFailure(code, `${describeError(e)} while ${doing} ${showFile(file)}`, e);
  }
  try {
    const st = await fs.fstat(fd);
    if (st.isDirectory()) throw new IoFailure('EISDIR', `${describeCode('EISDIR')}: ${showFile(file)}`);
    if (!st.isFile())
      throw new IoFailure('ENOTFILE', `${showFile(file)} is not a regular file (a device, socket or pipe)`);
    if (st.size > max)
      throw new IoFailure('EFBIG', `${showFile(file)} is ${st.size} bytes; at most ${max} are read`);
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.max(64 * 1024, st.size - total + 1));
      const n = await fs.read(fd, buf, 0, buf.length, total);
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > max)
        throw new IoFailure('EFBIG', `${showFile(file)} grew past ${max} bytes while being read`);
    }
    return Buffer.concat(chunks, total);
  } catch (e) {
    if (e instanceof IoFailure) throw e;
    const code = errorCode(e);
    throw new IoFailure(code, `${describeError(e)} while ${doing} ${showFile(file)}`, e);
  } finally {
    await fs.close(fd).catch(() => undefined);
  }
}
