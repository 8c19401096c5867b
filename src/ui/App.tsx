// The live screen. The one place that owns input (`useInput`) and calls `exit()`; it reads
// the engine only through EngineLike (`useSyncExternalStore(subscribe, getSnapshot)`),
// keeps its own state in the pure reducer of src/core/tui/ui-state.ts (src/ui/hooks/), runs
// commands from one table (src/ui/commands.ts), and hands plain props to the components.
// Colours come from the theme in context (src/ui/theme.ts).
import './ink-output-cache.js';
import { Box, useApp, useStdout } from 'ink';
import React, { useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { BINDINGS, type Command } from '../core/tui/keys.js';
import { applyKeyOverrides, keyFor } from '../core/tui/key-config.js';
import { freezePlan } from '../core/plan/frozen-plan.js';
import { targetSource } from '../core/reconcile/reconcile.js';
import {
  frameBudget,
  initialState,
  resolveSelection,
  visibleAgents,
  windowFor,
} from '../core/tui/ui-state.js';
import type { AgentState } from '../core/types.js';
import { columnsFor, fitColumns, grownWidths, measureColumns, type WidthMemo } from '../core/view/view.js';
import type { EngineLike } from '../shell/engine-types.js';
import { AgentTable, GUTTER } from './AgentTable.js';
import { commandTable, type ViewNow } from './commands.js';
import { ConfirmDialog, confirmRoom } from './ConfirmDialog.js';
import { Boundary } from './Boundary.js';
import type { OpenEditor } from './habit-commands.js';
import { DetailPane, detailView, type DetailPaneProps } from './DetailPane.js';
import { Header } from './Header.js';
import { layoutLines } from '../core/config/discover/describe.js';
import { HelpOverlay } from './HelpOverlay.js';
import { useAgeTicker, useHighlightExpiry } from './hooks/useAgeTicker.js';
import { useAutoResolve } from './hooks/useAutoResolve.js';
import { useBell } from './hooks/useBell.js';
import { usePause } from './hooks/usePause.js';
import { useStatus } from './hooks/useStatus.js';
import { useUiState } from './hooks/useUiState.js';
import { useKeys } from './hooks/useKeys.js';
import { useSavedSettings, type SaveSettings } from './hooks/useSavedSettings.js';
import { applySettings, type UiSettings } from '../core/tui/ui-settings.js';
import { useJournal, type ReadJournal } from './hooks/useJournal.js';
import { useTimeline, type ReadTimeline } from './hooks/useTimeline.js';
import { JournalPanel } from './JournalPanel.js';
import { useVocab, type AcceptAlias } from './hooks/useVocab.js';
import { VocabPanel, vocabRows } from './VocabPanel.js';
import { vocabReport } from '../core/report/vocab-report.js';
import { KeyHints } from './KeyHints.js';
import { StatusLine } from './StatusLine.js';
import { ChangeTracker, tuiColumns } from './table-model.js';

import type { TuiSnapshotFormat } from './snapshot-key.js';
import { ThemeContext, themeFor } from './theme.js';

export { describeResult } from './describe-result.js';
export type { TuiSnapshotFormat };
import { useTerminalSize, type TerminalSize } from './useTerminalSize.js';

export interface AppProps {
  engine: EngineLike;
  /** Writes the snapshot text somewhere and says where, as a full path (see src/cli/tui.ts). */
  writeSnapshot: (text: string, format?: TuiSnapshotFormat) => Promise<string>;
  readOnly?: boolean;
  /** False: no colours at all (--no-color, NO_COLOR); symbols and words carry the meaning. */
  color?: boolean;
  /** No terminal bell. */
  quiet?: boolean;
  /** Overrides the terminal's size (tests, embedding). */
  size?: TerminalSize;
  /** Wall clock for ages and highlights (the only clock the view reads); default Date.now. */
  clock?: () => number;
  /** Rings the bell; default writes BEL to stdout. */
  bell?: () => void;
  /** The locale is not UTF-8: glyphs drawn as ASCII (src/core/view/glyphs.ts; src/cli/tui.ts decides). */
  ascii?: boolean;
  /** Writes a terminal sequence (the copy key's OSC 52); default writes it to stdout. */
  writeTerminal?: (sequence: string) => void;
  /** The journal, for the journal panel (`L`); src/cli/tui.ts passes the engine's. */
  readJournal?: ReadJournal;
  /** Teaches an alias from the vocabulary panel (`V`); src/cli/tui.ts writes the config. */
  acceptAlias?: AcceptAlias;
  /** The selected agent's timeline in the detail pane; src/cli/tui.ts reads it (src/shell/timeline-data.ts). */
  readTimeline?: ReadTimeline;
  /** The edit key: opens a file in the editor with the terminal (src/cli/tui.ts). */
  openEditor?: OpenEditor;
  /** How long changed cells stay highlighted (ms). */
  highlightMs?: number;
  /** Settings saved for this root (<state dir>/ui.json), applied at start; notes about a bad file go to the status line. */
  saved?: { settings: UiSettings; problems: string[] };
  /** Saves the settings when one changes; resolves to a problem or null. None: nothing is saved. */
  saveSettings?: SaveSettings;
}

export function App(props: AppProps): React.JSX.Element {
  // The config's `theme:` (README.md "Theme") over the default tokens.
  const { engine } = props;
  const configTheme = useSyncExternalStore(engine.subscribe, () => engine.getSnapshot().config.theme);
  const theme = useMemo(
    () => ({ ...themeFor(props.color !== false, configTheme), ascii: props.ascii === true }),
    [props.color, props.ascii, configTheme],
  );
  return (
    <ThemeContext.Provider value={theme}>
      <Screen {...props} />
    </ThemeContext.Provider>
  );
}

function Screen(props: AppProps): React.JSX.Element {
  const { engine, writeSnapshot } = props;
  // No registry: nothing to write to, so the keys that write are hidden (README.md "No registry").
  const readOnly = props.readOnly === true || targetSource(engine.getSnapshot().config) === undefined;
  const clock = props.clock ?? Date.now;
  const highlightMs = props.highlightMs ?? 2000;
  const { exit } = useApp();
  const { stdout } = useStdout();
  const size = useTerminalSize(props.size);
  const live = useSyncExternalStore(engine.subscribe, engine.getSnapshot);
  // The key table with the config's `keys:` in place (README.md "Keys and screen").
  const keyConfig = live.config.keys;
  const bindings = useMemo(() => applyKeyOverrides(BINDINGS, keyConfig), [keyConfig]);

  // `policy.auto_resolve: true` in the config starts with auto-resolve on (never when read-only).
  // Saved settings (sort, filters, detail pane) on top; a note about a bad file on the status line.
  const { state, stateRef, dispatch } = useUiState(() => {
    const note = props.saved?.problems[0];
    return applySettings(
      {
        ...initialState,
        auto: engine.getSnapshot().config.policy.autoResolve && !readOnly,
        ...(note !== undefined ? { status: { text: note, tone: 'warn' as const, token: 0 } } : {}),
      },
      props.saved?.settings ?? {},
    );
  });
  const { shown, freeze, waiting } = usePause(state.paused, live);

  // Changed cells: compare with the previous shown snapshot (idempotent per snapshot).
  const trackerRef = useRef<ChangeTracker | null>(null);
  trackerRef.current ??= new ChangeTracker();
  const tracker = trackerRef.current;
  const columns = useMemo(
    () => tuiColumns(shown.config, { changedAt: tracker.changedAt, pending: shown.pending }),
    [shown.config, shown.pending, tracker],
  );
  const plainColumns = useMemo(() => columnsFor(shown.config), [shown.config]);
  tracker.update(shown, shown.recon.agents, plainColumns, shown.at, clock() + highlightMs);
  const highlights = tracker.highlights(clock());

  const rows = useMemo(
    () =>
      visibleAgents(
        shown.recon.agents,
        {
          filterText: state.filterText,
          verdictFilter: state.verdictFilter,
          sort: state.sort,
          columnSort: state.columnSort,
        },
        tracker.changedAt,
        shown.config,
      ),
    [shown, state.filterText, state.verdictFilter, state.sort, state.columnSort, tracker],
  );
  const rowIds = useMemo(() => rows.map((a) => a.id), [rows]);

  // Rows of the terminal, shared out.
  const detailOpen = state.base === 'detail';
  const layoutText = useMemo(() => layoutLines(shown.config), [shown.config]);
  const budget = frameBudget(size.rows, detailOpen, layoutText.length);
  const area = budget.table + budget.detail;
  const confirming = state.confirm !== null;
  const byId = useMemo(
    () => (confirming ? new Map(live.recon.agents.map((a) => [a.id, a])) : new Map<string, AgentState>()),
    [live, confirming],
  );
  const confirmHeight = state.confirm ? Math.max(0, Math.min(area - 2, state.confirm.agents.length + 3)) : 0;
  const confirmLinesShown = state.confirm ? confirmRoom(confirmHeight, state.confirm.agents.length) : 0;
  // With the detail pane open, a table with fewer rows than its share gives the rest to the
  // pane, which sits directly under the last row (no blank gap).
  const fitted = detailOpen ? Math.min(budget.table, Math.max(2, rows.length + 1)) : budget.table;
  const detailHeight = budget.detail + budget.table - fitted;
  const tableLines = state.confirm ? area - confirmHeight : fitted;
  // The window keeps its size under the help overlay, so closing it finds the rows as they were.
  const tableHeight =
    state.mode === 'help' || state.mode === 'journal' || state.mode === 'vocab' ? 0 : tableLines;
  const bodyHeight = Math.max(1, tableLines - 1);

  const sel = resolveSelection(rowIds, state);
  const win = windowFor(rowIds.length, sel.index, bodyHeight, state.scrollTop);
  const selected = sel.index >= 0 ? rows[sel.index]! : null;

  // Column widths from the rows on screen, grown but not shrunk while the view stays the
  // same (src/core/view/view.ts grownWidths): no jitter as rows scroll by or values change.
  const widthMemo = useRef<WidthMemo | null>(null);
  const tableWidth = Math.max(10, size.columns - GUTTER);
  const widthKey = `${tableWidth}|${state.filterText}|${state.verdictFilter}|${columns.map((c) => c.id).join(',')}`;
  const layout = useMemo(() => {
    const visible = rows.slice(win.start, win.end);
    const memo = grownWidths(
      widthMemo.current,
      widthKey,
      measureColumns(columns, visible, shown.at, tableWidth),
    );
    widthMemo.current = memo;
    return fitColumns(columns, memo.widths, tableWidth);
  }, [columns, rows, win.start, win.end, shown.at, tableWidth, widthKey]);

  // Ages tick only when a shown age would change its text.
  const now = useAgeTicker(clock, shown, rows, win, tracker);
  useHighlightExpiry(tracker.nextExpiry(), clock);

  const timeline = useTimeline(props.readTimeline, detailOpen, selected, clock);
  const detailScroll =
    selected !== null && state.detailScroll.id === selected.id ? state.detailScroll.offset : 0;
  const detailProps: DetailPaneProps = {
    agent: selected,
    config: shown.config,
    pending: selected !== null && shown.pending.has(selected.id),
    readOnly,
    height: detailHeight,
    width: size.columns,
    now,
    scroll: detailScroll,
    ...(props.readTimeline ? { timeline } : {}),
  };

  // Latest derived values for the input handler.
  const shownColumns = layout.map((l) => l.column.id);
  const view: ViewNow = {
    shownColumns,
    rowIds,
    bodyHeight,
    selected,
    live,
    shown,
    rows,
    columns,
    now,
    detailProps,
    confirmLinesShown,
  };
  const viewRef = useRef(view);
  viewRef.current = view;

  useEffect(() => {
    dispatch({ type: 'sync', rows: rowIds, height: bodyHeight });
  }, [rowIds, bodyHeight, dispatch]);

  const { say, runAction } = useStatus(dispatch, engine, keyFor(bindings, 'resolve-many'));
  // `b` turns the bell on and off; --quiet (and the demo) start with it off, else as saved.
  const { toggle: toggleBell, on: bellOn } = useBell(
    live,
    props.quiet !== true && props.saved?.settings.bell !== false,
    props.bell ?? (() => stdout.write('\x07')),
  );
  const writeTerminal = props.writeTerminal ?? ((s: string) => void stdout.write(s));
  useSavedSettings(state, bellOn, props.saveSettings, say);
  const auto = useAutoResolve(state.auto, readOnly, live, engine, runAction);

  // ---------------------------------------------------------------------------------
  // Keys: the binding table (src/core/tui/keys.ts) says which command; the command table
  // (src/ui/commands.ts) what it does.

  const journal = useJournal(props.readJournal);
  const vocab = useVocab();
  const vocabOpen = state.mode === 'vocab';
  const vocabNow = useMemo(
    () => (vocabOpen ? vocabReport(live.recon, live.config) : null),
    [vocabOpen, live.recon, live.config],
  );
  const commands = commandTable({
    engine,
    dispatch,
    say,
    runAction,
    writeSnapshot,
    exit,
    freeze,
    resetAuto: auto.reset,
    readOnly,
    bindings,
    journal,
    vocab,
    ...(props.acceptAlias && !readOnly ? { acceptAlias: props.acceptAlias } : {}),
    writeTerminal,
    toggleBell,
    ...(props.openEditor ? { openEditor: props.openEditor } : {}),
  });
  useKeys({ bindings, stateRef, viewRef, commands, dispatch, say, readOnly });

  // ---------------------------------------------------------------------------------
  // The frame
  const width = size.columns;
  const target = targetSource(shown.config);
  const hide: Command[] = selected?.verdict === 'conflict' ? [] : ['pick-source'];
  if (!detailOpen || detailView(detailProps).maxScroll === 0) hide.push('detail-scroll-down');
  const emptyText =
    shown.recon.agents.length === 0
      ? 'no agents found in any source'
      : `no agent matches the filter (${keyFor(bindings, 'back')} clears it)`;

  return (
    <Box flexDirection="column" width={width}>
      <Header
        snapshot={shown}
        width={width}
        lines={budget.header}
        layout={layoutText}
        now={now}
        paused={state.paused}
        auto={state.auto}
        readOnly={readOnly}
        view={{
          shown: rows.length,
          position: sel.index + 1,
          filterText: state.filterText,
          verdictFilter: state.verdictFilter,
          sort: state.sort,
          sortColumn: state.columnSort
            ? `${columns.find((c) => c.id === state.columnSort!.column)?.title ?? state.columnSort.column} ${state.columnSort.reverse ? '▼' : '▲'}`
            : null,
          marks: state.marks.size,
        }}
      />
      <Boundary width={width}>
        {state.mode === 'help' ? (
          <HelpOverlay readOnly={readOnly} height={area} width={width} bindings={bindings} />
        ) : vocabNow !== null ? (
          <VocabPanel
            report={vocabNow}
            selected={vocab.selectedIn(vocabRows(vocabNow))}
            readOnly={readOnly}
            bindings={bindings}
            height={area}
            width={width}
          />
        ) : state.mode === 'journal' ? (
          <JournalPanel
            readOnly={readOnly}
            bindings={bindings}
            actions={journal.actions}
            selected={journal.selected}
            error={journal.error}
            height={area}
            width={width}
          />
        ) : (
          <>
            <AgentTable
              rows={rows}
              start={win.start}
              end={win.end}
              layout={layout}
              selectedIndex={sel.index}
              marks={state.marks}
              pending={shown.pending}
              highlights={highlights}
              height={tableHeight}
              width={width}
              now={now}
              emptyText={emptyText}
              sortedBy={state.columnSort}
            />
            {state.confirm ? (
              <ConfirmDialog
                plan={state.confirm.plan ?? freezePlan(state.confirm.agents, byId)}
                agents={byId}
                from={state.confirm.from}
                {...(state.confirm.from === 'drift' ? { countNow: shown.recon.summary.drift } : {})}
                scroll={state.confirm.scroll ?? 0}
                targetPath={target?.path ?? null}
                height={confirmHeight}
                width={width}
              />
            ) : detailOpen && detailHeight > 0 ? (
              <DetailPane {...detailProps} />
            ) : null}
          </>
        )}
      </Boundary>
      {budget.status > 0 ? (
        <StatusLine
          width={width}
          status={state.status}
          error={live.error}
          filterInput={state.mode === 'filter-input' ? state.filterText : null}
          commandInput={state.mode === 'command-input' ? state.commandText : null}
          waiting={waiting}
          bindings={bindings}
        />
      ) : null}
      {budget.hints > 0 ? (
        <KeyHints mode={state.mode} readOnly={readOnly} width={width} hide={hide} bindings={bindings} />
      ) : null}
    </Box>
  );
}
