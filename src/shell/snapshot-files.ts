// Where the live view's snapshot key writes (README, "Snapshots"): under the root's state
// folder, confined like the journal (a `.sync-tui` or `snapshots` replaced by a symlink out
// of the root is refused), or, when nothing may be written under the root (--read-only) or
// the root is about to be removed (the demo), into a private folder made for this session
// outside it. A file is always new (O_EXCL: never through a link, never over a file).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errorCode } from './fs-errors.js';
import { escapesRoot } from './fsread.js';

export type SnapshotPlace =
  /** `dir` must stay inside `root` once every symlink is resolved. */
  | { kind: 'root'; root: string; dir: string }
  /** A folder made with mkdtemp under `parent` (default: the system temp folder) on first use. */
  | { kind: 'private'; parent?: string };

export interface SnapshotWriter {
  /** Writes one snapshot; resolves with the file's full path. */
  write(text: string, extension: string): Promise<string>;
  /** The folder written into so far, or null before the first snapshot. */
  readonly folder: string | null;
}

/** `2026-12-04T01-42-00.123Z`: a file name part that sorts by time on every file system. */
function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/:/g, '-');
}

export function snapshotWriter(place: SnapshotPlace, clock: () => number = Date.now): SnapshotWriter {
  let folder: string | null = null;
  const ready = async (): Promise<string> => {
    if (place.kind === 'private') {
      folder ??= await fs.promises.mkdtemp(path.join(place.parent ?? os.tmpdir(), 'sync-tui-snapshots-'));
      return folder;
    }
    const before = escapesRoot(place.root, place.dir);
    if (before !== null) throw new Error(`not written into ${place.dir}: ${before}`);
    await fs.promises.mkdir(place.dir, { recursive: true });
    // Again once it exists: a link swapped in while it was made is caught here.
    const after = escapesRoot(place.root, place.dir);
    if (after !== null) throw new Error(`not written into ${place.dir}: ${after}`);
    folder = place.dir;
    return folder;
  };
  return {
    get folder() {
      return folder;
    },
    async write(text, extension) {
      const dir = await ready();
      const base = `snapshot-${stamp(clock())}`;
      for (let n = 0; ; n++) {
        const file = path.join(dir, `${base}${n === 0 ? '' : `-${n}`}.${extension}`);
        try {
          await fs.promises.writeFile(file, text, { flag: 'wx', mode: 0o644 });
          return file;
        } catch (e) {
          if (errorCode(e) !== 'EEXIST' || n > 100) throw e;
        }
      }
    },
  };
}
