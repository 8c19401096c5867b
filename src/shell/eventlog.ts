// Incremental tail of an append-only JSON-lines event log. Each read takes only the bytes
// after the last one (in bounded chunks), keeps a half-written last line until its newline
// arrives, and numbers lines across reads so a diagnostic points at the right line. When
// the log is truncated or rotated under the reader, it starts again from the top and says
// so (`reset`), so the consumer replaces what it built from this log instead of appending.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_MAX_BYTES } from '../core/read/parse.js';
import type { Diagnostic, SourceDocument } from '../core/types.js';
import { errorCode, isNotFound } from './fs-errors.js';
import { inside, linksOutOfRoot } from './fsread.js';
import { eventDocuments, MAX_LINE_DIAGNOSTICS } from './sources.js';

export interface TailState {
  /** The log, relative to the root. */
  file: string;
  /** Inode of the file last read; null before the first read or while the file is missing. */
  ino: number | null;
  /** Size of the file at the last read. */
  size: number;
  /** Bytes read so far: the next read starts here. */
  offset: number;
  /** Complete lines read so far: the next line is `lineNo + 1`. */
  lineNo: number;
  /**
   * Bytes after the last newline, not yet a complete line. Kept one character per byte
   * (latin1) so that a character split between two reads is decoded whole later.
   */
  partial: string;
  /** The file's first bytes (latin1) as last seen: a copy-truncate rotation that has grown back past `offset` changes them. */
  head?: string;
  /** The current line outgrew the line limit: its bytes are dropped until its newline. */
  skipping?: boolean;
}

export interface TailRead {
  documents: SourceDocument[];
  diagnostics: Diagnostic[];
  state: TailState;
  /** True when the file was truncated or rotated and re-read from the start. */
  reset: boolean;
}

export interface TailOptions {
  /** Bytes read per system call (default 1 MiB). */
  maxChunkBytes?: number;
  /** A line longer than this is reported and skipped (default: the parser's 4 MiB). */
  maxLineBytes?: number;
  /**
   * Reading a log from its start, read at most its last this many bytes (default 256 MiB,
   * as `check` does): a log that has grown for months is not read whole before the first
   * screen. What is skipped is said in a warning.
   */
  maxInitialBytes?: number;
}

export const MAX_INITIAL_LOG_BYTES = 256 * 1024 * 1024;

/** How many leading bytes identify a file's content for rotation checks. */
const HEAD_BYTES = 64;
const NL = 0x0a;

export function initialTail(file: string): TailState {
  return { file, ino: null, size: 0, offset: 0, lineNo: 0, partial: '' };
}

/** Read what was appended since `state`. Never throws: problems are diagnostics. */
export function readTail(root: string, state: TailState, opts: TailOptions = {}): TailRead {
  const chunkBytes = Math.max(1, Math.floor(opts.maxChunkBytes ?? 1024 * 1024));
  const maxLine = Math.max(1, opts.maxLineBytes ?? DEFAULT_MAX_BYTES);
  const rel = state.file;
  const unchanged = (diagnostic?: Diagnostic): TailRead => ({
    documents: [],
    diagnostics: diagnostic ? [diagnostic] : [],
    state,
    reset: false,
  });
  const problem = (code: string, message: string): Diagnostic => ({
    severity: 'error',
    code,
    message,
    file: rel,
  });

  const opened = openLog(root, rel);
  if (opened.kind === 'missing') {
    // Nothing to read. Forget the inode (a new file may reuse it) but keep the offset: a
    // state that has read something but has no inode means "start again when it is back".
    return { documents: [], diagnostics: [], state: { ...state, ino: null }, reset: false };
  }
  if (opened.kind === 'refused') return unchanged(opened.diagnostic);
  const { fd, st } = opened;
  try {
    const consumed = state.offset > 0 || state.lineNo > 0 || state.partial !== '' || state.skipping === true;
    const replaced = state.ino !== null ? st.ino !== state.ino : consumed;
    const shrunk = st.size < state.offset;
    const rewritten =
      !replaced &&
      !shrunk &&
      state.head !== undefined &&
      state.head !== '' &&
      readHead(fd, state.head.length) !== state.head;
    let s = state;
    let reset = false;
    if (replaced || shrunk || rewritten) {
      reset = consumed;
      s = initialTail(rel);
    }

    const documents: SourceDocument[] = [];
    const diagnostics: Diagnostic[] = [];
    let listedBad = 0;
    let unlistedBad = 0;
    let lineNo = s.lineNo;
    let skipping = s.skipping === true;
    let carry = s.partial === '' ? Buffer.alloc(0) : Buffer.from(s.partial, 'latin1');
    let pos = s.offset;
    const end = st.size;
    const maxInitial = Math.max(1, opts.maxInitialBytes ?? MAX_INITIAL_LOG_BYTES);
    if (pos === 0 && s.lineNo === 0 && end > maxInitial) {
      // Start near the end, at the first line that begins after the cut.
      pos = end - maxInitial;
      skipping = true;
      diagnostics.push({
        severity: 'warning',
        code: 'log-tail-only',
        message: `the log is ${end} bytes; only its last ${maxInitial} bytes are read (line numbers count from there)`,
        file: rel,
      });
    }
    const buf = Buffer.allocUnsafe(Math.max(1, Math.min(chunkBytes, end - pos)));

    const tooLong = () => {
      diagnostics.push({
        severity: 'error',
        code: 'too-large',
        message: `line ${lineNo + 1} is longer than ${maxLine} bytes; skipped`,
        file: rel,
        line: lineNo + 1,
      });
      carry = Buffer.alloc(0);
      skipping = true;
    };

    while (pos < end) {
      const got = fs.readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
      if (got === 0) break; // shrank while we read; the next read sees it
      pos += got;
      let data = buf.subarray(0, got);
      if (skipping) {
        const nl = data.indexOf(NL);
        if (nl < 0) continue;
        data = data.subarray(nl + 1);
        skipping = false;
        lineNo++;
      }
      const last = data.lastIndexOf(NL);
      if (last < 0) {
        carry = Buffer.concat([carry, data]);
        if (carry.length > maxLine) tooLong();
        continue;
      }
      const complete =
        carry.length > 0 ? Buffer.concat([carry, data.subarray(0, last + 1)]) : data.subarray(0, last + 1);
      const parsed = eventDocuments(complete.toString('utf8'), rel, lineNo + 1);
      for (const d of parsed.documents) documents.push(d);
      // eventDocuments caps its own report per call; keep the cap across chunks too.
      const lines = countNewlines(complete);
      if (parsed.diagnostics.length > 0) {
        const bad = lines - blankLines(complete) - parsed.documents.length;
        if (listedBad < MAX_LINE_DIAGNOSTICS) {
          for (const d of parsed.diagnostics) diagnostics.push(d);
          listedBad += bad;
        } else {
          unlistedBad += bad;
        }
      }
      lineNo += lines;
      // Copy: `buf` is reused by the next read.
      carry = Buffer.from(data.subarray(last + 1));
      if (carry.length > maxLine) tooLong();
    }
    if (unlistedBad > 0) {
      diagnostics.push({
        severity: 'warning',
        code: 'bad-lines',
        message: `${unlistedBad} more lines could not be read`,
        file: rel,
      });
    }

    const next: TailState = {
      file: rel,
      ino: st.ino,
      size: st.size,
      offset: pos,
      lineNo,
      partial: carry.toString('latin1'),
    };
    const headLen = Math.min(HEAD_BYTES, pos);
    const head =
      s.head !== undefined && s.head.length >= headLen ? s.head : headLen > 0 ? readHead(fd, headLen) : '';
    if (head !== '') next.head = head;
    if (skipping) next.skipping = true;
    return { documents, diagnostics, state: next, reset };
  } catch (e) {
    return unchanged(problem('unreadable', `cannot be read (${errorCode(e)})`));
  } finally {
    fs.closeSync(fd);
  }
}

type Opened =
  | { kind: 'open'; fd: number; st: fs.Stats }
  | { kind: 'missing' }
  | { kind: 'refused'; diagnostic: Diagnostic };

/** Open the log read-only, confined to the root like every other read (see fsread.ts). */
function openLog(root: string, rel: string): Opened {
  const refuse = (code: string, message: string): Opened => ({
    kind: 'refused',
    diagnostic: { severity: 'error', code, message, file: rel },
  });
  const abs = path.resolve(root, rel);
  if (!inside(path.resolve(root), abs))
    return refuse('outside-root', 'path leads outside the root; not read');
  try {
    // The whole path, not only its last part: a folder on the way may link out of the root.
    const why = linksOutOfRoot(root, abs, fs.lstatSync(abs).isSymbolicLink());
    if (why !== null) return refuse('symlink-outside-root', why);
  } catch (e) {
    if (isNotFound(e)) return { kind: 'missing' };
    return refuse('unreadable', `cannot be read (${errorCode(e)})`);
  }
  let fd: number;
  try {
    // O_NONBLOCK: a FIFO swapped in for the log must not hang the reader.
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (e) {
    if (isNotFound(e)) return { kind: 'missing' };
    return refuse('unreadable', `cannot be read (${errorCode(e)})`);
  }
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) {
      fs.closeSync(fd);
      return refuse('is-directory', 'expected a file, found a folder');
    }
    if (!st.isFile()) {
      fs.closeSync(fd);
      return refuse('not-a-file', 'expected a regular file, found a device, socket or pipe');
    }
    return { kind: 'open', fd, st };
  } catch (e) {
    fs.closeSync(fd);
    return refuse('unreadable', `cannot be read (${errorCode(e)})`);
  }
}

function readHead(fd: number, n: number): string {
  const b = Buffer.allocUnsafe(n);
  const got = fs.readSync(fd, b, 0, n, 0);
  return b.toString('latin1', 0, got);
}

function countNewlines(b: Buffer): number {
  let n = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, i + 1)) n++;
  return n;
}

/** Complete lines holding only whitespace (eventDocuments skips them without a word). */
function blankLines(b: Buffer): number {
  let n = 0;
  let start = 0;
  for (let i = b.indexOf(NL); i >= 0; i = b.indexOf(NL, start)) {
    let blank = true;
    for (let j = start; j < i; j++) {
      const c = b[j]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0d) {
        blank = false;
        break;
      }
    }
    if (blank) n++;
    start = i + 1;
  }
  return n;
}

/** One agent's log of a per-agent event log (`logs/{agent}.jsonl`), read since its last state. */
export interface AgentTailRead extends TailRead {
  agent: string;
}

/**
 * Read what was appended to each agent's own log file; every document carries its agent
 * (the file says whose lines they are). `tails` is updated in place; an agent not in
 * `files` keeps its state.
 */
export function readAgentTails(
  root: string,
  files: readonly { agent: string; file: string }[],
  tails: Map<string, TailState>,
  opts: TailOptions = {},
): AgentTailRead[] {
  return files.map(({ agent, file }) => {
    const t = readTail(root, tails.get(agent) ?? initialTail(file), opts);
    tails.set(agent, t.state);
    return { ...t, agent, documents: t.documents.map((d) => ({ ...d, agent })) };
  });
}
