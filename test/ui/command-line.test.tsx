// The `:` command line over the App: names from the key table, arguments, tab completion,
// and unknown keys and commands said in the status line.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mount, rowIds, statusLine } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { press, waitForFrame } from '../helpers/ink.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

type M = Awaited<ReturnType<typeof mount>>;

async function typeLine(m: M, text: string): Promise<string> {
  let f = await press(m.r, ':', (x) => statusLine(x).startsWith(':'));
  for (const ch of text) {
    const before = statusLine(f);
    f = await press(m.r, ch, (x) => statusLine(x) !== before);
  }
  return f;
}

const titleLine = (f: string) => f.split('\n').find((l) => l.trimStart().startsWith('AGENT')) ?? '';

describe('the : command line', () => {
  it(':filter sets the filter, :sort a column, :sort reverse flips it', async () => {
    const m = await mount();
    await typeLine(m, 'filter verdict:drift');
    let f = await press(m.r, KEY.enter, (x) => rowIds(x).length === 2);
    expect(rowIds(f)).toEqual(['Agent-2', 'Agent-3']);
    expect(statusLine(f)).toContain('filter: verdict:drift');
    await typeLine(m, 'sort verdict');
    f = await press(m.r, KEY.enter, (x) => titleLine(x).includes('VERDICT▲'));
    await typeLine(m, 'sort reverse');
    f = await press(m.r, KEY.enter, (x) => titleLine(x).includes('VERDICT▼'));
    expect(statusLine(f)).toContain('(reversed)');
  });

  it('tab completes the name and then the argument from the same tables', async () => {
    const m = await mount();
    await typeLine(m, 'sn');
    let f = await press(
      m.r,
      KEY.tab,
      (x) => statusLine(x).startsWith(':snapshot █') || statusLine(x).startsWith(':snapshot'),
    );
    expect(statusLine(f)).toMatch(/^:snapshot █/);
    f = await press(m.r, 's', (x) => statusLine(x).startsWith(':snapshot s'));
    f = await press(m.r, KEY.tab, (x) => statusLine(x).startsWith(':snapshot svg'));
    // Several candidates: listed.
    await press(m.r, KEY.escape, (x) => !statusLine(x).startsWith(':'));
    await typeLine(m, 're');
    f = await press(m.r, KEY.tab, (x) => statusLine(x).includes('resolve (r)  resolve-all (R)'));
    expect(statusLine(f)).toMatch(/^:resolve█/);
  });

  it(':snapshot svg writes an SVG snapshot; :quit exits', async () => {
    const written: string[] = [];
    const m = await mount({
      writeSnapshot: async (text, format) => (written.push(`${format}:${text.slice(0, 5)}`), '/tmp/x.svg'),
    });
    await typeLine(m, 'snapshot svg');
    const f = await press(m.r, KEY.enter, (x) =>
      statusLine(x).includes('snapshot (svg) written to /tmp/x.svg'),
    );
    expect(written).toEqual(['svg:<svg ']);
    expect(rowIds(f)).toHaveLength(8);
    await typeLine(m, 'quit');
    m.r.stdin.write(KEY.enter);
    await waitForFrame(m.r.lastFrame, () => m.r.stdin.listenerCount('readable') === 0);
  });

  it('unknown commands and unknown keys say so', async () => {
    const m = await mount();
    await typeLine(m, 'frobnicate');
    let f = await press(m.r, KEY.enter, (x) => statusLine(x).includes('unknown command :frobnicate'));
    f = await press(m.r, 'Z', (x) => statusLine(x).includes('unknown key Z'));
    expect(statusLine(f)).toContain('? lists the keys');
  });

  it(':resolve runs the resolve key on the selected agent', async () => {
    const m = await mount();
    await press(m.r, 'j', (x) => x.includes('› Agent-2'));
    await typeLine(m, 'resolve');
    await press(m.r, KEY.enter, (x) => statusLine(x).includes('Agent-2'));
    expect(
      m.engine.calls.some(
        (c) => c.kind === 'resolve' && Array.isArray(c.agents) && c.agents.includes('Agent-2'),
      ),
    ).toBe(true);
  });
});
