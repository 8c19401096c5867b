// The one place a SourceSpec is built (README.md "Zero config"; docs/DESIGN.md on sources):
// layout detection, content discovery, the `init` template and the test helpers all build
// their sources here, so a source of a kind reads the same built-in fields wherever it comes from.
// Pure.
import {
  booleanMapping,
  DEFAULT_STALE_MS,
  enumMapping,
  EVENT_FIELDS,
  EVENT_ID,
  EVENT_UPDATED_AT,
  STATUS_FILE_FIELDS,
  STATUS_FILE_ID,
  STATUS_FILE_UPDATED_AT,
} from './defaults.js';
import type { FieldMapping, SourceSpec } from '../types.js';

/** What a caller may set on a built source beyond its path; the rest are the kind's defaults. */
export interface SpecOptions {
  name?: string;
  fields?: Record<string, FieldMapping>;
  updatedAt?: string[];
  idPaths?: string[];
  required?: boolean;
  staleAfterMs?: number;
}

/** Enum mappings for each field, from the paths found, else the built-in paths. */
export function enumFields(
  defaults: Record<string, string[]>,
  found: Record<string, string[] | undefined> = {},
): Record<string, FieldMapping> {
  const fields: Record<string, FieldMapping> = {};
  for (const [f, paths] of Object.entries(defaults)) fields[f] = enumMapping(found[f] ?? paths);
  return fields;
}

/** One status file per agent under a path with `{agent}` (`agents/{agent}/status.json`). */
export function statusFilesSpec(path: string, opts: SpecOptions = {}): SourceSpec {
  return {
    name: opts.name ?? 'file',
    kind: 'status-files',
    path,
    fields: opts.fields ?? enumFields(STATUS_FILE_FIELDS),
    updatedAt: opts.updatedAt ?? STATUS_FILE_UPDATED_AT,
    idPaths: opts.idPaths ?? STATUS_FILE_ID,
    required: opts.required ?? true,
    staleAfterMs: opts.staleAfterMs ?? DEFAULT_STALE_MS,
  };
}

/** A coordinator's registry: one file naming every agent, its fields at the given paths. */
export function registrySpec(
  path: string,
  fields: Record<string, FieldMapping>,
  updatedAt: string[],
  opts: Omit<SpecOptions, 'fields' | 'updatedAt'> = {},
): SourceSpec {
  return {
    name: opts.name ?? 'display',
    kind: 'registry',
    path,
    fields,
    updatedAt,
    idPaths: opts.idPaths ?? [],
    required: opts.required ?? true,
    staleAfterMs: opts.staleAfterMs ?? DEFAULT_STALE_MS,
  };
}

/** The coordinator state file of the coordination-system layout: `onboarding_status` booleans + lower-case FSM states. */
export const INCIDENT_REGISTRY = 'coordination_system_state.json';

export function incidentRegistrySpec(opts: Omit<SpecOptions, 'fields' | 'updatedAt'> = {}): SourceSpec {
  return registrySpec(
    INCIDENT_REGISTRY,
    {
      status: booleanMapping(['onboarding_status.{agent}']),
      fsm: enumMapping(['agent_fsm_states.{agent}'], 'lower'),
    },
    ['last_updated'],
    opts,
  );
}

/** An append-only JSON-lines log of the agents' reports. */
export function eventLogSpec(path: string, opts: SpecOptions = {}): SourceSpec {
  return {
    name: opts.name ?? 'realtime',
    kind: 'event-log',
    path,
    fields: opts.fields ?? enumFields(EVENT_FIELDS),
    updatedAt: opts.updatedAt ?? EVENT_UPDATED_AT,
    idPaths: opts.idPaths ?? EVENT_ID,
    required: opts.required ?? false,
    staleAfterMs: opts.staleAfterMs ?? DEFAULT_STALE_MS,
  };
}
