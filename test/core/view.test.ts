import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import {
  columnsFor,
  layoutColumns,
  renderTextTable,
  summaryText,
  truncateMiddle,
} from '../../src/core/view/view.js';
import { displayWidth } from '../../src/core/sanitize.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + MIN;
const recon = reconcile(
  incidentReads(
    {
      'AutoDream.Os-868b24d3_Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: '2026-03-02T09:00:00Z' },
      'AutoDream.Os-868b24d3_Agent-3': { status: 'active', fsm: 'active', at: '2026-03-02T09:00:00Z' },
      'Agent-9': { status: '\x1b]0;pwned\x07READY\x1b[2J', fsm: 'IDLE', at: '2026-03-02T09:00:00Z' },
    },
    { onboarded: {}, fsm: {} },
  ),
  incidentConfig(),
  NOW,
);

describe('the table model', () => {
  it('keeps both ends of long agent ids so they stay distinguishable', () => {
    expect(truncateMiddle('AutoDream.Os-868b24d3_Agent-2', 16)).toBe('AutoDrea…Agent-2');
    expect(truncateMiddle('short', 16)).toBe('short');
    const lines = renderTextTable(
      recon.agents,
      layoutColumns(columnsFor(incidentConfig()), recon.agents, NOW, 60),
      NOW,
    );
    const ids = lines.slice(1).map((l) => l.split('  ')[0]);
    expect(new Set(ids).size).toBe(3);
  });

  it('drops low-priority columns on narrow widths and never exceeds the width', () => {
    for (const width of [40, 60, 80, 120, 200]) {
      const layout = layoutColumns(columnsFor(incidentConfig()), recon.agents, NOW, width);
      expect(layout.map((l) => l.column.id)).toContain('verdict');
      for (const line of renderTextTable(recon.agents, layout, NOW))
        expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
    const narrow = layoutColumns(columnsFor(incidentConfig()), recon.agents, NOW, 40).map((l) => l.column.id);
    expect(narrow).toEqual(['agent', 'verdict']);
  });

  it('renders values from files inert', () => {
    const lines = renderTextTable(
      recon.agents,
      layoutColumns(columnsFor(incidentConfig()), recon.agents, NOW, 200),
      NOW,
    );
    const row = lines.find((l) => l.startsWith('Agent-9'))!;
    expect(row).not.toMatch(/\x1b/);
    expect(row).toContain('?"\\u001b]0;pwned');
  });

  it('summarises counts, compactly when narrow', () => {
    const mixed = { agents: 12, invalid: 1, missing: 2, conflict: 3, drift: 4, stale: 0, 'in-sync': 2 };
    expect(summaryText(recon.summary)).toBe('3 agents: ∅ 3 missing');
    expect(summaryText(mixed)).toBe(
      '12 agents: ✖ 1 invalid  ∅ 2 missing  ⚠ 3 conflict  ≠ 4 drift  ✔ 2 in-sync',
    );
    expect(summaryText(mixed, 30)).toBe('12 agents ✖1 ∅2 ⚠3 ≠4 ✔2');
  });
});
