// sync-tui log: prints the audit journal.
import type { Command } from 'commander';
import { configOption, jsonOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('log')
    .description('print the audit journal: every change with before and after values')
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(jsonOption('print the entries as JSON'))
    .option('--limit <n>', 'only the last n actions (or entries with --json)')
    .addHelpText(
      'after',
      `
Examples:
  sync-tui log --limit 5
  sync-tui log --json | jq '.[] | select(.outcome != "verified")'

The journal is .sync-tui/journal.jsonl under the root (state: in the config).`,
    )
    .action(async (opts) => {
      // Loaded when the command runs (with the engine): other commands do not pay for it.
      const { runLog } = await import('../resolve.js');
      run(await runLog(opts));
    });
}
