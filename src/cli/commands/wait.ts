// sync-tui wait: block until the selected agents are in sync, or the timeout passes.
import type { Command } from 'commander';
import { configOption, rootOption } from '../options.js';
import { runWait, type WaitOptions } from '../wait.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('wait')
    .description('block until every agent (or the selected ones) is in sync, or the timeout passes')
    .argument('[agents...]', 'only these agent ids')
    .addOption(rootOption())
    .addOption(configOption())
    .option(
      '--filter <expr>',
      "only agents matching EXPR (e.g. 'verdict:drift', 'fsm:IDLE', '!Agent-1', '/^worker-/')",
    )
    .option('--timeout <duration>', 'give up after this long (e.g. 30s, 5m; default: wait for ever)')
    .option('--strict', 'stale does not count as settled')
    .option('--json', 'print one JSON object when it ends')
    .addHelpText(
      'after',
      `
Settled: every selected agent is in-sync (or stale, unless --strict) and no write of ours is
being verified. Filter terms (all must match): text or /regex/ (id, verdict or any value), verdict:V[,W],
FIELD:value or FIELD:/regex/ (any source), source:NAME (differs there), ! negates a term.

Examples:
  sync-tui wait --timeout 5m && deploy-next-stage
  sync-tui wait Agent-1 Agent-2 --timeout 30s --json
  sync-tui wait --filter '!fsm:OFFLINE' --strict --timeout 10m

Exit codes: 0 settled, 1 the timeout passed first, 2 usage, config or root error.`,
    )
    .action(async (agents: string[], opts: WaitOptions) => run(await runWait(agents, opts)));
}
