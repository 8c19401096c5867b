// Keys from the config file (README.md "Keys and screen", `keys:`): the words a person
// writes for a key (`R`, `ctrl-x`, `enter`, `pgdn`), their labels, and the binding table with
// the configured keys in place of the defaults. Pure; src/core/config/config-keys.ts validates
// the config's `keys:` block with these, and the TUI draws its hints, `?` overlay and `:`
// completion from the table this returns.
import type { Binding, Command, KeyName, KeySpec } from './key-types.js';

/** A command's configured keys, replacing its default keys. */
export type KeyOverrides = Readonly<Partial<Record<Command, readonly KeySpec[]>>>;

/** Words for the named keys, as written in the config (lower case). */
const NAMED: Record<string, KeyName> = {
  up: 'up',
  down: 'down',
  pgup: 'pageUp',
  pageup: 'pageUp',
  pgdn: 'pageDown',
  pgdown: 'pageDown',
  pagedown: 'pageDown',
  home: 'home',
  end: 'end',
  enter: 'return',
  return: 'return',
  esc: 'escape',
  escape: 'escape',
  backspace: 'backspace',
  delete: 'delete',
  del: 'delete',
  tab: 'tab',
};

/** How a named key is shown in the hints and the overlay (as the default table shows it). */
const NAME_LABEL: Record<KeyName, string> = {
  up: '↑',
  down: '↓',
  pageUp: 'PgUp',
  pageDown: 'PgDn',
  home: 'Home',
  end: 'End',
  return: 'enter',
  escape: 'esc',
  backspace: '⌫',
  delete: 'del',
  tab: 'tab',
};

/** The key words the config accepts, for messages. */
export const KEY_WORDS =
  'one character (R, /, ?), space, ctrl-<letter>, or up, down, pgup, pgdn, home, end, enter, esc, tab, backspace, delete';

/** A key as written in the config -> its spec, or null when it is not a key. */
export function parseKeyText(text: string): KeySpec | null {
  const chars = [...text];
  if (chars.length === 1) {
    // A control character is not a key a config can name (ctrl-x names those).
    return /[\u0000-\u001f\u007f-\u009f]/.test(text) ? null : { char: text };
  }
  const t = text.trim().toLowerCase();
  if (t === 'space') return { char: ' ' };
  const named = NAMED[t];
  if (named !== undefined) return { name: named };
  const ctrl = /^(?:ctrl|c|control)[-+]([a-z])$/.exec(t) ?? /^\^([a-z])$/.exec(t);
  if (ctrl) return { char: ctrl[1]!, ctrl: true };
  return null;
}

/** How a key is shown: `R`, `space`, `ctrl-x`, `enter`. */
export function keyLabel(spec: KeySpec): string {
  if (spec.any) return 'any key';
  if (spec.printable) return 'text';
  if (spec.name !== undefined) return (spec.ctrl ? 'ctrl-' : '') + NAME_LABEL[spec.name];
  if (spec.char === ' ') return 'space';
  return (spec.ctrl ? 'ctrl-' : '') + (spec.char ?? '');
}

export function sameKey(a: KeySpec, b: KeySpec): boolean {
  if (a.any || b.any || a.printable || b.printable) return false;
  return (a.ctrl === true) === (b.ctrl === true) && a.name === b.name && a.char === b.char;
}

/** Ctrl-C always quits (README.md "Keys and screen"): no command may take it. */
export function isReservedKey(spec: KeySpec): boolean {
  return spec.ctrl === true && spec.char === 'c';
}

/**
 * Commands whose keys cannot be configured, and why: quitting from anywhere, typing text,
 * closing help with any key, and picking a source by its number.
 */
export const FIXED_COMMANDS: Readonly<Partial<Record<Command, string>>> = {
  'force-quit': 'ctrl-c always quits',
  'filter-type': 'typed text goes into the filter',
  'command-type': 'typed text goes into the command line',
  'help-close': 'any key closes the help',
  'pick-source': '1-9 pick the source by its number',
};

/**
 * Hint keys that name two commands at once (`j/k` for down and up): rebuilt from both
 * commands' first keys when either is configured.
 */
const PAIRED_HINTS: readonly [Command, Command][] = [
  ['down', 'up'],
  ['detail-scroll-down', 'detail-scroll-up'],
  ['journal-down', 'journal-up'],
  ['vocab-down', 'vocab-up'],
];

/** The binding table with configured keys in place of the defaults, labels to match. */
export function applyKeyOverrides(
  bindings: readonly Binding[],
  overrides: KeyOverrides | undefined,
): Binding[] {
  if (overrides === undefined || Object.keys(overrides).length === 0) return [...bindings];
  const out = bindings.map((b): Binding => {
    const keys = overrides[b.command];
    if (keys === undefined || keys.length === 0) return b;
    const { hintKey: _old, ...rest } = b;
    return { ...rest, keys, label: keys.map(keyLabel).join(' ') };
  });
  const first = (c: Command): string | undefined => {
    const b = out.find((x) => x.command === c);
    return b?.keys[0] !== undefined ? keyLabel(b.keys[0]) : undefined;
  };
  for (const [a, b] of PAIRED_HINTS) {
    if (overrides[a] === undefined && overrides[b] === undefined) continue;
    const i = out.findIndex((x) => x.command === a);
    const ka = first(a);
    const kb = first(b);
    if (i >= 0 && ka !== undefined && kb !== undefined) out[i] = { ...out[i]!, hintKey: `${ka}/${kb}` };
  }
  return out;
}

/** The first key of a command as shown (`?`), for messages that name a key. */
export function keyFor(bindings: readonly Binding[], command: Command): string {
  const b = bindings.find((x) => x.command === command);
  return b?.keys[0] !== undefined ? keyLabel(b.keys[0]) : command;
}

export interface KeyClash {
  command: Command;
  key: KeySpec;
  other: Command;
  mode: string;
}

/**
 * Keys of the `changed` commands that another command already has in a mode both work in.
 * Only the changed commands are checked: the defaults are known to be apart.
 */
export function keyClashes(bindings: readonly Binding[], changed: readonly Command[]): KeyClash[] {
  const out: KeyClash[] = [];
  for (const command of changed) {
    const b = bindings.find((x) => x.command === command);
    if (!b) continue;
    for (const key of b.keys) {
      for (const o of bindings) {
        if (o.command === command) continue;
        const mode = b.modes.find((m) => o.modes.includes(m));
        if (mode === undefined) continue;
        // A clash between two changed commands is told once, at the first of them.
        if (changed.includes(o.command) && changed.indexOf(o.command) < changed.indexOf(command)) continue;
        if (o.keys.some((k) => sameKey(k, key))) out.push({ command, key, other: o.command, mode });
      }
    }
  }
  return out;
}
