import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import {
  columnsFor,
  fitColumns,
  grownWidths,
  layoutColumns,
  measureColumns,
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

describe('column widths and narrow terminals', () => {
  const config = incidentConfig();
  const columns = columnsFor(config);

  it("keeps a field's own column and its target column together at every width", () => {
    const target = config.policy.target;
    const own = config.sources.filter((x) => x.kind === 'status-files').map((x) => x.name);
    expect(own.length).toBeGreaterThan(0);
    let sawPartial = false;
    for (let width = 20; width <= 220; width += 3) {
      const ids = layoutColumns(columns, recon.agents, NOW, width).map((l) => l.column.id);
      for (const field of config.fields) {
        const pair = [`${field.name}:${target}`, ...own.map((o) => `${field.name}:${o}`)].filter((id) =>
          columns.some((c) => c.id === id),
        );
        const shown = pair.filter((id) => ids.includes(id));
        expect(shown.length === 0 || shown.length === pair.length, `${width}: ${ids.join(' ')}`).toBe(true);
        if (shown.length === 0 && ids.some((id) => id.includes(':'))) sawPartial = true;
      }
    }
    // Some width shows one field's pair and not another's: the rule was exercised.
    expect(sawPartial).toBe(true);
  });

  it('grows widths while the view is the same and starts afresh when it changes', () => {
    const wide = new Map([
      ['agent', 20],
      ['verdict', 9],
    ]);
    const narrow = new Map([
      ['agent', 8],
      ['verdict', 12],
    ]);
    const first = grownWidths(null, 'k', wide);
    const second = grownWidths(first, 'k', narrow);
    expect(Object.fromEntries(second.widths)).toEqual({ agent: 20, verdict: 12 });
    const other = grownWidths(second, 'k2', narrow);
    expect(Object.fromEntries(other.widths)).toEqual({ agent: 8, verdict: 12 });
    // A column no longer measured is not carried on.
    const fewer = grownWidths(second, 'k', new Map([['agent', 5]]));
    expect(Object.fromEntries(fewer.widths)).toEqual({ agent: 20 });
  });

  it('keeps the width a long id needed after its row scrolls out of sight', () => {
    const [longest, ...rest] = [...recon.agents].sort((a, b) => b.id.length - a.id.length);
    const shortRows = rest.filter((a) => a.id.length < longest!.id.length);
    expect(shortRows.length).toBeGreaterThan(0);
    const seenLong = grownWidths(null, 'v', measureColumns(columns, [longest!], NOW, 200));
    const scrolled = grownWidths(seenLong, 'v', measureColumns(columns, shortRows, NOW, 200));
    const before = fitColumns(columns, seenLong.widths, 200).find((l) => l.column.id === 'agent')!.width;
    const after = fitColumns(columns, scrolled.widths, 200).find((l) => l.column.id === 'agent')!.width;
    const fresh = fitColumns(columns, measureColumns(columns, shortRows, NOW, 200), 200).find(
      (l) => l.column.id === 'agent',
    )!.width;
    expect(after).toBe(before);
    expect(fresh).toBeLessThan(before);
  });
});
