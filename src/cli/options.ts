// Options every command shares, defined once so their wording and defaults cannot drift.
import { Option } from 'commander';

export function rootOption(): Option {
  return new Option('--root <dir>', 'workspace root').default(process.cwd(), 'the current directory');
}

export function configOption(): Option {
  return new Option('--config <file>', 'config file (default: sync-tui.config.yaml under the root, else a detected layout)');
}
