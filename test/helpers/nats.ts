// A real nats-server for the tests (README.md "Several hosts"): JetStream on a free
// loopback port with a temp store, which can be killed and started again on the same port
// and store. Where no server is installed the tests are skipped visibly, except with
// CI=true, where a missing server is a failure (.ci/run installs it).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { Kvm, type KV } from '@nats-io/kv';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

export function natsServerBinary(): string | null {
  for (const c of CANDIDATES) if (fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : null;
}

/** Whether the NATS tests run here; with CI=true a missing server throws instead. */
export function natsAvailable(): boolean {
  const bin = natsServerBinary();
  if (bin === null && process.env['CI'] === 'true')
    throw new Error('nats-server is not installed (CI=true): apt-get install -y nats-server');
  return bin !== null;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface NatsServerOptions {
  token?: string;
  /** Extra arguments (cluster routes and the like). */
  args?: string[];
  port?: number;
  storeDir?: string;
  name?: string;
}

export class NatsServer {
  child: ChildProcess | null = null;
  log = '';
  private constructor(
    readonly port: number,
    readonly storeDir: string,
    private readonly opts: NatsServerOptions,
  ) {}

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  static async start(opts: NatsServerOptions = {}): Promise<NatsServer> {
    const port = opts.port ?? (await freePort());
    const storeDir = opts.storeDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-nats-'));
    const s = new NatsServer(port, storeDir, opts);
    await s.run();
    return s;
  }

  /** Start (again) on the same port and store. */
  async run(): Promise<void> {
    const args = [
      '-a',
      '127.0.0.1',
      '-p',
      String(this.port),
      '-js',
      '-sd',
      this.storeDir,
      ...(this.opts.name ? ['-n', this.opts.name] : []),
      ...(this.opts.token ? ['--auth', this.opts.token] : []),
      ...(this.opts.args ?? []),
    ];
    const child = spawn(natsServerBinary()!, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.log += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (this.log += d.toString()));
    const deadline = Date.now() + 15_000;
    while (!/Server is ready/.test(this.log)) {
      if (child.exitCode !== null) throw new Error(`nats-server exited: ${this.log}`);
      if (Date.now() > deadline) throw new Error(`nats-server did not start: ${this.log}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Kill the server (SIGKILL: no goodbye to the clients). */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGKILL');
    await gone;
    this.child = null;
    this.log = '';
  }

  async stop(remove = true): Promise<void> {
    await this.kill();
    if (remove) fs.rmSync(this.storeDir, { recursive: true, force: true });
  }
}

/** A client of the tests' own (the rival writer, the agents), with a bucket. */
export async function openBucket(
  servers: string | string[],
  bucket: string,
  opts: { token?: string; replicas?: number } = {},
): Promise<{ nc: NatsConnection; kv: KV }> {
  const nc = await connect({
    servers,
    ...(opts.token ? { token: opts.token } : {}),
    maxReconnectAttempts: -1,
    reconnectTimeWait: 250,
  });
  const kv = await new Kvm(jetstream(nc)).create(bucket, { history: 10, replicas: opts.replicas ?? 1 });
  return { nc, kv };
}
