// `sync-tui vocab`: the swarm's words per field and source, and `--accept VALUE=CANON` to
// teach one to sync-tui.config.yaml (README.md "Vocabulary").
import * as fs from 'node:fs';
import * as path from 'node:path';
import { addAlias } from '../core/config-alias.js';
import { CONFIG_FILE, parseConfig } from '../core/config.js';
import { configYaml } from '../core/config-writer.js';
import { reconcile } from '../core/reconcile.js';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import { formatIso } from '../core/time.js';
import type { Config } from '../core/types.js';
import { aliasKey } from '../core/vocab.js';
import { vocabLines, vocabReport, type VocabReport } from '../core/vocab-report.js';
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

  const file = opts.config ? path.resolve(opts.config) : path.join(root, CONFIG_FILE);
  const exists = fs.existsSync(file);
  const text = exists
    ? fs.readFileSync(file, 'utf8')
    : configYaml(config, { layout: config.layout?.origin ?? 'discovered', now: formatIso(Date.now()) });
  const edit = addAlias(text, fieldName, canonical, value);
  if (!edit.ok) throw new UsageError(`${file}: ${edit.message}`);
  const back = parseConfig(edit.text, file);
  if (!back.ok)
    throw new UsageError(
      `${file}: the alias would make the config invalid: ${back.diagnostics[0]?.message ?? 'unknown problem'}; nothing written`,
    );
  if (edit.changed || !exists) writeFileAtomic(file, edit.text);
  const after = report(root, back.config);
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
