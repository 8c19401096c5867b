// sync-tui resolve: writes the truth into the registry, verifies it and journals it.
import type { Command } from 'commander';
import { colorOption, configOption, jsonOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('resolve')
    .description(
      'write the truth into the registry for the named agents (or --all), verify it by reading back, record it in the journal',
    )
    .argument('[agents...]', 'agent ids')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--all', 'every agent with a plan')
    .option('--dry-run', 'show the writes without making them')
    .option('--prefer <source>', 'settle conflicts for this run: this source wins every field it holds')
    .addOption(jsonOption('print the result as JSON'))
    .addOption(colorOption())
    .addHelpText(
      'after',
      `
Examples:
  sync-tui resolve --all --dry-run
  sync-tui resolve Agent-2 Agent-3
  sync-tui resolve Agent-1 --prefer file     # the agent's own file wins the conflict

Exit codes: 0 all targeted agents end in sync, 1 some could not be resolved (each with its reason), 2 errors.`,
    )
    .action(async (agents: string[], opts) => {
      // Loaded when the command runs (the engine): other commands do not pay for it.
      const { runResolve } = await import('../resolve.js');
      run(await runResolve(agents, opts));
    });
}
