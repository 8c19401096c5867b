// NATS figures (README.md "Several hosts"), beside the same figure for files: cold
// `check --json` of N agents read from buckets, `resolve --all` of N drifted agents written
// with compare-and-swap, and `push --once` of N local status files into an empty bucket.
// A real nats-server on a free loopback port; `npx tsx bench/nats.ts [N]` after a build.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { NatsServer, openBucket } from '../test/helpers/nats.js';

const N = Number(process.argv[2] ?? 10_000);
const BIN = path.resolve('dist/cli.js');

function time(args: string[]): { s: number; code: number | null } {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [BIN, ...args], {
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    timeout: 600_000,
  });
  if (r.status === 2) throw new Error(r.stderr);
  return { s: (performance.now() - t0) / 1000, code: r.status };
}

const doc = (id: string, status: string) =>
  JSON.stringify({ agent_id: id, status, last_updated: new Date().toISOString() });

async function main(): Promise<void> {
  const server = await NatsServer.start();
  const files = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-bench-files-'));
  const natsRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-bench-nats-'));
  try {
    const status = await openBucket(server.url, 'status');
    const registry = await openBucket(server.url, 'registry');
    const pushed = await openBucket(server.url, 'pushed');
    const reg: Record<string, { status: string }> = {};
    for (let i = 0; i < N; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, N - i) }, async (_, j) => {
          const id = `agent-${i + j}`;
          await status.kv.put(`agents.${id}`, doc(id, 'working'));
          await registry.kv.put(id, JSON.stringify({ status: 'IDLE' }));
          fs.mkdirSync(path.join(files, 'agents', id), { recursive: true });
          fs.writeFileSync(path.join(files, 'agents', id, 'status.json'), doc(id, 'working'));
          reg[id] = { status: 'IDLE' };
        }),
      );
    }
    fs.writeFileSync(path.join(files, 'registry.json'), JSON.stringify({ agents: reg }, null, 2));
    fs.writeFileSync(
      path.join(files, 'sync-tui.config.yaml'),
      `stale: 1d\nsources:\n  agents:\n    kind: status-files\n    path: agents/{agent}/status.json\n  registry:\n    kind: registry\n    path: registry.json\n    fields:\n      status: "agents.{agent}.status"\n  pushed:\n    kind: status-files\n    store: nats\n    required: false\n    nats: { servers: ${server.url}, bucket: pushed, key: "agents.{agent}" }\n`,
    );
    fs.writeFileSync(
      path.join(natsRoot, 'sync-tui.config.yaml'),
      `stale: 1d\nsources:\n  agents:\n    kind: status-files\n    store: nats\n    nats: { servers: ${server.url}, bucket: status, key: "agents.{agent}" }\n  registry:\n    kind: registry\n    store: nats\n    nats: { servers: ${server.url}, bucket: registry }\n    fields:\n      status: status\n`,
    );
    const filesOnly = path.join(files, 'files-only.yaml');
    fs.writeFileSync(
      filesOnly,
      fs.readFileSync(path.join(files, 'sync-tui.config.yaml'), 'utf8').replace(/ {2}pushed:[\s\S]*$/, ''),
    );
    const rows: [string, string][] = [];
    rows.push([
      `check --json, ${N} agents, files`,
      `${time(['check', '--json', '--root', files, '--config', filesOnly]).s.toFixed(2)} s`,
    ]);
    rows.push([
      `check --json, ${N} agents, NATS buckets`,
      `${time(['check', '--json', '--root', natsRoot]).s.toFixed(2)} s`,
    ]);
    rows.push([
      `resolve --all, ${N} drifted, files (one registry file)`,
      `${time(['resolve', '--all', '--root', files, '--config', filesOnly]).s.toFixed(2)} s`,
    ]);
    rows.push([
      `resolve --all, ${N} drifted, NATS (one CAS per key)`,
      `${time(['resolve', '--all', '--root', natsRoot]).s.toFixed(2)} s`,
    ]);
    const p = time(['push', '--once', '--root', files]);
    rows.push([
      `push --once, ${N} files into an empty bucket`,
      `${p.s.toFixed(2)} s (${Math.round(N / p.s)} agents/s incl. start)`,
    ]);
    console.log(`| figure | measured |\n|---|---|\n${rows.map(([a, b]) => `| ${a} | ${b} |`).join('\n')}`);
    console.log(
      `load average after: ${os
        .loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
    await Promise.all([status.nc.close(), registry.nc.close(), pushed.nc.close()]);
  } finally {
    await server.stop();
    fs.rmSync(files, { recursive: true, force: true });
    fs.rmSync(natsRoot, { recursive: true, force: true });
  }
}

await main();
