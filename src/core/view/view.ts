// The status table as data: columns, cells and layout maths shared by `check`, snapshots
// and the TUI, so every surface shows the same rows, symbols and words.
import { formatDuration } from '../time.js';
import { displayWidth, padEnd, sanitizeText, showRaw, truncate } from '../sanitize.js';
import type {
  AgentState,
  CanonicalValue,
  Config,
  Diagnostic,
  FieldObservation,
  Reconciliation,
  Verdict,
} from '../types.js';

export const VERDICT_SYMBOL: Record<Verdict, string> = {
  invalid: '✖',
  missing: '∅',
  conflict: '⚠',
  drift: '≠',
  stale: '◷',
  'in-sync': '✔',
};

/** Colour names (Ink/chalk names) per verdict; monochrome output relies on symbol + word. */
export const VERDICT_COLOR: Record<Verdict, string> = {
  invalid: 'magenta',
  missing: 'yellow',
  conflict: 'red',
  drift: 'yellow',
  stale: 'blue',
  'in-sync': 'green',
};

export type CellTone = 'normal' | 'differs' | 'unknown' | 'dim';

export type ColorName = 'red' | 'yellow' | 'green' | 'blue' | 'magenta' | 'cyan' | 'gray';

export interface Style {
  color?: ColorName;
  bold?: boolean;
  dim?: boolean;
}

export interface Cell {
  text: string;
  tone: CellTone;
}

export interface Column {
  id: string;
  title: string;
  /** Lower drops first when the terminal is narrow. */
  priority: number;
  min: number;
  max: number;
  /** Whether this column takes all the width its text needs, and gives it up first (the reason column). */
  flex?: boolean;
  /** Cut long texts in the middle, keeping both ends (ids that differ only at the end). */
  cutMiddle?: boolean;
  /** The text moves with the clock (ages): never cached, never counted as a change. */
  clock?: boolean;
  /** Columns that are shown or dropped together at narrow widths (a field's own and target columns). */
  group?: string;
  cell(agent: AgentState, now: number): Cell;
}

/** A cell with its display width, measured once. */
export interface MeasuredCell extends Cell {
  width: number;
}

// Agent states are immutable and the engine keeps the same object while an agent is
// unchanged, so a cell of a clock-free column is worked out once per (column, state): a
// snapshot that changes one agent of 10,000 costs one agent's cells, not the table's.
const cellCache = new WeakMap<Column, WeakMap<AgentState, MeasuredCell>>();

/** `column.cell(agent, now)` with its width; cached per column object and agent state. */
export function cellOf(column: Column, agent: AgentState, now: number): MeasuredCell {
  if (column.clock) {
    const c = column.cell(agent, now);
    return { ...c, width: displayWidth(c.text) };
  }
  let byAgent = cellCache.get(column);
  if (!byAgent) cellCache.set(column, (byAgent = new WeakMap()));
  let m = byAgent.get(agent);
  if (!m) {
    const c = column.cell(agent, now);
    m = { text: c.text, tone: c.tone, width: displayWidth(c.text) };
    byAgent.set(agent, m);
  }
  return m;
}

function fieldCell(
  f: FieldObservation | undefined,
  present: boolean,
  readable: boolean,
  differs: boolean,
): Cell {
  if (!readable) return { text: '✖ unreadable', tone: 'unknown' };
  if (!present) return { text: '—', tone: 'dim' };
  if (!f || f.raw === null) return { text: '·', tone: 'dim' };
  if (f.unknown) return { text: `?${showRaw(f.raw)}`, tone: 'unknown' };
  return { text: valueText(f.value), tone: differs ? 'differs' : 'normal' };
}

export function valueText(v: CanonicalValue | null): string {
  if (v === null) return '·';
  return typeof v === 'boolean' ? String(v) : sanitizeText(v);
}

/** Columns for a config: agent, each field per source holding it, last seen, verdict, why. */
export function columnsFor(config: Config): Column[] {
  const cols: Column[] = [
    // An id holding invisible or control characters is shown quoted with them escaped, so
    // that `Agent-1` and `Agent-1\u200b` cannot pass for the same agent.
    {
      id: 'agent',
      title: 'AGENT',
      priority: 100,
      min: 8,
      max: 28,
      cutMiddle: true,
      cell: (a) => ({ text: showRaw(a.id, 200), tone: 'normal' }),
    },
  ];
  config.fields.forEach((field, fi) => {
    config.sources.forEach((source, si) => {
      if (!source.fields[field.name]) return;
      const isTarget = source.name === config.policy.target;
      cols.push({
        id: `${field.name}:${source.name}`,
        title: `${field.name.toUpperCase()} ${source.name}`,
        // Narrow terminals drop, first: the reason, event-log columns, last seen, then each
        // field's own and target columns together (the last field first), so that a value is
        // never shown without the one it is compared with.
        priority: (isTarget ? 80 : source.kind === 'event-log' ? 40 : 60) - fi - si / 100,
        ...(isTarget || source.kind === 'status-files' ? { group: `field:${field.name}` } : {}),
        min: 6,
        max: 22,
        cell: (a) => {
          const o = a.observations[source.name];
          const differs =
            isTarget && a.differences.some((d) => d.field === field.name && d.source === source.name);
          return fieldCell(o?.fields[field.name], o?.present ?? false, o?.readable ?? true, differs);
        },
      });
    });
  });
  cols.push(
    {
      id: 'seen',
      title: 'LAST SEEN',
      priority: 50,
      min: 5,
      max: 9,
      clock: true,
      cell: (a, now) => ({ text: a.lastSeen === null ? '—' : formatDuration(now - a.lastSeen), tone: 'dim' }),
    },
    {
      id: 'verdict',
      title: 'VERDICT',
      priority: 95,
      min: 10,
      max: 10,
      cell: (a) => ({ text: `${VERDICT_SYMBOL[a.verdict]} ${a.verdict}`, tone: 'normal' }),
    },
    {
      id: 'why',
      title: 'WHY',
      priority: 10,
      min: 10,
      max: Infinity,
      flex: true,
      cell: (a) => ({ text: sanitizeText(a.reasons[0] ?? ''), tone: 'dim' }),
    },
  );
  return cols;
}

export interface LaidOutColumn {
  column: Column;
  width: number;
}

/**
 * Fit columns into `width`: natural widths from the rows given (bounded by min/max; the
 * flex column, the reason, takes all its longest text needs), then shrink the flex column
 * and drop the lowest-priority columns until the rest fit. A `width` of Infinity (output
 * that is not a terminal, a snapshot file) lifts every max: nothing is cut.
 */
export function layoutColumns(
  columns: readonly Column[],
  agents: readonly AgentState[],
  now: number,
  width: number,
  gap = 2,
): LaidOutColumn[] {
  return fitColumns(columns, measureColumns(columns, agents, now, width), width, gap);
}

/** Each column's natural width over `agents` (capped by its maximum on a bounded width). */
export function measureColumns(
  columns: readonly Column[],
  agents: readonly AgentState[],
  now: number,
  width: number,
): Map<string, number> {
  const unbounded = width === Infinity;
  const natural = new Map<string, number>();
  for (const c of columns) {
    // Ages take their widest form from the start, so columns do not shift as time passes.
    if (c.clock) {
      natural.set(c.id, Math.max(c.min, c.max, displayWidth(c.title)));
      continue;
    }
    let w = displayWidth(c.title);
    for (const a of agents) w = Math.max(w, cellOf(c, a, now).width);
    natural.set(c.id, Math.max(c.min, unbounded || c.flex ? w : Math.min(c.max, w)));
  }
  return natural;
}

/**
 * Widths that only grow while the view stays the same (`key`: the terminal width, the
 * filter, the columns): rows scrolling into sight or a value that shortens do not make the
 * table jump between frames (README.md "Keys and screen"). A new key starts afresh.
 */
export interface WidthMemo {
  key: string;
  widths: ReadonlyMap<string, number>;
}

export function grownWidths(
  memo: WidthMemo | null,
  key: string,
  measured: ReadonlyMap<string, number>,
): WidthMemo {
  if (memo === null || memo.key !== key) return { key, widths: measured };
  const widths = new Map(measured);
  for (const [id, w] of memo.widths) if ((widths.get(id) ?? -1) < w && widths.has(id)) widths.set(id, w);
  return { key, widths };
}

/**
 * Fit columns of the given natural widths into `width`: the flex column shrinks first, then
 * the lowest priority goes; columns of one `group` (a field's own and target columns) go
 * together, so that a value is never shown without what it is compared with.
 */
export function fitColumns(
  columns: readonly Column[],
  natural: ReadonlyMap<string, number>,
  width: number,
  gap = 2,
): LaidOutColumn[] {
  let kept = columns.map((c) => ({ column: c, width: natural.get(c.id) ?? c.min }));
  const total = () => kept.reduce((s, k) => s + k.width, 0) + gap * Math.max(0, kept.length - 1);
  while (total() > width && kept.length > 1) {
    // Shrink the flex column to its minimum before dropping anything.
    const flex = kept.find((k) => k.column.flex && k.width > k.column.min);
    if (flex) {
      flex.width = Math.max(flex.column.min, flex.width - (total() - width));
      continue;
    }
    const lowest = kept.reduce((lo, k) => (k.column.priority < lo.column.priority ? k : lo));
    const group = lowest.column.group;
    const next = kept.filter((k) => k !== lowest && (group === undefined || k.column.group !== group));
    // Never drop the last column (the agent id).
    if (next.length === 0) break;
    kept = next;
  }
  if (total() > width && kept[0]) kept[0].width = Math.max(1, kept[0].width - (total() - width));
  return kept;
}

/** How much of the fleet a partial load has read (the live view's start, src/shell/loader.ts). */
export function loadingText(loading: { read: number; total: number }): string {
  return loading.total === 0 ? 'reading…' : `reading… ${loading.read} of ${loading.total} status files`;
}

/** One line of text per row (no colour), cells padded to their column widths. */
export function renderTextTable(
  agents: readonly AgentState[],
  layout: readonly LaidOutColumn[],
  now: number,
  gap = 2,
): string[] {
  const sep = ' '.repeat(gap);
  const header = layout
    .map((l) => padEnd(l.column.title, l.width))
    .join(sep)
    .trimEnd();
  const lines = [header];
  for (const a of agents)
    lines.push(
      layout
        .map((l) => padEnd(fitCell(l.column, cellOf(l.column, a, now).text, l.width), l.width))
        .join(sep)
        .trimEnd(),
    );
  return lines;
}

/** A cell's text cut to its column width, the way that column cuts. */
export function fitCell(column: Column, text: string, width: number): string {
  return column.cutMiddle ? truncateMiddle(text, width) : truncate(text, width);
}

/** Keep the start and the end of a long text: `AutoDream.Os…Agent-2`. */
export function truncateMiddle(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  if (width <= 2) return truncate(s, width);
  const tailWidth = Math.floor((width - 1) / 2);
  const chars = [...s];
  let tail = '';
  for (let i = chars.length - 1; i >= 0; i--) {
    if (displayWidth(chars[i]! + tail) > tailWidth) break;
    tail = chars[i]! + tail;
  }
  const head = truncate(s, width - displayWidth(tail));
  return head.endsWith('…') ? head + tail : truncate(s, width);
}

/** How a cell is drawn, the same in the TUI and every snapshot format. */
export function cellStyle(columnId: string, cell: Cell, agent: AgentState): Style {
  if (columnId === 'verdict')
    return { color: VERDICT_COLOR[agent.verdict] as ColorName, bold: agent.verdict !== 'in-sync' };
  if (columnId === 'agent') return { bold: true };
  switch (cell.tone) {
    case 'differs':
      return { color: 'yellow', bold: true };
    case 'unknown':
      return { color: 'magenta' };
    case 'dim':
      return { dim: true };
    default:
      return {};
  }
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = [d.file, d.line, d.column].filter((x) => x !== undefined).join(':');
  return sanitizeText(where ? `${where}: ${d.message}` : d.message);
}

/**
 * The summary line: counts per verdict, worst first, zero counts left out; symbols and
 * numbers only when the words do not fit in `width`.
 */
export function summaryText(summary: Reconciliation['summary'], width = Infinity): string {
  const shown = (['invalid', 'missing', 'conflict', 'drift', 'stale', 'in-sync'] as Verdict[]).filter(
    (v) => summary[v] > 0,
  );
  const agents = `${summary.agents} agent${summary.agents === 1 ? '' : 's'}`;
  const long = shown.length
    ? `${agents}: ${shown.map((v) => `${VERDICT_SYMBOL[v]} ${summary[v]} ${v}`).join('  ')}`
    : agents;
  if (displayWidth(long) <= width) return long;
  return truncate(`${agents} ${shown.map((v) => `${VERDICT_SYMBOL[v]}${summary[v]}`).join(' ')}`, width);
}
