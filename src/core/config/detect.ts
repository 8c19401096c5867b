// Layout detection: with no config file, recognise the shapes swarms really use.
// Pure: the shell hands in a probe that lists folders and reads small files.
import { defaultFields, defaultPolicy, enumMapping } from './defaults.js';
import {
  eventLogSpec,
  INCIDENT_REGISTRY,
  incidentRegistrySpec,
  registrySpec,
  statusFilesSpec,
} from './source-specs.js';
import { DEFAULT_STATE_DIR } from './config.js';
import type { Config, FieldMapping, SourceSpec } from '../types.js';
import { isRecord } from '../record.js';

export interface LayoutProbe {
  /** Entries of a folder relative to the root (`''` is the root), or null when it is not a folder. */
  entries(dir: string): { name: string; dir: boolean }[] | null;
  /** The parsed content of a small file, or undefined when it cannot be read or parsed. */
  read(path: string): unknown;
}

export type Detection = { ok: true; layout: string; config: Config } | { ok: false; lookedFor: string[] };

const STATUS_PATTERNS = [
  'agent_workspaces/{agent}/status.json',
  'agent_workspaces/{agent}/status.yaml',
  'agents/{agent}/status.json',
  'agents/{agent}/status.yaml',
  'agents/{agent}/status.yml',
  'agents/{agent}.json',
  'agents/{agent}.yaml',
  'agents/{agent}.yml',
  'status/{agent}.json',
  'status/{agent}.yaml',
];
const GENERIC_REGISTRIES = [
  'registry.yaml',
  'registry.yml',
  'registry.json',
  'coordinator.yaml',
  'coordinator.json',
  'agent_registry.json',
];
const EVENT_LOGS = ['events.jsonl', 'realtime.jsonl', 'events.ndjson', 'events.log', 'logs/events.jsonl'];

export const LOOKED_FOR = [
  `status files: ${STATUS_PATTERNS.join(', ')}`,
  `a registry: ${[INCIDENT_REGISTRY, ...GENERIC_REGISTRIES].join(', ')}`,
  `an event log (optional): ${EVENT_LOGS.join(', ')}`,
];

function exists(probe: LayoutProbe, path: string): boolean {
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const name = path.slice(slash + 1);
  return probe.entries(dir)?.some((e) => e.name === name && !e.dir) ?? false;
}

/** The first status-file pattern that matches at least one agent. */
function findStatusPattern(probe: LayoutProbe): string | undefined {
  for (const pattern of STATUS_PATTERNS) {
    const [dir, rest] = pattern.split('/{agent}') as [string, string];
    const entries = probe.entries(dir);
    if (!entries) continue;
    if (rest.startsWith('/')) {
      const file = rest.slice(1);
      if (entries.some((e) => e.dir && exists(probe, `${dir}/${e.name}/${file}`))) return pattern;
    } else if (entries.some((e) => !e.dir && e.name.endsWith(rest) && e.name.length > rest.length)) {
      return pattern;
    }
  }
  return undefined;
}

/** A registry keyed by agent id, at the top level or under `agents:`. */
function genericRegistry(path: string, doc: unknown): SourceSpec | undefined {
  if (!isRecord(doc)) return undefined;
  const prefix = isRecord(doc['agents']) ? 'agents.' : '';
  const container = prefix ? (doc['agents'] as Record<string, unknown>) : doc;
  const entries = Object.values(container).filter(isRecord);
  if (entries.length === 0) return undefined;
  const has = (key: string) => entries.some((e) => key in e);
  const pick = (keys: string[]) => keys.filter(has).map((k) => `${prefix}{agent}.${k}`);
  const fields: Record<string, FieldMapping> = {};
  const status = pick(['status', 'onboarding_status']);
  const fsm = pick(['fsm', 'fsm_state', 'state']);
  if (status.length > 0) fields['status'] = enumMapping(status);
  if (fsm.length > 0) fields['fsm'] = enumMapping(fsm);
  if (Object.keys(fields).length === 0) return undefined;
  return registrySpec(path, fields, [
    ...pick(['last_seen', 'updated_at', 'last_updated']),
    'last_updated',
    'updated_at',
  ]);
}

/** Recognise the layout under a root. */
export function detectLayout(probe: LayoutProbe): Detection {
  const statusPattern = findStatusPattern(probe);
  let registry: SourceSpec | undefined;
  let layout = 'generic';
  if (exists(probe, INCIDENT_REGISTRY)) {
    const doc = probe.read(INCIDENT_REGISTRY);
    // A coordinator state cut off mid-write cannot be inspected; its name is enough to know it.
    if (!isRecord(doc) || 'onboarding_status' in doc || 'agent_fsm_states' in doc) {
      registry = incidentRegistrySpec();
      layout = 'coordination-system';
    }
  }
  for (const path of GENERIC_REGISTRIES) {
    if (registry) break;
    if (exists(probe, path)) registry = genericRegistry(path, probe.read(path));
  }
  if (!statusPattern || !registry) return { ok: false, lookedFor: LOOKED_FOR };
  const sources = [statusFilesSpec(statusPattern), registry];
  const log = EVENT_LOGS.find((p) => exists(probe, p));
  if (log) sources.push(eventLogSpec(log));
  const config: Config = {
    origin: `detected:${layout}`,
    fields: defaultFields(),
    sources,
    policy: defaultPolicy(registry.name),
    timezone: 'local',
    stateDir: DEFAULT_STATE_DIR,
  };
  return { ok: true, layout, config };
}
