// Change -> screen through a NATS bucket (README.md "Several hosts"): the live view over a
// config whose status values are keys of a bucket, one key put at a time by a client of
// our own, timed to the engine's snapshot and to the frame on the recording terminal.
// Dispatched by live.ts (`nats-latency` mode), which owns the live view and the terminal.
// With url `files` the same values are written as status files (agents/{agent}/status.json,
// atomically) instead: the same figure for files, on the same agents.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { mean, percentile, sleep } from './lib.js';
import type { Frame } from './live.js';
import type { EngineSnapshot } from '../src/shell/engine-types.js';

export interface LiveLike {
  engine: { getSnapshot(): EngineSnapshot; subscribe(f: () => void): () => void };
  term: { last: Frame | null; onFrame: ((f: Frame) => void) | null };
  fileSource: string;
  close(): Promise<void>;
}

const CYCLE = ['IDLE', 'ACTIVE', 'READY', 'BLOCKED', 'OFFLINE', 'ERROR', 'ONBOARDED'];

export async function natsLatency(
  live: LiveLike,
  helpers: {
    settle: () => Promise<void>;
    rowsOf: (f: Frame) => string[];
    cellOf: (f: Frame, agent: string, label: string) => string | null;
  },
  opts: { root: string; url: string; bucket: string; changes: number; gapMs: [number, number] },
): Promise<unknown> {
  await helpers.settle();
  const markers = helpers.rowsOf(live.term.last!).slice(0, 30);
  if (markers.length === 0) throw new Error('no agent rows on screen');
  const nc = opts.url === 'files' ? null : await connect({ servers: opts.url });
  const kv = nc ? await new Kvm(jetstream(nc)).open(opts.bucket) : null;
  const write = async (id: string, text: string) => {
    if (kv) {
      await kv.put(`agents.${id}`, text);
      return;
    }
    const file = path.join(opts.root, 'agents', id, 'status.json');
    fs.writeFileSync(`${file}.tmp`, text);
    fs.renameSync(`${file}.tmp`, file);
  };
  const label = `FSM ${live.fileSource}`;
  const fsmOf = (id: string): unknown =>
    live.engine.getSnapshot().recon.agents.find((a) => a.id === id)?.observations[live.fileSource]?.fields[
      'fsm'
    ]?.value;
  const samples: { engine: number; screen: number }[] = [];
  let timeouts = 0;
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let i = 0; i < opts.changes; i++) {
    const id = markers[i % markers.length]!;
    const cur = String(fsmOf(id) ?? '');
    const choices = CYCLE.filter((v) => v !== cur);
    const value = choices[Math.floor(random() * choices.length)]!;
    let tEngine = NaN;
    let tScreen = NaN;
    let unsub = (): void => undefined;
    const done = new Promise<void>((resolve) => {
      const check = () => {
        if (!Number.isNaN(tEngine) && !Number.isNaN(tScreen)) resolve();
      };
      unsub = live.engine.subscribe(() => {
        if (Number.isNaN(tEngine) && fsmOf(id) === value) {
          tEngine = performance.now();
          check();
        }
      });
      live.term.onFrame = (f) => {
        if (Number.isNaN(tScreen) && helpers.cellOf(f, id, label) === value) {
          tScreen = f.t;
          check();
        }
      };
    });
    const t0 = performance.now();
    await write(
      id,
      JSON.stringify({
        agent_id: id,
        status: 'working',
        fsm_state: value,
        last_updated: new Date().toISOString(),
      }),
    );
    const timedOut = await Promise.race([done.then(() => false), sleep(5000).then(() => true)]);
    unsub();
    live.term.onFrame = null;
    if (timedOut) timeouts++;
    else samples.push({ engine: tEngine - t0, screen: tScreen - t0 });
    await sleep(opts.gapMs[0] + random() * (opts.gapMs[1] - opts.gapMs[0]));
  }
  await nc?.close();
  await live.close();
  const stats = (xs: number[]) => ({
    p50: percentile(xs, 50),
    p99: percentile(xs, 99),
    max: Math.max(...xs),
    mean: mean(xs),
  });
  return {
    changes: opts.changes,
    measured: samples.length,
    timeouts,
    engine: stats(samples.map((s) => s.engine)),
    screen: stats(samples.map((s) => s.screen)),
  };
}
