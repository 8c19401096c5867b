// sync-tui report: sync health over time, from the journal and the history.
import { Option, type Command } from 'commander';
import { DEFAULT_SINCE, runReport, type ReportOptions } from '../report.js';
import { configOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('report')
    .description(
      'sync health over time: drift episodes per agent, how long they lasted, what ended them, flapping agents, unhealthy sources',
    )
    .addOption(rootOption())
    .addOption(configOption())
    .option('--since <duration>', 'how far back to look (e.g. 24h, 7d, 30m)', DEFAULT_SINCE)
    .option('--key-history <agent>', "an agent's recent values from its keys' history (sources held in NATS)")
    .addOption(new Option('--format <format>', 'output format').choices(['md', 'json']).default('md'))
    .addHelpText(
      'after',
      `
Reads <state dir>/journal.jsonl and <state dir>/history.jsonl (written by 'sync-tui watch'),
and with 'journal: { stream }' the journal in the store (every host's actions, and who did them).
An episode is a stretch in which an agent is drift, conflict, missing or invalid; it ends by
a resolve, an undo, or an external change (nobody's journal action).

Examples:
  sync-tui report --since 24h > health.md
  sync-tui report --format json | jq '.agents[] | {agent, episodes: (.episodes | length)}'`,
    )
    .action(async (opts: ReportOptions) => run(await runReport(opts)));
}
