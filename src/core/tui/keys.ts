// Key bindings as data: every command the TUI understands, the keys bound to it, in which
// modes, and how it is described. The input handler, the hint line and the `?` overlay are
// all generated from this one table, so they cannot disagree. Pure: no Ink import; the key
// shape (src/core/tui/key-types.ts) is the subset of Ink's `Key` that matching needs.

import { BROWSE_BINDINGS } from './bindings-browse.js';
import { MODAL_BINDINGS } from './bindings-modal.js';
import { HABIT_BINDINGS } from './keys-habits.js';
import type { Binding, BindingGroup, Command, KeyEvent, KeyName, KeySpec, Mode } from './key-types.js';

export type { Binding, Command, KeyEvent, Mode } from './key-types.js';

/** The default bindings, in the order the hint line and the overlay show them. */
export const BINDINGS: readonly Binding[] = [
  ...BROWSE_BINDINGS,
  ...MODAL_BINDINGS,
  // The small habits: copy (`c`) and the bell toggle (`b`).
  ...HABIT_BINDINGS,
];

const BY_COMMAND = new Map(BINDINGS.map((b) => [b.command, b]));

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

/** A mode's hints as one line (`j/k move · u undo it · esc close`), for a panel's title. */
export function hintText(mode: Mode, readOnly: boolean, bindings: readonly Binding[] = BINDINGS): string {
  return hintsFor(mode, readOnly, bindings)
    .map((h) => `${h.key} ${h.text}`)
    .join(' · ');
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
