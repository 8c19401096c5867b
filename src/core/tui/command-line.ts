// The `:` command line (k9s; README.md "Keys and screen"): names come from the same binding
// table as the keys (src/core/tui/keys.ts `name`), plus the commands that take an argument.
// Parsing and tab completion are pure; src/ui/commands.ts runs what they name.
import { BINDINGS, type Binding, type Command } from './keys.js';
import { keyLabel } from './key-config.js';

export interface LineCommand {
  name: string;
  /** The key command it runs, for names taken from the bindings. */
  command?: Command;
  /** What its argument completes from: fixed words, the table's columns, or free text. */
  args?: readonly string[] | 'columns' | 'text';
  description: string;
  write?: boolean;
  /** The key that runs it too, as configured (shown next to the name when completing). */
  key?: string;
}

export const SNAPSHOT_ARGS = ['text', 'svg', 'md', 'json'] as const;
export const SORT_ARGS = ['id', 'severity', 'changed', 'reverse'] as const;

/** Commands with arguments, and those with no key of their own. */
const LINE_ONLY: readonly LineCommand[] = [
  {
    name: 'sort',
    args: 'columns',
    description: 'sort by a column (its title or id), `reverse`, or id / severity / changed',
  },
  { name: 'filter', args: 'text', description: 'set the / filter (empty: clear it)' },
  { name: 'snapshot', args: SNAPSHOT_ARGS, description: 'write a snapshot: text, svg, md or json' },
  { name: 'q', command: 'quit', description: 'quit' },
];

export function lineCommands(bindings: readonly Binding[] = BINDINGS): LineCommand[] {
  const fromKeys = bindings
    .filter((b): b is Binding & { name: string } => b.name !== undefined)
    .map((b) => ({
      name: b.name,
      command: b.command,
      description: b.description,
      ...(b.write ? { write: true } : {}),
      ...(b.keys[0] !== undefined ? { key: keyLabel(b.keys[0]) } : {}),
    }));
  return [...LINE_ONLY, ...fromKeys.filter((c) => !LINE_ONLY.some((l) => l.name === c.name))];
}

export interface ParsedLine {
  name: string;
  arg: string;
  command: LineCommand | null;
}

/** `sort fsm:file` -> the command and its argument; a unique prefix names a command too. */
export function parseLine(text: string, commands: readonly LineCommand[] = lineCommands()): ParsedLine {
  const t = text.trim().replace(/^:/, '');
  const sp = t.search(/\s/);
  const name = sp < 0 ? t : t.slice(0, sp);
  const arg = sp < 0 ? '' : t.slice(sp + 1).trim();
  const exact = commands.find((c) => c.name === name);
  if (exact) return { name, arg, command: exact };
  const starts = commands.filter((c) => c.name.startsWith(name));
  return { name, arg, command: name !== '' && starts.length === 1 ? starts[0]! : null };
}

/** Completion options as the status line shows them: a command with a key says which (`undo u`). */
export function optionsText(
  options: readonly string[],
  commands: readonly LineCommand[] = lineCommands(),
): string {
  return options
    .map((o) => {
      const key = commands.find((c) => c.name === o)?.key;
      return key !== undefined ? `${o} (${key})` : o;
    })
    .join('  ');
}

function commonPrefix(words: readonly string[]): string {
  if (words.length === 0) return '';
  let p = words[0]!;
  for (const w of words) while (!w.startsWith(p)) p = p.slice(0, -1);
  return p;
}

/**
 * Tab: completes the command name, else its argument, to the longest common prefix of what
 * fits; `options` lists the candidates (shown in the status line when there are several).
 */
export function completeLine(
  text: string,
  columns: readonly string[] = [],
  commands: readonly LineCommand[] = lineCommands(),
): { text: string; options: string[] } {
  const sp = text.search(/\s/);
  if (sp < 0) {
    const options = commands
      .map((c) => c.name)
      .filter((n) => n.startsWith(text))
      .sort();
    if (options.length === 1) {
      const c = commands.find((x) => x.name === options[0])!;
      return { text: c.args ? `${c.name} ` : c.name, options };
    }
    return { text: commonPrefix(options) || text, options };
  }
  const name = text.slice(0, sp);
  const arg = text.slice(sp + 1).trimStart();
  const c = commands.find((x) => x.name === name);
  if (!c || c.args === undefined || c.args === 'text') return { text, options: [] };
  const words = c.args === 'columns' ? [...columns, ...SORT_ARGS] : c.args;
  const options = words.filter((w) => w.toLowerCase().startsWith(arg.toLowerCase()));
  const done = options.length === 1 ? options[0]! : commonPrefix(options) || arg;
  return { text: `${name} ${done}`, options };
}
