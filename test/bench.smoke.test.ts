// The benchmark still runs: every figure is produced at a tiny size. Timings are never
// asserted here (a shared 2-core machine makes them noise); `npm run bench` reports them.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BIN, PROJECT } from './helpers/cli.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-bench-smoke-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Row {
  figure: string;
  name: string;
  measured: string;
}

/** Real timers: the benchmark is a child process, but vitest fakes them in this worker. */
function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env['CI'];
    const child = spawn(
      process.execPath,
      [path.join(PROJECT, 'node_modules/tsx/dist/cli.mjs'), path.join(PROJECT, 'bench/run.ts'), ...args],
      { cwd: PROJECT, env, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run bench (smoke, 50 agents, --quick)', () => {
  it('runs every figure and writes the report', async () => {
    expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    const out = path.join(dir, 'BENCHMARKS.md');
    const json = path.join(dir, 'results.json');
    const r = await run(['--sizes', '50', '--quick', '--out', out, '--json', json, '--work', dir]);
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const res = JSON.parse(fs.readFileSync(json, 'utf8')) as {
      rows: Row[];
      errors: string[];
      machine: Record<string, string>;
    };
    expect(res.errors).toEqual([]);
    const figures = new Set(res.rows.map((row) => row.figure));
    for (const f of ['1', '3', '4', '6', '7']) expect(figures, `figure ${f}`).toContain(f);
    if (hasTmux) {
      expect(figures).toContain('2');
      expect(figures).toContain('5');
    }
    // Every figure has a measured value, not an error.
    for (const row of res.rows)
      expect(row.measured, `${row.figure} ${row.name}`).not.toMatch(/^error|NaN|n\/a/);
    const md = fs.readFileSync(out, 'utf8');
    expect(md).toContain('<!-- bench:begin');
    expect(md).toContain(res.machine['cpu']!);
    expect(r.stdout).toMatch(/figure\s+measured\s+target/);
    // The workspaces are gone.
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('sync-tui-bench-'))).toEqual([]);
  }, 240_000);
});
