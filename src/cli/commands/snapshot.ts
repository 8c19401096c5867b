// sync-tui snapshot: the status table written to a file: text, ansi, svg, md, json, csv or html.
import { Option, type Command } from 'commander';
import { SNAPSHOT_FORMATS } from '../../core/report/snapshot.js';
import type { SnapshotOptions } from '../snapshot.js';
import { colorOption, configOption, rootOption, widthOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('snapshot')
    .description(
      'write the status table to a file you can paste into a report or a chat: text, ansi, svg, md, json, csv or html',
    )
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(
      new Option(
        '--format <format>',
        'output format (default: from the --output extension, else text)',
      ).choices([...SNAPSHOT_FORMATS]),
    )
    .option('--output <file>', "write to this file (atomically) instead of standard output ('-')")
    .addOption(
      widthOption(
        'table width in columns for text, ansi, svg and html (default: as wide as the table needs; nothing is cut)',
      ),
    )
    .addOption(colorOption('plain text even with --format ansi'))
    .option('--absolute-times', 'times as ISO 8601 (2026-03-02T09:01:00.000Z) instead of ages (3m)')
    .addHelpText(
      'after',
      `
Formats:
  text   the table as check prints it, with a title line (root, time, counts)
  ansi   the same with terminal colours (asked for explicitly, so NO_COLOR does not apply;
         --no-color does)
  svg    a picture of the terminal, colours included, for READMEs and issues
  md     a GitHub-flavoured Markdown table
  json   the check --json document
  csv    one row per agent: canonical values per source, verdict, last seen, reasons
  html   a self-contained page (no scripts, no external files)

Examples:
  sync-tui snapshot --root ./swarm
  sync-tui snapshot --format svg --output status.svg
  sync-tui snapshot --output status.md             # format from the extension
  sync-tui snapshot --format csv | column -s, -t
  sync-tui snapshot --absolute-times --output status.md   # LAST SEEN as times, not ages

Exit codes: 0 written (whatever the verdicts; use check to gate), 2 usage, config or root error.`,
    )
    .action(async (opts: SnapshotOptions) => {
      // Loaded when the command runs: other commands do not pay for it.
      const { runSnapshot } = await import('../snapshot.js');
      run(await runSnapshot(opts));
    });
}
