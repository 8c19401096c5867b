// Keys from the config file (README.md "Keys and screen", `keys:`): the App runs the
// configured keys, and its hint line, `?` overlay and `:` completion show them.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { parseConfig } from '../../src/core/config/config.js';
import { FakeEngine, incidentData } from '../helpers/fake-engine.js';
import { hintLine, mount, selectedId, statusLine } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { press } from '../helpers/ink.js';
import { incidentConfig } from '../helpers/workspace.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

/** The incident engine with the `keys:` of a config file. */
function engineWithKeys(yaml: string): FakeEngine {
  const r = parseConfig(
    `sources:\n  f:\n    kind: status-files\n    path: a/{agent}/s.json\n  d:\n    kind: registry\n    path: r.json\n    fields:\n      status: s.{agent}\n${yaml}`,
    'sync-tui.config.yaml',
  );
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return new FakeEngine(incidentData(), { ...incidentConfig(), keys: r.config.keys! });
}

const KEYS = 'keys:\n  resolve: x\n  resolve-many: r\n  help: h\n  filter: "|"\n  down: t\n';

describe('configured keys', () => {
  it('run the command; the default key of a rebound command no longer does', async () => {
    const m = await mount({}, engineWithKeys(KEYS));
    let f = await press(m.r, 't', (x) => selectedId(x) === 'Agent-2');
    f = await press(m.r, 'x', (x) => statusLine(x).includes('Agent-2: resolved'));
    expect(m.engine.calls).toEqual([{ kind: 'resolve', agents: ['Agent-2'] }]);
    // `r` is resolve-many now: it asks about every drifted agent.
    f = await press(m.r, 'r', (x) => x.includes('resolve every drifted agent'));
    f = await press(m.r, KEY.escape, (x) => !x.includes('resolve every drifted agent'));
    // Down is `t` now: `j` means nothing, and the message names the configured help key.
    f = await press(m.r, 'j', (x) => statusLine(x).includes('unknown key j'));
    expect(selectedId(f)).toBe('Agent-2');
    expect(statusLine(f)).toContain('(h lists the keys, : the commands)');
  });

  it('show in the hint line and the ? overlay', async () => {
    const m = await mount({}, engineWithKeys(KEYS));
    const hints = hintLine(m.frame());
    expect(hints).toMatch(/t\/k move/);
    expect(hints).toMatch(/x resolve\b/);
    expect(hints).toMatch(/r resolve all/);
    expect(hints).toMatch(/\| filter/);
    expect(hints).toMatch(/h help/);
    const f = await press(m.r, 'h', (x) => x.includes(' keys '));
    const lines = f.split('\n');
    expect(lines.some((l) => /\bx\s+resolve the selected agent/.test(l))).toBe(true);
    expect(lines.some((l) => /\br\s+resolve the marked/.test(l))).toBe(true);
    expect(lines.some((l) => /\|\s+filter: text/.test(l))).toBe(true);
  });

  it('show next to the names the : line completes', async () => {
    const m = await mount({}, engineWithKeys(KEYS));
    await press(m.r, ':', (x) => statusLine(x).startsWith(':'));
    await press(m.r, 'r', (x) => statusLine(x).startsWith(':r'));
    await press(m.r, 'e', (x) => statusLine(x).startsWith(':re'));
    const f = await press(m.r, KEY.tab, (x) => statusLine(x).includes('resolve-all'));
    expect(statusLine(f)).toContain('resolve (x)  resolve-all (r)');
  });
});

describe('configured keys in panel titles and prompts', () => {
  const PANEL_KEYS =
    'keys:\n  journal-undo: z\n  journal-down: n\n  journal-close: c\n  filter-accept: tab\n';

  it('the journal panel names the configured undo, move and close keys, not the defaults', async () => {
    const m = await mount({}, engineWithKeys(PANEL_KEYS));
    const f = await press(m.r, 'L', (x) => x.includes(' journal '));
    const title = f.split('\n').find((l) => l.includes(' journal '))!;
    expect(title).toContain('n/k move');
    expect(title).toContain('z undo it');
    expect(title).toContain('c close');
    expect(title).not.toContain('u undo it');
  });

  it('the filter prompt names the configured keep key', async () => {
    const m = await mount({}, engineWithKeys(PANEL_KEYS));
    const f = await press(m.r, '/', (x) => statusLine(x).startsWith('/'));
    expect(statusLine(f)).toContain('tab keep');
    expect(statusLine(f)).not.toContain('enter keep');
  });
});
