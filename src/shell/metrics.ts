// `watch --metrics ADDR`: Prometheus text at http://ADDR/metrics (docs/metrics.md). The
// picture's gauges are computed at scrape time from the engine's latest snapshot
// (core/metrics-model.ts); counters and the reconcile histogram are fed as things happen.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { metricsPicture, type MetricsAddress } from '../core/report/metrics-model.js';
import type { EngineSnapshot } from './engine-types.js';

export interface MetricsOptions {
  /** Per-agent series, at most this many; null: none. */
  perAgentCap: number | null;
  clock?: () => number;
  /** Said once when the per-agent cap first drops series. */
  onCapped?: (message: string) => void;
}

export class Metrics {
  readonly registry = new Registry();
  private snapshot: (() => EngineSnapshot | null) | null = null;
  private readonly resolves: Counter<'result'>;
  private readonly resyncs: Counter<'source'>;
  private readonly reconcile: Histogram;
  private cappedSaid = false;
  private server: http.Server | null = null;

  constructor(private readonly opts: MetricsOptions) {
    const clock = opts.clock ?? Date.now;
    const r = this.registry;
    const picture = () => {
      const snap = this.snapshot?.() ?? null;
      return snap === null ? null : metricsPicture(snap.recon, snap.health, clock(), opts.perAgentCap);
    };
    new Gauge({
      name: 'sync_tui_agents',
      help: 'Agents by verdict.',
      labelNames: ['verdict'],
      registers: [r],
      collect() {
        const p = picture();
        this.reset();
        if (p) for (const [v, n] of Object.entries(p.verdicts)) this.set({ verdict: v }, n);
      },
    });
    new Gauge({
      name: 'sync_tui_drift_agents',
      help: 'Agents whose field differs from the truth in a source, by field and source.',
      labelNames: ['field', 'source'],
      registers: [r],
      collect() {
        const p = picture();
        this.reset();
        if (p) for (const d of p.drift) this.set({ field: d.field, source: d.source }, d.agents);
      },
    });
    new Gauge({
      name: 'sync_tui_source_healthy',
      help: '1 when the source can be read and parsed, else 0.',
      labelNames: ['source'],
      registers: [r],
      collect() {
        const p = picture();
        this.reset();
        if (p) for (const s of p.sources) this.set({ source: s.name }, s.healthy ? 1 : 0);
      },
    });
    new Gauge({
      name: 'sync_tui_source_last_read_age_seconds',
      help: 'Seconds since the source was last read (absent: never read).',
      labelNames: ['source'],
      registers: [r],
      collect() {
        const p = picture();
        this.reset();
        if (p)
          for (const s of p.sources)
            if (s.lastReadAgeSeconds !== null) this.set({ source: s.name }, s.lastReadAgeSeconds);
      },
    });
    if (opts.perAgentCap !== null) {
      const say = (dropped: number, cap: number) => {
        if (dropped === 0 || this.cappedSaid) return;
        this.cappedSaid = true;
        opts.onCapped?.(
          `--metrics-per-agent: ${dropped} agent(s) beyond the cap of ${cap} are left out of sync_tui_agent_verdict (the worst verdicts are kept)`,
        );
      };
      new Gauge({
        name: 'sync_tui_agent_verdict',
        help: 'Per agent: 1 for its current verdict (capped: see sync_tui_agent_series_dropped).',
        labelNames: ['agent', 'verdict'],
        registers: [r],
        collect() {
          const p = picture();
          this.reset();
          if (!p?.perAgent) return;
          for (const a of p.perAgent) this.set({ agent: a.agent, verdict: a.verdict }, 1);
          say(p.perAgentDropped, opts.perAgentCap!);
        },
      });
      new Gauge({
        name: 'sync_tui_agent_series_dropped',
        help: 'Agents left out of the per-agent series by the cap.',
        registers: [r],
        collect() {
          this.set(picture()?.perAgentDropped ?? 0);
        },
      });
    }
    this.resolves = new Counter({
      name: 'sync_tui_resolves_total',
      help: 'Agents resolved by watch (auto-resolve), by result (the outcome cause).',
      labelNames: ['result'],
      registers: [r],
    });
    this.resyncs = new Counter({
      name: 'sync_tui_watcher_resyncs_total',
      help: 'Whole-source re-reads after a watcher overflow or restart, by source.',
      labelNames: ['source'],
      registers: [r],
    });
    this.reconcile = new Histogram({
      name: 'sync_tui_reconcile_duration_seconds',
      help: 'Time to reconcile the picture after a change.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [r],
    });
  }

  /** Where the picture comes from (the engine, once open). */
  watch(snapshot: () => EngineSnapshot | null): void {
    this.snapshot = snapshot;
  }

  /** For the engine's `observer` option. */
  readonly observer = {
    reconciled: (ms: number) => this.reconcile.observe(ms / 1000),
    resynced: (source: string) => this.resyncs.inc({ source }),
  };

  resolved(results: readonly { cause: string }[]): void {
    for (const o of results) this.resolves.inc({ result: o.cause });
  }

  /** Serve GET /metrics; resolves with the bound address (port 0 picks a free one). */
  listen(addr: MetricsAddress): Promise<MetricsAddress> {
    const server = http.createServer((req, res) => {
      const url = (req.url ?? '/').split('?')[0];
      if (req.method !== 'GET' || url !== '/metrics') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('sync-tui: only GET /metrics is served\n');
        return;
      }
      this.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': this.registry.contentType }).end(text),
        (e: unknown) =>
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(`sync-tui: metrics failed: ${e instanceof Error ? e.message : String(e)}\n`),
      );
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(addr.port, addr.host, () => {
        server.off('error', reject);
        const a = server.address() as AddressInfo;
        resolve({ host: a.address, port: a.port });
      });
    });
  }

  close(): Promise<void> {
    const s = this.server;
    this.server = null;
    if (!s) return Promise.resolve();
    s.closeAllConnections();
    return new Promise((resolve) => s.close(() => resolve()));
  }
}
