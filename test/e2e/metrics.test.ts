// `watch --metrics`: the built binary serves Prometheus text on loopback; a real scrape over
// HTTP, parsed by a Prometheus text-format parser, follows the workspace as it changes.
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { setAgent2, twoAgents } from '../helpers/resolvable.js';
import { waitFor } from '../helpers/wait.js';
import { startWatch, stopAllWatches, type WatchProcess } from '../helpers/watch-process.js';

const cleanup: (() => void)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) f();
});

function get(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }),
        );
      })
      .on('error', reject);
  });
}

async function metricsUrl(w: WatchProcess): Promise<string> {
  const m = await waitFor(() => /metrics at (http:\/\/\S+)/.exec(w.stderr()), {
    what: 'the metrics address on stderr',
    timeoutMs: 10_000,
  });
  return m[1]!;
}

async function scrape(url: string): Promise<ParsedFamily[]> {
  const r = await get(url);
  expect(r.status).toBe(200);
  expect(r.type).toContain('text/plain');
  return parsePrometheusTextFormat(r.body);
}

function value(
  families: ParsedFamily[],
  name: string,
  labels: Record<string, string> = {},
): number | undefined {
  const f = families.find((x) => x.name === name);
  const s = f?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return s?.value === undefined ? undefined : Number(s.value);
}

describe('watch --metrics', () => {
  it('serves the picture on loopback and follows the workspace as it changes', async () => {
    const root = twoAgents('ready', cleanup);
    const w = await startWatch({ args: ['--json', '--root', root, '--metrics', '0'] });
    const url = await metricsUrl(w);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);

    let m = await scrape(url);
    expect(m.find((f) => f.name === 'sync_tui_agents')?.type).toBe('GAUGE');
    expect(value(m, 'sync_tui_agents', { verdict: 'in-sync' })).toBe(2);
    expect(value(m, 'sync_tui_agents', { verdict: 'drift' })).toBe(0);
    expect(value(m, 'sync_tui_drift_agents', { field: 'fsm', source: 'display' })).toBeUndefined();
    expect(value(m, 'sync_tui_source_healthy', { source: 'display' })).toBe(1);
    expect(value(m, 'sync_tui_source_last_read_age_seconds', { source: 'display' })).toBeGreaterThanOrEqual(
      0,
    );
    const hist = m.find((f) => f.name === 'sync_tui_reconcile_duration_seconds');
    expect(hist?.type).toBe('HISTOGRAM');
    const before = Number(hist?.metrics[0]?.count);
    expect(before).toBeGreaterThanOrEqual(1);
    // Per-agent series only when asked.
    expect(m.find((f) => f.name === 'sync_tui_agent_verdict')).toBeUndefined();

    setAgent2(root, 'uninitialized');
    await waitFor(() => w.of('change', 'Agent-2').length > 0, {
      what: 'Agent-2 to drift',
      timeoutMs: 10_000,
    });
    m = await scrape(url);
    expect(value(m, 'sync_tui_agents', { verdict: 'in-sync' })).toBe(1);
    expect(value(m, 'sync_tui_agents', { verdict: 'drift' })).toBe(1);
    expect(value(m, 'sync_tui_drift_agents', { field: 'fsm', source: 'display' })).toBe(1);
    expect(
      Number(m.find((f) => f.name === 'sync_tui_reconcile_duration_seconds')?.metrics[0]?.count),
    ).toBeGreaterThan(before);

    // The registry becomes unreadable: its health drops.
    fs.writeFileSync(path.join(root, 'coordination_system_state.json'), '{ "onboarding_status": ');
    await waitFor(() => w.of('source').some((e) => e.source?.name === 'display' && !e.source.healthy.after), {
      what: 'display unhealthy',
      timeoutMs: 10_000,
    });
    m = await scrape(url);
    expect(value(m, 'sync_tui_source_healthy', { source: 'display' })).toBe(0);

    expect((await get(url.replace('/metrics', '/other'))).status).toBe(404);
  }, 40_000);

  it('counts auto-resolves by result, and per-agent series are capped and say so', async () => {
    const root = twoAgents('uninitialized', cleanup);
    const w = await startWatch({
      args: [
        '--json',
        '--root',
        root,
        '--metrics',
        '127.0.0.1:0',
        '--auto-resolve',
        '--metrics-per-agent',
        '1',
      ],
    });
    const url = await metricsUrl(w);
    await waitFor(() => w.of('resolved', 'Agent-2').length > 0, {
      what: 'the auto-resolve',
      timeoutMs: 15_000,
    });
    const m = await scrape(url);
    expect(value(m, 'sync_tui_resolves_total', { result: 'verified' })).toBe(1);
    const perAgent = m.find((f) => f.name === 'sync_tui_agent_verdict');
    expect(perAgent?.metrics).toHaveLength(1);
    expect(value(m, 'sync_tui_agent_series_dropped')).toBe(1);
    await waitFor(() => w.stderr().includes('beyond the cap of 1 are left out'), { what: 'the cap message' });
  }, 40_000);

  it('refuses a bad address and --metrics-per-agent alone (exit 2)', () => {
    const root = twoAgents('ready', cleanup);
    const bad = runCli(['watch', '--root', root, '--metrics', 'localhost']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(
      "--metrics: expected PORT or HOST:PORT (like 9464 or 127.0.0.1:9464), found 'localhost'",
    );
    const alone = runCli(['watch', '--root', root, '--metrics-per-agent']);
    expect(alone.code).toBe(2);
    expect(alone.stderr).toContain('--metrics-per-agent: needs --metrics');
  });
});
