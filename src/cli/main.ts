// Argument parsing and dispatch.
//
// How a command is registered (the one way): a module src/cli/commands/<name>.ts exports
// `register(program, run)` (type Register in commands/command.ts), which adds the
// sub-command with its options, help text and action; it is listed in COMMANDS below, in
// the order `--help` shows them. Options several commands share come from
// src/cli/options.ts (--root, --config, --no-color, --json, --width, ...), never written
// out again. The action does its work in a module of its own (src/cli/<name>.ts) and ends
// with `run(code)`.
//
// How a command exits: normally (0), or by throwing an ExitError(code, message)
// (src/shell/exit-error.ts; `run(code)` throws one for a non-zero code, UsageError is
// ExitError(2, ...)). Exit codes (docs/DESIGN.md): 0 ok, 1 findings, 2 usage, config or
// root errors, 70 (EX_SOFTWARE) an internal error: one line and a hint to report it, the
// stack only with SYNC_TUI_DEBUG=1.
import { Command, CommanderError } from 'commander';
import { createRequire } from 'node:module';
import { ExitError, EXIT_INTERNAL, internalErrorText } from '../shell/exit-error.js';
import type { Register } from './commands/command.js';
import * as check from './commands/check.js';
import * as demo from './commands/demo.js';
import * as init from './commands/init.js';
import * as log from './commands/log.js';
import * as report from './commands/report.js';
import * as resolve from './commands/resolve.js';
import * as snapshot from './commands/snapshot.js';
import * as tui from './commands/tui.js';
import * as undo from './commands/undo.js';
import * as vocab from './commands/vocab.js';
import * as wait from './commands/wait.js';
import * as watch from './commands/watch.js';
import * as push from './commands/push.js';

// The bundle (scripts/bundle.mjs) defines SYNC_TUI_VERSION; the module tree reads package.json.
declare const SYNC_TUI_VERSION: string | undefined;
const version: string =
  typeof SYNC_TUI_VERSION === 'string'
    ? SYNC_TUI_VERSION
    : (createRequire(import.meta.url)('../../package.json') as { version: string }).version;

/** The sub-commands, in the order of `sync-tui --help`. */
const COMMANDS: readonly { register: Register }[] = [
  check,
  resolve,
  undo,
  log,
  demo,
  snapshot,
  init,
  watch,
  report,
  vocab,
  wait,
  push,
];

export function buildProgram(run: (code: number) => void = exitWith): Command {
  const program = new Command('sync-tui')
    .description('See and resolve drift between agent status files, a coordinator registry and an event log.')
    .version(version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    // Options of the live view belong to `sync-tui` itself; after a sub-command's name they
    // are that sub-command's (`sync-tui check --root x` must not feed `--root` to the TUI).
    .enablePositionalOptions();
  tui.register(program, run);
  for (const command of COMMANDS) command.register(program, run);
  return program;
}

/** `run(code)` of every command: a non-zero code is thrown as an ExitError. */
function exitWith(code: number): void {
  if (code !== 0) throw new ExitError(code);
}

/** Runs the command line; `program` is for tests (a command that fails unexpectedly). */
export async function main(argv: string[], program: Command = buildProgram()): Promise<number> {
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; every parse error is a usage error.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (e instanceof ExitError) {
      if (e.message !== '') process.stderr.write(`sync-tui: ${e.message}\n`);
      return e.code;
    }
    process.stderr.write(internalErrorText(e));
    if (process.env['SYNC_TUI_DEBUG']) console.error(e);
    return EXIT_INTERNAL;
  }
}
