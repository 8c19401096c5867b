// sync-tui vocab: every value seen per field and source; --accept teaches one.
import { type Command } from 'commander';
import { CONFIG_FILE } from '../../core/config/config.js';
import { runVocab, type VocabOptions } from '../vocab.js';
import { configOption, jsonOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('vocab')
    .description('list every value seen per field and source, known or not; --accept teaches one')
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(jsonOption('print as JSON'))
    .option(
      '--accept <VALUE=CANONICAL>',
      `write VALUE as an alias of CANONICAL into ${CONFIG_FILE} (comments kept)`,
    )
    .option('--field <name>', 'the field of --accept (default: where VALUE is seen unknown, else status)')
    .addHelpText(
      'after',
      `
Each value is shown with how many agents hold it, its canonical value or 'unknown', and for
unknowns a suggestion with its reason (a known value at its start, a known alias inside it).
Nothing is mapped without --accept. With no ${CONFIG_FILE}, --accept creates it from the
layout found.

Examples:
  sync-tui vocab --root ./swarm
  sync-tui vocab --accept 'COMPLETE - LEGENDARY SESSION=ONBOARDED'

Exit codes: 0 listed or written, 2 usage, config or root errors.`,
    )
    .action((opts: VocabOptions) => run(runVocab(opts)));
}
