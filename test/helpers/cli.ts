// Running the real built binary, as an operator or a script would.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtStamp, currentStamp } from '../../scripts/build-stamp.mjs';

export const PROJECT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.join(PROJECT, 'dist/cli.js');
export const FIXTURES = path.join(PROJECT, 'fixtures');

/** Why dist/ cannot stand for src/ (missing, or built from other sources), or null. */
export function staleDist(): string | null {
  if (!fs.existsSync(BIN)) return `${BIN} is missing: run npm run build`;
  const built = builtStamp();
  if (built === null) return `dist/ has no build stamp (dist/.build-stamp): run npm run build`;
  if (built !== currentStamp()) return `dist/ is older than src/ (or the build configs): run npm run build`;
  return null;
}

let checked = false;
/** Throws unless dist/ was built from src/ as it is now (once per test file). */
export function requireCurrentDist(): void {
  if (checked) return;
  const stale = staleDist();
  if (stale !== null) throw new Error(stale);
  checked = true;
}

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; input?: string } = {},
): Run {
  requireCurrentDist();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? PROJECT,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    input: opts.input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A private copy of a fixture workspace in a temp folder. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `sync-tui-${name}-`));
  fs.cpSync(path.join(FIXTURES, 'workspaces', name), dir, { recursive: true });
  return dir;
}

export function tempDir(prefix = 'sync-tui-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}
