// Discovery by content (README.md "Zero config"): with no config and no known layout, find
// the agents' status files, the registry and the event logs from what the files hold.
// Pure: the shell's bounded walk (shell/discover-probe.ts) hands in the file list and reads.
import { DEFAULT_STATE_DIR } from '../config.js';
import {
  booleanMapping,
  defaultFields,
  defaultPolicy,
  enumMapping,
  EVENT_FIELDS,
  STATUS_FILE_FIELDS,
} from '../defaults.js';
import {
  enumFields,
  eventLogSpec,
  registrySpec,
  statusFilesSpec,
  type SpecOptions,
} from '../source-specs.js';
import type { Config, FieldMapping, SourceSpec } from '../../types.js';
import { chooseEvents, eventCandidates, LOG_FILE } from './events.js';
import { chooseRegistry, registryCandidates } from './registry.js';
import { chooseStatus } from './status.js';
import type { DiscoveryInput, LayoutReport, LayoutSource } from './types.js';

export type { DiscoveryInput, TreeFile } from './types.js';

/** Bounds of the walk and of discovery, stated in messages when hit. */
export const DISCOVERY_BOUNDS = { depth: 4, entries: 50_000, registryFiles: 500 } as const;

export const LOOKED_FOR_CONTENT = [
  `status files: JSON/YAML files named the same in each agent's folder (<dir>/{agent}/<name>) or one per agent (<dir>/{agent}.json), up to ${DISCOVERY_BOUNDS.depth} folders deep, holding a status-like field (${['status', 'state', 'fsm_state'].join(', ')}, ...)`,
  'a registry (optional): a JSON/YAML file holding a map keyed by the agents\u2019 ids, at the top or under a key',
  'an event log (optional): a .jsonl/.ndjson file whose lines name agents, or one per agent named after it',
];

export const NO_REGISTRY_NOTE =
  "no registry found: only the agents' own sources are compared (staleness, validity, status file against event log); " +
  "to compare against a coordinator, add a source of kind 'registry' to sync-tui.config.yaml (sync-tui init writes one to edit)";

export type Discovery =
  { ok: true; config: Config; layout: LayoutReport } | { ok: false; lookedFor: string[]; notes: string[] };

export function discover(input: DiscoveryInput): Discovery {
  const notes: string[] = [];
  if (input.truncated) notes.push(input.truncated);
  const status = chooseStatus(input);
  if (!status) return { ok: false, lookedFor: LOOKED_FOR_CONTENT, notes };
  const agents = new Set(status.chosen.files.keys());
  const total = agents.size;
  const layoutSources: LayoutSource[] = [];
  const sources: SourceSpec[] = [];

  // A field no file holds yet keeps the built-in paths (what a config file that leaves it out
  // gets too), so the config `init` writes reads back the same.
  sources.push(
    statusFilesSpec(status.chosen.pattern, {
      fields: enumFields(STATUS_FILE_FIELDS, status.chosen.fields),
      updatedAt: status.chosen.updatedAt,
    }),
  );
  layoutSources.push({
    name: 'file',
    kind: 'status-files',
    path: status.chosen.pattern,
    fields: status.chosen.fields,
    updatedAt: status.chosen.updatedAt,
    agents: total,
    reason: status.reason,
    runnersUp: status.runnersUp,
    ties: status.ties,
  });

  const statusFiles = new Set(status.chosen.files.values());
  const { candidates, skipped } = registryCandidates(
    input,
    agents,
    statusFiles,
    DISCOVERY_BOUNDS.registryFiles,
  );
  if (skipped > 0)
    notes.push(
      `registry search read the first ${DISCOVERY_BOUNDS.registryFiles} data files (by name, then depth); ${skipped} more were not read`,
    );
  const registry = chooseRegistry(candidates, total);
  if (registry) {
    const fields: Record<string, FieldMapping> = {};
    const shown: Record<string, string[]> = {};
    const booleans: string[] = [];
    for (const [name, f] of Object.entries(registry.chosen.fields)) {
      fields[name] = f.boolean ? booleanMapping([f.path]) : enumMapping([f.path]);
      shown[name] = [f.path];
      if (f.boolean) booleans.push(name);
    }
    sources.push(registrySpec(registry.chosen.path, fields, registry.chosen.updatedAt));
    const src: LayoutSource = {
      name: 'display',
      kind: 'registry',
      path: registry.chosen.path,
      fields: shown,
      updatedAt: registry.chosen.updatedAt,
      agents: registry.chosen.agents.length,
      reason: registry.reason,
      runnersUp: registry.runnersUp,
      ties: registry.ties,
    };
    if (booleans.length > 0) src.booleanFields = booleans;
    layoutSources.push(src);
  } else {
    notes.push(NO_REGISTRY_NOTE);
  }

  const events = chooseEvents(
    eventCandidates({ ...input, files: input.files.filter((f) => LOG_FILE.test(f.path)) }, agents),
    total,
  );
  if (events) {
    const spec: SpecOptions = {
      fields: enumFields(EVENT_FIELDS, events.chosen.fields),
      updatedAt: events.chosen.updatedAt,
    };
    if (events.chosen.idPaths.length > 0) spec.idPaths = events.chosen.idPaths;
    sources.push(eventLogSpec(events.chosen.path, spec));
    layoutSources.push({
      name: 'realtime',
      kind: 'event-log',
      path: events.chosen.path,
      fields: events.chosen.fields,
      updatedAt: events.chosen.updatedAt,
      agents: events.chosen.agents.length,
      reason: events.reason,
      runnersUp: events.runnersUp,
      ties: events.ties,
    });
  }

  const policy = defaultPolicy(registry ? 'display' : '');
  const layout: LayoutReport = {
    origin: 'discovered',
    sources: layoutSources,
    registry: registry !== null,
    notes,
  };
  const config: Config = {
    origin: 'discovered',
    fields: defaultFields(),
    sources,
    policy,
    timezone: 'local',
    stateDir: DEFAULT_STATE_DIR,
    layout,
  };
  return { ok: true, config, layout };
}

/** The layout of a config that was not discovered (a file, or a known layout): what it names. */
export function layoutOfConfig(config: Config, origin: string): LayoutReport {
  if (config.layout) return config.layout;
  const registry = config.sources.some((s) => s.name === config.policy.target);
  const why =
    origin === 'config' ? `named in ${config.origin}` : `the known layout ${origin.replace(/^known:/, '')}`;
  return {
    origin,
    registry,
    notes: registry ? [] : [NO_REGISTRY_NOTE],
    sources: config.sources.map((s) => {
      const l: LayoutSource = {
        name: s.name,
        kind: s.kind,
        path: s.path,
        fields: Object.fromEntries(Object.entries(s.fields).map(([f, m]) => [f, m.paths])),
        updatedAt: s.updatedAt,
        agents: -1,
        reason: why,
        runnersUp: [],
        ties: [],
      };
      const booleans = Object.entries(s.fields)
        .filter(([, m]) => m.type === 'boolean')
        .map(([f]) => f);
      if (booleans.length > 0) l.booleanFields = booleans;
      return l;
    }),
  };
}
