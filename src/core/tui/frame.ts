// How the terminal's rows are shared out between the screen's areas, and when a relative
// age next changes (README.md "Keys and screen"). Pure; re-exported by ui-state.ts.

export interface FrameBudget {
  header: number;
  /** Table rows including its column-title row. */
  table: number;
  detail: number;
  status: number;
  hints: number;
  /** Total lines the frame may take. */
  total: number;
}

/**
 * Lines per area for a terminal `rows` tall. The frame stays one line shorter than the
 * terminal: Ink clears the whole screen (scrollback included) on every redraw of a frame
 * that reaches the terminal's height. The detail pane takes about 40% of what is left.
 */
export function frameBudget(rows: number, detailOpen: boolean, layoutLines = 0): FrameBudget {
  const total = Math.max(1, Math.floor(rows) - 1);
  let left = total;
  const take = (want: number, keepAtLeast: number): number => {
    const n = Math.max(0, Math.min(want, left - keepAtLeast));
    left -= n;
    return n;
  };
  // The table (title + at least one row) matters most, then the status, then the rest.
  const status = take(1, 2);
  const hints = take(1, 4);
  // The lines saying what was discovered (one per source) only on a tall enough terminal.
  const extra = Math.max(0, Math.floor(layoutLines));
  const header = take(
    total >= 16 + 2 * extra && extra > 0 ? 3 + extra : total >= 16 ? 3 : total >= 9 ? 2 : 1,
    3,
  );
  let detail = 0;
  // About 40% for the detail pane; on a very short terminal it gets all but the table's
  // title and the selected row, so `enter` always shows something.
  if (detailOpen) detail = left >= 8 ? take(Math.max(5, Math.round(left * 0.45)), 3) : take(left - 2, 2);
  const table = left;
  return { header, table, detail, status, hints, total };
}

/** Milliseconds until a relative age (`formatDuration`) shown for `ageMs` next changes its text. */
export function nextAgeTick(ageMs: number): number {
  const a = Math.abs(ageMs);
  // Ages on the live screen are whole minutes at the finest (formatAge).
  const unit = a < 3_600_000 ? 60_000 : a < 86_400_000 ? 3_600_000 : 86_400_000;
  return Math.max(1, unit - (a % unit));
}
