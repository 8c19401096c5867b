// Argument parsing and dispatch. Exit codes (DESIGN.md): 0 ok, 1 findings, 2 usage/config/root errors.
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { UsageError } from '../shell/probe.js';
import { runCheck } from './check.js';
import { runLog, runResolve, runUndo } from './resolve.js';

const require = createRequire(import.meta.url);
const { version } = require('../../package.json') as { version: string };

function rootOption(): Option {
  return new Option('--root <dir>', 'workspace root').default(process.cwd(), 'the current directory');
}

function configOption(): Option {
  return new Option('--config <file>', 'config file (default: sync-tui.config.yaml under the root, else a detected layout)');
}

export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('sync-tui')
    .description('See and resolve drift between agent status files, a coordinator registry and an event log.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride();

  program
    .command('check')
    .description('read every source once, print the table (or JSON), exit 0 when all agents are in sync')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--json', 'print the check document as JSON')
    .option('--fail-on <list>', 'verdicts that make the exit code 1', 'drift,conflict,missing,invalid')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--width <n>', 'table width in columns (default: the terminal, or 160)')
    .addHelpText(
      'after',
      `
Examples:
  sync-tui check --root ./swarm
  sync-tui check --json | jq '.agents[] | select(.verdict != "in-sync") | .id'
  sync-tui check --fail-on drift,conflict,missing,invalid,stale

Exit codes: 0 all in sync, 1 some agent has a verdict in --fail-on, 2 usage, config or root error.`,
    )
    .action((opts) => run(runCheck(opts)));

  program
    .command('resolve')
    .description('write the truth into the registry for the named agents (or --all), verify it by reading back, record it in the journal')
    .argument('[agents...]', 'agent ids')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--all', 'every agent with a plan')
    .option('--dry-run', 'show the writes without making them')
    .option('--prefer <source>', 'settle conflicts for this run: this source wins every field it holds')
    .option('--json', 'print the result as JSON')
    .option('--no-color', 'no colours')
    .addHelpText(
      'after',
      `
Examples:
  sync-tui resolve --all --dry-run
  sync-tui resolve Agent-2 Agent-3
  sync-tui resolve Agent-1 --prefer file     # the agent's own file wins the conflict

Exit codes: 0 all targeted agents end in sync, 1 some could not be resolved (each with its reason), 2 errors.`,
    )
    .action(async (agents: string[], opts) => run(await runResolve(agents, opts)));

  program
    .command('undo')
    .description('restore the before-values of an action (default: the latest resolve not yet undone)')
    .argument('[action]', 'action id from `sync-tui log`')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--json', 'print the result as JSON')
    .option('--no-color', 'no colours')
    .addHelpText('after', '\nA value changed by someone else since the action is left alone and reported.\nExit codes: 0 all restored, 1 some refused or nothing to undo, 2 errors.')
    .action(async (action: string | undefined, opts) => run(await runUndo(action, opts)));

  program
    .command('log')
    .description('print the audit journal: every change with before and after values')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--json', 'print the entries as JSON')
    .option('--limit <n>', 'only the last n actions (or entries with --json)')
    .action(async (opts) => run(await runLog(opts)));

  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const program = buildProgram((c) => {
    code = c;
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every parse error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof UsageError) {
      process.stderr.write(`sync-tui: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
