// sync-tui.config.yaml: parsing and validation with line numbers, and the built Config.
// Pure: the shell reads the file and hands over its text.
import { parse as parseJsonText, printParseErrorCode, type ParseError } from 'jsonc-parser';
import { LineCounter, parseDocument, isScalar, type Node as YamlNode } from 'yaml';
import { defaultFields, defaultPolicy, DEFAULT_STALE_MS } from './defaults.js';
import { Checker, isAbsent, parseTimeZone } from './config-checker.js';
import { readSource } from './config-sources.js';
import { readJournalOption } from './config-store.js';
import { readKeys } from './config-keys.js';
import { readTheme } from './config-theme.js';
import { checkRules } from '../reconcile/fsm.js';
import { inert } from '../sanitize.js';
import { aliasKey, buildVocabulary } from '../observe/vocab.js';
import type { Config, Diagnostic, FieldSpec, SourceSpec, TimeZonePolicy, TruthPolicy } from '../types.js';

export { editDistance, parseTimeZone } from './config-checker.js';

export const CONFIG_FILE = 'sync-tui.config.yaml';
export const DEFAULT_STATE_DIR = '.sync-tui';

export type ConfigResult =
  { ok: true; config: Config; diagnostics: Diagnostic[] } | { ok: false; diagnostics: Diagnostic[] };

const TOP_KEYS = [
  'version',
  'timezone',
  'stale',
  'state',
  'journal',
  'fields',
  'sources',
  'policy',
  'keys',
  'theme',
];
const FIELD_KEYS = ['values', 'replace', 'transitions'];
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
  let keys: Config['keys'];
  let theme: Config['theme'];
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
      case 'keys':
        // The live view's keys (README.md "Keys and screen"); empty `keys:` keeps the defaults.
        if (!isAbsent(value)) keys = readKeys(check, value);
        break;
      case 'theme':
        if (!isAbsent(value)) theme = readTheme(check, value);
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
      ...(keys !== undefined && Object.keys(keys).length > 0 ? { keys } : {}),
      ...(theme !== undefined && Object.keys(theme).length > 0 ? { theme } : {}),
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
