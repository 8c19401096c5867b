// sync-tui check: reads every source once and prints the table or the check document.
import type { Command } from 'commander';
import { colorOption, configOption, jsonOption, rootOption, widthOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('check')
    .description('read every source once, print the table (or JSON), exit 0 when all agents are in sync')
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(jsonOption('print the check document as JSON'))
    .option('--fail-on <list>', 'verdicts that make the exit code 1', 'drift,conflict,missing,invalid')
    .addOption(colorOption())
    .addOption(widthOption('table width in columns (default: the terminal, or 160)'))
    .addHelpText(
      'after',
      `
Examples:
  sync-tui check --root ./swarm
  sync-tui check --json | jq '.agents[] | select(.verdict != "in-sync") | .id'
  sync-tui check --fail-on drift,conflict,missing,invalid,stale

Exit codes: 0 all in sync, 1 some agent has a verdict in --fail-on, 2 usage, config or root error.`,
    )
    .action(async (opts) => {
      // Loaded when the command runs: `--help` and the other commands do not pay for it.
      const { runCheck } = await import('../check.js');
      run(await runCheck(opts));
    });
}
