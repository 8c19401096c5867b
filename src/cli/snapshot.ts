// `sync-tui snapshot`: the table as a file (text, ansi, svg, md, json, csv, html).
import { loadDecisions } from '../shell/decision-store.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { errorCode } from '../shell/fs-errors.js';
import { reconcile } from '../core/reconcile/reconcile.js';
import { sourceHealth } from '../core/report/report.js';
import {
  FORMAT_BY_EXTENSION,
  isSnapshotFormat,
  renderSnapshot,
  SNAPSHOT_FORMATS,
  type SnapshotFormat,
} from '../core/report/snapshot.js';
import type { Config, SourceRead } from '../core/types.js';
import { tempName } from '../shell/atomic.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { readAll } from '../shell/sources.js';
import { readAllWithStores } from '../shell/sources/adapter.js';

export interface SnapshotOptions {
  root: string;
  config?: string;
  format?: string;
  output?: string;
  width?: string;
  color?: boolean;
  /** ISO times instead of ages (--absolute-times). */
  absoluteTimes?: boolean;
}

/** A file is not a terminal: by default the table takes the width it needs, so no reason is cut. */
export const DEFAULT_SNAPSHOT_WIDTH = Infinity;

/** `--format`, else the extension of `--output` when it names a format, else text. */
export function snapshotFormat(format: string | undefined, output: string | undefined): SnapshotFormat {
  if (format !== undefined) {
    if (!isSnapshotFormat(format))
      throw new UsageError(
        `--format: unknown format '${format}' (expected one of: ${SNAPSHOT_FORMATS.join(', ')})`,
      );
    return format;
  }
  if (output !== undefined) return FORMAT_BY_EXTENSION[path.extname(output).toLowerCase()] ?? 'text';
  return 'text';
}

export function parseWidth(text: string | undefined): number {
  if (text === undefined) return DEFAULT_SNAPSHOT_WIDTH;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 20 || n > 1000)
    throw new UsageError(`--width: expected a whole number of columns from 20 to 1000, found '${text}'`);
  return n;
}

/** The file's stat (a symlink followed), or undefined when there is none to read. */
function statOrNone(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file);
  } catch {
    return undefined;
  }
}

/**
 * Where `--output` will be written: refused when it is a folder or its folder is missing.
 * A symlink is followed, so the file it points to is replaced and the link kept.
 */
export function outputTarget(output: string, format: SnapshotFormat): string {
  const ext = format === 'text' ? 'txt' : format;
  let target = path.resolve(output);
  const st = statOrNone(target);
  if (st?.isDirectory() || /[\\/]$/.test(output)) {
    throw new UsageError(
      `--output: ${target} is a folder; name a file in it, e.g. --output ${path.join(target, `snapshot.${ext}`)}`,
    );
  }
  if (st) target = fs.realpathSync(target);
  const dir = path.dirname(target);
  const dirStat = statOrNone(dir);
  if (!dirStat?.isDirectory()) throw new UsageError(`--output: folder ${dir} does not exist`);
  if (st && !st.isFile()) throw new UsageError(`--output: ${target} exists and is not a regular file`);
  return target;
}

/**
 * Writes `text` to `target` atomically: a temp file in the same folder, fsync'd, renamed
 * over the target, so a reader never sees half a file. Keeps an existing file's mode.
 * With `noClobber`, an existing target is never replaced (link(2) fails on it) and
 * `false` is returned.
 */
export function writeFileAtomic(target: string, text: string, opts: { noClobber?: boolean } = {}): boolean {
  const dir = path.dirname(target);
  const tmp = path.join(dir, tempName(path.basename(target)));
  let mode: number | undefined;
  try {
    mode = fs.statSync(target).mode & 0o7777;
  } catch {
    mode = undefined;
  }
  let fd: number | undefined;
  try {
    fd = fs.openSync(tmp, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, mode ?? 0o666);
    if (mode !== undefined) fs.fchmodSync(fd, mode);
    fs.writeFileSync(fd, text);
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = undefined;
    if (opts.noClobber) {
      try {
        fs.linkSync(tmp, target);
      } catch (e) {
        if (errorCode(e) === 'EEXIST') return false;
        // File systems without hard links: check, then rename (a narrow window, not none).
        if (fs.existsSync(target)) return false;
        fs.renameSync(tmp, target);
        return true;
      }
      fs.unlinkSync(tmp);
      return true;
    }
    fs.renameSync(tmp, target);
    return true;
  } catch (e) {
    const code = errorCode(e);
    throw new UsageError(`cannot write ${target}: ${describeWriteError(code)}`);
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
  }
}

function describeWriteError(code: string): string {
  switch (code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'the file system is read-only';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return code;
  }
}

export function runSnapshot(
  opts: SnapshotOptions,
  out: NodeJS.WritableStream = process.stdout,
): number | Promise<number> {
  const format = snapshotFormat(opts.format, opts.output);
  const width = parseWidth(opts.width);
  const target =
    opts.output !== undefined && opts.output !== '-' ? outputTarget(opts.output, format) : undefined;
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const go = (reads: SourceRead[]) =>
    snapshotOf(out, {
      format,
      width,
      target,
      root,
      config,
      reads,
      color: opts.color !== false,
      absoluteTimes: opts.absoluteTimes === true,
    });
  // Sources held in a store are read through their adapters (README.md "Several hosts").
  if (config.sources.some((s) => s.store))
    return readAllWithStores(root, config, (specs) => readAll(root, specs), Date.now).then(go);
  return go(readAll(root, config.sources));
}

function snapshotOf(
  out: NodeJS.WritableStream,
  {
    format,
    width,
    target,
    root,
    config,
    reads,
    color,
    absoluteTimes,
  }: {
    format: ReturnType<typeof snapshotFormat>;
    width: ReturnType<typeof parseWidth>;
    target: string | undefined;
    root: string;
    config: Config;
    reads: SourceRead[];
    color: boolean;
    absoluteTimes: boolean;
  },
): number {
  const now = Date.now();
  const recon = reconcile(reads, config, now, loadDecisions(root, config.stateDir).index);
  const text = renderSnapshot(format, {
    root,
    config,
    recon,
    now,
    width,
    color,
    absoluteTimes,
    health: sourceHealth(reads, config),
  });
  if (target === undefined) {
    out.write(text);
    return 0;
  }
  writeFileAtomic(target, text);
  out.write(
    `wrote ${target} (${format}, ${recon.summary.agents} agent${recon.summary.agents === 1 ? '' : 's'})\n`,
  );
  return 0;
}
