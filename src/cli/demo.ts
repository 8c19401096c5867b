// `sync-tui demo`: a temporary incident-shaped workspace, a simulator that keeps changing
// it, and the TUI over it. The folder is removed on exit unless --keep. With --nats the
// status values and the registry live in the buckets of a throwaway local nats-server
// (README.md "Several hosts"), killed on exit.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../shell/probe.js';
import { Simulator } from '../shell/simulator.js';
import { findNatsServer, startLocalServer, type LocalServer } from '../shell/nats/local-server.js';
import { NatsDemoSink, natsDemoConfig } from '../shell/nats/demo-sink.js';
import { parseDuration } from '../core/time.js';
import { runTui } from './tui.js';
import { onTerminate } from './signals.js';

export interface DemoOptions {
  agents?: string;
  seed?: string;
  keep?: boolean;
  interval?: string;
  readOnly?: boolean;
  color?: boolean;
  quiet?: boolean;
  /** Run the simulator only, for this long, printing the folder (for scripts and tests). */
  headless?: string;
  /** Status values and registry in NATS buckets of a throwaway local server. */
  nats?: boolean;
}

function positiveInt(text: string | undefined, flag: string, fallback: number, max: number): number {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${flag}: expected a whole number from 1 to ${max}, found '${text}'`);
  return n;
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  const agents = positiveInt(opts.agents, '--agents', 12, 100_000);
  const seed = positiveInt(opts.seed, '--seed', (Date.now() % 1_000_000) + 1, 2 ** 31 - 1);
  const intervalMs = opts.interval === undefined ? 700 : parseDuration(opts.interval);
  if (intervalMs === null || intervalMs < 50)
    throw new UsageError(`--interval: expected a duration of at least 50ms, found '${opts.interval}'`);
  const headlessMs = opts.headless === undefined ? null : parseDuration(opts.headless);
  if (opts.headless !== undefined && headlessMs === null)
    throw new UsageError(`--headless: expected a duration such as 5s, found '${opts.headless}'`);

  let bin: string | null = null;
  if (opts.nats === true) {
    bin = findNatsServer();
    if (bin === null)
      throw new UsageError(
        'demo --nats: nats-server is not installed (Debian: apt-get install nats-server; or set NATS_SERVER to its path)',
      );
  }
  let server: LocalServer | null = null;
  let sink: NatsDemoSink | null = null;
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-demo-'));
  let sim: Simulator | null = null;
  let cleaned = false;
  const cleanup = () => {
    if (cleaned) return;
    cleaned = true;
    sim?.stop();
    server?.stop();
    if (!opts.keep) fs.rmSync(root, { recursive: true, force: true });
  };
  // SIGINT, SIGTERM or SIGHUP from outside: the folder goes too, and the exit code says which (130/143/129).
  const forget = onTerminate(cleanup);
  try {
    if (bin !== null) {
      try {
        server = await startLocalServer(bin);
        fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), natsDemoConfig(server.url));
        sink = await NatsDemoSink.open(server.url, root);
      } catch (e) {
        throw new UsageError(`demo --nats: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
    sim = new Simulator(root, { agents, seed, intervalMs, ...(sink ? { sink } : {}) });
    sim.seed();
    await sink?.flush();
    sim.start();
    if (headlessMs !== null) {
      process.stdout.write(`${root}\n`);
      await new Promise((resolve) => setTimeout(resolve, headlessMs));
      return 0;
    }
    const code = await runTui({
      root,
      rootIsTemporary: opts.keep !== true,
      readOnly: opts.readOnly === true,
      ...(opts.color === false ? { color: false } : {}),
      // The demo starts with the bell off (a simulated swarm drifts all the time); `b` turns it on.
      quiet: true,
    });
    if (opts.keep) process.stderr.write(`sync-tui: demo workspace kept at ${root}\n`);
    return code;
  } finally {
    forget();
    sim?.stop();
    // The simulator's last writes, then the server goes (bounded: it may be gone already).
    if (sink)
      await Promise.race([sink.close(), new Promise((r) => setTimeout(r, 2000))]).catch(() => undefined);
    cleanup();
  }
}
