// The vocabulary of key bindings (README.md "Keys and screen"): modes, commands, key specs
// and the binding record. Pure types; the tables are in bindings-browse.ts and
// bindings-modal.ts, matching in keys.ts.

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
  | 'bell'
  // The edit key (src/core/tui/keys-habits.ts): the selected agent's file in $EDITOR.
  | 'edit';

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
