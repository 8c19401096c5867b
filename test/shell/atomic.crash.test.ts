// Crash safety of replaceIfUnchanged: a child process replaces a registry with large,
// alternating contents; it is killed with SIGKILL at random moments. After every kill the
// file holds exactly the old or the new content (never a mix, never empty) and parses.
//
// The child runs plain node. Rather than depend on a (possibly stale) `dist/`, the test
// bundles src/shell/atomic.ts and what it imports into one module with esbuild.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanupStaleTemps, isTempFor } from '../../src/shell/atomic.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const SOURCE = path.resolve(here, '../../src/shell/atomic.ts');
const CHILD = path.resolve(here, '../helpers/crash-writer.mjs');
const ROUNDS = 50;

let dir: string;
let modulePath: string;

function registry(agents: number, state: string): string {
  const obj = {
    contract_history: Array.from({ length: agents }, (_, i) => ({
      contract_id: `CONTRACT_Agent-${i}_${1757830719 + i}`,
      agent_id: `Agent-${i}`,
      task_description: `Large file modularization ${'·'.repeat(i % 40)}`,
      status: state,
    })),
    agent_fsm_states: Object.fromEntries(Array.from({ length: agents }, (_, i) => [`Agent-${i}`, state])),
  };
  return JSON.stringify(obj, null, 2) + '\n';
}

const A = registry(1200, 'uninitialized'); // ~0.3 MB
const B = registry(1600, 'idle'); // ~0.4 MB, a different length

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-crash-'));
  modulePath = path.join(dir, 'atomic.mjs');
  buildSync({
    entryPoints: [SOURCE],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile: modulePath,
    logLevel: 'error',
  });
  fs.writeFileSync(path.join(dir, 'a.json'), A);
  fs.writeFileSync(path.join(dir, 'b.json'), B);
});

afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function runAndKill(
  target: string,
  delayMs: number,
): Promise<{ code: number | null; signal: string | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [CHILD, modulePath, target, path.join(dir, 'a.json'), path.join(dir, 'b.json')],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    let killTimer: NodeJS.Timeout | undefined;
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      if (killTimer === undefined && d.toString().includes('ready'))
        killTimer = setTimeout(() => child.kill('SIGKILL'), delayMs);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (killTimer) clearTimeout(killTimer);
      resolve({ code, signal, stderr });
    });
  });
}

describe('replaceIfUnchanged under SIGKILL', () => {
  it(`the file is always exactly the old or the new content (${ROUNDS} kills)`, async () => {
    // A few lanes in parallel (one file each) keep the wall time down on a busy machine.
    const lanes = 5;
    const stats = { old: 0, new: 0, leftovers: 0 };
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        const base = `registry-${lane}.json`;
        const target = path.join(dir, base);
        fs.writeFileSync(target, A);
        for (let round = lane; round < ROUNDS; round += lanes) {
          const { code, signal, stderr } = await runAndKill(target, Math.floor(Math.random() * 30));
          expect(stderr, `child failed in round ${round}`).toBe('');
          expect({ code, signal }).toEqual({ code: null, signal: 'SIGKILL' });
          const text = fs.readFileSync(target, 'utf8');
          if (text !== A && text !== B)
            throw new Error(
              `round ${round}: the file holds ${text.length} chars, neither the old nor the new content`,
            );
          expect(() => JSON.parse(text)).not.toThrow();
          if (text === A) stats.old++;
          else stats.new++;
          // A kill mid-write leaves our temp file behind; clean it like a restart would.
          stats.leftovers += (await cleanupStaleTemps(dir, base, { olderThanMs: 0 })).length;
          expect(fs.readdirSync(dir).filter((n) => isTempFor(n, base))).toEqual([]);
        }
      }),
    );
    expect(stats.old + stats.new).toBe(ROUNDS);
    // The children got replaces done and were caught mid-write (otherwise this proved little).
    expect(stats.new + stats.leftovers).toBeGreaterThan(0);
  }, 30_000);
});
