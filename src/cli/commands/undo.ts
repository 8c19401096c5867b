// sync-tui undo: restores the before-values of a journalled action.
import type { Command } from 'commander';
import { colorOption, configOption, jsonOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('undo')
    .description('restore the before-values of an action (default: the latest resolve not yet undone)')
    .argument('[action]', 'action id from `sync-tui log`')
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(jsonOption('print the result as JSON'))
    .addOption(colorOption())
    .addHelpText(
      'after',
      `
Examples:
  sync-tui undo                            # the latest resolve not yet undone
  sync-tui undo a-20261124T101500Z-3f9c    # a given action, from sync-tui log

A value changed by someone else since the action is left alone and reported.
Exit codes: 0 all restored, 1 some refused or nothing to undo, 2 errors.`,
    )
    .action(async (action: string | undefined, opts) => {
      // Loaded when the command runs (the engine): other commands do not pay for it.
      const { runUndo } = await import('../resolve.js');
      run(await runUndo(action, opts));
    });
}
