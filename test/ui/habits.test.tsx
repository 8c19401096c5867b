// The small habits of issue 16: copy to the clipboard with OSC 52 (`c` then i p v j) and
// the bell toggle (`b`).
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mount, row, selectedId, statusLine } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { press, waitForFrame } from '../helpers/ink.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

/** The clipboard texts carried by the OSC 52 sequences written. */
function clipboard(written: string[]): string[] {
  return written.map((s) => {
    const m = /^\x1b\]52;c;([A-Za-z0-9+/=]*)\x07$/.exec(s);
    if (!m) throw new Error(`not an OSC 52 sequence: ${JSON.stringify(s)}`);
    return Buffer.from(m[1]!, 'base64').toString('utf8');
  });
}

async function copied(
  key: string,
  until: (status: string) => boolean,
): Promise<{ text: string; status: string }> {
  const written: string[] = [];
  const m = await mount({ writeTerminal: (s) => written.push(s) });
  await press(m.r, 'c', (f) => statusLine(f).includes('i id, p path'));
  expect(written).toEqual([]);
  const f = await press(m.r, key, (x) => until(statusLine(x)));
  const texts = clipboard(written);
  expect(texts).toHaveLength(1);
  return { text: texts[0]!, status: statusLine(f) };
}

describe('copy (c then i / p / v / j)', () => {
  it('i copies the id', async () => {
    const { text, status } = await copied('i', (s) => s.includes('copied the id'));
    expect(text).toBe('Agent-1');
    expect(status).toContain('copied the id of Agent-1: Agent-1');
  });

  it('p copies the status file path', async () => {
    const { text, status } = await copied('p', (s) => s.includes('copied the status file path'));
    expect(text).toMatch(/Agent-1/);
    expect(text).toMatch(/\.(json|ya?ml)$/);
    expect(status).toContain('copied the status file path of Agent-1');
  });

  it('v copies the verdict and truth line', async () => {
    const { text } = await copied('v', (s) => s.includes('copied the value'));
    expect(text).toMatch(/^in-sync \w+=/);
  });

  it('j copies the check --json agent object', async () => {
    const { text } = await copied('j', (s) => s.includes('copied the JSON row'));
    const obj = JSON.parse(text) as { id: string; verdict: string; sources: Record<string, unknown> };
    expect(obj.id).toBe('Agent-1');
    expect(obj.verdict).toBe('in-sync');
    expect(Object.keys(obj.sources).length).toBeGreaterThan(0);
  });

  it('esc copies nothing and the table keys work again', async () => {
    const written: string[] = [];
    const m = await mount({ writeTerminal: (s) => written.push(s) });
    await press(m.r, 'c', (f) => statusLine(f).includes('i id, p path'));
    await press(m.r, KEY.escape, (f) => statusLine(f).includes('nothing copied'));
    // `j` moves again instead of copying the JSON row.
    await press(m.r, 'j', (f) => selectedId(f) === 'Agent-2');
    expect(written).toEqual([]);
  });
});

describe('bell toggle (b)', () => {
  it('b turns the bell off and on again, and says so', async () => {
    const m = await mount();
    await press(m.r, 'b', (f) => statusLine(f).includes('bell off'));
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.bells).toEqual([]);
    await press(m.r, 'b', (f) => statusLine(f).includes('bell on'));
    m.engine.setRegistryFsm('Agent-1', 'active');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('✔ in-sync'));
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.bells).toHaveLength(1);
  });

  it('quiet starts with the bell off; b turns it on', async () => {
    const m = await mount({ quiet: true });
    await press(m.r, 'b', (f) => statusLine(f).includes('bell on'));
    m.engine.setRegistryFsm('Agent-1', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => (row(x, 'Agent-1') ?? '').includes('≠ drift'));
    expect(m.bells).toHaveLength(1);
  });
});

describe('the legend in ? help', () => {
  it('explains ?value, ·, — and CHANGED', async () => {
    const m = await mount();
    const f = await press(m.r, '?', (x) => x.includes('Legend'));
    const legend = f.split('\n').find((l) => l.startsWith('Legend')) ?? '';
    expect(legend).toMatch(/\?value not in the vocabulary/);
    expect(legend).toMatch(/· no value/);
    expect(legend).toMatch(/— not listed \(ages: never\)/);
    expect(legend).toMatch(/CHANGED since the row changed on screen/);
  });
});

describe('ASCII glyphs when the locale is not UTF-8', () => {
  it('draws verdict symbols and the selection in ASCII', async () => {
    const m = await mount({ ascii: true });
    const f = m.frame();
    expect(f).toMatch(/^>.Agent-1 /m);
    expect(row(f, 'Agent-1')).toContain('+ in-sync');
    expect(f).not.toMatch(/[✔✖∅⚠≠◷›▲▼…]/u);
  });

  it('keeps the glyphs by default', async () => {
    const m = await mount();
    expect(row(m.frame(), 'Agent-1')).toContain('✔ in-sync');
  });
});
