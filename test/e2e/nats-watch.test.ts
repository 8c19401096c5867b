// The watch on NATS JetStream key-value sources against a real nats-server (README.md
// "Several hosts"): a write is a change line within a second, a watch that loses its
// server (connection cut, server restarted, or SIGKILLed) shows the source unhealthy and,
// once back, every write made meanwhile.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { natsAvailable } from '../helpers/nats.js';
import { natsConfigText, Proxy, setupNats, statusDoc, untilAcked } from '../helpers/nats-sources.js';
import { timing } from '../helpers/report.js';
import { waitFor } from '../helpers/wait.js';
import { startWatch, stopAllWatches } from '../helpers/watch-process.js';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) await f();
});

/**
 * Three agents in sync in the registry bucket, and a watch that reaches the server through
 * a proxy the test can cut (the test's writers connect directly).
 */
async function watchThroughProxy() {
  const t = await setupNats(cleanup);
  for (let i = 1; i <= 3; i++) await t.registry.put(`agent-${i}`, JSON.stringify({ status: 'ACTIVE' }));
  const proxy = await Proxy.start(t.server.port);
  cleanup.push(() => proxy.close());
  fs.writeFileSync(
    path.join(t.root, 'sync-tui.config.yaml'),
    natsConfigText(`nats://127.0.0.1:${proxy.port}`),
  );
  const w = await startWatch({ args: ['--json', '--root', t.root] });
  expect(w.of('initial')[0]!.summary).toMatchObject({ 'in-sync': 3 });
  return { t, proxy, w };
}

/** The outage's writes (agent-1 idle, agent-4 new, agent-2's registry PENDING, agent-3 deleted) shown. */
async function outageWritesShown(w: Awaited<ReturnType<typeof startWatch>>): Promise<void> {
  const lastVerdict = (id: string) => w.of('change', id).at(-1)?.verdict?.after;
  await waitFor(
    () =>
      lastVerdict('agent-1') === 'drift' &&
      lastVerdict('agent-4') === 'missing' &&
      lastVerdict('agent-2') === 'drift' &&
      lastVerdict('agent-3') === 'missing',
    { timeoutMs: 20_000, what: 'every write made during the outage' },
  );
}

describe.skipIf(!natsAvailable())('NATS key-value sources under a watch (real nats-server)', () => {
  it('watch: a lost connection and a restarted server show as unhealthy; every write made meanwhile is shown after', async () => {
    const { t, proxy, w } = await watchThroughProxy();

    proxy.cut();
    await waitFor(
      () =>
        w.events.find(
          (e) => e.type === 'source' && e.source?.name === 'agents' && e.source.healthy.after === false,
        ),
      { timeoutMs: 10_000 },
    );
    // Writes while the watch is cut off, then the server is killed and started again, more writes.
    await t.status.put('agents.agent-1', statusDoc('agent-1', 'idle'));
    await t.status.put('agents.agent-4', statusDoc('agent-4', 'working'));
    await t.server.kill();
    await t.server.run();
    // The writer's own client reconnects first: its writes are retried until acknowledged.
    await untilAcked(() => t.registry.put('agent-2', JSON.stringify({ status: 'PENDING' })));
    await untilAcked(() => t.status.delete('agents.agent-3'));
    proxy.restore();

    await waitFor(
      () =>
        w.events.find(
          (e) => e.type === 'source' && e.source?.name === 'agents' && e.source.healthy.after === true,
        ),
      { timeoutMs: 20_000 },
    );
    await outageWritesShown(w);
    const cut = w.events.find(
      (e) => e.type === 'source' && e.source?.name === 'agents' && e.source.healthy.after === false,
    )!;
    expect(cut.source!.error).toMatch(/^connection lost to 127\.0\.0\.1:\d+ \(\d+s ago\)$/);
    // While cut off, the agents kept their last known verdicts (no one turned invalid).
    expect(w.events.filter((e) => e.type === 'change' && e.verdict.after === 'invalid')).toEqual([]);
    await w.stop();
    // A server restart and reconnect backoff under a loaded machine: the waits above bound each step.
  }, 75_000);

  it('watch: a write to a key is a change line within a second', async () => {
    const t = await setupNats(cleanup);
    for (let i = 1; i <= 3; i++) await t.registry.put(`agent-${i}`, JSON.stringify({ status: 'ACTIVE' }));
    const w = await startWatch({ args: ['--json', '--root', t.root] });
    expect(w.of('initial')[0]!.summary).toMatchObject({ 'in-sync': 3 });
    const latencies: number[] = [];
    const moves = ['idle', 'working', 'idle', 'working', 'idle'];
    for (const [i, status] of moves.entries()) {
      const t0 = performance.now();
      await t.status.put('agents.agent-2', statusDoc('agent-2', status));
      const e = await waitFor(() => w.of('change', 'agent-2')[i], {
        timeoutMs: 5000,
        what: `the change event for agent-2 -> ${status}`,
      });
      latencies.push(e.receivedAt - t0);
      expect(e.verdict.after).toBe(status === 'idle' ? 'drift' : 'in-sync');
    }
    timing(`NATS watch event latency (ms): ${latencies.map((l) => Math.round(l)).join(', ')}`);
    expect(Math.max(...latencies)).toBeLessThan(1000);
    expect(await w.stop()).toBe(0);
    expect(w.stderr()).toBe('');
  });

  it('watch: the server killed under it (SIGKILL) and started again; every write made while the watch was out is shown after', async () => {
    const { t, proxy, w } = await watchThroughProxy();
    const health = () =>
      w.events
        .filter((e) => e.type === 'source' && e.source?.name === 'agents')
        .map((e) => e.source!.healthy.after);

    // The server dies under the connected watch.
    await t.server.kill();
    await waitFor(() => health().at(-1) === false, {
      timeoutMs: 10_000,
      what: 'the source turning unhealthy',
    });
    // It comes back, but the watch is kept out (the proxy refuses it) while writers write.
    proxy.cut();
    await t.server.run();
    await untilAcked(() => t.status.put('agents.agent-1', statusDoc('agent-1', 'idle')));
    await untilAcked(() => t.status.put('agents.agent-4', statusDoc('agent-4', 'working')));
    await untilAcked(() => t.registry.put('agent-2', JSON.stringify({ status: 'PENDING' })));
    await untilAcked(() => t.status.delete('agents.agent-3'));
    const seenBefore = w.events.filter((e) => e.type === 'change').length;
    proxy.restore();

    await waitFor(() => health().at(-1) === true, { timeoutMs: 20_000, what: 'the source healthy again' });
    await outageWritesShown(w);
    // None of them was shown while the watch was out: they came after it resumed.
    expect(seenBefore).toBe(0);
    expect(w.events.filter((e) => e.type === 'change' && e.verdict.after === 'invalid')).toEqual([]);
    expect(await w.stop()).toBe(0);
  }, 75_000);
});
