// A three-node JetStream cluster on loopback (README.md "Several hosts"): three nats-server
// processes with cluster routes and replicated buckets; one node is killed during a storm
// of resolves and no acknowledged (journalled as verified) write is lost.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { KV } from '@nats-io/kv';
import { BIN, PROJECT, requireCurrentDist, runCli, tempDir, type Run } from '../helpers/cli.js';
import { freePort, NatsServer, natsAvailable, openBucket } from '../helpers/nats.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
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

async function cluster(): Promise<NatsServer[]> {
  const ports = await Promise.all([freePort(), freePort(), freePort()]);
  const routes = ports.map((p) => `nats://127.0.0.1:${p}`);
  const nodes: NatsServer[] = [];
  for (let i = 0; i < 3; i++) {
    const others = routes.filter((_, j) => j !== i).join(',');
    nodes.push(
      await NatsServer.start({
        name: `n${i + 1}`,
        args: ['--cluster_name', 'sync', '--cluster', routes[i]!, '--routes', others],
      }),
    );
  }
  cleanup.push(() => Promise.all(nodes.map((n) => n.stop())));
  return nodes;
}

/** Create a replicated bucket once the cluster has a JetStream leader. */
async function bucket(servers: string[], name: string): Promise<{ kv: KV; close: () => Promise<void> }> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const { nc, kv } = await openBucket(servers, name, { replicas: 3 });
      cleanup.push(() => nc.close());
      return { kv, close: () => nc.close() };
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
}

async function retry<T>(f: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await f();
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 300));
    }
  }
}

describe.skipIf(!natsAvailable())('a three-node NATS cluster', () => {
  it('one node killed during a resolve storm loses no acknowledged write', async () => {
    const nodes = await cluster();
    const servers = nodes.map((n) => n.url);
    const status = await bucket(servers, 'status');
    const registry = await bucket(servers, 'registry');
    const root = tempDir('sync-tui-cluster-');
    cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
    const list = `[${servers.join(', ')}]`;
    fs.writeFileSync(
      path.join(root, 'sync-tui.config.yaml'),
      `stale: 1d
sources:
  agents:
    kind: status-files
    store: nats
    nats: { servers: ${list}, bucket: status, key: "agents.{agent}" }
  registry:
    kind: registry
    store: nats
    nats: { servers: ${list}, bucket: registry }
    fields:
      status: status
`,
    );
    const n = 40;
    const words = ['working', 'idle'];
    const codes: (number | null)[] = [];
    for (let round = 0; round < 4; round++) {
      for (let i = 1; i <= n; i++) {
        const word = words[(round + i) % words.length]!;
        await retry(() =>
          status.kv.put(
            `agents.agent-${i}`,
            JSON.stringify({ agent_id: `agent-${i}`, status: word, last_updated: new Date().toISOString() }),
          ),
        );
      }
      const resolving = runCliAsync(['resolve', '--all', '--json', '--root', root]);
      // Kill a node while the second round writes.
      if (round === 1) {
        await new Promise((r) => setTimeout(r, 150));
        await nodes[0]!.kill();
      }
      let code = (await resolving).code;
      // After the kill, a resolve can still time out while the cluster settles (exit 2, nothing
      // written): run it again, at most 5 times; it must go through on the two nodes left.
      for (let again = 0; round >= 2 && code === 2 && again < 5; again++)
        code = (await runCliAsync(['resolve', '--all', '--json', '--root', root])).code;
      codes.push(code);
      // The two nodes left elect new leaders for the buckets before the next round.
      // (a consumer can be made again: the meta leader too).
      if (round === 1) {
        await retry(async () => {
          for (const kv of [status.kv, registry.kv]) for await (const _ of await kv.keys()) void _;
        });
      }
    }
    // Every write the journal holds as verified is in the bucket, unless a later verified
    // write of the same agent replaced it.
    const journal = fs
      .readFileSync(path.join(root, '.sync-tui/journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map(
        (l) => JSON.parse(l) as { agent: string; after: unknown; outcome: string; revisionAfter?: number },
      );
    const lastVerified = new Map<string, { after: unknown; revisionAfter?: number }>();
    for (const e of journal) if (e.outcome === 'verified') lastVerified.set(e.agent, e);
    expect(lastVerified.size).toBe(n);
    expect(codes[0]).toBe(0);
    for (const [agent, e] of lastVerified) {
      const got = await retry(() => registry.kv.get(agent));
      expect(JSON.parse(got!.string()).status).toBe(e.after);
      // Nobody else writes the registry: the key is at the revision the journal holds.
      expect(got!.revision).toBe(e.revisionAfter);
    }
    // The rounds after the kill went through on the two nodes left.
    expect(codes.slice(2)).toEqual([0, 0]);
    // In sync once the resolves are done. Like resolve, a read can time out (exit 2) while
    // the two nodes left settle under load: asked again, at most 5 times.
    let check = runCli(['check', '--root', root]);
    for (let again = 0; check.code === 2 && again < 5; again++) {
      await new Promise((r) => setTimeout(r, 500));
      check = runCli(['check', '--root', root]);
    }
    expect(check.code, check.stderr).toBe(0);
  }, 120_000);
});
