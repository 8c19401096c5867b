// The journal in the store (README.md "Several hosts"): `journal: { stream }` keeps it in a
// JetStream stream, so two hosts (two roots, two state folders) see each other's actions:
// a resolve on one is in `log` on the other, `undo` from the other restores it and
// refuses a key someone wrote since, and two operators resolving at once write each key once;
// `log` and `report` on one host say who resolved on the other.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstreamManager } from '@nats-io/jetstream';
import { BIN, PROJECT, requireCurrentDist, runCli, tempDir, type Run } from '../helpers/cli.js';
import { NatsServer, natsAvailable, openBucket } from '../helpers/nats.js';
import { waitFor } from '../helpers/wait.js';
import { startWatch, stopAllWatches } from '../helpers/watch-process.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) await f();
});

function runCliAsync(args: string[]): Promise<Run> {
  requireCurrentDist();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: PROJECT,
      env: { ...process.env, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

const config = (url: string) => `stale: 1d
journal: { stream: SYNC_TUI_JOURNAL }
sources:
  agents:
    kind: status-files
    store: nats
    nats: { servers: ${url}, bucket: status, key: "agents.{agent}" }
  registry:
    kind: registry
    store: nats
    nats: { servers: ${url}, bucket: registry }
    fields:
      status: status
`;

const statusDoc = (id: string, status: string) =>
  JSON.stringify({ agent_id: id, status, last_updated: new Date().toISOString() });

async function twoHosts(agents = 2): Promise<{ a: string; b: string; registry: KV; nc: NatsConnection }> {
  const server = await NatsServer.start();
  cleanup.push(() => server.stop());
  const s = await openBucket(server.url, 'status');
  const r = await openBucket(server.url, 'registry');
  cleanup.push(() => s.nc.close());
  cleanup.push(() => r.nc.close());
  for (let i = 1; i <= agents; i++) {
    await s.kv.put(`agents.agent-${i}`, statusDoc(`agent-${i}`, 'working'));
    await r.kv.put(`agent-${i}`, JSON.stringify({ status: 'IDLE' }));
  }
  const roots = [tempDir('sync-tui-host-a-'), tempDir('sync-tui-host-b-')];
  for (const root of roots) {
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), config(server.url));
  }
  return { a: roots[0]!, b: roots[1]!, registry: r.kv, nc: r.nc };
}

const statusOf = async (kv: KV, key: string) =>
  (JSON.parse((await kv.get(key))!.string()) as { status: string }).status;

describe.skipIf(!natsAvailable())('the journal in a JetStream stream (real nats-server)', () => {
  it('a resolve on host A is in log on host B; undo from B restores it; A sees the undo', async () => {
    const t = await twoHosts();
    const r = runCli(['resolve', '--all', '--root', t.a]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await statusOf(t.registry, 'agent-1')).toBe('ACTIVE');
    // Nothing in either state folder: the journal is the stream.
    expect(fs.existsSync(path.join(t.a, '.sync-tui/journal.jsonl'))).toBe(false);
    const log = runCli(['log', '--root', t.b]);
    expect(log.code).toBe(0);
    const action = /\b(a-\d{8}T\d{6}Z-[0-9a-f]{4})\b/.exec(log.stdout)?.[1];
    expect(action).toBeDefined();
    expect(log.stdout).toMatch(/agent-1/);
    expect(log.stdout).toMatch(/agent-2/);
    const u = runCli(['undo', action!, '--root', t.b]);
    expect(u.stderr).toBe('');
    expect(u.code).toBe(0);
    expect(await statusOf(t.registry, 'agent-1')).toBe('IDLE');
    expect(await statusOf(t.registry, 'agent-2')).toBe('IDLE');
    const again = runCli(['log', '--root', t.a]);
    expect(again.stdout).toMatch(/undo/);
    expect(fs.existsSync(path.join(t.b, '.sync-tui/journal.jsonl'))).toBe(false);
    // Each append says who made it.
    const jsm = await jetstreamManager(t.nc);
    const first = await jsm.streams.getMessage('SYNC_TUI_JOURNAL', { seq: 1 });
    const entry = JSON.parse(first!.string().split('\n')[0]!) as { by?: string; kind: string };
    expect(entry).toMatchObject({ kind: 'resolve', by: `${os.userInfo().username}@${os.hostname()}` });
  });

  it('undo from host B refuses a key someone wrote after host A resolved it, restores the rest', async () => {
    const t = await twoHosts();
    expect(runCli(['resolve', '--all', '--root', t.a]).code).toBe(0);
    await t.registry.put('agent-2', JSON.stringify({ status: 'ACTIVE', by: 'operator' }));
    const u = runCli(['undo', '--root', t.b]);
    expect(u.code).toBe(1);
    expect(u.stdout).toMatch(/agent-2\s+refused/);
    expect(u.stdout).toMatch(/agent-1\s+restored/);
    expect(await statusOf(t.registry, 'agent-1')).toBe('IDLE');
    expect(JSON.parse((await t.registry.get('agent-2'))!.string())).toEqual({
      status: 'ACTIVE',
      by: 'operator',
    });
  });

  it('two operators resolving at once on two hosts: each key is written once, both journaled where both hosts read', async () => {
    const n = 20;
    const t = await twoHosts(n);
    const [ra, rb] = await Promise.all([
      runCliAsync(['resolve', '--all', '--root', t.a]),
      runCliAsync(['resolve', '--all', '--root', t.b]),
    ]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    for (let i = 1; i <= n; i++) {
      expect(await statusOf(t.registry, `agent-${i}`)).toBe('ACTIVE');
      // The seed put, then exactly one resolve write: the loser's CAS was refused and re-planned.
      const history = await t.registry.history({ key: `agent-${i}` });
      let writes = 0;
      for await (const _ of history) writes++;
      expect(writes).toBe(2);
    }
    const logA = runCli(['log', '--root', t.a]).stdout;
    const logB = runCli(['log', '--root', t.b]).stdout;
    expect(logA).toBe(logB);
  });

  it('log and report on host B say who resolved on host A (user@host), in text and JSON', async () => {
    const t = await twoHosts();
    const me = `${os.userInfo().username}@${os.hostname()}`;
    // Host B watches (its history sees the drift and its end); host A resolves.
    const w = await startWatch({ args: ['--json', '--root', t.b] });
    expect(w.of('initial')[0]!.summary).toMatchObject({ drift: 2 });
    const r = runCli(['resolve', '--all', '--root', t.a]);
    expect(r.code).toBe(0);
    await waitFor(
      () =>
        ['agent-1', 'agent-2'].every(
          (id) =>
            w.events.filter((e) => e.agent === id && e.type === 'change').at(-1)?.verdict?.after ===
            'in-sync',
        ),
      { timeoutMs: 10_000 },
    );
    await w.stop();

    const log = runCli(['log', '--root', t.b]);
    expect(log.code).toBe(0);
    const action = /\b(a-\d{8}T\d{6}Z-[0-9a-f]{4})\b/.exec(log.stdout)![1]!;
    const headline = log.stdout.split('\n').find((l) => l.includes(action))!;
    expect(headline.endsWith(`  by ${me}`)).toBe(true);
    const logJson = JSON.parse(runCli(['log', '--json', '--root', t.b]).stdout) as {
      agent: string;
      by?: string;
    }[];
    expect(logJson.map((e) => [e.agent, e.by])).toEqual([
      ['agent-1', me],
      ['agent-2', me],
    ]);

    // Host B's report reads the stream journal: the episodes its watch saw were ended by A's resolve.
    const rep = runCli(['report', '--format', 'json', '--root', t.b]);
    expect(rep.stderr).toBe('');
    expect(rep.code).toBe(0);
    const doc = JSON.parse(rep.stdout) as {
      agents: { agent: string; episodes: { resolvedBy: { kind: string; action?: string; by?: string } }[] }[];
    };
    for (const id of ['agent-1', 'agent-2']) {
      const eps = doc.agents.find((a) => a.agent === id)!.episodes;
      expect(eps.map((e) => e.resolvedBy)).toEqual([{ kind: 'resolve', action, fields: ['status'], by: me }]);
    }
    const md = runCli(['report', '--root', t.b]).stdout;
    expect(md).toContain(`resolve \`${action}\` (status) by ${me}`);
  });
});
