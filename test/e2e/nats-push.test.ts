// `sync-tui push` against a real nats-server (README.md "Several hosts"): local status files
// mirrored into a bucket, create-or-CAS, a newer value in the bucket never overwritten.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, PROJECT, requireCurrentDist, runCli, tempDir } from '../helpers/cli.js';
import { NatsServer, natsAvailable, openBucket } from '../helpers/nats.js';
import { waitFor } from '../helpers/wait.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

const doc = (id: string, status: string, at: string) =>
  JSON.stringify({ agent_id: id, status, last_updated: at }, null, 2) + '\n';

async function setup() {
  const server = await NatsServer.start();
  cleanup.push(() => server.stop());
  const { nc, kv } = await openBucket(server.url, 'status');
  cleanup.push(() => nc.close());
  const root = tempDir('sync-tui-push-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(root, 'sync-tui.config.yaml'),
    `sources:
  file:
    kind: status-files
    path: agents/{agent}/status.json
  shared:
    kind: status-files
    store: nats
    nats: { servers: ${server.url}, bucket: status, key: "agents.{agent}" }
`,
  );
  const write = (id: string, status: string, at: string) => {
    fs.mkdirSync(path.join(root, 'agents', id), { recursive: true });
    fs.writeFileSync(path.join(root, 'agents', id, 'status.json'), doc(id, status, at));
  };
  return { server, kv, root, write };
}

describe.skipIf(!natsAvailable())('sync-tui push (real nats-server)', () => {
  it('creates absent keys, swaps older ones, leaves a newer value in the bucket alone', async () => {
    const t = await setup();
    t.write('a1', 'ACTIVE', '2026-01-02T00:00:00Z');
    t.write('a2', 'ACTIVE', '2026-01-02T00:00:00Z');
    t.write('a3', 'ACTIVE', '2026-01-02T00:00:00Z');
    await t.kv.put('agents.a2', doc('a2', 'IDLE', '2026-01-03T00:00:00Z'));
    await t.kv.put('agents.a3', doc('a3', 'IDLE', '2026-01-01T00:00:00Z'));
    const r = runCli(['push', '--once', '--root', t.root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^a1 {2}created {2}revision \d+$/m);
    expect(r.stdout).toMatch(
      /^a2 {2}newer {2}revision \d+ {2}the bucket holds a newer value; left as it is$/m,
    );
    expect(r.stdout).toMatch(/^a3 {2}updated {2}revision \d+$/m);
    expect(r.stdout).toMatch(/1 created, 1 updated, 0 unchanged, 1 newer in the bucket, 0 failed/);
    expect((await t.kv.get('agents.a1'))!.string()).toBe(doc('a1', 'ACTIVE', '2026-01-02T00:00:00Z'));
    expect(JSON.parse((await t.kv.get('agents.a2'))!.string()).status).toBe('IDLE');
    expect(JSON.parse((await t.kv.get('agents.a3'))!.string()).status).toBe('ACTIVE');
    // Again: nothing to do.
    expect(runCli(['push', '--once', '--root', t.root]).stdout).toMatch(
      /0 created, 0 updated, 2 unchanged, 1 newer/,
    );
  });

  it('keeps mirroring files as they change until interrupted', async () => {
    const t = await setup();
    t.write('a1', 'ACTIVE', new Date().toISOString());
    requireCurrentDist();
    const child = spawn(process.execPath, [BIN, 'push', '--json', '--root', t.root], {
      cwd: PROJECT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    cleanup.push(() => child.kill('SIGKILL'));
    await waitFor(() => stdout.includes('"created"'), { timeoutMs: 15_000 });
    const later = new Date(Date.now() + 1000).toISOString();
    t.write('a1', 'DONE', later);
    t.write('a2', 'ACTIVE', later);
    await waitFor(
      async () =>
        JSON.parse((await t.kv.get('agents.a1'))?.string() ?? '{}').status === 'DONE' &&
        (await t.kv.get('agents.a2')) !== null,
      { timeoutMs: 15_000 },
    );
    await waitFor(() => /"agent":"a1".*"outcome":"updated"/.test(stdout), { timeoutMs: 5000 });
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { agent: string; outcome: string });
    expect(lines).toContainEqual(expect.objectContaining({ agent: 'a1', outcome: 'updated' }));
    child.kill('SIGTERM');
    expect(await exited).toBe(143);
  });
});
