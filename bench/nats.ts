// NATS figures (README.md "Several hosts"), each beside the same figure for files: cold
// `check --json` of N agents read from buckets (at each size), change -> screen through a
// bucket (the live view in-process, bench/nats-latency.ts), `resolve --all` of N drifted
// agents written with compare-and-swap, and `push --once` of N local status files into an
// empty bucket. A real nats-server on a free loopback port.
//   npx tsx bench/nats.ts [--sizes 10000,100000] [--main 10000] [--changes 100] [--json]
// With --json (run.ts, figure 8) it prints one BENCH-RESULT line; otherwise a table.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { KV } from '@nats-io/kv';
import { NatsServer, openBucket } from '../test/helpers/nats.js';
import { emitResult, parseResult, PROJECT } from './lib.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const SIZES = arg('sizes', '10000,100000')
  .split(',')
  .map((s) => Number(s.replace(/_/g, '')))
  .filter((n) => Number.isInteger(n) && n > 0);
const MAIN = Number(arg('main', String(SIZES.includes(10_000) ? 10_000 : SIZES[0])));
const CHANGES = Number(arg('changes', '100'));
const JSON_OUT = process.argv.includes('--json');
const BIN = path.join(PROJECT, 'dist/cli.js');

export interface NatsRow {
  name: string;
  files: string;
  nats: string;
}

function time(args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 600_000,
  });
  if (r.status === 2 || r.status === null) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return (performance.now() - t0) / 1000;
}

const doc = (id: string, status: string) =>
  JSON.stringify({ agent_id: id, status, fsm_state: 'IDLE', last_updated: new Date().toISOString() });

interface Stats {
  p50: number;
  p99: number;
}

/** live.ts in a child (the live view in-process there), as run.ts runs it. */
function live(mode: string, args: string[]): Promise<{ screen: Stats; engine: Stats; timeouts: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--expose-gc', '--import', 'tsx', path.join(PROJECT, 'bench/live.ts'), mode, ...args],
      { cwd: PROJECT, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => {
      const r = parseResult<{ screen: Stats; engine: Stats; timeouts: number }>(out);
      if (r) resolve(r);
      else
        reject(
          new Error(`live.ts ${mode} ended with ${code}: ${err.trim().split('\n').slice(-3).join(' / ')}`),
        );
    });
  });
}

interface Pair {
  files: string;
  nats: string;
  natsKv: KV;
}

/** N agents both ways: status files + one registry file, and the same in two buckets. */
async function populate(server: NatsServer, n: number, tag: string): Promise<Pair> {
  const files = fs.mkdtempSync(path.join(os.tmpdir(), `sync-tui-bench-files-${tag}-`));
  const nats = fs.mkdtempSync(path.join(os.tmpdir(), `sync-tui-bench-nats-${tag}-`));
  const status = await openBucket(server.url, `status_${tag}`);
  const registry = await openBucket(server.url, `registry_${tag}`);
  const reg: Record<string, { status: string; fsm: string }> = {};
  for (let i = 0; i < n; i += 1000) {
    await Promise.all(
      Array.from({ length: Math.min(1000, n - i) }, async (_, j) => {
        const id = `Agent-${i + j + 1}`;
        await status.kv.put(`agents.${id}`, doc(id, 'working'));
        await registry.kv.put(id, JSON.stringify({ status: 'IDLE', fsm: 'IDLE' }));
        fs.mkdirSync(path.join(files, 'agents', id), { recursive: true });
        fs.writeFileSync(path.join(files, 'agents', id, 'status.json'), doc(id, 'working'));
        reg[id] = { status: 'IDLE', fsm: 'IDLE' };
      }),
    );
  }
  await registry.nc.close();
  fs.writeFileSync(path.join(files, 'registry.json'), JSON.stringify({ agents: reg }, null, 2));
  fs.writeFileSync(
    path.join(files, 'sync-tui.config.yaml'),
    `stale: 1d\nsources:\n  agents:\n    kind: status-files\n    path: agents/{agent}/status.json\n  registry:\n    kind: registry\n    path: registry.json\n    fields:\n      status: "agents.{agent}.status"\n      fsm: "agents.{agent}.fsm"\n`,
  );
  fs.writeFileSync(
    path.join(nats, 'sync-tui.config.yaml'),
    `stale: 1d\nsources:\n  agents:\n    kind: status-files\n    store: nats\n    nats: { servers: ${server.url}, bucket: status_${tag}, key: "agents.{agent}" }\n  registry:\n    kind: registry\n    store: nats\n    nats: { servers: ${server.url}, bucket: registry_${tag} }\n    fields:\n      status: status\n      fsm: fsm\n`,
  );
  return { files, nats, natsKv: status.kv };
}

const s2 = (x: number) => `${x.toFixed(2)} s`;
const ms = (x: number) => `${Math.round(x)} ms`;

async function main(): Promise<void> {
  const server = await NatsServer.start();
  const folders: string[] = [];
  const rows: NatsRow[] = [];
  const log = (m: string) => process.stderr.write(`bench nats: ${m}\n`);
  try {
    for (const n of [...new Set([...SIZES, MAIN])].sort((a, b) => a - b)) {
      log(`${n} agents: filling the buckets and the files`);
      const p = await populate(server, n, String(n));
      folders.push(p.files, p.nats);
      if (SIZES.includes(n))
        rows.push({
          name: `cold check --json, ${n} agents`,
          files: s2(time(['check', '--json', '--root', p.files])),
          nats: s2(time(['check', '--json', '--root', p.nats])),
        });
      if (n !== MAIN) continue;
      log(`${n} agents: change -> screen, ${CHANGES} changes each way`);
      const gaps = ['--gap-min', '30', '--gap-max', '100'];
      const f = await live('nats-latency', [
        '--root',
        p.files,
        '--url',
        'files',
        '--changes',
        String(CHANGES),
        ...gaps,
      ]).catch(() => null);
      const q = await live('nats-latency', [
        '--root',
        p.nats,
        '--url',
        server.url,
        '--bucket',
        `status_${n}`,
        '--changes',
        String(CHANGES),
        ...gaps,
      ]);
      rows.push({
        name: `change -> screen, ${n} agents (p50 / p99)`,
        files: f
          ? `${ms(f.screen.p50)} / ${ms(f.screen.p99)}${f.timeouts ? ` (${f.timeouts} never shown)` : ''}`
          : 'see figure 3',
        nats: `${ms(q.screen.p50)} / ${ms(q.screen.p99)}${q.timeouts ? ` (${q.timeouts} never shown)` : ''}`,
      });
      log(`${n} agents: resolve --all`);
      rows.push({
        name: `resolve --all, ${n} drifted (files: one registry file; NATS: one CAS per key)`,
        files: s2(time(['resolve', '--all', '--root', p.files])),
        nats: s2(time(['resolve', '--all', '--root', p.nats])),
      });
      log(`${n} agents: push --once`);
      fs.appendFileSync(
        path.join(p.files, 'sync-tui.config.yaml'),
        `  pushed:\n    kind: status-files\n    store: nats\n    required: false\n    nats: { servers: ${server.url}, bucket: pushed_${n}, create: true, key: "agents.{agent}" }\n`,
      );
      const t = time(['push', '--once', '--root', p.files]);
      rows.push({
        name: `push --once, ${n} status files into an empty bucket (one host)`,
        files: '—',
        nats: `${s2(t)} (${Math.round(n / t)} agents/s incl. start)`,
      });
    }
  } finally {
    await server.stop();
    for (const f of folders) fs.rmSync(f, { recursive: true, force: true });
  }
  if (JSON_OUT) emitResult({ rows, loadAfter: os.loadavg() });
  else
    console.log(
      `| figure | files | NATS |\n|---|---|---|\n${rows.map((r) => `| ${r.name} | ${r.files} | ${r.nats} |`).join('\n')}`,
    );
}

await main();
process.exit(0);
