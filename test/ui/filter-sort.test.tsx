// Filters, sorting and marks over the App: the filter language, sort by any column with an
// arrow in the header, n/N, mark all shown / invert / clear.
import { afterEach, describe, expect, it } from 'vitest';
import { cleanup } from 'ink-testing-library';
import { mount, row, rowIds, selectedId, statusLine } from '../helpers/app.js';
import { KEY } from '../helpers/keys.js';
import { press } from '../helpers/ink.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;
afterEach(() => cleanup());

async function filterBy(
  m: Awaited<ReturnType<typeof mount>>,
  text: string,
  until: (f: string) => boolean,
): Promise<string> {
  await press(m.r, '/', (f) => statusLine(f).includes('esc clear'));
  for (const ch of text) await press(m.r, ch, (f) => statusLine(f).includes(ch));
  return press(m.r, KEY.enter, (f) => !statusLine(f).includes('esc clear') && until(f));
}

const titleLine = (f: string) => f.split('\n').find((l) => l.trimStart().startsWith('AGENT')) ?? '';

describe('the / filter language', () => {
  it('verdict:, !negation and a regex', async () => {
    let m = await mount();
    let f = await filterBy(m, 'verdict:conflict', (x) => rowIds(x).length === 2);
    expect(rowIds(f)).toEqual(['Agent-5', 'Agent-11']);
    cleanup();
    m = await mount();
    f = await filterBy(m, '!verdict:in-sync !/agent-1\\d/', (x) => rowIds(x).length === 5);
    expect(rowIds(f)).toEqual(['Agent-2', 'Agent-3', 'Agent-5', 'Agent-6', 'Agent-9']);
  });

  it('a bad regex says so in the status line', async () => {
    const m = await mount();
    const f = await filterBy(m, '/(/', (x) => statusLine(x).includes('not a regular expression'));
    expect(rowIds(f)).toEqual([]);
  });
});

describe('sorting by a column', () => {
  it('> and < choose the column, I reverses, the header shows an arrow', async () => {
    const m = await mount();
    let f = await press(m.r, '>', (x) => titleLine(x).includes('AGENT▲'));
    expect(statusLine(f)).toContain('sorted by AGENT');
    f = await press(m.r, 'I', (x) => titleLine(x).includes('AGENT▼'));
    expect(rowIds(f)).toEqual([
      'Agent-11',
      'Agent-10',
      'Agent-9',
      'Agent-6',
      'Agent-5',
      'Agent-3',
      'Agent-2',
      'Agent-1',
    ]);
    // From the first column back to the last one shown (CHANGED), still reversed.
    f = await press(m.r, '<', (x) => titleLine(x).includes('CHANGED▼'));
    expect(statusLine(f)).toContain('sorted by CHANGED (reversed)');
    f = await press(m.r, '<', (x) => titleLine(x).includes('VERDICT▼'));
    // Reversed severity: in sync first, the worst (invalid) last.
    expect(rowIds(f)[0]).toBe('Agent-1');
    expect(rowIds(f).at(-1)).toBe('Agent-9');
    expect(f.split('\n')[2]).toContain('sort VERDICT ▼');
  });
});

describe('n / N and marks', () => {
  it('n and N jump between agents not in sync', async () => {
    const m = await mount();
    expect(selectedId(m.frame())).toBe('Agent-1');
    await press(m.r, 'n', (x) => selectedId(x) === 'Agent-2');
    await press(m.r, 'n', (x) => selectedId(x) === 'Agent-3');
    await press(m.r, 'N', (x) => selectedId(x) === 'Agent-2');
    // Wraps from the first past the top to the last.
    await press(m.r, 'N', (x) => selectedId(x) === 'Agent-11');
  });

  it('* marks all shown, ~ inverts among those shown, - clears', async () => {
    const m = await mount();
    await filterBy(m, 'verdict:drift', (x) => rowIds(x).length === 2);
    let f = await press(m.r, '*', (x) => statusLine(x).includes('marked 2 agents'));
    expect(row(f, 'Agent-2')?.[1]).toBe('●');
    expect(row(f, 'Agent-3')?.[1]).toBe('●');
    f = await press(m.r, KEY.escape, (x) => rowIds(x).length === 8);
    expect(row(f, 'Agent-1')?.[1]).toBe(' ');
    f = await press(m.r, '~', (x) => statusLine(x).includes('inverted'));
    expect(row(f, 'Agent-1')?.[1]).toBe('●');
    expect(row(f, 'Agent-2')?.[1]).toBe(' ');
    f = await press(m.r, '-', (x) => statusLine(x).includes('marks cleared'));
    expect(rowIds(f).every((id) => row(f, id)?.[1] === ' ')).toBe(true);
  });
});
