// Bindings of the small habits (issue 16, README.md "Keys and screen"): copy to the
// clipboard (`c`, then what) and the bell toggle (`b`). Kept apart from src/core/tui/keys.ts,
// which spreads them into its table.
import type { Binding, Mode } from './key-types.js';

const BROWSE: readonly Mode[] = ['normal', 'detail'];
const COPYING: readonly Mode[] = ['copy-format'];

export const HABIT_BINDINGS: readonly Binding[] = [
  {
    command: 'copy',
    keys: [{ char: 'c' }],
    label: 'c',
    description: 'copy the selected agent to the clipboard (OSC 52): then i id, p path, v value, j JSON row',
    hint: 'copy',
    group: 'App',
    modes: BROWSE,
  },
  {
    command: 'bell',
    keys: [{ char: 'b' }],
    label: 'b',
    description: 'turn the bell (an agent newly drifts) on or off',
    group: 'App',
    name: 'bell',
    modes: BROWSE,
  },
  {
    command: 'edit',
    keys: [{ char: 'e' }],
    label: 'e',
    description: "open the selected agent's file in $VISUAL / $EDITOR (vi) at its diagnostic's line",
    group: 'App',
    name: 'edit',
    modes: BROWSE,
  },
  {
    command: 'copy-id',
    keys: [{ char: 'i' }],
    label: 'i',
    description: "copy the agent's id",
    hint: 'id',
    group: 'App',
    modes: COPYING,
  },
  {
    command: 'copy-path',
    keys: [{ char: 'p' }],
    label: 'p',
    description: "copy the agent's status file path",
    hint: 'path',
    group: 'App',
    modes: COPYING,
  },
  {
    command: 'copy-value',
    keys: [{ char: 'v' }],
    label: 'v',
    description: "copy the agent's verdict and truth line",
    hint: 'value',
    group: 'App',
    modes: COPYING,
  },
  {
    command: 'copy-json',
    keys: [{ char: 'j' }],
    label: 'j',
    description: "copy the agent's check --json object",
    hint: 'json',
    group: 'App',
    modes: COPYING,
  },
  {
    command: 'copy-cancel',
    keys: [{ name: 'escape' }, { char: 'q' }, { char: 'n' }],
    label: 'esc',
    description: 'copy nothing',
    hint: 'cancel',
    group: 'App',
    modes: COPYING,
  },
];
