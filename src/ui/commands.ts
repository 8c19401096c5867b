// What each command does: one handler per Command (src/core/tui/keys.ts says which keys mean
// which command in which mode). The input handler looks a key's command up here, and so
// does anything else that runs commands by name.
import type { Binding, Command } from '../core/tui/keys.js';
import { keyFor } from '../core/tui/key-config.js';
import { offeredChoices } from '../core/reconcile/choices.js';
import { freezePlan } from '../core/plan/frozen-plan.js';
import { sanitizeText } from '../core/sanitize.js';
import { reduce, resolveSelection, SORT_LABEL, type UiAction, type UiState } from '../core/tui/ui-state.js';
import type { AgentState } from '../core/types.js';
import type { EngineLike, EngineSnapshot } from '../shell/engine-types.js';
import { detailView, type DetailPaneProps } from './DetailPane.js';
import { errorText } from './describe-result.js';
import type { RunAction, Say } from './hooks/useStatus.js';
import { renderTuiSnapshot, SNAPSHOT_COMMANDS, type TuiSnapshotFormat } from './snapshot-key.js';
import type { tuiColumns } from './table-model.js';
import { nextSortColumn } from '../core/view/table-sort.js';
import { liveFilter } from '../core/view/filter.js';
import { completeLine, lineCommands, optionsText } from '../core/tui/command-line.js';
import { runLine } from './line-commands.js';
import type { JournalView } from './hooks/useJournal.js';
import type { AcceptAlias, VocabView } from './hooks/useVocab.js';
import { vocabReport } from '../core/report/vocab-report.js';
import { vocabRows } from './VocabPanel.js';
import { unknownValueOf } from './vocab-hint.js';
import { habitCommands, type HabitDeps } from './habit-commands.js';

/** What the screen shows right now, as the handlers need it. */
export interface ViewNow {
  rowIds: readonly string[];
  bodyHeight: number;
  selected: AgentState | null;
  live: EngineSnapshot;
  shown: EngineSnapshot;
  rows: readonly AgentState[];
  columns: ReturnType<typeof tuiColumns>;
  /** Ids of the columns laid out on screen, left to right. */
  shownColumns: readonly string[];
  now: number;
  detailProps: DetailPaneProps;
  confirmLinesShown: number;
}

/** What the handlers may do. */
export interface CommandDeps {
  engine: EngineLike;
  dispatch: (a: UiAction) => void;
  say: Say;
  runAction: RunAction;
  writeSnapshot: (text: string, format?: TuiSnapshotFormat) => Promise<string>;
  exit: () => void;
  freeze: (snap: EngineSnapshot | null) => void;
  resetAuto: () => void;
  readOnly: boolean;
  /** The key table as configured (README.md "Keys and screen"): `:` names, keys in messages. */
  bindings: readonly Binding[];
  /** The journal panel's data (`L`, `:log`). */
  journal: JournalView;
  /** The vocabulary panel's selection (`V`, `:vocab`). */
  vocab: VocabView;
  /** Teaches an alias (src/cli/tui.ts writes the config); absent, `a` says it cannot. */
  acceptAlias?: AcceptAlias;
  /** The small habits: copy (OSC 52) and the bell toggle (src/ui/habit-commands.ts). */
  writeTerminal: HabitDeps['writeTerminal'];
  toggleBell: HabitDeps['toggleBell'];
  openEditor?: HabitDeps['openEditor'];
}

/** One key press, as a handler sees it. */
export interface CommandCall {
  input: string;
  st: UiState;
  v: ViewNow;
  /** The selected agent's id. */
  id: string | null;
  /** The table's rows and body height, for moves. */
  view: { rows: readonly string[]; height: number };
}

export type Handler = (call: CommandCall) => void;

const FILTER_WORDS: Record<UiState['verdictFilter'], string> = {
  all: 'all agents',
  problems: 'problems only (invalid, missing, conflict, drift)',
  drift: 'drift only',
  stale: 'stale only',
  invalid: 'invalid only',
  conflict: 'conflict only',
  missing: 'missing only',
  'in-sync': 'in sync only',
};

/** Builds a call for a key press from the state and the view. */
export function callFor(input: string, st: UiState, v: ViewNow): CommandCall {
  return {
    input,
    st,
    v,
    id: resolveSelection(v.rowIds, st).id,
    view: { rows: v.rowIds, height: v.bodyHeight },
  };
}

export function commandTable(d: CommandDeps): Record<Command, Handler> {
  const { dispatch, say, runAction, engine } = d;
  const writeAs = (st: UiState, v: ViewNow, format?: TuiSnapshotFormat): void => {
    const f = format ?? 'text';
    const text = renderTuiSnapshot(f, v.shown, v.rows, v.columns, v.now, st);
    say(`writing a ${f} snapshot …`, 'busy');
    d.writeSnapshot(text, f).then(
      (where) => say(`snapshot (${f}) written to ${sanitizeText(where)}`, 'ok'),
      (e: unknown) => say(`snapshot not written: ${errorText(e)}`, 'error'),
    );
  };
  const snapshotCommand =
    (command: Command): Handler =>
    ({ st, v }) => {
      dispatch({ type: 'snapshot-chosen' });
      writeAs(st, v, SNAPSHOT_COMMANDS[command]!);
    };
  const detailScroll =
    (delta: 1 | -1): Handler =>
    ({ v }) => {
      if (!v.selected) return;
      const { maxScroll } = detailView(v.detailProps);
      dispatch({ type: 'detail-scroll', id: v.selected.id, delta, max: maxScroll });
    };
  const sortColumn =
    (step: 1 | -1): Handler =>
    ({ st, v }) => {
      const next = nextSortColumn(v.shownColumns, st.columnSort, step);
      dispatch({ type: 'set-column-sort', sort: next });
      const title = v.columns.find((c) => c.id === next?.column)?.title ?? '';
      say(`sorted by ${sanitizeText(title)} ${next?.reverse ? '(reversed)' : ''}`.trim());
    };
  const jumpMatch =
    (step: 1 | -1): Handler =>
    ({ id, v, view }) => {
      const n = v.rows.length;
      const cur = id === null ? -1 : v.rows.findIndex((a) => a.id === id);
      for (let k = 1; k <= n; k++) {
        const i = (((cur + step * k) % n) + n) % n;
        if (v.rows[i]!.verdict !== 'in-sync') {
          if (i !== cur) dispatch({ type: 'move', delta: i - Math.max(0, cur), ...view });
          return;
        }
      }
      say('every agent shown is in sync', 'info');
    };
  const table: Record<Command, Handler> = {
    // The small habits: copy and the bell toggle.
    ...habitCommands({
      dispatch,
      say,
      writeTerminal: d.writeTerminal,
      toggleBell: d.toggleBell,
      ...(d.openEditor ? { openEditor: d.openEditor } : {}),
    }),
    journal: () => {
      d.journal.reload();
      dispatch({ type: 'journal-open' });
    },
    'journal-up': () => d.journal.move(-1),
    'journal-down': () => d.journal.move(1),
    'journal-close': () => dispatch({ type: 'journal-close' }),
    'journal-undo': () => {
      const a = d.journal.actions?.[d.journal.selected];
      if (!a) return say('no action selected', 'warn');
      void runAction(`undoing ${a.id}`, () => engine.undo(a.id)).then(() => d.journal.reload());
    },
    vocab: ({ v }) => {
      // Opened on the selected agent's unknown value, if it holds one.
      const rows = vocabRows(vocabReport(v.live.recon, v.live.config));
      const u = v.selected ? unknownValueOf(v.selected) : null;
      const at = u
        ? rows.findIndex((r) => r.source === u.source && r.field === u.field && r.value.value === u.value)
        : -1;
      if (at >= 0) d.vocab.select(rows[at]);
      dispatch({ type: 'vocab-open' });
    },
    'vocab-up': ({ v }) => d.vocab.move(-1, vocabRows(vocabReport(v.live.recon, v.live.config))),
    'vocab-down': ({ v }) => d.vocab.move(1, vocabRows(vocabReport(v.live.recon, v.live.config))),
    'vocab-close': () => dispatch({ type: 'vocab-close' }),
    'vocab-accept': ({ v }) => {
      const rows = vocabRows(vocabReport(v.live.recon, v.live.config));
      const row = rows[d.vocab.selectedIn(rows)];
      if (!row) return say('no value selected', 'warn');
      const shown = sanitizeText(row.value.value);
      if (row.value.canonical !== 'unknown') return say(`'${shown}' is already known`, 'info');
      if (!row.value.suggestion)
        return say(
          `no suggestion for '${shown}': sync-tui vocab --accept '${shown}=VALUE' --field ${sanitizeText(row.field)}`,
          'warn',
        );
      if (!d.acceptAlias) return say('this screen cannot write the config', 'warn');
      const canonical = row.value.suggestion.canonical;
      d.acceptAlias({ field: row.field, value: row.value.value, canonical }).then(
        (line) => say(sanitizeText(line), 'info'),
        (e: unknown) => say(`alias not written: ${errorText(e)}`, 'error'),
      );
    },
    command: () => {
      dispatch({ type: 'command-start' });
      say('');
    },
    'command-type': ({ st, input }) => dispatch({ type: 'command-set', text: st.commandText + input }),
    'command-backspace': ({ st }) =>
      dispatch({ type: 'command-set', text: [...st.commandText].slice(0, -1).join('') }),
    'command-cancel': () => dispatch({ type: 'command-close' }),
    'command-complete': ({ st, v }) => {
      const line = lineCommands(d.bindings);
      const c = completeLine(st.commandText, v.shownColumns, line);
      dispatch({ type: 'command-set', text: c.text });
      say(
        c.options.length > 1 ? optionsText(c.options, line) : c.options.length === 0 ? 'no completion' : '',
      );
    },
    'command-run': (call) => {
      dispatch({ type: 'command-close' });
      runLine(call.st.commandText, call, table, d);
    },
    'sort-next-column': sortColumn(1),
    'sort-prev-column': sortColumn(-1),
    'sort-reverse': ({ st, v }) => {
      const cur = st.columnSort ?? { column: 'agent', reverse: false };
      dispatch({ type: 'set-column-sort', sort: { ...cur, reverse: !cur.reverse } });
      const title = v.columns.find((c) => c.id === cur.column)?.title ?? cur.column;
      say(`sorted by ${sanitizeText(title)}${cur.reverse ? '' : ' (reversed)'}`);
    },
    'next-match': jumpMatch(1),
    'prev-match': jumpMatch(-1),
    'mark-all': ({ view }) => {
      dispatch({ type: 'mark-all', ids: view.rows });
      say(`marked ${view.rows.length} agent${view.rows.length === 1 ? '' : 's'} shown`);
    },
    'invert-marks': ({ view }) => {
      dispatch({ type: 'invert-marks', ids: view.rows });
      say('marks inverted among the agents shown');
    },
    'clear-marks': () => {
      dispatch({ type: 'clear-marks' });
      say('marks cleared');
    },
    up: ({ view }) => dispatch({ type: 'move', delta: -1, ...view }),
    down: ({ view }) => dispatch({ type: 'move', delta: 1, ...view }),
    'page-up': ({ view }) => dispatch({ type: 'page', direction: -1, ...view }),
    'page-down': ({ view }) => dispatch({ type: 'page', direction: 1, ...view }),
    top: ({ view }) => dispatch({ type: 'jump', to: 'top', ...view }),
    bottom: ({ view }) => dispatch({ type: 'jump', to: 'bottom', ...view }),
    detail: () => dispatch({ type: 'toggle-detail' }),
    back: ({ st }) => {
      if (st.base === 'detail') return dispatch({ type: 'close-detail' });
      if (st.filterText !== '') {
        dispatch({ type: 'filter-clear' });
        return say('filter cleared');
      }
      if (st.marks.size > 0) {
        dispatch({ type: 'clear-marks' });
        return say('marks cleared');
      }
    },
    resolve: ({ id, v }) => {
      if (id === null) return say('no agent selected', 'warn');
      // Exactly what the screen shows for it now (paused or not), guarded at write time.
      const expect = freezePlan([id], v.shown.recon.agents);
      void runAction(
        `resolving ${id}`,
        () => engine.resolve([id], { expect }),
        keyFor(d.bindings, 'resolve'),
      );
    },
    mark: ({ id, view }) => {
      if (id === null) return;
      dispatch({ type: 'toggle-mark', id });
      dispatch({ type: 'move', delta: 1, ...view });
    },
    'resolve-many': ({ st, v }) => {
      // The plan is frozen from what the screen shows (the header's counts are of the same
      // snapshot); `y` writes exactly it, guarded (src/core/plan/frozen-plan.ts).
      const agents = v.shown.recon.agents;
      const marked = agents.filter((a) => st.marks.has(a.id)).map((a) => a.id);
      const ids = marked.length > 0 ? marked : agents.filter((a) => a.verdict === 'drift').map((a) => a.id);
      if (ids.length === 0)
        return say(
          st.marks.size > 0 ? 'the marked agents are gone' : 'nothing to resolve: no agent has drifted',
          'warn',
        );
      dispatch({
        type: 'confirm-open',
        confirm: {
          agents: ids,
          from: marked.length > 0 ? 'marks' : 'drift',
          plan: freezePlan(ids, agents),
          scroll: 0,
        },
      });
    },
    undo: () => void runAction('undoing the last resolve', () => engine.undo()),
    'pick-source': ({ input, v }) => {
      const agent = v.selected;
      if (!agent) return;
      if (agent.verdict !== 'conflict')
        return say(`${sanitizeText(agent.id)} is not in conflict; 1-9 pick the winner of a conflict`, 'warn');
      // The same choices, numbered the same way, as the detail pane previews.
      const choices = offeredChoices(agent, v.shown.config, v.now);
      const choice = choices[Number(input) - 1];
      if (!choice)
        return say(
          choices.length === 0
            ? `no source can settle ${sanitizeText(agent.id)}: see the detail pane`
            : `no choice ${input}: ${choices.map((c, i) => `${i + 1} ${sanitizeText(c.source)}`).join(', ')}`,
          'warn',
        );
      const expect = freezePlan([agent.id], [choice.after]);
      void runAction(
        `resolving ${agent.id} with ${choice.source} as the winner`,
        () => engine.resolve([agent.id], { prefer: choice.source, expect }),
        input,
      );
    },
    'detail-scroll-down': detailScroll(1),
    'detail-scroll-up': detailScroll(-1),
    filter: () => dispatch({ type: 'filter-start' }),
    'verdict-filter': ({ st }) => {
      const next = reduce(st, { type: 'cycle-verdict-filter' });
      dispatch({ type: 'cycle-verdict-filter' });
      say(`showing ${FILTER_WORDS[next.verdictFilter]}`);
    },
    sort: ({ st }) => {
      const next = reduce(st, { type: 'cycle-sort' });
      dispatch({ type: 'cycle-sort' });
      say(`sorted by ${SORT_LABEL[next.sort]}`);
    },
    pause: ({ st, v }) => {
      if (st.paused) {
        d.freeze(null);
        dispatch({ type: 'set-paused', paused: false });
        return say('resumed: showing the latest');
      }
      d.freeze(v.live);
      dispatch({ type: 'set-paused', paused: true });
      say('paused: the table is frozen; the engine keeps watching');
    },
    auto: ({ st }) => {
      dispatch({ type: 'set-auto', auto: !st.auto });
      if (!st.auto) d.resetAuto();
      say(
        st.auto
          ? 'auto-resolve off'
          : 'auto-resolve on: drifted agents are resolved as they appear; conflicts are left to you',
        st.auto ? 'info' : 'ok',
      );
    },
    snapshot: () => {
      dispatch({ type: 'snapshot-choose' });
      say('snapshot as: t text, s svg, m markdown, j json (esc: none)');
    },
    'snapshot-cancel': () => {
      dispatch({ type: 'snapshot-chosen' });
      say('no snapshot written');
    },
    'snapshot-text': snapshotCommand('snapshot-text'),
    'snapshot-svg': snapshotCommand('snapshot-svg'),
    'snapshot-md': snapshotCommand('snapshot-md'),
    'snapshot-json': snapshotCommand('snapshot-json'),
    help: () => dispatch({ type: 'help-open' }),
    'help-close': () => dispatch({ type: 'help-close' }),
    quit: () => d.exit(),
    'force-quit': () => d.exit(),
    'filter-accept': ({ st }) => {
      dispatch({ type: 'filter-accept' });
      const e = liveFilter(st.filterText).error;
      if (e) say(sanitizeText(e), 'warn');
    },
    'filter-cancel': () => dispatch({ type: 'filter-cancel' }),
    'filter-backspace': () => dispatch({ type: 'filter-backspace' }),
    'filter-type': ({ input }) => dispatch({ type: 'filter-type', text: input }),
    'confirm-yes': ({ st, v }) => {
      const c = st.confirm;
      dispatch({ type: 'confirm-close' });
      if (!c) return;
      if (c.from === 'marks') dispatch({ type: 'clear-marks' });
      const expect = c.plan ?? freezePlan(c.agents, v.live.recon.agents);
      void runAction(`resolving ${c.agents.length} agent${c.agents.length === 1 ? '' : 's'}`, () =>
        engine.resolve(c.agents, { expect }),
      );
    },
    'confirm-no': () => {
      dispatch({ type: 'confirm-close' });
      say('cancelled: nothing written');
    },
  };
  return table;
}
