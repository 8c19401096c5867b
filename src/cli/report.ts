// `sync-tui report`: sync health over time, from the audit journal and the verdict
// history `watch` keeps beside it. Markdown (default) or JSON; read-only.
import * as path from 'node:path';
import { buildHistoryReport, renderReportMarkdown } from '../core/report/history-report.js';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import { parseDuration } from '../core/time.js';
import { readHistory } from '../shell/history.js';
import { Journal } from '../shell/journal.js';
import type { Config, Diagnostic } from '../core/types.js';
import type { JournalEntry } from '../core/write/journal-model.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { keyHistory, keyHistoryMarkdown } from './report-keys.js';

export interface ReportOptions {
  root: string;
  config?: string;
  since?: string;
  format?: string;
  keyHistory?: string;
}

export const DEFAULT_SINCE = '7d';

/**
 * The journal file, and with `journal: { stream }` the journal in the store too (README.md
 * "Several hosts"): every host's actions, with who did them. The file holds what was
 * journaled before the stream was configured; both are merged in time order.
 */
async function readJournals(
  root: string,
  config: Config,
  dir: string,
): Promise<{ entries: JournalEntry[]; diagnostics: Diagnostic[] }> {
  const file = await new Journal(dir, { label: path.join(config.stateDir, 'journal.jsonl'), root }).read();
  const target = config.sources.find((s) => s.name === config.policy.target);
  if (config.journalStream === undefined || target?.store === undefined) return file;
  // Loaded only here: a root without a store does not pay for the NATS client.
  const { StreamJournal } = await import('../shell/nats/stream-journal.js');
  const stream = await StreamJournal.open(root, target, config.journalStream);
  try {
    const shared = await stream.read();
    const entries = [...file.entries, ...shared.entries].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    return { entries, diagnostics: [...file.diagnostics, ...shared.diagnostics] };
  } finally {
    await stream.close();
  }
}

export async function runReport(
  opts: ReportOptions,
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  now: number = Date.now(),
): Promise<number> {
  const sinceText = opts.since ?? DEFAULT_SINCE;
  const span = parseDuration(sinceText);
  if (span === null || span <= 0)
    throw new UsageError(`--since: expected a duration like 24h, 7d or 30m, found '${sinceText}'`);
  const format = opts.format ?? 'md';
  if (format !== 'md' && format !== 'json')
    throw new UsageError(`--format: expected md or json, found '${format}'`);
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const dir = path.resolve(root, config.stateDir);
  const journal = await readJournals(root, config, dir);
  const history = await readHistory(dir, { label: path.join(config.stateDir, 'history.jsonl') });
  for (const d of [...journal.diagnostics, ...history.diagnostics]) {
    err.write(
      `sync-tui: ${sanitizeText([d.file, d.line].filter((x) => x !== undefined).join(':'))}: ${sanitizeText(d.message)}\n`,
    );
  }
  const report = buildHistoryReport({
    journal: journal.entries,
    history: history.entries,
    now,
    since: now - span,
  });
  if (opts.keyHistory !== undefined) {
    // Added field (README.md "Several hosts"): the agent's values as its keys kept them.
    const keys = await keyHistory(root, config, opts.keyHistory);
    out.write(
      format === 'json'
        ? stringifyForTerminal({ ...report, keyHistory: { agent: opts.keyHistory, sources: keys } }, 2) + '\n'
        : renderReportMarkdown(report) + keyHistoryMarkdown(opts.keyHistory, keys),
    );
    return 0;
  }
  out.write(format === 'json' ? stringifyForTerminal(report, 2) + '\n' : renderReportMarkdown(report));
  return 0;
}
