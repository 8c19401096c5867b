// `sync-tui vocab`: the swarm's words per field and source, and `--accept VALUE=CANON` to
// teach one to sync-tui.config.yaml (README.md "Vocabulary").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addAlias } from '../core/config/config-alias.js';
import { CONFIG_FILE, parseConfig } from '../core/config/config.js';
import { configYaml } from '../core/config/config-writer.js';
import { reconcile } from '../core/reconcile/reconcile.js';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import { formatIso } from '../core/time.js';
import type { Config } from '../core/types.js';
import { aliasKey } from '../core/observe/vocab.js';
import { vocabLines, vocabReport, type VocabReport } from '../core/report/vocab-report.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { readAll } from '../shell/sources.js';
import { writeFileAtomic } from './snapshot.js';

export interface VocabOptions {
  root: string;
  config?: string;
  json?: boolean;
  accept?: string;
  field?: string;
}

function report(root: string, config: Config): VocabReport {
  return vocabReport(reconcile(readAll(root, config.sources), config, Date.now()), config);
}

export function runVocab(opts: VocabOptions, out: NodeJS.WritableStream = process.stdout): number {
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const before = report(root, config);
  if (opts.accept === undefined) {
    if (opts.json) out.write(stringifyForTerminal(before, 2) + '\n');
    else for (const line of vocabLines(before)) out.write(sanitizeText(line) + '\n');
    return 0;
  }
  const eq = opts.accept.lastIndexOf('=');
  if (eq <= 0 || eq === opts.accept.length - 1)
    throw new UsageError(
      `--accept: expected VALUE=CANONICAL, e.g. --accept 'ACTIVE_AGENT_MODE=ACTIVE', found '${opts.accept}'`,
    );
  const value = opts.accept.slice(0, eq);
  const canonicalText = opts.accept.slice(eq + 1);
  // The field: as given, else the one where the value is seen unknown, else status.
  const seenIn = before.entries.find((e) =>
    e.values.some((v) => v.value === value && v.canonical === 'unknown'),
  )?.field;
  const fieldName = opts.field ?? seenIn ?? 'status';
  const field = config.fields.find((f) => f.name === fieldName);
  if (!field)
    throw new UsageError(
      `--field: no field '${fieldName}' (fields: ${config.fields.map((f) => f.name).join(', ')})`,
    );
  const canonical = field.vocabulary.values.find((v) => aliasKey(v) === aliasKey(canonicalText));
  if (!canonical)
    throw new UsageError(
      `--accept: '${canonicalText}' is not a ${fieldName} value (values: ${field.vocabulary.values.join(', ')})`,
    );

  const taught = teachAlias(
    { root, ...(opts.config ? { config: opts.config } : {}) },
    config,
    fieldName,
    canonical,
    value,
  );
  const { file, exists, edit, back } = taught;
  const after = report(root, back);
  const now = after.entries
    .flatMap((e) => (e.field === fieldName ? e.values.filter((v) => v.value === value) : []))
    .reduce((n, v) => n + v.agents, 0);
  out.write(
    sanitizeText(
      `${edit.changed ? 'added' : 'already there:'} '${value}' as ${fieldName} ${canonical} in ${file}${exists ? '' : ' (created from the layout found)'}; ${now} agent value(s) now read as ${canonical}; ${after.known} of ${after.distinct} distinct values known (was ${before.known})`,
    ) + '\n',
  );
  return 0;
}

export interface Taught {
  file: string;
  /** Whether the config file was there before. */
  exists: boolean;
  edit: { text: string; changed: boolean };
  /** The config as it now reads. */
  back: Config;
}

/**
 * Write `alias` as `field` `canonical` into the config file (created from the layout found
 * when there is none), comments and layout kept; nothing is written if the result would not
 * parse. Used by `vocab --accept` and by the live view's vocabulary panel (src/cli/tui.ts).
 */
export function teachAlias(
  where: { root: string; config?: string },
  config: Config,
  fieldName: string,
  canonical: string,
  alias: string,
): Taught {
  const file = where.config ? path.resolve(where.config) : path.join(where.root, CONFIG_FILE);
  const exists = fs.existsSync(file);
  const text = exists
    ? fs.readFileSync(file, 'utf8')
    : configYaml(config, { layout: config.layout?.origin ?? 'discovered', now: formatIso(Date.now()) });
  const edit = addAlias(text, fieldName, canonical, alias);
  if (!edit.ok) throw new UsageError(`${file}: ${edit.message}`);
  const back = parseConfig(edit.text, file);
  if (!back.ok)
    throw new UsageError(
      `${file}: the alias would make the config invalid: ${back.diagnostics[0]?.message ?? 'unknown problem'}; nothing written`,
    );
  if (edit.changed || !exists) writeFileAtomic(file, edit.text);
  return { file, exists, edit, back: back.config };
}

/** What the live view's alias teacher needs of the engine (src/shell/engine.ts). */
export interface ReloadableEngine {
  readonly config: Config;
  reloadConfig(config: Config): void;
}

/**
 * The vocabulary panel's `a` (src/ui/VocabPanel.tsx): the alias written as `vocab --accept`
 * writes it, then the engine re-reads every source with the new vocabulary so the verdicts
 * follow; resolves to a line for the status.
 */
export function aliasTeacher(
  where: { root: string; config?: string },
  engine: () => Promise<ReloadableEngine> | undefined,
): (a: { field: string; value: string; canonical: string }) => Promise<string> {
  return async (a) => {
    const e = await engine();
    if (!e) throw new Error('the sources are still being read');
    const t = teachAlias(where, e.config, a.field, a.canonical, a.value);
    e.reloadConfig(t.back);
    return `${t.edit.changed ? 'added' : 'already there:'} '${a.value}' as ${a.field} ${a.canonical} in ${t.file}${t.exists ? '' : ' (created from the layout found)'}`;
  };
}
