// Building reads and configs in memory for core tests: no fs, no clock.
import { defaultFields, defaultPolicy } from '../../src/core/config/defaults.js';
import {
  enumFields,
  eventLogSpec,
  incidentRegistrySpec,
  statusFilesSpec,
} from '../../src/core/config/source-specs.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { AgentState, Config, SourceDocument, SourceRead, SourceSpec } from '../../src/core/types.js';

export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
export const MIN = 60_000;

export function doc(value: unknown, extra: Partial<SourceDocument> = {}): SourceDocument {
  return {
    file: extra.file ?? 'x.json',
    parse: { ok: true, value, diagnostics: [] },
    mtimeMs: extra.mtimeMs ?? null,
    ...extra,
  };
}

export function badDoc(agent: string | undefined, message = 'conflict marker'): SourceDocument {
  const d: SourceDocument = {
    file: agent ? `agent_workspaces/${agent}/status.json` : 'reg.json',
    parse: {
      ok: false,
      value: undefined,
      diagnostics: [{ severity: 'error', code: 'conflict-marker', message, line: 3, column: 1 }],
    },
    mtimeMs: T0,
  };
  if (agent) d.agent = agent;
  return d;
}

export function fileSpec(): SourceSpec {
  return statusFilesSpec('agent_workspaces/{agent}/status.json', { staleAfterMs: 15 * MIN });
}

export function displaySpec(): SourceSpec {
  return incidentRegistrySpec({ staleAfterMs: 15 * MIN });
}

export function eventSpec(): SourceSpec {
  return eventLogSpec('events.jsonl', {
    fields: enumFields({ status: ['status'], fsm: ['fsm'] }),
    staleAfterMs: 15 * MIN,
  });
}

export function incidentConfig(withEvents = false): Config {
  const sources = [fileSpec(), displaySpec()];
  if (withEvents) sources.push(eventSpec());
  return {
    origin: 'test',
    fields: defaultFields(),
    sources,
    policy: defaultPolicy('display'),
    timezone: 'UTC',
    stateDir: '.sync-tui',
  };
}

export interface AgentFile {
  status?: unknown;
  fsm?: unknown;
  at?: string;
  extra?: Record<string, unknown>;
}

/** Reads for the incident layout: status files per agent + one registry document. */
export function incidentReads(
  files: Record<string, AgentFile | 'bad'>,
  registry:
    { onboarded?: Record<string, unknown>; fsm?: Record<string, unknown>; last_updated?: string } | 'bad',
  events: Record<string, unknown>[] = [],
): SourceRead[] {
  const fileDocs = Object.entries(files).map(([agent, f]) => {
    if (f === 'bad') return badDoc(agent);
    const value: Record<string, unknown> = { agent_id: agent, ...(f.extra ?? {}) };
    if (f.status !== undefined) value['status'] = f.status;
    if (f.fsm !== undefined) value['fsm_state'] = f.fsm;
    if (f.at !== undefined) value['last_updated'] = f.at;
    return { ...doc(value, { file: `agent_workspaces/${agent}/status.json`, mtimeMs: T0 }), agent };
  });
  const reads: SourceRead[] = [
    { source: 'file', documents: fileDocs, diagnostics: [], healthy: true },
    {
      source: 'display',
      documents: [
        registry === 'bad'
          ? badDoc(undefined, 'unexpected end of input')
          : doc(
              {
                last_updated: registry.last_updated ?? '2026-03-02T08:00:00Z',
                onboarding_status: registry.onboarded ?? {},
                agent_fsm_states: registry.fsm ?? {},
              },
              { file: 'coordination_system_state.json', mtimeMs: T0 },
            ),
      ],
      diagnostics: [],
      healthy: true,
    },
  ];
  reads.push({
    source: 'realtime',
    documents: events.map((e) => doc(e, { file: 'events.jsonl' })),
    diagnostics: [],
    healthy: true,
  });
  return reads;
}

/**
 * Five agents reconciled at T0 from the incident layout, shared by the live view's state and
 * filter tests: Agent-1 active and fresh, Agent-2 ready where the registry says
 * uninitialized, Agent-9 an unreadable status file, Agent-10 last updated a day before, Agent-11
 * just onboarded.
 */
export function fiveAgents(): AgentState[] {
  const fresh = new Date(T0 - 2 * MIN).toISOString();
  const reads = incidentReads(
    {
      'Agent-1': { status: 'ACTIVE', fsm: 'ACTIVE', at: fresh },
      'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: fresh },
      'Agent-9': 'bad',
      'Agent-10': { status: 'ACTIVE', fsm: 'IDLE', at: '2026-03-01T09:00:00Z' },
      'Agent-11': { status: 'ONBOARDED', fsm: 'ONBOARDED', at: fresh },
    },
    {
      last_updated: fresh,
      onboarded: { 'Agent-1': true, 'Agent-2': true, 'Agent-9': true, 'Agent-10': true, 'Agent-11': true },
      fsm: {
        'Agent-1': 'active',
        'Agent-2': 'uninitialized',
        'Agent-9': 'idle',
        'Agent-10': 'idle',
        'Agent-11': 'idle',
      },
    },
  );
  return reconcile(reads, incidentConfig(), T0).agents;
}
