// The live view's one input handler (README.md "Keys and screen"): a key press -> the command
// the binding table (src/core/tui/keys.ts, with the config's `keys:` applied) says it means in
// this mode -> its handler in the command table (src/ui/commands.ts). A key with no meaning
// says so; moving keys scroll the confirmation's list while it is open.
import { useInput } from 'ink';
import { useCallback, useRef } from 'react';
import { keyFor } from '../../core/tui/key-config.js';
import {
  isPrintable,
  isWriteCommand,
  matchKey,
  splitInput,
  type Binding,
  type Command,
  type KeyEvent,
} from '../../core/tui/keys.js';
import { sanitizeText } from '../../core/sanitize.js';
import type { UiAction, UiState } from '../../core/tui/ui-state.js';
import { callFor, type Handler, type ViewNow } from '../commands.js';
import type { Say } from './useStatus.js';

export interface KeysDeps {
  bindings: readonly Binding[];
  stateRef: React.RefObject<UiState>;
  viewRef: React.RefObject<ViewNow>;
  commands: Record<Command, Handler>;
  dispatch: (a: UiAction) => void;
  say: Say;
  readOnly: boolean;
}

export function useKeys(d: KeysDeps): void {
  const onKey = (input: string, key: KeyEvent): void => {
    const st = d.stateRef.current;
    const v = d.viewRef.current;
    const command = matchKey(input, key, st.mode, d.bindings);
    if (command === null) {
      // A key that means nothing here says so, rather than nothing happening.
      if ((st.mode === 'normal' || st.mode === 'detail') && isPrintable(input, key))
        d.say(
          `unknown key ${sanitizeText(input)} (${keyFor(d.bindings, 'help')} lists the keys, ${keyFor(d.bindings, 'command')} the commands)`,
          'warn',
        );
      return;
    }
    if (d.readOnly && isWriteCommand(command)) {
      d.say('read-only: writes are disabled', 'warn');
      return;
    }
    if (st.mode === 'confirm') {
      // Moving keys scroll the dialog's list; the table stays where it was.
      const room = v.confirmLinesShown;
      const scroll: Partial<Record<Command, number | 'top' | 'bottom'>> = {
        up: -1,
        down: 1,
        'page-up': -Math.max(1, room - 1),
        'page-down': Math.max(1, room - 1),
        top: 'top',
        bottom: 'bottom',
      };
      const delta = scroll[command];
      if (delta !== undefined) return d.dispatch({ type: 'confirm-scroll', delta, room });
    }
    d.commands[command](callFor(input, st, v));
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useInput(
    useCallback((input: string, key: KeyEvent) => {
      for (const [i, k] of splitInput(input, key)) onKeyRef.current(i, k);
    }, []),
  );
}
