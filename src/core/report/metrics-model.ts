// What `watch --metrics` exports about the picture (docs/metrics.md), computed from one
// snapshot. Pure: the snapshot and the time come in, numbers go out; shell/metrics.ts
// hands them to prom-client.
import type { Reconciliation, Verdict } from '../types.js';
import { VERDICTS } from '../types.js';

export interface SourceHealthLike {
  name: string;
  healthy: boolean;
  lastReadAt: number | null;
}

export interface MetricsPicture {
  verdicts: Record<Verdict, number>;
  /** Agents with a difference in this field at this source. */
  drift: { field: string; source: string; agents: number }[];
  sources: { name: string; healthy: boolean; lastReadAgeSeconds: number | null }[];
  /** One series per agent, at most `cap` of them (the worst first); null unless asked for. */
  perAgent: { agent: string; verdict: Verdict }[] | null;
  /** Agents left out of perAgent because of the cap. */
  perAgentDropped: number;
}

const RANK: Record<Verdict, number> = Object.fromEntries(VERDICTS.map((v, i) => [v, i])) as Record<
  Verdict,
  number
>;

export function metricsPicture(
  recon: Reconciliation,
  health: readonly SourceHealthLike[],
  now: number,
  perAgentCap: number | null,
): MetricsPicture {
  const verdicts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>;
  const drift = new Map<string, { field: string; source: string; agents: number }>();
  for (const a of recon.agents) {
    verdicts[a.verdict]++;
    const seen = new Set<string>();
    for (const d of a.differences) {
      const key = `${d.field}\u0000${d.source}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const e = drift.get(key) ?? { field: d.field, source: d.source, agents: 0 };
      e.agents++;
      drift.set(key, e);
    }
  }
  const sources = health.map((h) => ({
    name: h.name,
    healthy: h.healthy,
    lastReadAgeSeconds: h.lastReadAt === null ? null : Math.max(0, (now - h.lastReadAt) / 1000),
  }));
  let perAgent: MetricsPicture['perAgent'] = null;
  let perAgentDropped = 0;
  if (perAgentCap !== null) {
    // Worst verdicts first (VERDICTS is ordered worst first), then by id, so what is kept under the cap is what matters.
    const sorted = recon.agents
      .map((a) => ({ agent: a.id, verdict: a.verdict }))
      .sort(
        (x, y) => RANK[x.verdict] - RANK[y.verdict] || (x.agent < y.agent ? -1 : x.agent > y.agent ? 1 : 0),
      );
    perAgent = sorted.slice(0, perAgentCap);
    perAgentDropped = sorted.length - perAgent.length;
  }
  return { verdicts, drift: [...drift.values()], sources, perAgent, perAgentDropped };
}

export interface MetricsAddress {
  host: string;
  port: number;
}

/** `9464`, `:9464`, `HOST:9464` or `[::1]:9464`; the host is loopback unless one is given. */
export function parseMetricsAddress(text: string): MetricsAddress | { message: string } {
  const t = text.trim();
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]*):)?(\d{1,5})$/.exec(t);
  if (!m) return { message: `expected PORT or HOST:PORT (like 9464 or 127.0.0.1:9464), found '${text}'` };
  const port = Number(m[2]);
  if (port > 65535) return { message: `port ${port} is out of range (0-65535)` };
  let host = m[1] ?? '';
  if (host.startsWith('[')) host = host.slice(1, -1);
  return { host: host === '' ? '127.0.0.1' : host, port };
}
