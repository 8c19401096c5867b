// A workspace whose sources are NATS key-value buckets on a real nats-server (README.md
// "Several hosts"), shared by the NATS e2e files: the config, the buckets seeded with
// agents, a writer that retries until the server acknowledges, and a TCP proxy the tests
// can cut to take a watch off its server while writers go on.
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { tempDir } from './cli.js';
import { freePort, NatsServer, openBucket } from './nats.js';

export interface NatsSetup {
  server: NatsServer;
  root: string;
  status: KV;
  registry: KV;
  nc: NatsConnection;
}

/** Status files in bucket `status` (key `agents.{agent}`), the registry in bucket `registry`. */
export function natsConfigText(servers: string, extra = ''): string {
  return `stale: 1d
sources:
  agents:
    kind: status-files
    store: nats
    nats:
      servers: ${servers}
      bucket: status
      key: "agents.{agent}"${extra}
  registry:
    kind: registry
    store: nats
    nats:
      servers: ${servers}
      bucket: registry${extra}
    fields:
      status: status
`;
}

export const statusDoc = (id: string, status: string): string =>
  JSON.stringify({ agent_id: id, status, last_updated: new Date().toISOString() });

/**
 * A server, both buckets, a root with the config, and `agents` agents working (default 3).
 * What to undo afterwards goes on `cleanup` (run in reverse by the caller).
 */
export async function setupNats(
  cleanup: (() => unknown)[],
  opts: { token?: string; agents?: number } = {},
): Promise<NatsSetup> {
  const server = await NatsServer.start(opts.token ? { token: opts.token } : {});
  cleanup.push(() => server.stop());
  const s = await openBucket(server.url, 'status', opts.token ? { token: opts.token } : {});
  const r = await openBucket(server.url, 'registry', opts.token ? { token: opts.token } : {});
  cleanup.push(() => s.nc.close());
  cleanup.push(() => r.nc.close());
  const root = tempDir('sync-tui-nats-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(
    path.join(root, 'sync-tui.config.yaml'),
    natsConfigText(server.url, opts.token ? '\n      token_env: NATS_TOKEN' : ''),
  );
  for (let i = 1; i <= (opts.agents ?? 3); i++)
    await s.kv.put(`agents.agent-${i}`, statusDoc(`agent-${i}`, 'working'));
  return { server, root, status: s.kv, registry: r.kv, nc: s.nc };
}

/** A write retried until the server acknowledges it (its client reconnecting meanwhile). */
export async function untilAcked(write: () => Promise<unknown>): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      await write();
      return;
    } catch (e) {
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** A TCP proxy that can drop every connection and refuse new ones, then let them in again. */
export class Proxy {
  private readonly sockets = new Set<net.Socket>();
  private open = true;
  private constructor(
    private readonly server: net.Server,
    readonly port: number,
  ) {}

  static async start(target: number): Promise<Proxy> {
    const port = await freePort();
    let self!: Proxy;
    const server = net.createServer((client) => {
      if (!self.open) {
        client.destroy();
        return;
      }
      const upstream = net.connect(target, '127.0.0.1');
      for (const s of [client, upstream]) {
        self.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          self.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
    self = new Proxy(server, port);
    return self;
  }

  cut(): void {
    this.open = false;
    for (const s of this.sockets) s.destroy();
  }

  restore(): void {
    this.open = true;
  }

  close(): Promise<void> {
    this.cut();
    return new Promise((r) => this.server.close(() => r()));
  }
}
