// Writing a Config back out as a commented sync-tui.config.yaml (what `sync-tui init`
// writes). Pure. The text parses with parseConfig into an equivalent Config: same fields,
// sources, mappings, policy, time zone and state folder (tested as a round trip).
import { defaultFields, DEFAULT_STALE_MS, EVENT_FIELDS, STATUS_FILE_FIELDS } from './defaults.js';
import { CONFIG_FILE, DEFAULT_STATE_DIR } from './config.js';
import type { LayoutReport } from './discover/types.js';
import { TEMPLATE_LAYOUT } from './template-config.js';
import { flowList, formatDurationSetting, formatTimeZone, yamlString } from './yaml-scalars.js';
import type { Config, FieldMapping, FieldSpec, SourceSpec } from '../types.js';

// Re-exported: the writer's public surface before it was split (yaml-scalars.ts, template-config.ts).
export { formatDurationSetting, yamlString } from './yaml-scalars.js';
export { templateConfig, TEMPLATE_LAYOUT } from './template-config.js';

export interface ConfigYamlOptions {
  /** The layout the config describes (`coordination-system`, `generic`), or `template`. */
  layout: string;
  /** When it was written (ISO-8601), for the header comment. */
  now?: string;
}

// ---------------------------------------------------------------------------------------
// Comparing with the built-in defaults (only what differs needs writing)

function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v)
      .sort()
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** The most common stale threshold among the sources: written once at the top. */
function commonStale(sources: readonly SourceSpec[]): number {
  const counts = new Map<number, number>();
  for (const s of sources) counts.set(s.staleAfterMs, (counts.get(s.staleAfterMs) ?? 0) + 1);
  let best = DEFAULT_STALE_MS;
  let bestCount = 0;
  for (const [ms, n] of counts) {
    if (n > bestCount) {
      best = ms;
      bestCount = n;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------------------
// Writing

const KIND_NOTE: Record<SourceSpec['kind'], string> = {
  'status-files': 'one file per agent, written by the agent itself',
  registry: "the coordinator's view of every agent (one file); what its display shows",
  'event-log': 'JSON lines appended as agents report: {"agent": ..., "status": ..., "fsm": ..., "at": ...}',
};

class Emitter {
  readonly lines: string[] = [];
  line(indent: number, text: string): void {
    this.lines.push(`${'  '.repeat(indent)}${text}`);
  }
  comment(indent: number, ...texts: string[]): void {
    for (const t of texts) this.line(indent, `# ${t}`);
  }
  blank(): void {
    this.lines.push('');
  }
}

/** Explanations already written (each is written once, at its first use). */
type Notes = Set<'boolean' | 'enum' | 'aliases'>;

function writeMapping(
  e: Emitter,
  indent: number,
  field: string,
  m: FieldMapping,
  source: SourceSpec,
  notes: Notes,
): void {
  const short =
    source.kind !== 'registry' &&
    m.type === 'enum' &&
    m.writeCase === 'as-is' &&
    Object.keys(m.aliases).length === 0;
  if (short) {
    e.line(indent, `${yamlString(field)}: ${flowList(m.paths)}`);
    return;
  }
  e.line(indent, `${yamlString(field)}:`);
  e.line(indent + 1, `paths: ${flowList(m.paths)}`);
  if (m.type === 'boolean') {
    if (!notes.has('boolean')) {
      notes.add('boolean');
      e.comment(
        indent + 1,
        'This source holds true/false here, not a word. The truth is projected before it is',
        "compared: values in 'true' are written as true, values in 'false' as false; a value in",
        "neither cannot be written here and makes the agent a 'conflict' (never a guess).",
      );
    }
    e.line(indent + 1, 'type: boolean');
    e.line(indent + 1, `true: ${flowList(m.trueValues ?? [])}`);
    e.line(indent + 1, `false: ${flowList(m.falseValues ?? [])}`);
  } else {
    if (!notes.has('enum')) {
      notes.add('enum');
      e.comment(
        indent + 1,
        'type: enum (a word from the vocabulary) or boolean (true/false lists).',
        'case: how values are spelled when written here: upper, lower or as-is.',
      );
    }
    e.line(indent + 1, 'type: enum');
    e.line(indent + 1, `case: ${m.writeCase}`);
  }
  const aliases = Object.entries(m.aliases);
  if (aliases.length > 0) {
    if (!notes.has('aliases')) {
      notes.add('aliases');
      e.comment(indent + 1, 'Spellings only this source uses: raw value -> canonical value.');
    }
    e.line(indent + 1, 'aliases:');
    for (const [raw, canonical] of aliases)
      e.line(indent + 2, `${yamlString(raw)}: ${yamlString(canonical)}`);
  }
}

function writeSource(
  e: Emitter,
  s: SourceSpec,
  topStale: number,
  fields: readonly FieldSpec[],
  notes: Notes,
): void {
  e.comment(1, `${s.name}: ${KIND_NOTE[s.kind]}.`);
  e.line(1, `${yamlString(s.name)}:`);
  e.line(2, `kind: ${s.kind}`);
  e.line(2, `path: ${yamlString(s.path)}`);
  if (s.format !== undefined) e.line(2, `format: ${s.format}`);
  else e.comment(2, 'format: json   # or yaml; by default from the extension and the content');
  const order = [
    ...fields.map((f) => f.name).filter((n) => s.fields[n]),
    ...Object.keys(s.fields).filter((n) => !fields.some((f) => f.name === n)),
  ];
  if (order.length > 0) {
    e.line(2, 'fields:');
    for (const name of order) writeMapping(e, 3, name, s.fields[name]!, s, notes);
  }
  if (s.kind !== 'registry') {
    const defaults: Record<string, string[]> = s.kind === 'status-files' ? STATUS_FILE_FIELDS : EVENT_FIELDS;
    const absent = Object.keys(defaults).filter((f) => !s.fields[f]);
    if (absent.length > 0) e.comment(2, `Not listed, so the built-in paths apply: ${absent.join(', ')}.`);
  }
  e.comment(
    2,
    s.kind === 'event-log'
      ? 'Where each event says when it happened.'
      : "Where the document says when it was written (else the file's modification time is used).",
  );
  e.line(2, `updated_at: ${flowList(s.updatedAt)}`);
  if (s.kind !== 'registry' || s.idPaths.length > 0) {
    e.comment(
      2,
      s.kind === 'event-log'
        ? 'Where each event names its agent.'
        : 'Where the document names its agent (a mismatch with the path is reported).',
    );
    e.line(2, `id: ${flowList(s.idPaths)}`);
  }
  e.comment(
    2,
    s.required
      ? "true: every agent must appear here, else it is 'missing'."
      : "false: an agent absent from here is not 'missing' (it may not have reported yet).",
  );
  e.line(2, `required: ${s.required}`);
  if (s.staleAfterMs !== topStale) e.line(2, `stale: ${formatDurationSetting(s.staleAfterMs)}`);
  if (s.timezone !== undefined) e.line(2, `timezone: ${formatTimeZone(s.timezone)}`);
}

/** Why discovery chose a source, and what it passed over, as comments (README.md "Zero config"). */
function writeFound(e: Emitter, s: SourceSpec, layout: LayoutReport | undefined): void {
  const found = layout?.origin === 'discovered' ? layout.sources.find((l) => l.name === s.name) : undefined;
  if (!found) return;
  e.comment(1, `Found: ${oneLine(found.reason)}.`);
  for (const t of found.ties) e.comment(1, `  tie: ${oneLine(t.path)} (${oneLine(t.reason)})`);
  for (const r of found.runnersUp) e.comment(1, `  runner-up: ${oneLine(r.path)} (${oneLine(r.reason)})`);
}

/** Text from the tree, safe inside a comment: one line, no control characters. */
function oneLine(text: string): string {
  return text.replace(/[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g, ' ');
}

function writeField(e: Emitter, f: FieldSpec): void {
  e.line(1, `${yamlString(f.name)}:`);
  e.line(2, 'replace: true');
  e.line(2, 'values:');
  for (const v of f.vocabulary.values) {
    const aliases = Object.entries(f.vocabulary.aliases)
      .filter(([alias, canonical]) => canonical === v && alias !== v)
      .map(([alias]) => alias);
    e.line(3, `${yamlString(v)}: ${flowList(aliases)}`);
  }
  if (f.fsm) {
    e.line(2, 'transitions:');
    for (const [from, tos] of Object.entries(f.fsm.transitions))
      e.line(3, `${yamlString(from)}: ${flowList(tos)}`);
  }
}

/** A commented sync-tui.config.yaml describing `config`. */
export function configYaml(config: Config, opts: ConfigYamlOptions): string {
  const e = new Emitter();
  const when = opts.now ? ` on ${opts.now}` : '';
  e.comment(0, `${CONFIG_FILE}: how sync-tui reads this workspace.`);
  if (opts.layout === TEMPLATE_LAYOUT) {
    e.comment(
      0,
      `Written by \`sync-tui init --force\`${when}. NO KNOWN LAYOUT WAS FOUND: the paths below are`,
      'placeholders. Point them at your files, then run `sync-tui check` to see what it reads.',
    );
  } else if (config.layout?.origin === 'discovered') {
    e.comment(
      0,
      `Written by \`sync-tui init\`${when} for the layout it discovered from what the files hold.`,
    );
    for (const n of config.layout.notes) e.comment(0, `Note: ${oneLine(n)}.`);
  } else {
    e.comment(0, `Written by \`sync-tui init\`${when} for the layout it detected: ${opts.layout}.`);
  }
  e.comment(
    0,
    'Edit freely: every key is checked when sync-tui starts, and a mistake is reported with its',
    'line and what was expected. Delete this file to go back to detecting the layout.',
    'Reference: README.md, "Layouts and configuration".',
  );
  e.line(0, 'version: 1');
  e.blank();

  e.comment(
    0,
    'Time zone of timestamps written without one: local (this machine), UTC, or an offset such as "+02:00".',
  );
  e.line(0, `timezone: ${formatTimeZone(config.timezone)}`);
  e.blank();
  const topStale = commonStale(config.sources);
  e.comment(
    0,
    "An agent with no write or heartbeat for this long is 'stale' (30s, 15m, 2h, 1d). A source may set its own.",
  );
  e.line(0, `stale: ${formatDurationSetting(topStale)}`);
  e.blank();
  e.comment(
    0,
    'Folder under the root for the audit journal: every change sync-tui makes, with before and after values.',
  );
  e.line(0, `state: ${yamlString(config.stateDir || DEFAULT_STATE_DIR)}`);
  e.blank();

  e.comment(
    0,
    'Sources: every place that says something about agents, by name (names appear in the table and',
    'in `check --json`). Kinds:',
    '  status-files  one file per agent; the path holds exactly one {agent} segment',
    "  registry      one file with the coordinator's view of all agents; resolution writes here",
    '  event-log     an append-only JSON-lines file of status events and heartbeats',
    'fields: for each compared field, candidate key paths (dotted, e.g. fsm_state.current_state),',
    'tried in order: the first that holds a value wins. In a registry, the {agent} segment stands',
    'for the agent id (agents.{agent}.status). Paths holding {agent} are quoted.',
  );
  e.line(0, 'sources:');
  const notes: Notes = new Set();
  config.sources.forEach((s, i) => {
    if (i > 0) e.blank();
    writeFound(e, s, config.layout);
    writeSource(e, s, topStale, config.fields, notes);
  });
  e.blank();

  const builtIn = defaultFields();
  const changed = config.fields.filter(
    (f) =>
      !same(
        f,
        builtIn.find((b) => b.name === f.name),
      ),
  );
  e.comment(
    0,
    'Fields: the compared dimensions, their canonical values and aliases (compared ignoring case,',
    "'-' and spaces), and for fsm the allowed transitions. The built-in ones: src/core/config/defaults.ts in sync-tui.",
  );
  if (changed.length === 0) {
    e.comment(
      0,
      'They are used as they are. To teach sync-tui a spelling your agents use, or to replace the FSM rules:',
      'fields:',
      '  status:',
      '    values:',
      '      ACTIVE: [GREEN_LIGHT]            # canonical: [aliases], added to the built-in ones',
      '  fsm:',
      '    transitions:                       # replaces the built-in rules',
      '      IDLE: [ACTIVE, TASK_EXECUTION]',
    );
  } else {
    e.comment(0, 'These differ from the built-in ones and are written out whole (replace: true).');
    e.line(0, 'fields:');
    for (const f of changed) writeField(e, f);
  }
  e.blank();

  e.comment(
    0,
    'Policy: which source is the truth for each field, and which source resolution writes to.',
    "truth, per field: newest (the newest value among the agent's own sources: status files and",
    'event log) or an ordered list of source names, e.g. [realtime, file] (the first with a value wins).',
  );
  e.line(0, 'policy:');
  if (config.policy.target === '') {
    e.comment(
      1,
      'No registry: nothing to write to, so `sync-tui resolve` refuses. After adding a source of kind',
      'registry above, name it here (target: display) or leave target out to use it.',
    );
  } else {
    e.comment(1, 'The source `sync-tui resolve` writes to: normally the registry.');
    e.line(1, `target: ${yamlString(config.policy.target)}`);
  }
  e.line(1, 'truth:');
  for (const f of config.fields) {
    const t = config.policy.truth[f.name] ?? 'newest';
    e.line(2, `${yamlString(f.name)}: ${t === 'newest' ? 'newest' : flowList(t)}`);
  }
  e.comment(
    1,
    'true: auto-resolve is on from the start (drifted agents are written without asking); false: only when asked.',
  );
  e.line(1, `auto_resolve: ${config.policy.autoResolve}`);
  return e.lines.join('\n') + '\n';
}
