// The TUI's table: the same columns `check` prints (src/core/view/view.ts), plus the age of the
// last change the TUI saw, with `… pending` in the verdict cell while a write is being
// verified. Also the change tracker behind the "changed cells light up" effect.
import { sanitizeText } from '../core/sanitize.js';
import { formatAge, formatIso } from '../core/time.js';
import type { AgentState, Config } from '../core/types.js';
import { SORT_LABEL, type UiState } from '../core/tui/ui-state.js';
import {
  cellOf,
  columnsFor,
  layoutColumns,
  renderTextTable,
  summaryText,
  type Cell,
  type Column,
} from '../core/view/view.js';
import type { EngineSnapshot } from '../shell/engine-types.js';

export const PENDING_TEXT = '… pending';

export interface TableContext {
  /** Agent id -> when the TUI last saw any of its cells change (epoch ms). */
  changedAt: ReadonlyMap<string, number>;
  pending: ReadonlySet<string>;
}

function sameIds(a: readonly Column[], b: readonly Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.id === b[i]!.id);
}

/** Columns whose text changes with the clock alone: never highlighted as changes. */
const TIME_COLUMNS = new Set(['seen', 'changed', 'why']);

export function tuiColumns(config: Config, ctx: TableContext): Column[] {
  const out: Column[] = [];
  for (const c of columnsFor(config)) {
    if (c.id === 'verdict') {
      out.push({
        ...c,
        cell: (a, now): Cell =>
          ctx.pending.has(a.id) ? { text: PENDING_TEXT, tone: 'normal' } : c.cell(a, now),
      });
      out.push({
        id: 'changed',
        title: 'CHANGED',
        priority: 55,
        min: 7,
        max: 9,
        clock: true,
        cell: (a, now) => {
          const at = ctx.changedAt.get(a.id);
          return { text: at === undefined ? '—' : formatAge(now - at), tone: 'dim' };
        },
      });
    } else if (c.id === 'seen') {
      out.push({
        ...c,
        cell: (a, now) => ({ text: a.lastSeen === null ? '—' : formatAge(now - a.lastSeen), tone: 'dim' }),
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
  /** The last key was a partial load (a snapshot with `loading`): the next is still a first. */
  private lastPartial = false;
  private lastColumns: readonly Column[] | null = null;
  /** Per agent: the state object last seen, and the update that last saw it. */
  private readonly states = new Map<string, { state: AgentState; gen: number }>();
  private gen = 0;
  private readonly changed = new Map<string, number>();
  private readonly lit = new Map<string, Highlight>();

  get changedAt(): ReadonlyMap<string, number> {
    return this.changed;
  }

  /**
   * `columns` should be the plain columns (columnsFor), not the TUI's pending-aware ones:
   * a write being verified is not a change of the agent. Agent states are immutable and
   * the engine keeps the same object while an agent is unchanged, so only agents whose
   * object changed have their cells compared (cells are cached per state, see cellOf):
   * a snapshot that changes one agent of 10,000 compares one agent's cells.
   */
  update(
    key: object,
    agents: readonly AgentState[],
    columns: readonly Column[],
    at: number,
    litUntil: number,
  ): void {
    if (key === this.lastKey) return;
    // Agents that arrive as the live view's start completes are not new (src/shell/loader.ts).
    const first = this.lastKey === null || this.lastPartial;
    this.lastKey = key;
    this.lastPartial = (key as { loading?: unknown }).loading !== undefined;
    const tracked = columns.filter((c) => !TIME_COLUMNS.has(c.id) && !c.clock);
    // After a change of columns (the config) nothing is compared, only remembered.
    const sameColumns = this.lastColumns !== null && sameIds(this.lastColumns, tracked);
    this.lastColumns = tracked;
    const gen = ++this.gen;
    for (const a of agents) {
      const prev = this.states.get(a.id);
      if (prev === undefined) {
        this.states.set(a.id, { state: a, gen });
        if (first) {
          const t = initialChangedAt(a);
          if (t !== undefined) this.changed.set(a.id, t);
        } else {
          // A new agent lights up whole.
          this.changed.set(a.id, at);
          this.lit.set(a.id, { columns: new Set([...tracked.map((c) => c.id), 'changed']), until: litUntil });
        }
        continue;
      }
      prev.gen = gen;
      if (prev.state === a) continue;
      const before = prev.state;
      prev.state = a;
      if (!sameColumns) continue;
      const cols = new Set<string>();
      for (const c of tracked) if (cellOf(c, before, at).text !== cellOf(c, a, at).text) cols.add(c.id);
      if (cols.size > 0) {
        this.changed.set(a.id, at);
        cols.add('changed');
        this.lit.set(a.id, { columns: cols, until: litUntil });
      }
    }
    if (this.states.size > agents.length) {
      for (const [id, e] of this.states) {
        if (e.gen === gen) continue;
        this.states.delete(id);
        this.changed.delete(id);
        this.lit.delete(id);
      }
    }
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
  const lines = [
    `sync-tui snapshot  ${sanitizeText(snapshot.root)}  ${formatIso(now)}  ${summaryText(snapshot.recon.summary)}`,
  ];
  const parts: string[] = [];
  if (view.filterText !== '') parts.push(`filter "${sanitizeText(view.filterText)}"`);
  if (view.verdictFilter !== 'all') parts.push(`verdicts: ${view.verdictFilter}`);
  if (view.sort !== 'id') parts.push(`sort: ${SORT_LABEL[view.sort]}`);
  if (parts.length > 0)
    lines.push(`view: ${parts.join(', ')} (${rows.length} of ${snapshot.recon.summary.agents} agents)`);
  lines.push('');
  const layout = layoutColumns(columns, rows, now, width);
  lines.push(...renderTextTable(rows, layout, now));
  return lines.join('\n') + '\n';
}
