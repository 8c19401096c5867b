// sync-tui.config.yaml: parsing and validation with line numbers, and the built Config.
// Pure: the shell reads the file and hands over its text.
import { parse as parseJsonText, printParseErrorCode, type ParseError } from 'jsonc-parser';
import {
  Document,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  Scalar,
  type Node as YamlNode,
} from 'yaml';
import {
  defaultFields,
  defaultPolicy,
  DEFAULT_STALE_MS,
  enumMapping,
  EVENT_FIELDS,
  EVENT_ID,
  EVENT_UPDATED_AT,
  STATUS_FILE_FIELDS,
  STATUS_FILE_ID,
  STATUS_FILE_UPDATED_AT,
} from './defaults.js';
import { readJournalOption, readStore } from './config-store.js';
import { checkRules } from '../reconcile/fsm.js';
import { inert } from '../sanitize.js';
import { parseDuration } from '../time.js';
import { aliasKey, buildVocabulary } from '../observe/vocab.js';
import type {
  Config,
  DataFormat,
  Diagnostic,
  FieldMapping,
  FieldSpec,
  SourceKind,
  SourceSpec,
  TimeZonePolicy,
  TruthPolicy,
} from '../types.js';

export const CONFIG_FILE = 'sync-tui.config.yaml';
export const DEFAULT_STATE_DIR = '.sync-tui';

export type ConfigResult =
  { ok: true; config: Config; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const SOURCE_KINDS: SourceKind[] = ['status-files', 'registry', 'event-log'];

/** Parse a time-zone setting: `local`, `UTC`/`Z`, or a fixed offset like `+02:00`. */
export function parseTimeZone(text: string): TimeZonePolicy | null {
  const t = text.trim();
  if (t.toLowerCase() === 'local') return 'local';
  if (/^(utc|z|gmt)$/i.test(t)) return 'UTC';
  const m = /^(?:utc)?([+-])(\d{1,2})(?::?(\d{2}))?$/i.exec(t);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? '0');
  if (hours > 14 || minutes > 59) return null;
  return { offsetMinutes: (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes) };
}

/** Stand-ins for values that are not written at all (`{a}`, `? a`): null scalars placed right
 * after their key, so that a message about them names a line and column. Where an absent
 * value was accepted before, `isAbsent` keeps it so. */
const absentValues = new WeakSet<object>();
function absentAfter(key: YamlNode): YamlNode {
  const s = new Scalar(null);
  const end = key.range?.[1];
  if (end !== undefined) s.range = [end, end, end];
  absentValues.add(s);
  return s;
}
function isAbsent(node: YamlNode | null): boolean {
  return node === null || absentValues.has(node);
}

/** Validation of a YAML node tree against what the config may hold, collecting located messages. */
class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  error(node: YamlNode | null | undefined, message: string): void {
    const d: Diagnostic = { severity: 'error', code: 'config', message: inert(message), file: this.file };
    // No node or no place (an empty document): the start of the file.
    const offset = node?.range?.[0] ?? 0;
    if (offset !== undefined) {
      const pos = this.lines.linePos(offset);
      d.line = pos.line;
      d.column = pos.col;
    }
    this.diagnostics.push(d);
  }

  /** Entries of a mapping, reporting keys that are not allowed (with a suggestion). */
  entries(
    node: unknown,
    where: string,
    allowed: readonly string[] | null,
  ): [string, YamlNode | null, YamlNode][] {
    if (!isMap(node)) {
      this.error(node as YamlNode, `${where}: expected a mapping of keys`);
      return [];
    }
    const out: [string, YamlNode | null, YamlNode][] = [];
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode;
      const key = isScalar(keyNode) ? String(keyNode.value) : null;
      if (key === null) {
        this.error(keyNode, `${where}: keys must be plain words`);
        continue;
      }
      if (allowed && !allowed.includes(key)) {
        const hint = suggest(key, allowed);
        this.error(
          keyNode,
          `${where}: unknown key '${key}'${hint ? `; did you mean '${hint}'?` : ''} (expected one of: ${allowed.join(', ')})`,
        );
        continue;
      }
      out.push([key, (pair.value as YamlNode | null) ?? absentAfter(keyNode), keyNode]);
    }
    return out;
  }

  string(node: YamlNode | null, where: string): string | null {
    if (isScalar(node) && typeof node.value === 'string' && node.value.trim() !== '') return node.value;
    this.error(node, `${where}: expected text`);
    return null;
  }

  boolean(node: YamlNode | null, where: string): boolean | null {
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.error(node, `${where}: expected true or false`);
    return null;
  }

  /** A string or a list of strings. */
  strings(node: YamlNode | null, where: string): string[] | null {
    if (isScalar(node) && typeof node.value === 'string') return [node.value];
    if (isSeq(node)) {
      const out: string[] = [];
      for (const item of node.items) {
        if (isScalar(item) && (typeof item.value === 'string' || typeof item.value === 'number'))
          out.push(String(item.value));
        else this.error(item as YamlNode, `${where}: expected text in the list`);
      }
      return out;
    }
    if (isMap(node)) {
      this.error(node, `${where}: expected text or a list of text (quote paths holding {agent} inside [ ])`);
      return null;
    }
    this.error(node, `${where}: expected text or a list of text`);
    return null;
  }

  duration(node: YamlNode | null, where: string): number | null {
    const v = isScalar(node) ? node.value : undefined;
    const ms = typeof v === 'number' ? v * 1000 : typeof v === 'string' ? parseDuration(v) : null;
    if (ms === null || ms < 0) {
      this.error(node, `${where}: expected a duration such as 30s, 15m, 2h or 1d`);
      return null;
    }
    return ms;
  }
}

function suggest(word: string, options: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestScore = Infinity;
  for (const o of options) {
    const d = editDistance(word.toLowerCase(), o.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = o;
    }
  }
  return bestScore <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

export function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

const TOP_KEYS = ['version', 'timezone', 'stale', 'state', 'journal', 'fields', 'sources', 'policy'];
const FIELD_KEYS = ['values', 'replace', 'transitions'];
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
const POLICY_KEYS = ['target', 'truth', 'auto_resolve'];

/** Parse and validate the text of a config file. */
export function parseConfig(text: string, file: string): ConfigResult {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const check = new Checker(file, lines);
  // A config written as JSON is read as YAML (JSON is YAML), but YAML's words for a JSON
  // mistake ("implicit keys need to be on a single line") do not help: say it in JSON's.
  const json = doc.errors.length > 0 ? jsonSyntax(text, file, lines) : null;
  if (json) return { ok: false, diagnostics: [json] };
  for (const e of doc.errors) {
    const pos = lines.linePos(e.pos[0]);
    const d: Diagnostic = {
      severity: 'error',
      code: 'config-syntax',
      message: inert(`not valid YAML: ${e.message.split('\n')[0]}`),
      file,
    };
    if (pos) {
      d.line = pos.line;
      d.column = pos.col;
    }
    check.diagnostics.push(d);
  }
  if (check.diagnostics.length > 0) return { ok: false, diagnostics: check.diagnostics };

  let timezone: TimeZonePolicy = 'local';
  let staleMs = DEFAULT_STALE_MS;
  let stateDir = DEFAULT_STATE_DIR;
  let journalStream: string | null = null;
  let journalNode: YamlNode | null = null;
  const fields = defaultFields();
  const sources: SourceSpec[] = [];
  let policyNode: YamlNode | null = null;
  let sourcesNode: YamlNode | null = null;
  let sourceRaw: [string, YamlNode | null, YamlNode][] = [];

  for (const [key, value] of check.entries(doc.contents, 'config', TOP_KEYS)) {
    switch (key) {
      case 'version':
        if (!isScalar(value) || value.value !== 1) check.error(value, 'version: expected 1');
        break;
      case 'timezone': {
        const s = isScalar(value) ? String(value.value) : null;
        const tz = s === null ? null : parseTimeZone(s);
        if (tz === null) check.error(value, 'timezone: expected local, UTC or an offset such as +02:00');
        else timezone = tz;
        break;
      }
      case 'stale':
        staleMs = check.duration(value, 'stale') ?? staleMs;
        break;
      case 'state':
        stateDir = check.string(value, 'state') ?? stateDir;
        break;
      case 'journal':
        journalNode = value;
        journalStream = readJournalOption(check, value);
        break;
      case 'fields':
        for (const [name, spec] of check.entries(value, 'fields', null)) readField(check, name, spec, fields);
        break;
      case 'sources':
        sourcesNode = value;
        sourceRaw = check.entries(value, 'sources', null);
        break;
      case 'policy':
        policyNode = isAbsent(value) ? null : value;
        break;
    }
  }

  if (sourcesNode === null)
    check.error(doc.contents as YamlNode, 'sources: missing; name at least one source and its path');
  for (const [name, node, keyNode] of sourceRaw) {
    if (!/^[A-Za-z0-9_-]+$/.test(name))
      check.error(keyNode, `sources: name '${name}' may only hold letters, digits, '-' and '_'`);
    const spec = readSource(check, name, node, fields, staleMs);
    if (spec) sources.push(spec);
  }

  const registry = sources.find((s) => s.kind === 'registry');
  // No registry and no target named: nothing is written, the agents' own sources are compared
  // with each other (README.md "No registry").
  const policy = defaultPolicy(registry?.name ?? '');
  for (const field of fields) policy.truth[field.name] ??= 'newest';
  if (policyNode !== null) {
    for (const [key, value] of check.entries(policyNode, 'policy', POLICY_KEYS)) {
      if (key === 'target') {
        const t = check.string(value, 'policy.target');
        if (t !== null && !sources.some((s) => s.name === t))
          check.error(
            value,
            `policy.target: no source named '${t}' (sources: ${sources.map((s) => s.name).join(', ')})`,
          );
        else if (t !== null) policy.target = t;
      } else if (key === 'auto_resolve') {
        policy.autoResolve = check.boolean(value, 'policy.auto_resolve') ?? false;
      } else if (key === 'truth') {
        for (const [field, rule] of check.entries(
          value,
          'policy.truth',
          fields.map((f) => f.name),
        )) {
          const truth = readTruth(check, field, rule, sources);
          if (truth !== null) policy.truth[field] = truth;
        }
      }
    }
  }
  const target = sources.find((s) => s.name === policy.target);
  if (sourcesNode !== null && sources.length > 0 && target === undefined && policy.target !== '') {
    check.error(sourcesNode, `policy.target: no source named '${policy.target}'`);
  }

  if (journalStream !== null && target !== undefined && target.store === undefined)
    check.error(
      journalNode,
      `journal: the stream lives on the target's store; source ${target.name} is not store: nats`,
    );

  if (check.diagnostics.length > 0) return { ok: false, diagnostics: check.diagnostics };
  return {
    ok: true,
    config: {
      origin: file,
      fields,
      sources,
      policy,
      timezone,
      stateDir,
      ...(journalStream !== null ? { journalStream } : {}),
    },
    diagnostics: [],
  };
}

/** What a JSON syntax error expected, by jsonc-parser's error name. */
const JSON_EXPECTED: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'a malformed number',
  PropertyNameExpected: 'expected a key in double quotes',
  ValueExpected: 'expected a value',
  ColonExpected: "expected ':' after the key",
  CommaExpected: "expected ',' between entries",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the list",
  EndOfFileExpected: 'expected the end of the file after the closing bracket',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'a comment is not closed',
  UnexpectedEndOfString: "a string is not closed (expected '\"')",
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'a malformed \\u escape',
  InvalidEscapeCharacter: 'a malformed escape in a string',
  InvalidCharacter: 'a control character in a string',
};

/** The first JSON syntax error of a config that is JSON (a .json file, or text opening with '{'), located; else null. */
function jsonSyntax(text: string, file: string, lines: LineCounter): Diagnostic | null {
  const bom = text.startsWith('\uFEFF') ? 1 : 0;
  const body = text.slice(bom);
  if (!file.toLowerCase().endsWith('.json') && !/^\s*\{/.test(body)) return null;
  const errors: ParseError[] = [];
  parseJsonText(body, errors, { allowTrailingComma: true, disallowComments: true });
  const first = errors[0];
  if (!first) return null;
  const name = printParseErrorCode(first.error);
  const pos = lines.linePos(first.offset + bom);
  return {
    severity: 'error',
    code: 'config-syntax',
    message: `not valid JSON: ${JSON_EXPECTED[name] ?? name}`,
    file,
    line: pos.line,
    column: pos.col,
  };
}

function readTruth(
  check: Checker,
  field: string,
  node: YamlNode | null,
  sources: SourceSpec[],
): TruthPolicy | null {
  if (isScalar(node) && node.value === 'newest') return 'newest';
  const list = check.strings(node, `policy.truth.${field}`);
  if (list === null) return null;
  for (const name of list) {
    if (!sources.some((s) => s.name === name)) {
      check.error(
        node,
        `policy.truth.${field}: expected 'newest' or a list of source names; no source named '${name}'`,
      );
      return null;
    }
  }
  return list;
}

function readField(check: Checker, name: string, node: YamlNode | null, fields: FieldSpec[]): void {
  const where = `fields.${name}`;
  let values: Record<string, string[]> = {};
  let replace = false;
  let transitions: Record<string, string[]> | undefined;
  let transitionsNode: YamlNode | null = null;
  for (const [key, value] of check.entries(node, where, FIELD_KEYS)) {
    if (key === 'replace') replace = check.boolean(value, `${where}.replace`) ?? false;
    else if (key === 'values') {
      for (const [canonical, aliases] of check.entries(value, `${where}.values`, null)) {
        values[aliasKey(canonical)] =
          aliases === null || (isScalar(aliases) && aliases.value === null)
            ? []
            : (check.strings(aliases, `${where}.values.${canonical}`) ?? []);
      }
    } else if (key === 'transitions') {
      transitionsNode = value;
      transitions = {};
      for (const [from, tos] of check.entries(value, `${where}.transitions`, null)) {
        transitions[aliasKey(from)] = (
          isAbsent(tos) ? [] : (check.strings(tos, `${where}.transitions.${from}`) ?? [])
        ).map(aliasKey);
      }
    }
  }
  const existing = fields.find((f) => f.name === name);
  const base: Record<string, string[]> = {};
  if (existing && !replace) {
    for (const v of existing.vocabulary.values) base[v] = [];
    for (const [alias, canonical] of Object.entries(existing.vocabulary.aliases))
      if (alias !== canonical) base[canonical]!.push(alias);
  }
  for (const [canonical, aliases] of Object.entries(values))
    base[canonical] = [...(base[canonical] ?? []), ...aliases];
  values = base;
  const spec: FieldSpec = { name, vocabulary: buildVocabulary(values) };
  const rules =
    transitions !== undefined ? { transitions } : existing?.fsm && !replace ? existing.fsm : undefined;
  if (rules) {
    for (const state of spec.vocabulary.values) rules.transitions[state] ??= [];
    for (const problem of checkRules(rules, spec.vocabulary.values))
      check.error(transitionsNode ?? node, `${where}.transitions: ${problem}; add it to ${where}.values`);
    spec.fsm = rules;
  }
  if (existing) fields[fields.indexOf(existing)] = spec;
  else fields.push(spec);
}

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

function readSource(
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
