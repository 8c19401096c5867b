// A throwaway local nats-server for `sync-tui demo --nats` (README.md "Several hosts"):
// JetStream on a free loopback port with a temporary store folder, killed (and the folder
// removed) when the demo ends, however it ends.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

const CANDIDATES = ['/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'];

/** The nats-server on this machine: NATS_SERVER, then the usual places, then PATH; null when none. */
export function findNatsServer(): string | null {
  const named = process.env['NATS_SERVER'];
  if (named !== undefined && named !== '') return fs.existsSync(named) ? named : null;
  for (const c of CANDIDATES) if (fs.existsSync(c)) return c;
  const which = spawnSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface LocalServer {
  url: string;
  /** Kill the server and remove its store; safe to call twice, synchronous (exit handlers). */
  stop(): void;
}

/** Start one; rejects with a one-line reason when it does not come up within 15 s. */
export async function startLocalServer(bin: string): Promise<LocalServer> {
  const port = await freePort();
  const store = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-demo-nats-'));
  const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', store];
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', stop);
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fs.rmSync(store, { recursive: true, force: true });
  };
  // Even when the demo is ended by a signal or an uncaught error, the server goes with it.
  process.on('exit', stop);
  const collect = (d: Buffer) => {
    if (log.length < 64 * 1024) log += d.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const ready = await new Promise<string | null>((resolve) => {
    const deadline = setTimeout(() => resolve('did not report ready within 15 s'), 15_000);
    const poll = setInterval(() => {
      if (/Server is ready/.test(log)) done(null);
    }, 25);
    const done = (why: string | null) => {
      clearTimeout(deadline);
      clearInterval(poll);
      resolve(why);
    };
    child.once('error', (e) => done(e.message));
    child.once('exit', (code) => done(`exited with code ${code}`));
  });
  if (ready !== null) {
    stop();
    const last = log.trim().split('\n').pop() ?? '';
    throw new Error(`nats-server ${ready}${last ? `: ${last.slice(0, 200)}` : ''}`);
  }
  child.stdout!.removeAllListeners('data');
  child.stderr!.removeAllListeners('data');
  child.stdout!.resume();
  child.stderr!.resume();
  return { url: `nats://127.0.0.1:${port}`, stop };
}
