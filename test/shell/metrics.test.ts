// shell/metrics.ts on its own: the counters fed by the engine's observer and by resolves,
// scraped over loopback and parsed as Prometheus text.
import * as http from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { EngineSnapshot } from '../../src/shell/engine-types.js';
import { Metrics } from '../../src/shell/metrics.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const open: Metrics[] = [];
afterEach(async () => {
  for (const m of open.splice(0)) await m.close();
});

function scrape(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get(`http://127.0.0.1:${port}/metrics`, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('Metrics', () => {
  it('counts watcher resyncs by source, resolves by result and reconcile durations', async () => {
    const config = incidentConfig();
    const recon = reconcile(
      incidentReads(
        { 'Agent-1': { status: 'ONBOARDED', fsm: 'IDLE', at: '2026-03-02T09:00:00Z' } },
        { onboarded: { 'Agent-1': true }, fsm: { 'Agent-1': 'idle' } },
      ),
      config,
      T0 + MIN,
    );
    const snap = {
      seq: 1,
      at: T0,
      root: '/x',
      config,
      recon,
      health: [],
      pending: new Set<string>(),
      lastAction: null,
      error: null,
    } satisfies EngineSnapshot;
    const m = new Metrics({ perAgentCap: null, clock: () => T0 + MIN });
    open.push(m);
    m.watch(() => snap);
    const at = await m.listen({ host: '127.0.0.1', port: 0 });
    expect(at.host).toBe('127.0.0.1');
    m.observer.resynced('file');
    m.observer.resynced('file');
    m.observer.reconciled(3);
    m.resolved([{ cause: 'verified' }, { cause: 'overwritten' }, { cause: 'verified' }]);
    const families = parsePrometheusTextFormat(await scrape(at.port));
    const get = (name: string) => families.find((f) => f.name === name)?.metrics ?? [];
    expect(get('sync_tui_watcher_resyncs_total')).toEqual([{ labels: { source: 'file' }, value: '2' }]);
    expect(get('sync_tui_resolves_total')).toEqual([
      { labels: { result: 'verified' }, value: '2' },
      { labels: { result: 'overwritten' }, value: '1' },
    ]);
    expect(get('sync_tui_reconcile_duration_seconds')[0]).toMatchObject({ count: '1', sum: '0.003' });
    expect(get('sync_tui_agents').find((s) => s.labels?.['verdict'] === 'in-sync')?.value).toBe('1');
  });
});
