// Key bindings as data: every command the TUI understands, the keys bound to it, in which
// modes, and how it is described. The input handler, the hint line and the `?` overlay are
// all generated from this one table, so they cannot disagree. Pure: no Ink import; the key
// shape below is the subset of Ink's `Key` that matching needs.

import { HABIT_BINDINGS } from './keys-habits.js';

/** What the screen is doing; decides which bindings apply. */
export type Mode =
  | 'normal'
  | 'detail'
  | 'filter-input'
  | 'command-input'
  | 'confirm'
  | 'help'
  | 'snapshot-format'
  | 'journal'
  | 'vocab'
  // The small habits (src/core/tui/keys-habits.ts).
  | 'copy-format';

export type Command =
  | 'up'
  | 'down'
  | 'page-up'
  | 'page-down'
  | 'top'
  | 'bottom'
  | 'detail'
  | 'back'
  | 'resolve'
  | 'mark'
  | 'resolve-many'
  | 'undo'
  | 'pick-source'
  | 'detail-scroll-down'
  | 'detail-scroll-up'
  | 'filter'
  | 'verdict-filter'
  | 'sort'
  | 'sort-next-column'
  | 'sort-prev-column'
  | 'sort-reverse'
  | 'mark-all'
  | 'invert-marks'
  | 'clear-marks'
  | 'next-match'
  | 'prev-match'
  | 'pause'
  | 'auto'
  | 'snapshot'
  | 'snapshot-text'
  | 'snapshot-svg'
  | 'snapshot-md'
  | 'snapshot-json'
  | 'snapshot-cancel'
  | 'help'
  | 'quit'
  | 'force-quit'
  | 'filter-accept'
  | 'filter-cancel'
  | 'filter-backspace'
  | 'filter-type'
  | 'confirm-yes'
  | 'confirm-no'
  | 'help-close'
  | 'command'
  | 'command-run'
  | 'command-cancel'
  | 'command-backspace'
  | 'command-complete'
  | 'command-type'
  | 'journal'
  | 'journal-up'
  | 'journal-down'
  | 'journal-undo'
  | 'journal-close'
  | 'vocab'
  | 'vocab-up'
  | 'vocab-down'
  | 'vocab-accept'
  | 'vocab-close'
  // The small habits (src/core/tui/keys-habits.ts).
  | 'copy'
  | 'copy-id'
  | 'copy-path'
  | 'copy-value'
  | 'copy-json'
  | 'copy-cancel'
  | 'bell';

export type KeyName =
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'backspace'
  | 'delete'
  | 'tab';

/** One way to press a command: a character, a named key, or any printable text. */
export interface KeySpec {
  char?: string;
  name?: KeyName;
  ctrl?: boolean;
  /** Any printable text (typing into the filter). */
  printable?: true;
  /** Any key at all (closing the help overlay). */
  any?: true;
}

export type BindingGroup = 'Move' | 'Act' | 'View' | 'App';

export interface Binding {
  command: Command;
  keys: readonly KeySpec[];
  /** How the keys are shown: `j ↓`. */
  label: string;
  /** One line for the help overlay. */
  description: string;
  /** A word or two for the hint line; bindings without it are only in the overlay. */
  hint?: string;
  /** The key as the hint line shows it (default: the first word of the label). */
  hintKey?: string;
  group: BindingGroup;
  modes: readonly Mode[];
  /** Writes to a source: hidden and refused in read-only mode. */
  write?: boolean;
  /** Its name on the `:` command line (`:resolve`), completed with tab. */
  name?: string;
}

/** The subset of Ink's `Key` used for matching (Ink's `Key` is assignable to it). */
export interface KeyEvent {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  tab?: boolean;
  backspace?: boolean;
  delete?: boolean;
  ctrl?: boolean;
  meta?: boolean;
}

const BROWSE: readonly Mode[] = ['normal', 'detail'];
/** Moving keys also scroll the confirmation's list. */
const BROWSE_AND_CONFIRM: readonly Mode[] = ['normal', 'detail', 'confirm'];
const EVERY: readonly Mode[] = [
  'normal',
  'detail',
  'filter-input',
  'command-input',
  'confirm',
  'help',
  'snapshot-format',
  'journal',
  'vocab',
  'copy-format',
];
const CHOOSING: readonly Mode[] = ['snapshot-format'];

/** The default bindings, in the order the hint line and the overlay show them. */
export const BINDINGS: readonly Binding[] = [
  {
    command: 'up',
    keys: [{ char: 'k' }, { name: 'up' }],
    label: 'k ↑',
    description: 'previous agent',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'down',
    keys: [{ char: 'j' }, { name: 'down' }],
    label: 'j ↓',
    description: 'next agent',
    hint: 'move',
    hintKey: 'j/k',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'page-up',
    keys: [{ name: 'pageUp' }, { char: 'b', ctrl: true }],
    label: 'PgUp',
    description: 'one page up',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'page-down',
    keys: [{ name: 'pageDown' }, { char: 'f', ctrl: true }],
    label: 'PgDn',
    description: 'one page down',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'top',
    keys: [{ char: 'g' }, { name: 'home' }],
    label: 'g Home',
    description: 'first agent',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'bottom',
    keys: [{ char: 'G' }, { name: 'end' }],
    label: 'G End',
    description: 'last agent',
    group: 'Move',
    modes: BROWSE_AND_CONFIRM,
  },
  {
    command: 'detail',
    keys: [{ name: 'return' }],
    label: 'enter',
    description: 'open / close the detail pane',
    hint: 'detail',
    group: 'View',
    name: 'detail',
    modes: BROWSE,
  },
  {
    command: 'back',
    keys: [{ name: 'escape' }],
    label: 'esc',
    description: 'close the detail pane, else clear the filter',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'detail-scroll-down',
    keys: [{ char: 'J' }],
    label: 'J',
    description: 'scroll the detail pane down (long reasons and values wrap)',
    hint: 'scroll',
    hintKey: 'J/K',
    group: 'View',
    modes: ['detail'],
  },
  {
    command: 'detail-scroll-up',
    keys: [{ char: 'K' }],
    label: 'K',
    description: 'scroll the detail pane up',
    group: 'View',
    modes: ['detail'],
  },
  {
    command: 'resolve',
    keys: [{ char: 'r' }],
    label: 'r',
    description: 'resolve the selected agent',
    hint: 'resolve',
    group: 'Act',
    name: 'resolve',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'mark',
    keys: [{ char: ' ' }],
    label: 'space',
    description: 'mark / unmark the selected agent',
    hint: 'mark',
    group: 'Act',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'resolve-many',
    keys: [{ char: 'R' }],
    label: 'R',
    description: 'resolve the marked, else all drifted (asks)',
    hint: 'resolve all',
    group: 'Act',
    name: 'resolve-all',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'undo',
    keys: [{ char: 'u' }],
    label: 'u',
    description: 'undo the last resolve',
    hint: 'undo',
    group: 'Act',
    name: 'undo',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'pick-source',
    keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((char) => ({ char })),
    label: '1-9',
    description: 'in a conflict, that source wins (detail)',
    hint: 'pick winner',
    group: 'Act',
    modes: ['detail'],
    write: true,
  },
  {
    command: 'filter',
    keys: [{ char: '/' }],
    label: '/',
    description: 'filter: text, /regex/, field:value (verdict:, source:, id:, a field), !negated',
    hint: 'filter',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'verdict-filter',
    keys: [{ char: 'f' }],
    label: 'f',
    description: 'verdicts: all/problems/drift/stale/invalid/conflict/missing/in-sync',
    hint: 'verdicts',
    group: 'View',
    name: 'verdicts',
    modes: BROWSE,
  },
  {
    command: 'sort',
    keys: [{ char: 's' }],
    label: 's',
    description: 'sort: agent id/severity/last change',
    hint: 'sort',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'sort-next-column',
    keys: [{ char: '>' }],
    label: '>',
    description: 'sort by the next column (an arrow marks it in the header)',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'sort-prev-column',
    keys: [{ char: '<' }],
    label: '<',
    description: 'sort by the previous column',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'sort-reverse',
    keys: [{ char: 'I' }],
    label: 'I',
    description: 'reverse the sort',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'next-match',
    keys: [{ char: 'n' }],
    label: 'n',
    description: 'next agent not in sync among those shown',
    group: 'Move',
    modes: BROWSE,
  },
  {
    command: 'prev-match',
    keys: [{ char: 'N' }],
    label: 'N',
    description: 'previous agent not in sync among those shown',
    group: 'Move',
    modes: BROWSE,
  },
  {
    command: 'mark-all',
    keys: [{ char: '*' }, { char: 'M' }],
    label: '* M',
    description: 'mark every agent shown',
    group: 'Act',
    name: 'mark-all',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'invert-marks',
    keys: [{ char: '~' }],
    label: '~',
    description: 'invert the marks among the agents shown',
    group: 'Act',
    name: 'invert-marks',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'clear-marks',
    keys: [{ char: '-' }],
    label: '-',
    description: 'clear all marks',
    group: 'Act',
    name: 'clear-marks',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'pause',
    keys: [{ char: 'p' }],
    label: 'p',
    description: 'pause / resume live updates',
    hint: 'pause',
    group: 'View',
    name: 'pause',
    modes: BROWSE,
  },
  {
    command: 'auto',
    keys: [{ char: 'a' }],
    label: 'a',
    description: 'auto-resolve drift on / off',
    hint: 'auto',
    group: 'Act',
    name: 'auto',
    modes: BROWSE,
    write: true,
  },
  {
    command: 'snapshot',
    keys: [{ char: 'S' }],
    label: 'S',
    description: 'write the table to a snapshot file: then t text, s svg, m md, j json',
    hint: 'snapshot',
    group: 'App',
    modes: BROWSE,
  },
  {
    command: 'help',
    keys: [{ char: '?' }],
    label: '?',
    description: 'show / hide this help',
    hint: 'help',
    group: 'App',
    name: 'help',
    modes: BROWSE,
  },
  {
    command: 'quit',
    keys: [{ char: 'q' }],
    label: 'q',
    description: 'quit',
    hint: 'quit',
    group: 'App',
    name: 'quit',
    modes: BROWSE,
  },
  {
    command: 'force-quit',
    keys: [{ char: 'c', ctrl: true }],
    label: 'ctrl-c',
    description: 'quit from anywhere',
    group: 'App',
    modes: EVERY,
  },
  {
    command: 'filter-accept',
    keys: [{ name: 'return' }],
    label: 'enter',
    description: 'keep the filter',
    hint: 'keep',
    group: 'View',
    modes: ['filter-input'],
  },
  {
    command: 'filter-cancel',
    keys: [{ name: 'escape' }],
    label: 'esc',
    description: 'clear the filter',
    hint: 'clear',
    group: 'View',
    modes: ['filter-input'],
  },
  {
    command: 'filter-backspace',
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: '⌫',
    description: 'delete a character',
    hint: 'delete',
    group: 'View',
    modes: ['filter-input'],
  },
  {
    command: 'filter-type',
    keys: [{ printable: true }],
    label: 'text',
    description: 'type to filter',
    group: 'View',
    modes: ['filter-input'],
  },
  {
    command: 'confirm-yes',
    keys: [{ char: 'y' }, { char: 'Y' }],
    label: 'y',
    description: 'yes, write',
    hint: 'yes, write',
    group: 'Act',
    modes: ['confirm'],
  },
  {
    command: 'confirm-no',
    keys: [{ char: 'n' }, { char: 'N' }, { name: 'escape' }, { char: 'q' }],
    label: 'n esc',
    description: 'no, cancel',
    hint: 'cancel',
    group: 'Act',
    modes: ['confirm'],
  },
  {
    command: 'snapshot-text',
    keys: [{ char: 't' }, { name: 'return' }],
    label: 't',
    description: 'snapshot as plain text (.txt)',
    hint: 'text',
    group: 'App',
    modes: CHOOSING,
  },
  {
    command: 'snapshot-svg',
    keys: [{ char: 's' }],
    label: 's',
    description: 'snapshot as an SVG picture (.svg)',
    hint: 'svg',
    group: 'App',
    modes: CHOOSING,
  },
  {
    command: 'snapshot-md',
    keys: [{ char: 'm' }],
    label: 'm',
    description: 'snapshot as a Markdown table (.md)',
    hint: 'markdown',
    group: 'App',
    modes: CHOOSING,
  },
  {
    command: 'snapshot-json',
    keys: [{ char: 'j' }],
    label: 'j',
    description: 'snapshot as the check --json document (.json)',
    hint: 'json',
    group: 'App',
    modes: CHOOSING,
  },
  {
    command: 'snapshot-cancel',
    keys: [{ name: 'escape' }, { char: 'q' }, { char: 'n' }],
    label: 'esc',
    description: 'no snapshot',
    hint: 'cancel',
    group: 'App',
    modes: CHOOSING,
  },
  {
    command: 'command',
    keys: [{ char: ':' }],
    label: ':',
    description: 'command line (:sort, :filter, :snapshot svg, :undo, :quit; tab completes)',
    hint: 'command',
    group: 'App',
    modes: BROWSE,
  },
  {
    command: 'command-run',
    keys: [{ name: 'return' }],
    label: 'enter',
    description: 'run the command',
    hint: 'run',
    group: 'App',
    modes: ['command-input'],
  },
  {
    command: 'command-cancel',
    keys: [{ name: 'escape' }],
    label: 'esc',
    description: 'close the command line',
    hint: 'cancel',
    group: 'App',
    modes: ['command-input'],
  },
  {
    command: 'command-complete',
    keys: [{ name: 'tab' }],
    label: 'tab',
    description: 'complete the command or its argument',
    hint: 'complete',
    group: 'App',
    modes: ['command-input'],
  },
  {
    command: 'command-backspace',
    keys: [{ name: 'backspace' }, { name: 'delete' }],
    label: '⌫',
    description: 'delete a character',
    group: 'App',
    modes: ['command-input'],
  },
  {
    command: 'command-type',
    keys: [{ printable: true }],
    label: 'text',
    description: 'type a command',
    group: 'App',
    modes: ['command-input'],
  },
  {
    command: 'journal',
    keys: [{ char: 'L' }],
    label: 'L',
    description: 'the journal: every action with before -> after; u undoes the selected one',
    hint: 'log',
    name: 'log',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'journal-up',
    keys: [{ char: 'k' }, { name: 'up' }],
    label: 'k ↑',
    description: 'previous action',
    group: 'Move',
    modes: ['journal'],
  },
  {
    command: 'journal-down',
    keys: [{ char: 'j' }, { name: 'down' }],
    label: 'j ↓',
    description: 'next action',
    hint: 'move',
    hintKey: 'j/k',
    group: 'Move',
    modes: ['journal'],
  },
  {
    command: 'journal-undo',
    keys: [{ char: 'u' }],
    label: 'u',
    description: 'undo the selected action',
    hint: 'undo it',
    group: 'Act',
    modes: ['journal'],
    write: true,
  },
  {
    command: 'journal-close',
    keys: [{ name: 'escape' }, { char: 'q' }, { char: 'L' }],
    label: 'esc',
    description: 'close the journal',
    hint: 'close',
    group: 'View',
    modes: ['journal'],
  },
  {
    command: 'vocab',
    keys: [{ char: 'V' }],
    label: 'V',
    description: "the swarm's vocabulary: every value per field and source; a accepts a suggestion",
    hint: 'vocab',
    name: 'vocab',
    group: 'View',
    modes: BROWSE,
  },
  {
    command: 'vocab-up',
    keys: [{ char: 'k' }, { name: 'up' }],
    label: 'k ↑',
    description: 'previous value',
    group: 'Move',
    modes: ['vocab'],
  },
  {
    command: 'vocab-down',
    keys: [{ char: 'j' }, { name: 'down' }],
    label: 'j ↓',
    description: 'next value',
    hint: 'move',
    hintKey: 'j/k',
    group: 'Move',
    modes: ['vocab'],
  },
  {
    command: 'vocab-accept',
    keys: [{ char: 'a' }],
    label: 'a',
    description: 'accept the suggestion: write the alias into sync-tui.config.yaml',
    hint: 'accept',
    group: 'Act',
    modes: ['vocab'],
    write: true,
  },
  {
    command: 'vocab-close',
    keys: [{ name: 'escape' }, { char: 'q' }, { char: 'V' }],
    label: 'esc',
    description: 'close the vocabulary',
    hint: 'close',
    group: 'View',
    modes: ['vocab'],
  },
  {
    command: 'help-close',
    keys: [{ any: true }],
    label: 'any key',
    description: 'close the help',
    hint: 'close',
    hintKey: 'any key',
    group: 'App',
    modes: ['help'],
  },
  // The small habits: copy (`c`) and the bell toggle (`b`).
  ...HABIT_BINDINGS,
];

const BY_COMMAND = new Map(BINDINGS.map((b) => [b.command, b]));

export function bindingFor(command: Command): Binding | undefined {
  return BY_COMMAND.get(command);
}

/** Whether a command writes to a source (refused with --read-only). */
export function isWriteCommand(command: Command): boolean {
  return BY_COMMAND.get(command)?.write === true;
}

function nameOf(key: KeyEvent): KeyName | null {
  if (key.upArrow) return 'up';
  if (key.downArrow) return 'down';
  if (key.pageUp) return 'pageUp';
  if (key.pageDown) return 'pageDown';
  if (key.home) return 'home';
  if (key.end) return 'end';
  if (key.return) return 'return';
  if (key.escape) return 'escape';
  if (key.backspace) return 'backspace';
  if (key.delete) return 'delete';
  if (key.tab) return 'tab';
  return null;
}

/** Text a person typed, as opposed to a control or a named key. */
export function isPrintable(input: string, key: KeyEvent): boolean {
  if (input === '' || key.ctrl || nameOf(key) !== null) return false;

  return !/[\u0000-\u001f\u007f-\u009f]/.test(input);
}

function matches(spec: KeySpec, input: string, key: KeyEvent): boolean {
  if (spec.any) return true;
  if (spec.printable) return isPrintable(input, key);
  const ctrl = key.ctrl === true;
  if ((spec.ctrl === true) !== ctrl) return false;
  if (spec.name !== undefined) return nameOf(key) === spec.name;
  if (spec.char !== undefined) return nameOf(key) === null && input === spec.char;
  return false;
}

/**
 * The command a key press means in a mode, or null. Earlier bindings win, except that
 * `ctrl-c` always quits and `any`/`printable` bindings only match when nothing else does.
 */
export function matchKey(
  input: string,
  key: KeyEvent,
  mode: Mode,
  bindings: readonly Binding[] = BINDINGS,
): Command | null {
  let fallback: Command | null = null;
  for (const b of bindings) {
    if (!b.modes.includes(mode)) continue;
    for (const spec of b.keys) {
      if (!matches(spec, input, key)) continue;
      if (spec.any || spec.printable) fallback ??= b.command;
      else return b.command;
    }
  }
  return fallback;
}

/** Bindings shown in a mode, without write keys when read-only. */
export function bindingsFor(
  mode: Mode,
  readOnly: boolean,
  bindings: readonly Binding[] = BINDINGS,
): Binding[] {
  return bindings.filter((b) => b.modes.includes(mode) && !(readOnly && b.write));
}

export interface Hint {
  command: Command;
  key: string;
  text: string;
}

/** The hint line for a mode: the first key of each binding that has a hint. */
export function hintsFor(mode: Mode, readOnly: boolean, bindings: readonly Binding[] = BINDINGS): Hint[] {
  return bindingsFor(mode, readOnly, bindings)
    .filter((b) => b.hint !== undefined)
    .map((b) => ({ command: b.command, key: b.hintKey ?? b.label.split(' ')[0]!, text: b.hint! }));
}

export const GROUP_ORDER: readonly BindingGroup[] = ['Move', 'Act', 'View', 'App'];

/** Help overlay content: bindings usable while browsing, grouped, without write keys when read-only. */
export function helpSections(
  readOnly: boolean,
  bindings: readonly Binding[] = BINDINGS,
): { group: BindingGroup; entries: { keys: string; description: string }[] }[] {
  const shown = bindings.filter(
    (b) => (b.modes.includes('normal') || b.modes.includes('detail')) && !(readOnly && b.write),
  );
  return GROUP_ORDER.map((group) => ({
    group,
    entries: shown
      .filter((b) => b.group === group)
      .map((b) => ({ keys: b.label, description: b.description })),
  })).filter((s) => s.entries.length > 0);
}

/**
 * Several keys can arrive in one read (fast typing, a paste, `tmux send-keys j r`); Ink
 * hands them over as one string. Split plain text into one key press per character, with
 * Enter, Tab and Backspace recognised, so each reaches `matchKey` on its own. Escape
 * sequences (arrows, page keys) come one per read already and are left alone.
 */
export function splitInput(input: string, key: KeyEvent): [string, KeyEvent][] {
  if ([...input].length <= 1 || key.ctrl || key.meta || input.includes('\u001b')) return [[input, key]];
  return [...input].map((ch): [string, KeyEvent] => {
    if (ch === '\r' || ch === '\n') return ['', { return: true }];
    if (ch === '\t') return ['', { tab: true }];
    if (ch === '\u007f' || ch === '\b') return ['', { backspace: true }];
    return [ch, {}];
  });
}
