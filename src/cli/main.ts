// Argument parsing and dispatch. Exit codes (docs/DESIGN.md): 0 ok, 1 findings, 2 usage/config/root errors.
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { UsageError } from '../shell/probe.js';
import { runCheck } from './check.js';
import { registerInit } from './init.js';
import { registerReport } from './report.js';
import { runLog, runResolve, runUndo } from './resolve.js';
import { registerSnapshot } from './snapshot.js';
import { registerWatch } from './watch.js';
import { registerVocab } from './vocab.js';
import { registerWait } from './wait.js';
import { configOption, rootOption } from './options.js';
import { editDistance } from '../core/config.js';

// The bundle (scripts/bundle.mjs) defines SYNC_TUI_VERSION; the module tree reads package.json.
declare const SYNC_TUI_VERSION: string | undefined;
const version: string =
  typeof SYNC_TUI_VERSION === 'string' ? SYNC_TUI_VERSION : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;



export function buildProgram(run: (code: number) => void): Command {
  const program = new Command('sync-tui')
    .description('See and resolve drift between agent status files, a coordinator registry and an event log.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    // Options of the live view belong to `sync-tui` itself; after a sub-command's name they
    // are that sub-command's (`sync-tui check --root x` must not feed `--root` to the TUI).
    .enablePositionalOptions();

  // No sub-command: the live TUI.
  program
    .addOption(rootOption())
    .addOption(configOption())
    .option('--read-only', 'hide and refuse every write (resolve, undo, auto-resolve)')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option('--quiet', 'no terminal bell when an agent newly drifts')
    .addHelpText(
      'after',
      `
With no command, opens the live view: every agent's sources side by side, updated as files
change. Keys: j/k move, enter detail, r resolve, space mark, R resolve all (asks), u undo,
/ filter, f verdicts, s sort, p pause, a auto-resolve, S snapshot, ? all keys, q quit.

Examples:
  sync-tui --root ./swarm
  sync-tui --root ./swarm --read-only --no-color`,
    )
    .allowExcessArguments(true)
    // `sync-tui --root x check` means what it says: options given before a sub-command's
    // name are handed on to it (its own, after the name, still win).
    .hook('preSubcommand', (self, sub) => {
      for (const name of ['root', 'config', 'color']) {
        if (self.getOptionValueSource(name) === 'cli' && sub.options.some((o) => o.attributeName() === name)) {
          sub.setOptionValueWithSource(name, self.getOptionValue(name), 'cli');
        }
      }
    })
    .action(async (opts: { root: string; config?: string; readOnly?: boolean; color?: boolean; quiet?: boolean }, self: Command) => {
      if (self.args.length > 0) {
        const names = self.commands.map((c) => c.name());
        const near = names.filter((n) => editDistance(n, String(self.args[0])) <= 2);
        const hint = near.length > 0 ? `; did you mean '${near[0]}'?` : '';
        throw new UsageError(`unknown command '${self.args[0]}'${hint} (commands: ${names.join(', ')}; none opens the live view)`);
      }
      // React and Ink are loaded only for the live view, in production mode (the
      // development build checks every render and is several times slower).
      process.env['NODE_ENV'] ??= 'production';
      const { runTui } = await import('./tui.js');
      run(await runTui(opts));
    });

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
    .addHelpText(
      'after',
      `
Examples:
  sync-tui undo                            # the latest resolve not yet undone
  sync-tui undo a-20261124T101500Z-3f9c    # a given action, from sync-tui log

A value changed by someone else since the action is left alone and reported.
Exit codes: 0 all restored, 1 some refused or nothing to undo, 2 errors.`,
    )
    .action(async (action: string | undefined, opts) => run(await runUndo(action, opts)));

  program
    .command('log')
    .description('print the audit journal: every change with before and after values')
    .addOption(rootOption())
    .addOption(configOption())
    .option('--json', 'print the entries as JSON')
    .option('--limit <n>', 'only the last n actions (or entries with --json)')
    .addHelpText(
      'after',
      `
Examples:
  sync-tui log --limit 5
  sync-tui log --json | jq '.[] | select(.outcome != "verified")'

The journal is .sync-tui/journal.jsonl under the root (state: in the config).`,
    )
    .action(async (opts) => run(await runLog(opts)));

  program
    .command('demo')
    .description('a temporary workspace with a simulator that keeps changing agents, and the live view over it')
    .option('--agents <n>', 'how many agents', '12')
    .option('--seed <n>', 'seed of the simulation, to replay the same run')
    .option('--interval <duration>', 'time between simulation steps', '700ms')
    .option('--keep', 'keep the workspace folder on exit (its path is printed)')
    .option('--read-only', 'hide and refuse every write')
    .option('--no-color', 'no colours')
    .option('--quiet', 'no terminal bell')
    .option('--headless <duration>', 'no live view: run the simulator for this long and print the folder (with --keep, to try check/resolve on it)')
    .addHelpText(
      'after',
      `
The workspace has the incident's shape: agent_workspaces/{agent}/status.json, a coordinator
registry (coordination_system_state.json) that falls behind, and an events.jsonl log.
Agents move through their FSM, heartbeat, and now and then write a broken file.

Examples:
  sync-tui demo
  sync-tui demo --agents 2000 --seed 7
  sync-tui demo --headless 10s --keep      # then: sync-tui check --root <printed folder>`,
    )
    .action(async (opts) => {
      process.env['NODE_ENV'] ??= 'production';
      const { runDemo } = await import('./demo.js');
      run(await runDemo(opts));
    });

  registerSnapshot(program, run);
  registerInit(program, run);
  registerWatch(program, run);
  registerReport(program, run);
  registerVocab(program, run);
  registerWait(program, run);

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
