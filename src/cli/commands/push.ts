// sync-tui push: mirror local status files into a NATS bucket (README.md "Several hosts").
import type { Command } from 'commander';
import { configOption, rootOption } from '../options.js';
import { runPush, type PushOptions } from '../push.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('push')
    .description('mirror local status files into a NATS bucket as they change (create or compare-and-swap)')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--from <source>', 'the local status-files source (default: the first)')
    .option('--to <source>', 'the status-files source held in NATS (default: the first)')
    .option('--once', 'push every agent once and exit')
    .option('--json', 'one JSON line per push')
    .addHelpText(
      'after',
      `
Each agent's file goes to its key: created when absent, else written with compare-and-swap
on the revision read. A value in the bucket newer than the file (by the document's own
time) is left as it is. Runs until interrupted unless --once.

Examples:
  sync-tui push --root ./swarm --once
  sync-tui push --root ./swarm --from file --to shared

Exit codes: 0 pushed, 1 some agent failed (--once), 2 usage, config or connection errors.`,
    )
    .action(async (opts: PushOptions) => run(await runPush(opts)));
}
