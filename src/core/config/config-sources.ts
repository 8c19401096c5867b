// The `sources:` entries of sync-tui.config.yaml (README.md "Configuration"): a source's
// kind, path, format, field mappings, id and timestamps, or its NATS store. Pure; called
// by parseConfig in src/core/config/config.ts.
import { Document, isMap, isScalar, type Node as YamlNode } from 'yaml';
import {
  enumMapping,
  EVENT_FIELDS,
  EVENT_ID,
  EVENT_UPDATED_AT,
  STATUS_FILE_FIELDS,
  STATUS_FILE_ID,
  STATUS_FILE_UPDATED_AT,
} from './defaults.js';
import { readStore } from './config-store.js';
import { Checker, parseTimeZone } from './config-checker.js';
import { aliasKey } from '../observe/vocab.js';
import type { DataFormat, FieldMapping, FieldSpec, SourceKind, SourceSpec } from '../types.js';

const SOURCE_KINDS: SourceKind[] = ['status-files', 'registry', 'event-log'];
const SOURCE_KEYS = [
  'kind',
  'path',
  'format',
  'fields',
  'updated_at',
  'id',
  'required',
  'stale',
  'timezone',
  'store',
  'nats',
];
const MAPPING_KEYS = ['paths', 'type', 'true', 'false', 'case', 'aliases'];

/**
 * A source in a store. Its documents are one per agent, so a registry's field paths are
 * relative to the agent's own value (`state`, not `agents.{agent}.state`); the engine sees
 * the registry as one document `{ <agent>: <value> }`, hence the `{agent}.` put in front.
 */
function storeSource(
  check: Checker,
  where: string,
  name: string,
  k: SourceKind,
  store: NonNullable<SourceSpec['store']>,
  get: (k: string) => [string, YamlNode | null, YamlNode] | undefined,
  fields: FieldSpec[],
  staleMs: number,
): SourceSpec | null {
  const plain = readSource(check, name, withoutStoreKeys(get, k), fields, staleMs, true);
  if (!plain) return null;
  plain.store = store;
  plain.path = `nats:${store.bucket}/${store.key}`;
  if (k === 'registry') {
    for (const m of Object.values(plain.fields)) m.paths = m.paths.map((p) => `{agent}.${p}`);
    plain.updatedAt = plain.updatedAt.map((p) => `{agent}.${p}`);
  }
  return plain;
}

/** The source's own mapping minus store and nats, with a stand-in path, for readSource. */
function withoutStoreKeys(
  get: (k: string) => [string, YamlNode | null, YamlNode] | undefined,
  k: SourceKind,
): YamlNode {
  const out: Record<string, unknown> = {
    kind: k,
    path: k === 'status-files' ? '{agent}/status.json' : 'registry.json',
  };
  for (const key of SOURCE_KEYS) {
    if (key === 'kind' || key === 'path' || key === 'store' || key === 'nats') continue;
    const e = get(key);
    if (e) out[key] = e[1];
  }
  return STORE_DOC.createNode(out) as YamlNode;
}

const STORE_DOC = new Document();

export function readSource(
  check: Checker,
  name: string,
  node: YamlNode | null,
  fields: FieldSpec[],
  staleMs: number,
  inStore = false,
): SourceSpec | null {
  const where = `sources.${name}`;
  const entries = check.entries(node, where, SOURCE_KEYS);
  const get = (k: string) => entries.find((e) => e[0] === k);
  const kindEntry = get('kind');
  const kind = kindEntry ? check.string(kindEntry[1], `${where}.kind`) : null;
  if (!kindEntry) check.error(node, `${where}: missing 'kind' (one of: ${SOURCE_KINDS.join(', ')})`);
  if (kind !== null && !SOURCE_KINDS.includes(kind as SourceKind)) {
    check.error(kindEntry![1], `${where}.kind: expected one of ${SOURCE_KINDS.join(', ')}, found '${kind}'`);
    return null;
  }
  // A source held in a key-value store (README.md "Several hosts"): one key per agent.
  const storeEntry = get('store');
  const natsEntry = get('nats');
  const store =
    storeEntry || natsEntry
      ? readStore(check, where, storeEntry?.[1] ?? null, natsEntry?.[1] ?? null, node)
      : undefined;
  if (store === null) return null;
  if (store && kind === 'event-log')
    check.error(
      storeEntry?.[1] ?? natsEntry![1],
      `${where}: an event-log cannot be held in a store yet (status-files or registry)`,
    );
  const pathEntry = get('path');
  const path = store
    ? `nats:${store.bucket}/${store.key}`
    : pathEntry
      ? check.string(pathEntry[1], `${where}.path`)
      : null;
  if (store && pathEntry)
    check.error(pathEntry[1], `${where}.path: a source held in a store has no path (its key is nats.key)`);
  if (!pathEntry && !store) check.error(node, `${where}: missing 'path'`);
  if (kind === null || path === null) return null;
  const k = kind as SourceKind;
  if (store) return storeSource(check, where, name, k, store, get, fields, staleMs);
  if (k === 'status-files' && path.split('/').filter((s) => s.includes('{agent}')).length !== 1) {
    check.error(
      pathEntry![1],
      `${where}.path: expected exactly one path segment holding {agent}, e.g. agents/{agent}/status.json`,
    );
  }
  // An event log may be one file per agent (logs/{agent}.jsonl): README.md "Zero config".
  if (
    k === 'event-log' &&
    path.includes('{agent}') &&
    (path.split('/').filter((s) => s.includes('{agent}')).length !== 1 || path.split('{agent}').length !== 2)
  ) {
    check.error(pathEntry![1], `${where}.path: expected {agent} once, e.g. logs/{agent}.jsonl`);
  }
  if (k === 'registry' && path.includes('{agent}'))
    check.error(pathEntry![1], `${where}.path: only status-files and event-log paths hold {agent}`);
  if (path.startsWith('/') || path.split('/').includes('..'))
    check.error(pathEntry![1], `${where}.path: expected a path inside the root`);

  const defaults: Record<string, string[]> =
    k === 'status-files' ? STATUS_FILE_FIELDS : k === 'event-log' ? EVENT_FIELDS : {};
  const mappings: Record<string, FieldMapping> = {};
  for (const [f, paths] of Object.entries(defaults)) mappings[f] = enumMapping(paths);
  const fieldsEntry = get('fields');
  if (fieldsEntry) {
    for (const [field, value, keyNode] of check.entries(fieldsEntry[1], `${where}.fields`, null)) {
      if (!fields.some((f) => f.name === field)) {
        check.error(
          keyNode,
          `${where}.fields: unknown field '${field}' (fields: ${fields.map((f) => f.name).join(', ')})`,
        );
        continue;
      }
      const m = readMapping(check, `${where}.fields.${field}`, value);
      if (m) mappings[field] = m;
    }
  } else if (k === 'registry') {
    check.error(node, `${where}: a registry needs 'fields', e.g. status: "agents.{agent}.status"`);
  }
  if (k === 'registry' && !inStore) {
    for (const [field, m] of Object.entries(mappings)) {
      if (!m.paths.some((p) => p.split('.').includes('{agent}')))
        check.error(fieldsEntry?.[1], `${where}.fields.${field}: registry paths need an {agent} segment`);
    }
  }
  const list = (key: string, fallback: string[]) => {
    const e = get(key);
    return e ? (check.strings(e[1], `${where}.${key}`) ?? fallback) : fallback;
  };
  const formatEntry = get('format');
  let format: DataFormat | undefined;
  if (formatEntry) {
    const f = check.string(formatEntry[1], `${where}.format`);
    if (f !== null && f !== 'json' && f !== 'yaml')
      check.error(formatEntry[1], `${where}.format: expected json or yaml`);
    else if (f !== null) format = f;
  }
  const requiredEntry = get('required');
  const staleEntry = get('stale');
  const spec: SourceSpec = {
    name,
    kind: k,
    path,
    fields: mappings,
    updatedAt: list(
      'updated_at',
      k === 'status-files' ? STATUS_FILE_UPDATED_AT : k === 'event-log' ? EVENT_UPDATED_AT : [],
    ),
    idPaths: list('id', k === 'status-files' ? STATUS_FILE_ID : k === 'event-log' ? EVENT_ID : []),
    required: requiredEntry
      ? (check.boolean(requiredEntry[1], `${where}.required`) ?? true)
      : k !== 'event-log',
    staleAfterMs: staleEntry ? (check.duration(staleEntry[1], `${where}.stale`) ?? staleMs) : staleMs,
  };
  if (format !== undefined) spec.format = format;
  // Writers of one swarm disagree on the zone of times written without one (README.md "Time zones").
  const tzEntry = get('timezone');
  if (tzEntry) {
    const text = isScalar(tzEntry[1]) ? String(tzEntry[1].value) : null;
    const tz = text === null ? null : parseTimeZone(text);
    if (tz === null)
      check.error(tzEntry[1], `${where}.timezone: expected local, UTC or an offset such as +02:00`);
    else spec.timezone = tz;
  }
  return spec;
}

function readMapping(check: Checker, where: string, node: YamlNode | null): FieldMapping | null {
  if (!isMap(node)) {
    const paths = check.strings(node, where);
    return paths ? enumMapping(paths) : null;
  }
  const m = enumMapping([]);
  for (const [key, value] of check.entries(node, where, MAPPING_KEYS)) {
    if (key === 'paths') m.paths = check.strings(value, `${where}.paths`) ?? [];
    else if (key === 'type') {
      const t = check.string(value, `${where}.type`);
      if (t === 'enum' || t === 'boolean') m.type = t;
      else if (t !== null) check.error(value, `${where}.type: expected enum or boolean, found '${t}'`);
    } else if (key === 'true') m.trueValues = (check.strings(value, `${where}.true`) ?? []).map(aliasKey);
    else if (key === 'false') m.falseValues = (check.strings(value, `${where}.false`) ?? []).map(aliasKey);
    else if (key === 'case') {
      const c = check.string(value, `${where}.case`);
      if (c === 'upper' || c === 'lower' || c === 'as-is') m.writeCase = c;
      else if (c !== null) check.error(value, `${where}.case: expected upper, lower or as-is, found '${c}'`);
    } else if (key === 'aliases') {
      for (const [alias, canonical] of check.entries(value, `${where}.aliases`, null)) {
        const c = check.string(canonical, `${where}.aliases.${alias}`);
        if (c !== null) m.aliases[alias] = aliasKey(c);
      }
    }
  }
  if (m.paths.length === 0) check.error(node, `${where}: expected 'paths' with at least one path`);
  if (m.type === 'boolean' && !m.trueValues?.length)
    check.error(node, `${where}: a boolean field needs 'true' (the values that mean true)`);
  return m;
}
