// Bounded, root-confined file reading. Everything on disk is untrusted: a status file may
// be a FIFO, a 1 GB file, or a symlink out of the root.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from '../core/types.js';
import { errorCode, isNotFound } from './fs-errors.js';

export const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** A registry holds every agent: about 55 bytes each, so 100,000 agents are ~5.5 MB. */
export const MAX_REGISTRY_BYTES = 128 * 1024 * 1024;

export type FileRead =
  | { ok: true; text: string; mtimeMs: number; size: number }
  | { ok: false; diagnostic: Diagnostic; missing: boolean };

function fail(file: string, code: string, message: string, missing = false): FileRead {
  return { ok: false, missing, diagnostic: { severity: 'error', code, message, file } };
}

/** Whether `target` lies inside `root` (both absolute, resolved). */
export function inside(root: string, target: string): boolean {
  const rel = path.relative(root, target);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The root with every symlink resolved, cached (the root itself may sit behind a link, e.g. /tmp). */
const realRoots = new Map<string, string>();
function realRoot(root: string): string {
  let real = realRoots.get(root);
  if (real === undefined) {
    try {
      real = fs.realpathSync.native(root);
    } catch {
      real = path.resolve(root);
    }
    if (realRoots.size > 64) realRoots.clear();
    realRoots.set(root, real);
  }
  return real;
}

/**
 * Why `abs` lies outside the root once every symlink on the way is resolved (its own, when
 * `isLink`, or a folder's on the way), or null when it lies inside. Throws what realpath
 * throws (a missing path, a loop).
 */
export function linksOutOfRoot(root: string, abs: string, isLink: boolean): string | null {
  if (inside(realRoot(root), fs.realpathSync.native(abs))) return null;
  return isLink
    ? 'symlink points outside the root; not followed'
    : 'a folder on the way is a symlink out of the root; not followed';
}

/** linksOutOfRoot as a failed read, or null when the path may be read. */
function confined(root: string, rel: string, abs: string, isLink: boolean): FileRead | null {
  let why: string | null;
  try {
    why = linksOutOfRoot(root, abs, isLink);
  } catch (e) {
    return fail(rel, 'bad-symlink', `symlink cannot be followed (${errorCode(e)})`);
  }
  return why === null ? null : fail(rel, 'symlink-outside-root', why);
}

/**
 * Whether nothing on the way from `listed` (a folder whose real path was found inside the
 * root in this pass, by listDir) down to the file `abs` is a symlink: every folder between
 * them is lstat'ed (one call for `agents/{agent}/status.json`), the file itself already was.
 * Then the file lies inside the root without resolving its whole path (a realpath walks
 * every component from `/`: the largest cost of reading a fleet's status files,
 * BENCHMARKS.md). false sends the caller to the full check.
 */
function plainBelow(listed: string, abs: string): boolean {
  if (!abs.startsWith(listed) || abs.charCodeAt(listed.length) !== 0x2f /* / */) return false;
  let at = abs.indexOf('/', listed.length + 1);
  while (at >= 0) {
    if (!fs.lstatSync(abs.slice(0, at)).isDirectory()) return false;
    at = abs.indexOf('/', at + 1);
  }
  return true;
}

/**
 * Read a regular file under the root, at most `maxBytes`. Symlinks (the file's own, or a
 * folder's on the way) are followed only when they resolve inside the root; anything but
 * a regular file is refused with a reason. `listed`: the absolute path of a folder above
 * the file that listDir listed in this pass (so found inside the root); the folders below
 * it are then checked one by one instead of resolving the whole path.
 */
export function readBounded(root: string, rel: string, maxBytes = MAX_FILE_BYTES, listed?: string): FileRead {
  const abs = path.resolve(root, rel);
  if (!inside(root, abs)) return fail(rel, 'outside-root', 'path leads outside the root; not read');
  let st: fs.Stats;
  try {
    st = fs.lstatSync(abs);
    const isLink = st.isSymbolicLink();
    const refused =
      !isLink && listed !== undefined && plainBelow(listed, abs) ? null : confined(root, rel, abs, isLink);
    if (refused) return refused;
    if (st.isSymbolicLink()) st = fs.statSync(abs);
  } catch (e) {
    if (isNotFound(e)) return fail(rel, 'not-found', 'file not found', true);
    return fail(rel, 'unreadable', `cannot be read (${errorCode(e)})`);
  }
  if (st.isDirectory()) return fail(rel, 'is-directory', 'expected a file, found a folder');
  if (!st.isFile()) return fail(rel, 'not-a-file', 'expected a regular file, found a device, socket or pipe');
  if (st.size > maxBytes)
    return fail(rel, 'too-large', `file is ${st.size} bytes; at most ${maxBytes} are read`);
  let fd: number | undefined;
  try {
    // O_NONBLOCK: if the file was swapped for a FIFO since the check, open must not hang.
    fd = fs.openSync(abs, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
    // Swapped since the check (for a link out of the root, a FIFO, ...): not what was checked.
    const opened = fs.fstatSync(fd);
    if (opened.ino !== st.ino || opened.dev !== st.dev)
      return fail(rel, 'changed', 'file was replaced while being opened; not read');
    const buf = Buffer.allocUnsafe(Math.min(st.size, maxBytes) + 1);
    let n = 0;
    while (n < buf.length) {
      const got = fs.readSync(fd, buf, n, buf.length - n, n);
      if (got === 0) break;
      n += got;
    }
    if (n > maxBytes) return fail(rel, 'too-large', `file grew past ${maxBytes} bytes while being read`);
    return { ok: true, text: buf.toString('utf8', 0, n), mtimeMs: st.mtimeMs, size: n };
  } catch (e) {
    return fail(rel, 'unreadable', `cannot be read (${errorCode(e)})`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** Entries of a folder under the root; null when it is not a readable folder. */
export function listDir(root: string, rel: string): fs.Dirent[] | null {
  const abs = path.resolve(root, rel);
  if (!inside(root, abs)) return null;
  try {
    // A folder that is (or lies behind) a symlink out of the root is not listed.
    if (!inside(realRoot(root), fs.realpathSync.native(abs))) return null;
    return fs.readdirSync(abs, { withFileTypes: true });
  } catch {
    return null;
  }
}

/**
 * Why writing under `abs` (a folder that may not exist yet) would land outside the root:
 * the folder, or its nearest existing ancestor, resolves (through symlinks) out of it.
 * null when it stays inside. For state the tool writes itself (the journal, the history):
 * a `.sync-tui` that an agent replaced with a symlink must not carry writes elsewhere.
 */
export function escapesRoot(root: string, abs: string): string | null {
  if (!inside(path.resolve(root), path.resolve(abs))) return 'the path leads outside the root';
  let cur = path.resolve(abs);
  for (;;) {
    try {
      const real = fs.realpathSync.native(cur);
      return inside(realRoot(root), real) ? null : 'a symlink on the way leads outside the root';
    } catch {
      // Not there: look at its folder, but never above the root (a root that is gone is
      // not an escape; the write then fails on its own, with ENOENT).
      const parent = path.dirname(cur);
      if (parent === cur || !inside(path.resolve(root), parent)) return null;
      cur = parent;
    }
  }
}
