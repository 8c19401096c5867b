import { describe, expect, it } from 'vitest';
import {
  applySettings,
  parseSettings,
  serializeSettings,
  settingsOf,
} from '../../src/core/tui/ui-settings.js';
import { initialState } from '../../src/core/tui/ui-state.js';

describe('ui settings (ui.json)', () => {
  it('round-trips the sort, filters, detail pane and bell through the file text', () => {
    const state = {
      ...initialState,
      sort: 'severity' as const,
      columnSort: { column: 'verdict', reverse: true },
      filterText: 'fsm:idle',
      verdictFilter: 'drift' as const,
      base: 'detail' as const,
      mode: 'detail' as const,
    };
    const text = serializeSettings(settingsOf(state, false));
    const parsed = parseSettings(text, '.sync-tui/ui.json');
    expect(parsed.problems).toEqual([]);
    const restored = applySettings(initialState, parsed.settings);
    expect(restored).toMatchObject({
      sort: 'severity',
      columnSort: { column: 'verdict', reverse: true },
      filterText: 'fsm:idle',
      verdictFilter: 'drift',
      base: 'detail',
      mode: 'detail',
    });
    expect(parsed.settings.bell).toBe(false);
    // The same settings write the same bytes (no rewrite when nothing changed).
    expect(serializeSettings(settingsOf(restored, false))).toBe(text);
  });

  it('ignores a file that is not JSON, not an object or another version, naming the file', () => {
    for (const text of ['{"version": 1, "sort": ', '[1]', '{"version": 2, "sort": "id"}']) {
      const r = parseSettings(text, '.sync-tui/ui.json');
      expect(r.settings).toEqual({});
      expect(r.problems).toHaveLength(1);
      expect(r.problems[0]).toMatch(/^\.sync-tui\/ui\.json: .*saved settings ignored$/);
    }
  });

  it('drops values of the wrong kind with a note each and keeps the others', () => {
    const r = parseSettings(
      JSON.stringify({
        version: 1,
        sort: 'sideways',
        columnSort: { column: 7 },
        filterText: 'a\u001b[2Jb',
        verdictFilter: 'problems',
        detailOpen: 'yes',
        bell: true,
        extra: 'ignored',
      }),
      'ui.json',
    );
    expect(r.settings).toEqual({ verdictFilter: 'problems', bell: true });
    expect(r.problems.map((p) => /"(\w+)" ignored/.exec(p)?.[1])).toEqual([
      'sort',
      'columnSort',
      'filterText',
      'detailOpen',
    ]);
  });

  it('applies nothing from empty settings', () => {
    expect(applySettings(initialState, {})).toEqual(initialState);
  });
});
