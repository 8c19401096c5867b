// Runs a `:` command line (src/core/tui/command-line.ts parses and completes it): a name taken
// from a binding runs that key's handler; sort, filter, snapshot and log take an argument.
import { lineCommands, parseLine, SNAPSHOT_ARGS } from '../core/tui/command-line.js';
import type { Command } from '../core/tui/keys.js';
import { sanitizeText } from '../core/sanitize.js';
import { reduce, SORT_MODES, type SortMode } from '../core/tui/ui-state.js';
import type { CommandCall, CommandDeps, Handler } from './commands.js';

const SNAPSHOT_COMMAND: Record<(typeof SNAPSHOT_ARGS)[number], Command> = {
  text: 'snapshot-text',
  svg: 'snapshot-svg',
  md: 'snapshot-md',
  json: 'snapshot-json',
};

export function runLine(
  text: string,
  call: CommandCall,
  table: Record<Command, Handler>,
  d: CommandDeps,
): void {
  const { dispatch, say } = d;
  const p = parseLine(text, lineCommands(d.bindings));
  if (p.name === '') return;
  if (!p.command) return say(`unknown command :${sanitizeText(p.name)} (tab lists the commands)`, 'warn');
  const c = p.command;
  if (c.write && d.readOnly) return say('read-only: writes are disabled', 'warn');
  if (c.command) return table[c.command](call);
  switch (c.name) {
    case 'sort': {
      const arg = p.arg.toLowerCase();
      if (arg === '')
        return say('sort by what? a column (tab lists them), reverse, id, severity or changed', 'warn');
      if (arg === 'reverse') return table['sort-reverse'](call);
      if ((SORT_MODES as readonly string[]).includes(arg)) {
        // The named sorts: cycle to it (the reducer clears a column sort).
        let st = call.st;
        for (let i = 0; i < SORT_MODES.length && (st.sort !== arg || st.columnSort !== null); i++) {
          st = reduce(st, { type: 'cycle-sort' });
          dispatch({ type: 'cycle-sort' });
        }
        return say(`sorted by ${arg as SortMode}`);
      }
      const col = call.v.columns.find((x) => x.id.toLowerCase() === arg || x.title.toLowerCase() === arg);
      if (!col) return say(`no column ${sanitizeText(p.arg)}: ${call.v.shownColumns.join(', ')}`, 'warn');
      dispatch({ type: 'set-column-sort', sort: { column: col.id, reverse: false } });
      return say(`sorted by ${sanitizeText(col.title)}`);
    }
    case 'filter':
      dispatch({ type: 'filter-set', text: p.arg });
      return say(p.arg === '' ? 'filter cleared' : `filter: ${sanitizeText(p.arg)}`);
    case 'snapshot': {
      const format = (p.arg === '' ? 'text' : p.arg) as (typeof SNAPSHOT_ARGS)[number];
      if (!SNAPSHOT_ARGS.includes(format))
        return say(`snapshot as what? ${SNAPSHOT_ARGS.join(', ')}`, 'warn');
      return table[SNAPSHOT_COMMAND[format]](call);
    }
  }
}
