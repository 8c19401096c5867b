// sync-tui init: writes a commented config for the layout detected under the root.
import { type Command } from 'commander';
import { CONFIG_FILE } from '../../core/config/config.js';
import type { InitOptions } from '../init.js';
import { rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('init')
    .description(`write a commented ${CONFIG_FILE} for the layout detected under the root`)
    .addOption(rootOption())
    .option(
      '--force',
      'replace an existing config (a backup is kept); when no layout is detected, write a template to fill in',
    )
    .option('--print', 'print the config to standard output instead of writing it (a diff when one exists)')
    .addHelpText(
      'after',
      `
The config lists every source with its kind, path, field paths, timestamps and the
registry's mapping (true/false lists, spelling), then time zone, stale threshold, journal
folder and policy, each with a comment saying what it means and what else it may be.
It reads back into exactly the layout that was detected, so check gives the same verdicts.

An existing ${CONFIG_FILE} is never overwritten without --force; init says whether it
loads, --force keeps a copy as ${CONFIG_FILE}.bak-<time> and prints its path, and --print
shows the difference (a unified diff) instead of the whole file. When no known layout
is found, init exits 2 and says what it looked for; with --force it writes a template
(the generic layout: agents/{agent}/status.json, registry.yaml, events.jsonl) to edit.

Examples:
  sync-tui init --root ./swarm
  sync-tui init --print | less
  sync-tui init --force            # start over from what is detected now

Exit codes: 0 written (or printed), 2 config exists, nothing detected, or a root error.`,
    )
    .action(async (opts: InitOptions) => {
      // Loaded when the command runs (discovery, the diff library): other commands do not pay for it.
      const { runInit } = await import('../init.js');
      run(runInit(opts));
    });
}
