// The `check --json` document (docs/DESIGN.md: a contract scripts depend on).
import { LazyList } from './json-stream.js';
import { formatIso } from '../time.js';
import type { AgentState, Config, Reconciliation, SourceRead } from '../types.js';
import { sourceProblems, sourceReadable } from '../observe/source-health.js';
import { layoutOfConfig } from '../config/discover/index.js';
import type { LayoutReport } from '../config/discover/types.js';
import { formatDiagnostic } from '../view/view.js';

export interface CheckJson {
  root: string;
  generatedAt: string;
  summary: Reconciliation['summary'];
  agents: AgentJson[];
  /** Problems with sources as a whole (unreadable registry, bad event lines). */
  sources?: Record<string, { healthy: boolean; diagnostics: string[] }>;
  /** Added field (README.md "Zero config"): what was found, where, and why. */
  layout?: LayoutReport;
}

export interface AgentJson {
  id: string;
  verdict: AgentState['verdict'];
  reasons: string[];
  sources: Record<string, SourceJson>;
  truth: Record<string, unknown>;
  differences: { field: string; source: string; expected: unknown; actual: unknown; actualRaw?: unknown }[];
  plan: { field: string; target: string; path: string[]; before: unknown; after: unknown; from: string }[];
  lastSeen: string | null;
  /** Fields settled by an operator's decision that still holds (present only then). */
  decisions?: Record<string, { source: string; value: unknown; at: string; action: string }>;
}

export interface SourceJson {
  present: boolean;
  [field: string]: unknown;
  raw: Record<string, unknown>;
  updatedAt: string | null;
  diagnostics: string[];
}

export function agentJson(a: AgentState, fieldNames: readonly string[]): AgentJson {
  const sources: Record<string, SourceJson> = {};
  for (const [name, o] of Object.entries(a.observations)) {
    const s: SourceJson = {
      present: o.present,
      raw: {},
      updatedAt: o.updatedAt === null ? null : formatIso(o.updatedAt),
      diagnostics: o.diagnostics.map(formatDiagnostic),
    };
    for (const f of fieldNames) {
      const obs = o.fields[f];
      if (!obs) continue;
      s[f] = obs.value;
      s.raw[f] = obs.raw;
    }
    sources[name] = s;
  }
  return {
    id: a.id,
    verdict: a.verdict,
    reasons: a.reasons,
    sources,
    truth: Object.fromEntries(Object.entries(a.truth).map(([f, t]) => [f, t.value])),
    differences: a.differences.map((d) => ({
      field: d.field,
      source: d.source,
      expected: d.expected,
      actual: d.actual,
      ...(d.actualRaw !== undefined ? { actualRaw: d.actualRaw } : {}),
    })),
    plan: a.plan.map((w) => ({
      field: w.field,
      target: w.target,
      path: w.path,
      before: w.before,
      after: w.after,
      from: w.truthFrom,
    })),
    lastSeen: a.lastSeen === null ? null : formatIso(a.lastSeen),
    ...(a.decisions ? { decisions: a.decisions } : {}),
  };
}

/** The check document with its agents made one by one as it is written (src/core/report/json-stream.ts). */
export type LazyCheckJson = Omit<CheckJson, 'agents'> & { agents: LazyList<AgentState, AgentJson> };

export function lazyCheckJson(
  root: string,
  recon: Reconciliation,
  fieldNames: readonly string[],
  now: number,
  sourceHealth?: CheckJson['sources'],
): LazyCheckJson {
  const doc: LazyCheckJson = {
    root,
    generatedAt: formatIso(now),
    summary: recon.summary,
    agents: new LazyList(recon.agents, (a) => agentJson(a, fieldNames)),
  };
  if (sourceHealth) doc.sources = sourceHealth;
  return doc;
}

/**
 * The document `check --json` prints and `snapshot --format json` writes, for a config:
 * the agents, the sources' health and the layout (what was found and why). One builder, so
 * the two outputs cannot drift apart.
 */
export function checkDocument(
  root: string,
  recon: Reconciliation,
  config: Config,
  now: number,
  sourceHealth?: CheckJson['sources'],
): LazyCheckJson {
  const doc = lazyCheckJson(
    root,
    recon,
    config.fields.map((f) => f.name),
    now,
    sourceHealth,
  );
  doc.layout = layoutOfConfig(config, 'config');
  return doc;
}

/** Health of each source, as `check --json` reports it. */
export function sourceHealth(
  reads: readonly SourceRead[],
  config: Config,
): NonNullable<CheckJson['sources']> {
  return Object.fromEntries(
    config.sources.map((spec) => {
      const read = reads.find((r) => r.source === spec.name)!;
      return [
        spec.name,
        {
          healthy: sourceReadable(read, spec),
          diagnostics: sourceProblems(read, spec).map(formatDiagnostic),
        },
      ];
    }),
  );
}
