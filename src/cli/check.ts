// `sync-tui check`: one pass over every source; table or JSON; exit 0/1/2.
import * as path from 'node:path';
import { reconcile } from '../core/reconcile/reconcile.js';
import { jsonChunks } from '../core/report/json-stream.js';
import { checkDocument, sourceHealth } from '../core/report/report.js';
import { VERDICTS, type Config, type SourceRead, type Verdict } from '../core/types.js';
import { columnsFor, layoutColumns, renderTextTable, summaryText, VERDICT_COLOR } from '../core/view/view.js';
import { escapeJsonText, sanitizeText, truncate } from '../core/sanitize.js';
import { layoutLines } from '../core/config/discover/describe.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { loadDecisions } from '../shell/decision-store.js';
import { readAll } from '../shell/sources.js';
import { readAllWithStores } from '../shell/sources/adapter.js';
import { colorWanted, painter } from './ansi.js';

export interface CheckOptions {
  root: string;
  config?: string;
  json?: boolean;
  failOn?: string;
  color?: boolean;
  width?: string;
}

export const DEFAULT_FAIL_ON: Verdict[] = ['drift', 'conflict', 'missing', 'invalid'];

export function parseFailOn(text: string | undefined): Verdict[] {
  if (text === undefined) return DEFAULT_FAIL_ON;
  const list = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const v of list) {
    if (!(VERDICTS as readonly string[]).includes(v))
      throw new UsageError(
        `--fail-on: unknown verdict '${v}' (expected a comma-separated list of: ${VERDICTS.join(', ')})`,
      );
  }
  return list as Verdict[];
}

export function runCheck(
  opts: CheckOptions,
  out: NodeJS.WriteStream = process.stdout,
): number | Promise<number> {
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  // Sources held in a store are read through their adapters (README.md "Several hosts").
  if (config.sources.some((s) => s.store)) {
    parseFailOn(opts.failOn);
    return readAllWithStores(root, config, (specs) => readAll(root, specs), Date.now).then((reads) =>
      checkReads(opts, config, reads, out),
    );
  }
  return checkReads(opts, config, readAll(root, config.sources), out);
}

function checkReads(
  opts: CheckOptions,
  config: Config,
  reads: SourceRead[],
  out: NodeJS.WriteStream,
): number {
  const failOn = parseFailOn(opts.failOn);
  const root = path.resolve(opts.root);
  const now = Date.now();
  // The operator's decisions that still hold settle their fields (src/core/reconcile/decisions.ts).
  const recon = reconcile(reads, config, now, loadDecisions(root, config.stateDir).index);
  const health = sourceHealth(reads, config);
  if (opts.json) {
    const doc = checkDocument(root, recon, config, now, health);
    // Written as it is made, agent by agent (src/core/report/json-stream.ts).
    for (const chunk of jsonChunks(doc, 2)) out.write(escapeJsonText(chunk));
    out.write('\n');
  } else {
    const paint = painter(colorWanted(opts.color, out));
    // A terminal: its width. Anything else (a pipe, a file): nothing is cut (README, "check").
    const width = opts.width ? Number(opts.width) : out.isTTY ? out.columns : Infinity;
    if (Number.isNaN(width) || width < 20)
      throw new UsageError(`--width: expected a number of columns >= 20, found '${opts.width}'`);
    const layout = layoutColumns(columnsFor(config), recon.agents, now, width);
    const lines = renderTextTable(recon.agents, layout, now);
    out.write(
      paint('bold', truncate(sanitizeText(`sync-tui check  ${root}  (${config.origin})`), width)) + '\n',
    );
    for (const line of layoutLines(config))
      out.write(paint('dim', truncate(sanitizeText(line), width)) + '\n');
    for (const [name, h] of Object.entries(health)) {
      if (!h.healthy)
        out.write(
          paint('red', truncate(`source ${name} unhealthy: ${h.diagnostics[0] ?? 'cannot be read'}`, width)) +
            '\n',
        );
      else if (h.diagnostics.length > 0)
        out.write(
          paint(
            'yellow',
            truncate(`source ${name}: ${h.diagnostics.length} problem(s), first: ${h.diagnostics[0]}`, width),
          ) + '\n',
        );
    }
    out.write(paint('bold', lines[0]!) + '\n');
    recon.agents.forEach((a, i) =>
      out.write(paint(a.verdict === 'in-sync' ? '' : VERDICT_COLOR[a.verdict], lines[i + 1]!) + '\n'),
    );
    out.write(summaryText(recon.summary, width) + '\n');
  }
  // A source that cannot be read counts as invalid even when no agent is left to show it.
  const unhealthy = Object.values(health).some((h) => !h.healthy);
  return recon.agents.some((a) => failOn.includes(a.verdict)) || (unhealthy && failOn.includes('invalid'))
    ? 1
    : 0;
}
