// The live screen. The one place that owns input (`useInput`) and calls `exit()`; it reads
// the engine only through EngineLike (`useSyncExternalStore(subscribe, getSnapshot)`),
// keeps its own state in the pure reducer of src/core/ui-state.ts, and hands plain props to
// the components.
import './ink-output-cache.js';
import { Box, Text, useApp, useInput, useStdout } from 'ink';
import React, { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { isWriteCommand, matchKey, splitInput, type Command, type KeyEvent } from '../core/keys.js';
import { offeredChoices } from '../core/choices.js';
import { freezePlan } from '../core/frozen-plan.js';
import { targetSource } from '../core/reconcile.js';
import { sanitizeText, sanitizeValue } from '../core/sanitize.js';
import {
  agentSignature,
  autoResolveCandidates,
  changedAgents,
  frameBudget,
  initialState,
  newlyDrifted,
  nextAgeTick,
  reduce,
  resolveSelection,
  SORT_LABEL,
  visibleAgents,
  windowFor,
  type StatusEntry,
  type StatusTone,
  type UiAction,
  type UiState,
} from '../core/ui-state.js';
import type { AgentState } from '../core/types.js';
import { columnsFor, layoutColumns } from '../core/view.js';
import type { ActionResult, EngineLike, EngineSnapshot } from '../shell/engine-types.js';
import { AgentTable, GUTTER } from './AgentTable.js';
import { ConfirmDialog, confirmRoom } from './ConfirmDialog.js';
import { DetailPane, detailView, type DetailPaneProps } from './DetailPane.js';
import { Header } from './Header.js';
import { layoutLines } from '../core/discover/describe.js';
import { HelpOverlay } from './HelpOverlay.js';
import { KeyHints } from './KeyHints.js';
import { StatusLine } from './StatusLine.js';
import { ChangeTracker, tuiColumns } from './table-model.js';
import { renderTuiSnapshot, SNAPSHOT_COMMANDS, type TuiSnapshotFormat } from './snapshot-key.js';

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
  /** How long changed cells stay highlighted (ms). */
  highlightMs?: number;
}

/** Most agents one auto-resolve call takes on. */
const AUTO_BATCH = 50;

const FILTER_WORDS: Record<UiState['verdictFilter'], string> = {
  all: 'all agents',
  problems: 'problems only (invalid, missing, conflict, drift)',
  drift: 'drift only',
  stale: 'stale only',
  invalid: 'invalid only',
};

/**
 * Rows the column widths are measured on: all of them up to a few thousand, else an even
 * sample plus the agent with the longest id (ids are never cut), so a snapshot of 10,000
 * agents is laid out in milliseconds. Widths are capped per column anyway, and a cell wider
 * than its column is cut with an ellipsis.
 */
export function layoutSample(rows: readonly AgentState[], max = 1000): readonly AgentState[] {
  if (rows.length <= max) return rows;
  const step = rows.length / max;
  const out = Array.from({ length: max }, (_, i) => rows[Math.floor(i * step)]!);
  let longest = rows[0]!;
  for (const a of rows) if (a.id.length > longest.id.length) longest = a;
  out.push(longest, rows[rows.length - 1]!);
  return out;
}

function errorText(e: unknown): string {
  return sanitizeText(e instanceof Error ? e.message : String(e));
}

/** `wrote 3 values for 2 agents: Agent-2 fsm "a" → "b"; Agent-3 …`, at most `max` agents named. */
function writtenText(r: ActionResult, max: number): string {
  // Written and read back: resolved, or written but still not in sync (cause `unresolved`).
  const written = r.agents.filter((a) => a.writes.length > 0 && (a.cause === 'verified' || (a.status === 'unresolved' && a.cause === 'unresolved')));
  if (written.length === 0) return '';
  const values = written.reduce((n, a) => n + a.writes.length, 0);
  const one = (a: ActionResult['agents'][number]) => `${sanitizeText(a.agent)} ${a.writes.map((w) => `${sanitizeText(w.field)} ${sanitizeValue(w.before, 16)} → ${sanitizeValue(w.after, 16)}`).join(', ')}`;
  const more = written.length > max ? `; +${written.length - max} more (sync-tui log lists them)` : '';
  return `wrote ${values} value${values === 1 ? '' : 's'} for ${written.length} agent${written.length === 1 ? '' : 's'}: ${written.slice(0, max).map(one).join('; ')}${more}`;
}

/**
 * One status line for an action's result, and how it should look: what was written (which
 * agents, which fields), and why anything approved was not. `again` is the key that plans
 * afresh (an agent that changed since it was shown says "press R again").
 */
export function describeResult(r: ActionResult, again = 'R'): { text: string; tone: StatusTone } {
  const counts = new Map<string, number>();
  for (const a of r.agents) counts.set(a.status, (counts.get(a.status) ?? 0) + 1);
  const tone: StatusTone = counts.has('failed')
    ? 'error'
    : counts.has('unresolved') || counts.has('refused') || (r.action === null && r.agents.length === 0)
      ? 'warn'
      : 'ok';
  const message = sanitizeText(r.message);
  if (r.agents.length === 1) {
    const a = r.agents[0]!;
    const writes = a.writes.map((w) => `${sanitizeText(w.field)} ${sanitizeValue(w.before, 24)} → ${sanitizeValue(w.after, 24)}`).join(', ');
    // Not written because it changed since it was shown: that is the whole story.
    if (a.cause === 'changed-since-planned' && a.reason) return { text: `${sanitizeText(a.reason)}, press ${again} again`, tone };
    const parts = [`${sanitizeText(a.agent)}: ${a.status}`];
    if (writes && a.status !== 'unresolved') parts.push(writes);
    if (a.reason) parts.push(sanitizeText(a.reason) + (a.cause === 'changed-since-planned' ? `, press ${again} again` : ''));
    if (a.decided) parts.push(`decision kept on ${a.decided.map(sanitizeText).join(', ')} until a source changes`);
    if (r.action) parts.push(`action ${sanitizeText(r.action)}`);
    else parts.push(message);
    return { text: parts.join(' · '), tone };
  }
  if (r.agents.length === 0) return { text: message, tone };
  if (r.kind === 'undo') {
    // An undo's message counts changes already; a count of agents after it would mix units.
    const firstProblem = r.agents.find((a) => a.status === 'failed' || a.status === 'unresolved' || a.status === 'refused');
    return { text: firstProblem ? `${message} · ${sanitizeText(firstProblem.agent)}: ${sanitizeText(firstProblem.reason ?? firstProblem.status)}` : message, tone };
  }
  // Several agents: what was written first (which agents, which fields), then what was
  // not and why, then the action id for `u` / `log`.
  const parts: string[] = [];
  const wrote = writtenText(r, 3);
  if (wrote) parts.push(wrote);
  const changed = r.agents.filter((a) => a.cause === 'changed-since-planned' || a.cause === 'gone-since-planned');
  if (changed.length > 0) parts.push(`${sanitizeText(changed[0]!.reason ?? changed[0]!.agent)}${changed.length > 1 ? ` (+${changed.length - 1} more changed since)` : ''}, press ${again} again`);
  const problems = r.agents.filter((a) => !changed.includes(a) && (a.status === 'failed' || a.status === 'unresolved' || a.status === 'refused'));
  if (problems.length > 0) parts.push(`${problems.length} ${problems[0]!.status}: ${sanitizeText(problems[0]!.agent)}: ${sanitizeText(problems[0]!.reason ?? problems[0]!.status)}${problems.length > 1 ? ', …' : ''}`);
  if (!wrote) parts.unshift(message);
  else if (r.action) parts.push(`action ${sanitizeText(r.action)}`);
  if (parts.length === 1 && parts[0] === message) parts.push([...counts].map(([st, n]) => `${n} ${st}`).join(', '));
  return { text: parts.join(' · '), tone };
}

class Boundary extends React.Component<{ children: React.ReactNode; width: number }, { error: string | null }> {
  override state = { error: null as string | null };
  static getDerivedStateFromError(e: unknown) {
    return { error: errorText(e) };
  }
  override render() {
    if (this.state.error !== null) return <Text color="red">{`✖ display error: ${this.state.error}`.slice(0, this.props.width)}</Text>;
    return this.props.children;
  }
}

export function App(props: AppProps): React.JSX.Element {
  const { engine, writeSnapshot } = props;
  // No registry: nothing to write to, so the keys that write are hidden (README.md "No registry").
  const readOnly = props.readOnly === true || targetSource(engine.getSnapshot().config) === undefined;
  const color = props.color !== false;
  const clock = props.clock ?? Date.now;
  const highlightMs = props.highlightMs ?? 2000;
  const { exit } = useApp();
  const { stdout } = useStdout();
  const size = useTerminalSize(props.size);
  const live = useSyncExternalStore(engine.subscribe, engine.getSnapshot);

  // State lives in a ref as well, so keys arriving faster than renders see the latest.
  // `policy.auto_resolve: true` in the config starts with auto-resolve on (never when read-only).
  const [state, setState] = useState<UiState>(() => ({ ...initialState, auto: engine.getSnapshot().config.policy.autoResolve && !readOnly }));
  const stateRef = useRef(state);
  const dispatch = useCallback((action: UiAction) => {
    const next = reduce(stateRef.current, action);
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
  }, []);

  const [frozen, setFrozen] = useState<EngineSnapshot | null>(null);
  const shown = state.paused && frozen !== null ? frozen : live;

  // Ages tick only when a shown age would change its text (see the effect below).
  const [clockNow, setClockNow] = useState(clock);
  const now = Math.max(clockNow, shown.at);

  // Changed cells: compare with the previous shown snapshot (idempotent per snapshot).
  const trackerRef = useRef<ChangeTracker | null>(null);
  trackerRef.current ??= new ChangeTracker();
  const tracker = trackerRef.current;
  const columns = useMemo(() => tuiColumns(shown.config, { changedAt: tracker.changedAt, pending: shown.pending }), [shown.config, shown.pending, tracker]);
  const plainColumns = useMemo(() => columnsFor(shown.config), [shown.config]);
  tracker.update(shown, shown.recon.agents, plainColumns, shown.at, clock() + highlightMs);
  const [, setLitTick] = useState(0);
  const highlights = tracker.highlights(clock());

  const rows = useMemo(
    () => visibleAgents(shown.recon.agents, { filterText: state.filterText, verdictFilter: state.verdictFilter, sort: state.sort }, tracker.changedAt),
    [shown, state.filterText, state.verdictFilter, state.sort, tracker],
  );
  const rowIds = useMemo(() => rows.map((a) => a.id), [rows]);
  const layout = useMemo(
    () => layoutColumns(columns, layoutSample(shown.recon.agents), shown.at, Math.max(10, size.columns - GUTTER)),
    [columns, shown.recon.agents, shown.at, size.columns],
  );

  // Rows of the terminal, shared out.
  const detailOpen = state.base === 'detail';
  const layoutText = useMemo(() => layoutLines(shown.config), [shown.config]);
  const budget = frameBudget(size.rows, detailOpen, layoutText.length);
  const area = budget.table + budget.detail;
  const confirming = state.confirm !== null;
  const byId = useMemo(() => (confirming ? new Map(live.recon.agents.map((a) => [a.id, a])) : new Map<string, AgentState>()), [live, confirming]);
  const confirmHeight = state.confirm ? Math.max(0, Math.min(area - 2, state.confirm.agents.length + 3)) : 0;
  const confirmLinesShown = state.confirm ? confirmRoom(confirmHeight, state.confirm.agents.length) : 0;
  const tableLines = state.confirm ? area - confirmHeight : budget.table;
  // The window keeps its size under the help overlay, so closing it finds the rows as they were.
  const tableHeight = state.mode === 'help' ? 0 : tableLines;
  const bodyHeight = Math.max(1, tableLines - 1);

  const sel = resolveSelection(rowIds, state);
  const win = windowFor(rowIds.length, sel.index, bodyHeight, state.scrollTop);
  const selected = sel.index >= 0 ? rows[sel.index]! : null;

  const detailScroll = selected !== null && state.detailScroll.id === selected.id ? state.detailScroll.offset : 0;
  const detailProps: DetailPaneProps = { agent: selected, config: shown.config, pending: selected !== null && shown.pending.has(selected.id), readOnly, height: budget.detail, width: size.columns, now, color, scroll: detailScroll };

  // Latest derived values for the input handler.
  const viewRef = useRef({ rowIds, bodyHeight, selected, live, shown, rows, columns, now, detailProps, confirmLinesShown });
  viewRef.current = { rowIds, bodyHeight, selected, live, shown, rows, columns, now, detailProps, confirmLinesShown };

  useEffect(() => {
    dispatch({ type: 'sync', rows: rowIds, height: bodyHeight });
  }, [rowIds, bodyHeight, dispatch]);

  // ---------------------------------------------------------------------------------
  // Status line and actions

  const tokenRef = useRef(0);
  const say = useCallback((text: string, tone: StatusTone = 'info') => dispatch({ type: 'status', status: { text, tone, token: tokenRef.current } }), [dispatch]);

  const runAction = useCallback(
    (label: string, act: () => Promise<ActionResult>, again = 'R'): Promise<void> => {
      const token = ++tokenRef.current;
      dispatch({ type: 'status', status: { text: `${label} …`, tone: 'busy', token, startedAtSeq: engine.getSnapshot().seq } });
      return act().then(
        (r) => {
          const d = describeResult(r, again);
          const status: StatusEntry = { text: d.text, tone: d.tone, token, startedAtSeq: r.startedAtSeq };
          dispatch({ type: 'status', status });
        },
        (e: unknown) => dispatch({ type: 'status', status: { text: `${label} failed: ${errorText(e)}`, tone: 'error', token } }),
      );
    },
    [dispatch, engine],
  );

  // ---------------------------------------------------------------------------------
  // Effects: ages, highlights, bell, auto-resolve

  useEffect(() => {
    const ages: number[] = [];
    for (const h of shown.health) if (h.lastReadAt !== null) ages.push(now - h.lastReadAt);
    for (let i = win.start; i < win.end; i++) {
      const a = rows[i]!;
      if (a.lastSeen !== null) ages.push(now - a.lastSeen);
      const c = tracker.changedAt.get(a.id);
      if (c !== undefined) ages.push(now - c);
    }
    if (ages.length === 0) return;
    const delay = Math.min(...ages.map(nextAgeTick));
    const t = setTimeout(() => setClockNow(clock()), Math.min(2 ** 31 - 1, delay + 5));
    return () => clearTimeout(t);
  }, [now, shown, rows, win.start, win.end, tracker, clock]);

  const litUntil = tracker.nextExpiry();
  useEffect(() => {
    if (litUntil === null) return;
    const t = setTimeout(() => setLitTick((n) => n + 1), Math.max(1, litUntil - clock() + 5));
    return () => clearTimeout(t);
  }, [litUntil, clock]);

  const prevLiveRef = useRef<EngineSnapshot | null>(null);
  const { quiet, bell } = props;
  useEffect(() => {
    const prev = prevLiveRef.current;
    prevLiveRef.current = live;
    if (prev === null || prev === live || quiet) return;
    if (newlyDrifted(prev.recon.agents, live.recon.agents).length > 0) {
      if (bell) bell();
      else stdout.write('\x07');
    }
  }, [live, quiet, bell, stdout]);

  const autoRef = useRef({ inFlight: false, tried: new Map<string, string>() });
  const [autoTick, setAutoTick] = useState(0);
  useEffect(() => {
    if (!state.auto || readOnly || autoRef.current.inFlight) return;
    // In batches: one engine call blocks while it plans and writes, and keys should get
    // through between calls when hundreds of agents drift at once.
    const candidates = autoResolveCandidates(live.recon.agents, live.pending, autoRef.current.tried).slice(0, AUTO_BATCH);
    if (candidates.length === 0) return;
    for (const a of candidates) autoRef.current.tried.set(a.id, agentSignature(a));
    autoRef.current.inFlight = true;
    const ids = candidates.map((a) => a.id);
    const label = `auto: resolving ${ids.length === 1 ? ids[0] : `${ids.length} drifted agents`}`;
    void runAction(label, () => engine.resolve(ids)).finally(() => {
      autoRef.current.inFlight = false;
      setAutoTick((n) => n + 1);
    });
  }, [live, state.auto, readOnly, autoTick, engine, runAction]);

  // ---------------------------------------------------------------------------------
  // Keys

  const onKey = (input: string, key: KeyEvent): void => {
    const st = stateRef.current;
    const v = viewRef.current;
    const command = matchKey(input, key, st.mode);
    if (command === null) return;
    if (readOnly && isWriteCommand(command)) {
      say('read-only: writes are disabled', 'warn');
      return;
    }
    const view = { rows: v.rowIds, height: v.bodyHeight };
    const id = resolveSelection(v.rowIds, st).id;
    if (st.mode === 'confirm') {
      // Moving keys scroll the dialog's list; the table stays where it was.
      const room = v.confirmLinesShown;
      const scroll: Partial<Record<Command, number | 'top' | 'bottom'>> = { up: -1, down: 1, 'page-up': -Math.max(1, room - 1), 'page-down': Math.max(1, room - 1), top: 'top', bottom: 'bottom' };
      const delta = scroll[command];
      if (delta !== undefined) return dispatch({ type: 'confirm-scroll', delta, room });
    }
    switch (command as Command) {
      case 'up':
        return dispatch({ type: 'move', delta: -1, ...view });
      case 'down':
        return dispatch({ type: 'move', delta: 1, ...view });
      case 'page-up':
        return dispatch({ type: 'page', direction: -1, ...view });
      case 'page-down':
        return dispatch({ type: 'page', direction: 1, ...view });
      case 'top':
        return dispatch({ type: 'jump', to: 'top', ...view });
      case 'bottom':
        return dispatch({ type: 'jump', to: 'bottom', ...view });
      case 'detail':
        return dispatch({ type: 'toggle-detail' });
      case 'back':
        if (st.base === 'detail') return dispatch({ type: 'close-detail' });
        if (st.filterText !== '') {
          dispatch({ type: 'filter-clear' });
          return say('filter cleared');
        }
        if (st.marks.size > 0) {
          dispatch({ type: 'clear-marks' });
          return say('marks cleared');
        }
        return;
      case 'resolve':
        if (id === null) return say('no agent selected', 'warn');
        {
          // Exactly what the screen shows for it now (paused or not), guarded at write time.
          const expect = freezePlan([id], v.shown.recon.agents);
          void runAction(`resolving ${id}`, () => engine.resolve([id], { expect }), 'r');
        }
        return;
      case 'mark':
        if (id === null) return;
        dispatch({ type: 'toggle-mark', id });
        return dispatch({ type: 'move', delta: 1, ...view });
      case 'resolve-many': {
        // The plan is frozen from what the screen shows (the header's counts are of the same
        // snapshot); `y` writes exactly it, guarded (src/core/frozen-plan.ts).
        const agents = v.shown.recon.agents;
        const marked = agents.filter((a) => st.marks.has(a.id)).map((a) => a.id);
        const ids = marked.length > 0 ? marked : agents.filter((a) => a.verdict === 'drift').map((a) => a.id);
        if (ids.length === 0) return say(st.marks.size > 0 ? 'the marked agents are gone' : 'nothing to resolve: no agent has drifted', 'warn');
        return dispatch({ type: 'confirm-open', confirm: { agents: ids, from: marked.length > 0 ? 'marks' : 'drift', plan: freezePlan(ids, agents), scroll: 0 } });
      }
      case 'undo':
        void runAction('undoing the last resolve', () => engine.undo());
        return;
      case 'pick-source': {
        const agent = v.selected;
        if (!agent) return;
        if (agent.verdict !== 'conflict') return say(`${sanitizeText(agent.id)} is not in conflict; 1-9 pick the winner of a conflict`, 'warn');
        // The same choices, numbered the same way, as the detail pane previews.
        const choices = offeredChoices(agent, v.shown.config, v.now);
        const choice = choices[Number(input) - 1];
        if (!choice) return say(choices.length === 0 ? `no source can settle ${sanitizeText(agent.id)}: see the detail pane` : `no choice ${input}: ${choices.map((c, i) => `${i + 1} ${sanitizeText(c.source)}`).join(', ')}`, 'warn');
        const expect = freezePlan([agent.id], [choice.after]);
        void runAction(`resolving ${agent.id} with ${choice.source} as the winner`, () => engine.resolve([agent.id], { prefer: choice.source, expect }), input);
        return;
      }
      case 'detail-scroll-down':
      case 'detail-scroll-up': {
        if (!v.selected) return;
        const { maxScroll } = detailView(v.detailProps);
        return dispatch({ type: 'detail-scroll', id: v.selected.id, delta: command === 'detail-scroll-down' ? 1 : -1, max: maxScroll });
      }
      case 'filter':
        return dispatch({ type: 'filter-start' });
      case 'verdict-filter': {
        const next = reduce(st, { type: 'cycle-verdict-filter' });
        dispatch({ type: 'cycle-verdict-filter' });
        return say(`showing ${FILTER_WORDS[next.verdictFilter]}`);
      }
      case 'sort': {
        const next = reduce(st, { type: 'cycle-sort' });
        dispatch({ type: 'cycle-sort' });
        return say(`sorted by ${SORT_LABEL[next.sort]}`);
      }
      case 'pause':
        if (st.paused) {
          setFrozen(null);
          dispatch({ type: 'set-paused', paused: false });
          return say('resumed: showing the latest');
        }
        setFrozen(v.live);
        dispatch({ type: 'set-paused', paused: true });
        return say('paused: the table is frozen; the engine keeps watching');
      case 'auto':
        dispatch({ type: 'set-auto', auto: !st.auto });
        if (!st.auto) autoRef.current.tried.clear();
        return say(st.auto ? 'auto-resolve off' : 'auto-resolve on: drifted agents are resolved as they appear; conflicts are left to you', st.auto ? 'info' : 'ok');
      case 'snapshot':
        dispatch({ type: 'snapshot-choose' });
        return say('snapshot as: t text, s svg, m markdown, j json (esc: none)');
      case 'snapshot-cancel':
        dispatch({ type: 'snapshot-chosen' });
        return say('no snapshot written');
      case 'snapshot-text':
      case 'snapshot-svg':
      case 'snapshot-md':
      case 'snapshot-json': {
        dispatch({ type: 'snapshot-chosen' });
        const format = SNAPSHOT_COMMANDS[command]!;
        const text = renderTuiSnapshot(format, v.shown, v.rows, v.columns, v.now, st);
        say(`writing a ${format} snapshot …`, 'busy');
        writeSnapshot(text, format).then(
          (where) => say(`snapshot (${format}) written to ${sanitizeText(where)}`, 'ok'),
          (e: unknown) => say(`snapshot not written: ${errorText(e)}`, 'error'),
        );
        return;
      }
      case 'help':
        return dispatch({ type: 'help-open' });
      case 'help-close':
        return dispatch({ type: 'help-close' });
      case 'quit':
      case 'force-quit':
        exit();
        return;
      case 'filter-accept':
        return dispatch({ type: 'filter-accept' });
      case 'filter-cancel':
        return dispatch({ type: 'filter-cancel' });
      case 'filter-backspace':
        return dispatch({ type: 'filter-backspace' });
      case 'filter-type':
        return dispatch({ type: 'filter-type', text: input });
      case 'confirm-yes': {
        const c = st.confirm;
        dispatch({ type: 'confirm-close' });
        if (!c) return;
        if (c.from === 'marks') dispatch({ type: 'clear-marks' });
        const expect = c.plan ?? freezePlan(c.agents, v.live.recon.agents);
        void runAction(`resolving ${c.agents.length} agent${c.agents.length === 1 ? '' : 's'}`, () => engine.resolve(c.agents, { expect }));
        return;
      }
      case 'confirm-no':
        dispatch({ type: 'confirm-close' });
        return say('cancelled: nothing written');
    }
  };
  const onKeyRef = useRef(onKey);
  onKeyRef.current = onKey;
  useInput(
    useCallback((input: string, key: KeyEvent) => {
      for (const [i, k] of splitInput(input, key)) onKeyRef.current(i, k);
    }, []),
  );

  // ---------------------------------------------------------------------------------
  // The frame

  const waiting = useMemo(() => {
    if (!state.paused || frozen === null) return null;
    return { updates: Math.max(0, live.seq - frozen.seq), agents: live === frozen ? 0 : changedAgents(frozen.recon.agents, live.recon.agents).length };
  }, [state.paused, frozen, live]);

  const width = size.columns;
  const target = targetSource(shown.config);
  const hide: Command[] = selected?.verdict === 'conflict' ? [] : ['pick-source'];
  if (!detailOpen || detailView(detailProps).maxScroll === 0) hide.push('detail-scroll-down');
  const emptyText = shown.recon.agents.length === 0 ? 'no agents found in any source' : 'no agent matches the filter (esc clears it)';

  return (
    <Box flexDirection="column" width={width}>
      <Header
        snapshot={shown}
        width={width}
        lines={budget.header}
        layout={layoutText}
        color={color}
        now={now}
        paused={state.paused}
        auto={state.auto}
        readOnly={readOnly}
        view={{ shown: rows.length, position: sel.index + 1, filterText: state.filterText, verdictFilter: state.verdictFilter, sort: state.sort, marks: state.marks.size }}
      />
      <Boundary width={width}>
        {state.mode === 'help' ? (
          <HelpOverlay readOnly={readOnly} height={area} width={width} color={color} />
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
              color={color}
              emptyText={emptyText}
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
                color={color}
              />
            ) : detailOpen && budget.detail > 0 ? (
              <DetailPane {...detailProps} />
            ) : null}
          </>
        )}
      </Boundary>
      {budget.status > 0 ? (
        <StatusLine width={width} color={color} status={state.status} error={live.error} filterInput={state.mode === 'filter-input' ? state.filterText : null} waiting={waiting} />
      ) : null}
      {budget.hints > 0 ? <KeyHints mode={state.mode} readOnly={readOnly} width={width} color={color} hide={hide} /> : null}
    </Box>
  );
}

