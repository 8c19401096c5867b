// sync-tui with no command: the live view. Its options belong to the program itself.
import { statSync } from 'node:fs';
import type { Command } from 'commander';
import { editDistance } from '../../core/config/config.js';
import { UsageError } from '../../shell/probe.js';
import { colorOption, configOption, quietOption, readOnlyOption, rootOption } from '../options.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  // No sub-command: the live TUI.
  program
    .addOption(rootOption())
    .addOption(configOption())
    .addOption(readOnlyOption())
    .addOption(colorOption())
    .addOption(quietOption())
    .option(
      '--no-restore',
      'start with the default sort, filters and pane instead of those saved for this root',
    )
    .addHelpText(
      'after',
      `
With no command, opens the live view: every agent's sources side by side, updated as files
change. Keys: j/k move, enter detail, r resolve, space mark, R resolve all (asks), u undo,
/ filter, f verdicts, s sort, p pause, a auto-resolve, S snapshot, ? all keys, q quit.

The sort, the filters, the detail pane and the bell are saved per root in
<state dir>/ui.json and restored on the next start (--no-restore starts from the defaults).

Examples:
  sync-tui --root ./swarm
  sync-tui --root ./swarm --read-only --no-color`,
    )
    .allowExcessArguments(true)
    // `sync-tui --root x check` means what it says: options given before a sub-command's
    // name are handed on to it (its own, after the name, still win).
    .hook('preSubcommand', (self, sub) => {
      for (const name of ['root', 'config', 'color']) {
        if (
          self.getOptionValueSource(name) === 'cli' &&
          sub.options.some((o) => o.attributeName() === name)
        ) {
          sub.setOptionValueWithSource(name, self.getOptionValue(name), 'cli');
        }
      }
    })
    .action(
      async (
        opts: {
          root: string;
          config?: string;
          readOnly?: boolean;
          color?: boolean;
          quiet?: boolean;
          restore?: boolean;
        },
        self: Command,
      ) => {
        if (self.args.length > 0) {
          const names = self.commands.map((c) => c.name());
          const arg = String(self.args[0]);
          const near = names.filter((n) => editDistance(n, arg) <= 2);
          const hint =
            near.length > 0
              ? `; did you mean '${near[0]}'?`
              : isDirectory(arg)
                ? `; '${arg}' is a folder: to open the live view on it, run sync-tui --root ${arg}`
                : '';
          throw new UsageError(
            `unknown command '${arg}'${hint} (commands: ${names.join(', ')}; none opens the live view)`,
          );
        }
        // React and Ink are loaded only for the live view, in production mode (the
        // development build checks every render and is several times slower).
        // Through a variable: the bundle defines process.env.NODE_ENV as "production".
        const env = process.env;
        env['NODE_ENV'] ??= 'production';
        // The first screenful before the live view's modules load (src/cli/first-paint.ts).
        const { firstPaint } = await import('../first-paint.js');
        const painted = firstPaint(opts);
        const { runTui } = await import('../tui.js');
        run(await runTui({ ...opts, painted }));
      },
    );
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}
