// `sync-tui report`: sync health over time, from the audit journal and the verdict
// history `watch` keeps beside it. Markdown (default) or JSON; read-only.
import * as path from 'node:path';
import { buildHistoryReport, renderReportMarkdown } from '../core/report/history-report.js';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import { parseDuration } from '../core/time.js';
import { readHistory } from '../shell/history.js';
import { Journal } from '../shell/journal.js';
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
  const journal = await new Journal(dir, { label: path.join(config.stateDir, 'journal.jsonl'), root }).read();
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
