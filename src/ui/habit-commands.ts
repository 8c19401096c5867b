// Handlers of the small habits (src/core/tui/keys-habits.ts): copy to the clipboard with
// OSC 52 (`c`, then i p v j) and the bell toggle (`b`). Spread into the command table of
// src/ui/commands.ts.
import { COPY_WORDS, copyText, osc52, type CopyKind } from '../core/tui/copy.js';
import { sanitizeText } from '../core/sanitize.js';
import { editTarget } from '../core/tui/editor.js';
import type { UiAction } from '../core/tui/ui-state.js';
import type { Say } from './hooks/useStatus.js';
import type { Handler } from './commands.js';

export type HabitCommand =
  'copy' | 'copy-id' | 'copy-path' | 'copy-value' | 'copy-json' | 'copy-cancel' | 'bell' | 'edit';

/** Opens a file in the editor with the terminal, then gives it back (src/cli/tui.ts). */
export type OpenEditor = (file: string, line: number | null) => Promise<{ ok: boolean; message: string }>;

export interface HabitDeps {
  dispatch: (a: UiAction) => void;
  say: Say;
  /** Writes a terminal sequence (OSC 52) to the terminal; src/cli/tui.ts passes stdout. */
  writeTerminal: (sequence: string) => void;
  /** Turns the bell on or off and says which it is now. */
  toggleBell: () => boolean;
  /** The edit key; absent, `e` says this screen cannot. */
  openEditor?: OpenEditor;
}

/** How long a copied text may be shown in the status line before it is cut. */
const SHOWN = 60;

export function habitCommands(d: HabitDeps): Record<HabitCommand, Handler> {
  const copy =
    (kind: CopyKind): Handler =>
    ({ v }) => {
      d.dispatch({ type: 'copy-chosen' });
      const agent = v.selected;
      if (!agent) return d.say('no agent selected: nothing copied', 'warn');
      const got = copyText(kind, agent, v.shown.config);
      if ('missing' in got) return d.say(`nothing copied: ${got.missing}`, 'warn');
      d.writeTerminal(osc52(got.text));
      const shown = got.text.length > SHOWN ? `${got.text.slice(0, SHOWN - 1)}…` : got.text;
      d.say(`copied the ${COPY_WORDS[kind]} of ${sanitizeText(agent.id)}: ${sanitizeText(shown)}`, 'ok');
    };
  return {
    copy: ({ v }) => {
      if (!v.selected) return d.say('no agent selected: nothing to copy', 'warn');
      d.dispatch({ type: 'copy-choose' });
      d.say('copy: i id, p path, v value, j JSON row (esc: nothing)');
    },
    'copy-id': copy('id'),
    'copy-path': copy('path'),
    'copy-value': copy('value'),
    'copy-json': copy('json'),
    'copy-cancel': () => {
      d.dispatch({ type: 'copy-chosen' });
      d.say('nothing copied');
    },
    edit: ({ v }) => {
      const agent = v.selected;
      if (!agent) return d.say('no agent selected: nothing to edit', 'warn');
      const t = editTarget(agent, v.shown.config);
      if (!t) return d.say(`no file to open for ${sanitizeText(agent.id)}: its sources are stores`, 'warn');
      if (!d.openEditor) return d.say('this screen cannot open an editor', 'warn');
      d.openEditor(t.file, t.line).then(
        (r) => d.say(sanitizeText(r.message), r.ok ? 'ok' : 'warn'),
        (e: unknown) =>
          d.say(`editor failed: ${sanitizeText(e instanceof Error ? e.message : String(e))}`, 'error'),
      );
    },
    bell: () => d.say(d.toggleBell() ? 'bell on: it rings when an agent newly drifts' : 'bell off'),
  };
}
