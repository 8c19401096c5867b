// Options every command shares, defined once so their wording and defaults cannot drift.
import { Option } from 'commander';

export function rootOption(): Option {
  return new Option('--root <dir>', 'workspace root').default(process.cwd(), 'the current directory');
}

export function configOption(): Option {
  return new Option(
    '--config <file>',
    'config file (default: sync-tui.config.yaml under the root, else a detected layout)',
  );
}

/** `--no-color`; a command where it means more than that says so. */
export function colorOption(description = 'no colours (NO_COLOR is honoured too)'): Option {
  return new Option('--no-color', description);
}

/** `--json`, with what the command prints as JSON. */
export function jsonOption(description: string): Option {
  return new Option('--json', description);
}

/** `--width <n>`, with the command's default. */
export function widthOption(description: string): Option {
  return new Option('--width <n>', description);
}

/** `--read-only`. */
export function readOnlyOption(
  description = 'hide and refuse every write (resolve, undo, auto-resolve)',
): Option {
  return new Option('--read-only', description);
}

/** `--quiet`. */
export function quietOption(description = 'no terminal bell when an agent newly drifts'): Option {
  return new Option('--quiet', description);
}
