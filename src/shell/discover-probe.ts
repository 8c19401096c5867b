// The bounded walk that feeds discovery (core/discover): lists data files up to a depth and
// a number of entries, never into .git, node_modules or the state folder, never through a
// symlink (no loops, nothing outside the root), and reads what discovery asks for, bounded.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DISCOVERY_BOUNDS, type DiscoveryInput, type TreeFile } from '../core/config/discover/index.js';
import { DEFAULT_STATE_DIR } from '../core/config/config.js';
import { detectFormat, parseDocument, parseJsonLine } from '../core/read/parse.js';
import { readBounded } from './fsread.js';

/** Folders never entered. */
const SKIP = new Set(['.git', 'node_modules', DEFAULT_STATE_DIR, '.hg', '.svn']);
const DATA = /\.(json|ya?ml|jsonl|ndjson)$/i;
/** A data file bigger than this is not read by discovery (a registry of 100,000 agents is ~6 MB). */
export const DISCOVERY_MAX_BYTES = 16 * 1024 * 1024;
/** Of a JSON-lines file, discovery reads this much from the start. */
const LOG_HEAD_BYTES = 64 * 1024;
const LOG_LINES = 50;

export interface WalkBounds {
  depth: number;
  entries: number;
}

/** Data files under the root, breadth first, sorted within each folder. */
export function walkTree(
  root: string,
  bounds: WalkBounds = DISCOVERY_BOUNDS,
): { files: TreeFile[]; truncated?: string } {
  const files: TreeFile[] = [];
  let seen = 0;
  let queue: { rel: string; depth: number }[] = [{ rel: '', depth: 0 }];
  while (queue.length > 0) {
    const next: typeof queue = [];
    for (const dir of queue) {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(path.join(root, dir.rel), { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (++seen > bounds.entries) {
          return {
            files,
            truncated: `discovery stopped after listing ${bounds.entries} entries (the cap); files further down were not looked at: pass --config for a larger tree`,
          };
        }
        const rel = dir.rel === '' ? e.name : `${dir.rel}/${e.name}`;
        if (e.isDirectory()) {
          if (!SKIP.has(e.name) && dir.depth < bounds.depth) next.push({ rel, depth: dir.depth + 1 });
        } else if (e.isFile() && DATA.test(e.name)) {
          files.push({ path: rel });
        }
      }
    }
    queue = next;
  }
  return { files };
}

function readHead(abs: string, bytes: number): string | null {
  let fd: number | undefined;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    if (!fs.fstatSync(fd).isFile()) return null;
    const buf = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buf, 0, bytes, 0);
    return buf.subarray(0, n).toString('utf8');
  } catch {
    return null;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/** The discovery input for a root: the walk, plus cached bounded reads. */
export function discoveryInput(root: string, bounds?: WalkBounds): DiscoveryInput {
  const walk = walkTree(root, bounds);
  const docs = new Map<string, unknown>();
  const input: DiscoveryInput = {
    files: walk.files,
    read(rel) {
      if (docs.has(rel)) return docs.get(rel);
      const got = readBounded(root, rel, DISCOVERY_MAX_BYTES);
      let value: unknown;
      if (got.ok) {
        const parsed = parseDocument(got.text, detectFormat(rel, got.text), {
          file: rel,
          maxBytes: DISCOVERY_MAX_BYTES,
        });
        value = parsed.ok ? parsed.value : undefined;
      }
      docs.set(rel, value);
      return value;
    },
    lines(rel) {
      const text = readHead(path.join(root, rel), LOG_HEAD_BYTES);
      if (text === null) return [];
      const out: unknown[] = [];
      const lines = text.split('\n');
      // The last piece may be cut off by the read bound.
      if (text.length >= LOG_HEAD_BYTES) lines.pop();
      for (let i = 0; i < lines.length && out.length < LOG_LINES; i++) {
        const line = lines[i]!;
        if (line.trim() === '') continue;
        const parsed = parseJsonLine(line, i + 1, { file: rel });
        if (parsed.ok) out.push(parsed.value);
      }
      return out;
    },
  };
  if (walk.truncated !== undefined) input.truncated = walk.truncated;
  return input;
}
