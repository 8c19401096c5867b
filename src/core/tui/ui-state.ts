// The TUI's own state as a pure reducer, plus the selectors and layout maths the screen is
// drawn from. No Ink, no clock, no engine: the App feeds snapshots and key commands in and
// renders what comes out, so every rule here ("selection follows the agent", "an older
// result never overwrites a newer status") is tested without a terminal.
import type { Mode } from './keys.js';
import type { FrozenPlan } from '../plan/frozen-plan.js';
import type { ColumnSort } from '../view/table-sort.js';
import type { SortMode, VerdictFilter } from './visible-agents.js';

import { SORT_MODES, VERDICT_FILTERS } from './visible-agents.js';

export {
  SORT_LABEL,
  SORT_MODES,
  visibleAgents,
  type SortMode,
  type VerdictFilter,
} from './visible-agents.js';
export { frameBudget, nextAgeTick } from './frame.js';
export { agentSignature, autoResolveCandidates, changedAgents, newlyDrifted } from './agent-changes.js';

export type StatusTone = 'info' | 'busy' | 'ok' | 'warn' | 'error';

/** The status line's message and where it came from, so late results can be told apart. */
export interface StatusEntry {
  text: string;
  tone: StatusTone;
  /** Order in which the UI issued messages and actions; a higher token is newer. */
  token: number;
  /** For action results: the engine snapshot seq the action started from. */
  startedAtSeq?: number;
}

export interface ConfirmState {
  /** Agents the write would touch, fixed when the dialog opened. */
  agents: string[];
  /** Whether the list came from the marks (cleared once confirmed). */
  from: 'marks' | 'drift';
  /** The writes shown, frozen when the dialog opened: `y` writes exactly these, guarded
   *  (src/core/plan/frozen-plan.ts). */
  plan?: FrozenPlan;
  /** First plan line shown (the list scrolls inside the dialog). */
  scroll?: number;
}

export interface UiState {
  mode: Mode;
  /** Where overlays (filter input, confirm, help) return to. */
  base: 'normal' | 'detail';
  selectedId: string | null;
  /** Last known row of the selection: its neighbour is selected if the agent disappears. */
  selectedIndex: number;
  scrollTop: number;
  marks: ReadonlySet<string>;
  filterText: string;
  /** The `:` command line being typed (src/core/tui/command-line.ts). */
  commandText: string;
  verdictFilter: VerdictFilter;
  sort: SortMode;
  /** Sort by a table column (`<` `>` choose it, `I` reverses); overrides `sort` when set. */
  columnSort: ColumnSort | null;
  paused: boolean;
  auto: boolean;
  confirm: ConfirmState | null;
  status: StatusEntry | null;
  /** Lines the detail pane is scrolled by, for the agent it was scrolled on (another agent starts at the top). */
  detailScroll: { id: string | null; offset: number };
}

export const initialState: UiState = {
  mode: 'normal',
  base: 'normal',
  selectedId: null,
  selectedIndex: 0,
  scrollTop: 0,
  marks: new Set(),
  filterText: '',
  commandText: '',
  verdictFilter: 'all',
  sort: 'id',
  columnSort: null,
  paused: false,
  auto: false,
  confirm: null,
  status: null,
  detailScroll: { id: null, offset: 0 },
};

/** Visible rows (agent ids in display order) and the table body height, for moves. */
export interface View {
  rows: readonly string[];
  height: number;
}

export type UiAction =
  | ({ type: 'move'; delta: number } & View)
  | ({ type: 'page'; direction: 1 | -1 } & View)
  | ({ type: 'jump'; to: 'top' | 'bottom' } & View)
  | ({ type: 'select'; id: string } & View)
  /** The rows or the height changed: keep the selection on its agent, the window around it. */
  | ({ type: 'sync' } & View)
  | { type: 'toggle-mark'; id: string }
  | { type: 'clear-marks' }
  /** Marks every id given (the rows shown). */
  | { type: 'mark-all'; ids: readonly string[] }
  /** Among the ids given, marks the unmarked and unmarks the marked. */
  | { type: 'invert-marks'; ids: readonly string[] }
  | { type: 'set-column-sort'; sort: ColumnSort | null }
  | { type: 'command-start' }
  | { type: 'journal-open' }
  | { type: 'journal-close' }
  | { type: 'vocab-open' }
  | { type: 'vocab-close' }
  | { type: 'command-set'; text: string }
  | { type: 'command-close' }
  | { type: 'filter-set'; text: string }
  | { type: 'toggle-detail' }
  | { type: 'close-detail' }
  | { type: 'filter-start' }
  | { type: 'filter-type'; text: string }
  | { type: 'filter-backspace' }
  | { type: 'filter-accept' }
  | { type: 'filter-cancel' }
  | { type: 'filter-clear' }
  | { type: 'cycle-verdict-filter' }
  | { type: 'cycle-sort' }
  | { type: 'set-paused'; paused: boolean }
  | { type: 'set-auto'; auto: boolean }
  | { type: 'help-open' }
  /** Scroll the detail pane of agent `id` by `delta` lines, within 0..max. */
  | { type: 'detail-scroll'; id: string; delta: number; max: number }
  /** The snapshot key asks for a format; any choice (or esc) comes back to where it was. */
  | { type: 'snapshot-choose' }
  | { type: 'snapshot-chosen' }
  /** The copy key asks what to copy (src/core/tui/copy.ts); any choice (or esc) comes back. */
  | { type: 'copy-choose' }
  | { type: 'copy-chosen' }
  | { type: 'help-close' }
  | { type: 'confirm-open'; confirm: ConfirmState }
  | { type: 'confirm-close' }
  /** Scroll the dialog's list: by `delta` lines, or to an end; `room` lines are shown. */
  | { type: 'confirm-scroll'; delta: number | 'top' | 'bottom'; room: number }
  | { type: 'status'; status: StatusEntry };

// ---------------------------------------------------------------------------------------
// Selection and the visible window

export interface Selection {
  index: number;
  id: string | null;
}

/** Where the selection is in `rows`: its agent if still there, else the row at its last index. */
export function resolveSelection(
  rows: readonly string[],
  state: Pick<UiState, 'selectedId' | 'selectedIndex'>,
): Selection {
  if (rows.length === 0) return { index: -1, id: null };
  if (state.selectedId !== null) {
    const at = rows.indexOf(state.selectedId);
    if (at >= 0) return { index: at, id: state.selectedId };
  }
  const index = Math.max(0, Math.min(rows.length - 1, state.selectedIndex));
  return { index, id: rows[index]! };
}

export interface RowWindow {
  /** First visible row (inclusive) and the end (exclusive). */
  start: number;
  end: number;
  scrollTop: number;
}

/**
 * The rows to render: `height` rows starting at `scrollTop`, moved as little as possible
 * to keep `selectedIndex` in view, and never past either end.
 */
export function windowFor(
  rowsCount: number,
  selectedIndex: number,
  height: number,
  scrollTop: number,
): RowWindow {
  const h = Math.max(1, Math.floor(height));
  const count = Math.max(0, Math.floor(rowsCount));
  const maxTop = Math.max(0, count - h);
  let top = Math.max(0, Math.min(maxTop, Math.floor(scrollTop) || 0));
  if (count > 0 && selectedIndex >= 0) {
    const sel = Math.min(count - 1, selectedIndex);
    if (sel < top) top = sel;
    else if (sel >= top + h) top = sel - h + 1;
  }
  top = Math.max(0, Math.min(maxTop, top));
  return { start: top, end: Math.min(count, top + h), scrollTop: top };
}

function selectAt(state: UiState, view: View, index: number): UiState {
  const { rows, height } = view;
  if (rows.length === 0) {
    if (state.scrollTop === 0 && state.selectedIndex === 0) return state;
    return { ...state, selectedIndex: 0, scrollTop: 0 };
  }
  const i = Math.max(0, Math.min(rows.length - 1, index));
  const id = rows[i]!;
  const { scrollTop } = windowFor(rows.length, i, height, state.scrollTop);
  if (state.selectedId === id && state.selectedIndex === i && state.scrollTop === scrollTop) return state;
  return { ...state, selectedId: id, selectedIndex: i, scrollTop };
}

// ---------------------------------------------------------------------------------------
// The reducer

function cycle<T>(list: readonly T[], current: T): T {
  return list[(list.indexOf(current) + 1) % list.length]!;
}

/** Whether a new status message may replace the current one (late results may not). */
export function acceptsStatus(current: StatusEntry | null, next: StatusEntry): boolean {
  if (current === null) return true;
  if (next.token < current.token) return false;
  if (
    next.startedAtSeq !== undefined &&
    current.startedAtSeq !== undefined &&
    next.startedAtSeq < current.startedAtSeq
  )
    return false;
  return true;
}

export function reduce(state: UiState, action: UiAction): UiState {
  switch (action.type) {
    case 'move': {
      const cur = resolveSelection(action.rows, state);
      return selectAt(state, action, (cur.index < 0 ? 0 : cur.index) + action.delta);
    }
    case 'page': {
      const cur = resolveSelection(action.rows, state);
      const h = Math.max(1, action.height);
      return selectAt(state, action, (cur.index < 0 ? 0 : cur.index) + action.direction * h);
    }
    case 'jump':
      return selectAt(state, action, action.to === 'top' ? 0 : action.rows.length - 1);
    case 'select': {
      const i = action.rows.indexOf(action.id);
      return i < 0 ? state : selectAt(state, action, i);
    }
    case 'sync': {
      const cur = resolveSelection(action.rows, state);
      if (cur.index < 0) return selectAt(state, action, 0);
      return selectAt(state, action, cur.index);
    }
    case 'toggle-mark': {
      const marks = new Set(state.marks);
      if (marks.has(action.id)) marks.delete(action.id);
      else marks.add(action.id);
      return { ...state, marks };
    }
    case 'clear-marks':
      return state.marks.size === 0 ? state : { ...state, marks: new Set() };
    case 'mark-all':
      return { ...state, marks: new Set([...state.marks, ...action.ids]) };
    case 'invert-marks': {
      const marks = new Set(state.marks);
      for (const id of action.ids) if (!marks.delete(id)) marks.add(id);
      return { ...state, marks };
    }
    case 'set-column-sort':
      return { ...state, columnSort: action.sort };
    case 'journal-open':
      return { ...state, mode: 'journal' };
    case 'journal-close':
      return state.mode === 'journal' ? { ...state, mode: state.base } : state;
    case 'vocab-open':
      return { ...state, mode: 'vocab' };
    case 'vocab-close':
      return state.mode === 'vocab' ? { ...state, mode: state.base } : state;
    case 'command-start':
      return { ...state, mode: 'command-input', commandText: '' };
    case 'command-set':
      // One line of printable characters.
      return state.mode !== 'command-input'
        ? state
        : { ...state, commandText: action.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '') };
    case 'command-close':
      return { ...state, mode: state.mode === 'command-input' ? state.base : state.mode, commandText: '' };
    case 'filter-set':
      return { ...state, filterText: action.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '') };
    case 'toggle-detail': {
      const base = state.base === 'detail' ? 'normal' : 'detail';
      return { ...state, base, mode: base };
    }
    case 'close-detail':
      return state.base === 'normal'
        ? state
        : { ...state, base: 'normal', mode: state.mode === 'detail' ? 'normal' : state.mode };
    case 'filter-start':
      return { ...state, mode: 'filter-input' };
    case 'filter-type': {
      // Typed text is shown in the prompt; keep it to one line of printable characters.

      const text = action.text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
      if (state.mode !== 'filter-input' || text === '') return state;
      return { ...state, filterText: (state.filterText + text).slice(0, 200) };
    }
    case 'filter-backspace': {
      if (state.mode !== 'filter-input' || state.filterText === '') return state;
      const chars = [...state.filterText];
      chars.pop();
      return { ...state, filterText: chars.join('') };
    }
    case 'filter-accept':
      return { ...state, mode: state.base };
    case 'filter-cancel':
      return { ...state, mode: state.base, filterText: '' };
    case 'filter-clear':
      return state.filterText === '' ? state : { ...state, filterText: '' };
    case 'cycle-verdict-filter':
      return { ...state, verdictFilter: cycle(VERDICT_FILTERS, state.verdictFilter) };
    case 'cycle-sort':
      return { ...state, sort: cycle(SORT_MODES, state.sort), columnSort: null };
    case 'set-paused':
      return state.paused === action.paused ? state : { ...state, paused: action.paused };
    case 'set-auto':
      return state.auto === action.auto ? state : { ...state, auto: action.auto };
    case 'help-open':
      return { ...state, mode: 'help' };
    case 'detail-scroll': {
      const from = state.detailScroll.id === action.id ? state.detailScroll.offset : 0;
      const offset = Math.max(0, Math.min(action.max, from + action.delta));
      return offset === state.detailScroll.offset && state.detailScroll.id === action.id
        ? state
        : { ...state, detailScroll: { id: action.id, offset } };
    }
    case 'snapshot-choose':
      return { ...state, mode: 'snapshot-format' };
    case 'snapshot-chosen':
      return state.mode === 'snapshot-format' ? { ...state, mode: state.base } : state;
    case 'copy-choose':
      return { ...state, mode: 'copy-format' };
    case 'copy-chosen':
      return state.mode === 'copy-format' ? { ...state, mode: state.base } : state;
    case 'help-close':
      return { ...state, mode: state.base };
    case 'confirm-open':
      return { ...state, mode: 'confirm', confirm: action.confirm };
    case 'confirm-close':
      return { ...state, mode: state.base, confirm: null };
    case 'confirm-scroll': {
      const c = state.confirm;
      if (!c) return state;
      const scroll = confirmScroll(c.agents.length, action.room, c.scroll ?? 0, action.delta);
      return scroll === (c.scroll ?? 0) ? state : { ...state, confirm: { ...c, scroll } };
    }
    case 'status':
      return acceptsStatus(state.status, action.status) ? { ...state, status: action.status } : state;
  }
}

/** The first line of a list of `count` lines shown `room` at a time, after a scroll. */
export function confirmScroll(
  count: number,
  room: number,
  scroll: number,
  delta: number | 'top' | 'bottom',
): number {
  const max = Math.max(0, count - Math.max(1, room));
  const next = delta === 'top' ? 0 : delta === 'bottom' ? max : scroll + delta;
  return Math.max(0, Math.min(max, next));
}
