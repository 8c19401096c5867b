// The TUI's table: the same columns `check` prints (src/core/view.ts), plus the age of the
// last change the TUI saw, with `… pending` in the verdict cell while a write is being
// verified. Also the change tracker behind the "changed cells light up" effect.
import { sanitizeText } from '../core/sanitize.js';
import { formatDuration, formatIso } from '../core/time.js';
import type { AgentState, Config } from '../core/types.js';
import { SORT_LABEL, type UiState } from '../core/ui-state.js';
import { columnsFor, layoutColumns, renderTextTable, summaryText, type Cell, type Column } from '../core/view.js';
import type { EngineSnapshot } from '../shell/engine-types.js';

export const PENDING_TEXT = '… pending';

export interface TableContext {
  /** Agent id -> when the TUI last saw any of its cells change (epoch ms). */
  changedAt: ReadonlyMap<string, number>;
  pending: ReadonlySet<string>;
}

/** Columns whose text changes with the clock alone: never highlighted as changes. */
const TIME_COLUMNS = new Set(['seen', 'changed', 'why']);

export function tuiColumns(config: Config, ctx: TableContext): Column[] {
  const out: Column[] = [];
  for (const c of columnsFor(config)) {
    if (c.id === 'verdict') {
      out.push({ ...c, cell: (a, now): Cell => (ctx.pending.has(a.id) ? { text: PENDING_TEXT, tone: 'normal' } : c.cell(a, now)) });
      out.push({
        id: 'changed',
        title: 'CHANGED',
        priority: 55,
        min: 7,
        max: 9,
        cell: (a, now) => {
          const at = ctx.changedAt.get(a.id);
          return { text: at === undefined ? '—' : formatDuration(now - at), tone: 'dim' };
        },
      });
    } else out.push(c);
  }
  return out;
}

/**
 * Before the TUI has seen an agent change, its last change is its last own write (the
 * registry's stamp is one per document, so it says nothing about one agent).
 */
export function initialChangedAt(a: AgentState): number | undefined {
  return a.lastSeen ?? undefined;
}

export interface Highlight {
  columns: ReadonlySet<string>;
  until: number;
}

/**
 * Compares each agent's cell texts with the previous snapshot's. `update` is idempotent per
 * snapshot object, so calling it while rendering is safe. Agents that changed get a new
 * `changedAt` and their changed cells a highlight until `until`.
 */
export class ChangeTracker {
  private lastKey: object | null = null;
  private cells = new Map<string, string[]>();
  private readonly changed = new Map<string, number>();
  private readonly lit = new Map<string, Highlight>();

  get changedAt(): ReadonlyMap<string, number> {
    return this.changed;
  }

  update(key: object, agents: readonly AgentState[], columns: readonly Column[], at: number, litUntil: number): void {
    if (key === this.lastKey) return;
    const first = this.lastKey === null;
    this.lastKey = key;
    const tracked = columns.filter((c) => !TIME_COLUMNS.has(c.id));
    const next = new Map<string, string[]>();
    for (const a of agents) {
      const texts = tracked.map((c) => c.cell(a, at).text);
      next.set(a.id, texts);
      if (first) {
        const t = initialChangedAt(a);
        if (t !== undefined) this.changed.set(a.id, t);
        continue;
      }
      const before = this.cells.get(a.id);
      const cols = new Set<string>();
      if (before === undefined) for (const c of tracked) cols.add(c.id);
      else texts.forEach((t, i) => t !== before[i] && cols.add(tracked[i]!.id));
      if (cols.size > 0) {
        this.changed.set(a.id, at);
        cols.add('changed');
        this.lit.set(a.id, { columns: cols, until: litUntil });
      }
    }
    for (const id of this.changed.keys()) if (!next.has(id)) this.changed.delete(id);
    for (const id of this.lit.keys()) if (!next.has(id)) this.lit.delete(id);
    this.cells = next;
  }

  /** Highlights still lit at `now` (expired ones are dropped). */
  highlights(now: number): ReadonlyMap<string, Highlight> {
    for (const [id, h] of this.lit) if (h.until <= now) this.lit.delete(id);
    return new Map(this.lit);
  }

  /** When the next highlight goes out, or null when nothing is lit. */
  nextExpiry(): number | null {
    let next: number | null = null;
    for (const h of this.lit.values()) if (next === null || h.until < next) next = h.until;
    return next;
  }
}

/**
 * The table as plain text for `S`: a title line (root, time, counts), the view when it is
 * not the default one, then the same rows and columns the screen shows, all of them.
 */
export function snapshotText(
  snapshot: EngineSnapshot,
  rows: readonly AgentState[],
  columns: readonly Column[],
  now: number,
  view: Pick<UiState, 'filterText' | 'verdictFilter' | 'sort'>,
  width = 240,
): string {
  const lines = [`sync-tui snapshot  ${sanitizeText(snapshot.root)}  ${formatIso(now)}  ${summaryText(snapshot.recon.summary)}`];
  const parts: string[] = [];
  if (view.filterText !== '') parts.push(`filter "${sanitizeText(view.filterText)}"`);
  if (view.verdictFilter !== 'all') parts.push(`verdicts: ${view.verdictFilter}`);
  if (view.sort !== 'id') parts.push(`sort: ${SORT_LABEL[view.sort]}`);
  if (parts.length > 0) lines.push(`view: ${parts.join(', ')} (${rows.length} of ${snapshot.recon.summary.agents} agents)`);
  lines.push('');
  const layout = layoutColumns(columns, rows, now, width);
  lines.push(...renderTextTable(rows, layout, now));
  return lines.join('\n') + '\n';
}
