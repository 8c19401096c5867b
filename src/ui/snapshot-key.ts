// What the live view's snapshot key writes, in the format the operator picked (README,
// "Snapshots"): the text table as shown (with the view's filter and sort), or the same
// rows as the `snapshot` command renders them in SVG, Markdown or JSON.
import type { Command } from '../core/tui/keys.js';
import { renderSnapshot } from '../core/report/snapshot.js';
import type { AgentState } from '../core/types.js';
import type { UiState } from '../core/tui/ui-state.js';
import { formatDiagnostic, type Column } from '../core/view/view.js';
import type { EngineSnapshot } from '../shell/engine-types.js';
import { snapshotText } from './table-model.js';

export type TuiSnapshotFormat = 'text' | 'svg' | 'md' | 'json';

export const SNAPSHOT_COMMANDS: Partial<Record<Command, TuiSnapshotFormat>> = {
  'snapshot-text': 'text',
  'snapshot-svg': 'svg',
  'snapshot-md': 'md',
  'snapshot-json': 'json',
};

/** A file is not a terminal: the table as wide as it needs, every column and reason whole. */
export const SNAPSHOT_WIDTH = Infinity;

export function renderTuiSnapshot(
  format: TuiSnapshotFormat,
  shown: EngineSnapshot,
  rows: readonly AgentState[],
  columns: readonly Column[],
  now: number,
  view: Pick<UiState, 'filterText' | 'verdictFilter' | 'sort'>,
): string {
  if (format === 'text') return snapshotText(shown, rows, columns, now, view, SNAPSHOT_WIDTH);
  const health = Object.fromEntries(
    shown.health.map((h) => [
      h.name,
      { healthy: h.healthy, diagnostics: h.diagnostics.map(formatDiagnostic) },
    ]),
  );
  return renderSnapshot(format, {
    root: shown.root,
    config: shown.config,
    recon: { ...shown.recon, agents: [...rows] },
    now,
    width: SNAPSHOT_WIDTH,
    color: true,
    health,
  });
}
