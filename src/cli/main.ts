// Argument parsing and dispatch. Exit codes (DESIGN.md): 0 ok, 1 findings, 2 usage/config/root errors.
import { Command, CommanderError, Option } from 'commander';
import { createRequire } from 'node:module';
import { UsageError } from '../shell/probe.js';
import { runCheck } from './check.js';

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
