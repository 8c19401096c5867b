// The detail pane wraps long reasons and values instead of cutting them, and scrolls (J/K)
// when they do not fit.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { hintLine, mount, selectedId, statusLine } from '../helpers/app.js';
import { FakeEngine, FRESH, incidentData } from '../helpers/fake-engine.js';
import { KEY } from '../helpers/keys.js';
import { press, waitForFrame } from '../helpers/ink.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

const LONG =
  'HYPERDRIVE engaged by the night shift while the coordinator was rebooting, see the incident channel for the whole story and the follow-up tasks END';

function engineWithLongValue(): FakeEngine {
  const data = incidentData();
  data.files['Agent-11'] = { status: LONG, fsm: 'ACTIVE', at: FRESH };
  return new FakeEngine(data);
}

/** The pane: the lines between the rule under the table and the status line. */
function pane(frame: string): string {
  const lines = frame.split('\n');
  const start = lines.findIndex((l) => /^─{10,}/.test(l));
  return lines.slice(start + 1, -2).join('\n');
}

describe('detail pane: wrap and scroll', () => {
  it('shows a long value whole, wrapped over several lines, never past the width', async () => {
    const m = await mount({ size: { columns: 100, rows: 70 } }, engineWithLongValue());
    await press(m.r, 'G', (f) => selectedId(f) === 'Agent-11');
    const f = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    const p = pane(f);
    // Every word of it, in order, with nothing cut.
    expect(p.replace(/\s+/g, ' ')).toContain(LONG.split(' ').slice(-12).join(' '));
    expect(p).toContain('END');
    expect(f.split('\n').every((l) => [...l].length <= 100)).toBe(true);
  });

  it('J and K scroll the pane when it does not fit, and say what is above and below', async () => {
    const m = await mount({ size: { columns: 70, rows: 16 } }, engineWithLongValue());
    await press(m.r, 'G', (f) => selectedId(f) === 'Agent-11');
    let f = await press(m.r, KEY.enter, (x) => x.includes('J/K scroll'));
    expect(hintLine(f)).toContain('J/K scroll');
    expect(pane(f)).toMatch(/↓ \d+ more · J\/K scroll/);
    expect(pane(f)).not.toContain('↑');
    const first = pane(f).split('\n')[0];
    f = await press(m.r, 'J', (x) => /↑ 1 above/.test(pane(x)));
    expect(pane(f).split('\n')[0]).not.toBe(first);
    // To the end: END is shown, and J stops there.
    for (let i = 0; i < 40; i++) m.r.stdin.write('J');
    f = await waitForFrame(m.r.lastFrame, (x) => !/↓ \d+ more/.test(pane(x)) && pane(x).includes('END'));
    f = await press(m.r, 'K', (x) => /↓ 1 more/.test(pane(x)));
    // Another agent starts at the top.
    f = await press(m.r, 'k', (x) => selectedId(x) !== 'Agent-11');
    expect(pane(f)).not.toContain('↑');
    expect(statusLine(f)).not.toContain('error');
  });
});
