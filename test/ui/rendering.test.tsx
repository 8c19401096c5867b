// Rendering under pressure: ten thousand agents, narrow and short terminals, resizes,
// colour and its absence, highlights that fade, and text from files that tries to be
// more than text.
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

// Colours on (before chalk is imported), so tests can tell colour and highlight codes apart.
const savedForceColor = vi.hoisted(() => {
  const saved = process.env['FORCE_COLOR'];
  process.env['FORCE_COLOR'] = '1';
  return saved;
});

import { cleanup, render } from 'ink-testing-library';
import React from 'react';
import { App } from '../../src/ui/App.js';
import { mount, row, rowIds, selectedId, statusLine } from '../helpers/app.js';
import { FakeEngine, FRESH, incidentData, manyAgents } from '../helpers/fake-engine.js';
import { frameOf, press, stripAnsi, waitForFrame, waitForInput } from '../helpers/ink.js';
import { KEY } from '../helpers/keys.js';
import { timing } from '../helpers/report.js';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

afterEach(() => {
  cleanup();
});

afterAll(() => {
  if (savedForceColor === undefined) delete process.env['FORCE_COLOR'];
  else process.env['FORCE_COLOR'] = savedForceColor;
});

// SGR colour parameters: foreground/background 30-49, 90-107 (and 38/48 extended).
function colourCodes(raw: string): string[] {
  const out: string[] = [];
  for (const m of raw.matchAll(/\u001B\[([0-9;]*)m/g)) {
    for (const p of m[1]!.split(';')) {
      const n = Number(p);
      if ((n >= 30 && n <= 49) || (n >= 90 && n <= 107)) out.push(p);
    }
  }
  return out;
}

describe('ten thousand agents', () => {
  it('renders only the visible window and moves through it quickly', async () => {
    const engine = new FakeEngine(manyAgents(10_000));
    const t0 = performance.now();
    const m = await mount({ size: { columns: 120, rows: 40 } }, engine);
    const firstFrameMs = performance.now() - t0;
    let f = m.frame();
    expect(f.split('\n').length).toBeLessThanOrEqual(39);
    expect(row(f, 'Agent-1')).toBeDefined();
    expect(row(f, 'Agent-2')).toBeDefined();
    expect(f).not.toContain('Agent-5000');
    expect(rowIds(f).length).toBeLessThanOrEqual(33);
    expect(f).toContain('10000 agents');

    const timings: Record<string, number> = {};
    const time = async (name: string, key: string, until: (x: string) => boolean) => {
      const s = performance.now();
      await press(m.r, key, until);
      timings[name] = Math.round(performance.now() - s);
    };
    await time('j', 'j', (x) => selectedId(x) === 'Agent-2');
    await time('G', 'G', (x) => selectedId(x) === 'Agent-10000');
    await time('PgUp', KEY.pageUp, (x) => selectedId(x) !== 'Agent-10000');
    await time('g', 'g', (x) => selectedId(x) === 'Agent-1');
    await time('PgDn', KEY.pageDown, (x) => selectedId(x) !== 'Agent-1');
    await time('/ (filter prompt)', '/', (x) => statusLine(x).includes('esc clear'));
    await time('type 5000', '5', (x) => statusLine(x).includes('/5'));
    f = m.frame();
    expect(f.split('\n').length).toBeLessThanOrEqual(39);
    // A new snapshot of all 10,000 (one agent changed).
    const s = performance.now();
    engine.setRegistryFsm('Agent-3', 'idle');
    await waitForFrame(m.r.lastFrame, (x) => x.includes('≠ 1 drift'));
    timings['new snapshot'] = Math.round(performance.now() - s);
    // For information, not asserted: timing depends on the machine.
    timing(`10,000 agents: first frame ${Math.round(firstFrameMs)} ms; keys ${JSON.stringify(timings)}`);
  }, 60_000);
});

describe('fitting the terminal', () => {
  it('never draws a frame taller than the terminal, whatever is open', async () => {
    for (const size of [
      { columns: 80, rows: 24 },
      { columns: 60, rows: 12 },
      { columns: 40, rows: 8 },
      { columns: 200, rows: 50 },
    ]) {
      const m = await mount({ size }, new FakeEngine(manyAgents(100)));
      const check = (f: string) => {
        const lines = f.split('\n');
        expect(lines.length, `${size.columns}x${size.rows}`).toBeLessThanOrEqual(size.rows - 1);
        for (const l of lines)
          expect(l.length, `${size.columns}x${size.rows}: ${l}`).toBeLessThanOrEqual(size.columns);
      };
      check(m.frame());
      check(await press(m.r, KEY.enter, (x) => x.includes('─')));
      check(await press(m.r, '?', (x) => x.includes('any key closes')));
      check(await press(m.r, 'x', (x) => !x.includes('any key closes')));
      cleanup();
    }
  });

  it('drops columns in priority order on narrow terminals and shows more on wide ones', async () => {
    const narrow = await mount({ size: { columns: 60, rows: 20 } });
    let f = narrow.frame();
    const title = f.split('\n').find((l) => l.includes('AGENT'))!;
    // The same priorities as `check`: agent and verdict stay, then each field's own and
    // registry columns together (the first field's pair outlives the second's).
    expect(title).toMatch(/^\s+AGENT\s+STATUS file\s+STATUS display\s+VERDICT\s*$/);
    expect(row(f, 'Agent-2')).toContain('≠ drift');
    cleanup();
    const wide = await mount({ size: { columns: 220, rows: 20 } });
    f = wide.frame();
    expect(f).toMatch(
      /AGENT\s+STATUS file\s+STATUS display\s+FSM file\s+FSM display\s+LAST SEEN\s+VERDICT\s+CHANGED\s+WHY/,
    );
    expect(row(f, 'Agent-5')).toContain(
      'fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE',
    );
  });

  it('re-lays out when the terminal is resized', async () => {
    const engine = new FakeEngine();
    const r = render(
      <App engine={engine} writeSnapshot={async () => ''} clock={() => engine.now} bell={() => {}} />,
    );
    await waitForFrame(r.lastFrame, (f) => f.includes('AGENT'));
    await waitForInput(r);
    // ink-testing-library's stdout is 100 columns and has no rows: 24 are assumed.
    expect(frameOf(r).split('\n').length).toBeLessThanOrEqual(23);
    expect(frameOf(r)).toContain('FSM file');
    Object.defineProperty(r.stdout, 'columns', { value: 50, configurable: true });
    Object.defineProperty(r.stdout, 'rows', { value: 10, configurable: true });
    r.stdout.emit('resize');
    const f = await waitForFrame(r.lastFrame, (x) => !x.includes('FSM file'));
    expect(f.split('\n').length).toBeLessThanOrEqual(9);
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(50);
  });
});

describe('colour', () => {
  it('uses colours by default', async () => {
    const m = await mount();
    expect(colourCodes(m.r.lastFrame() ?? '').length).toBeGreaterThan(0);
  });

  it('with color off, passes no colour at all; symbols and words still carry the verdicts', async () => {
    const m = await mount({ color: false });
    const raw = m.r.lastFrame() ?? '';
    expect(colourCodes(raw)).toEqual([]);
    const f = stripAnsi(raw);
    expect(row(f, 'Agent-2')).toContain('≠ drift');
    expect(row(f, 'Agent-9')).toContain('✖ invalid');
    expect(f).toContain('› Agent-1');
    await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    await press(m.r, '?', (x) => x.includes('any key closes'));
    expect(colourCodes(m.r.lastFrame() ?? '')).toEqual([]);
  });

  it('highlights changed cells for a moment, then lets them go', async () => {
    // A clock that moves as the wall's does, from the engine's time.
    const engine = new FakeEngine();
    const start = performance.now();
    const m = await mount(
      { highlightMs: 300, clock: () => engine.now + (performance.now() - start) },
      engine,
    );
    const inverse = (id: string) => {
      const line = (m.r.lastFrame() ?? '')
        .split('\n')
        .find((l) => stripAnsi(l).slice(2).startsWith(`${id} `));
      return line !== undefined && line.includes('\u001B[7m');
    };
    expect(inverse('Agent-3')).toBe(false);
    m.engine.setFile('Agent-3', { status: 'ACTIVE', fsm: 'IDLE', at: FRESH });
    await waitForFrame(m.r.lastFrame, () => inverse('Agent-3'));
    const raw = (m.r.lastFrame() ?? '').split('\n').find((l) => stripAnsi(l).includes('Agent-3 '))!;
    // The changed FSM file cell is lit; the unchanged agent cell is not.
    expect(raw).toMatch(/\u001B\[7m(?:\u001B\[[0-9;]*m)*IDLE/);
    expect(raw).not.toMatch(/\u001B\[7m(?:\u001B\[[0-9;]*m)*Agent-3/);
    expect(inverse('Agent-2')).toBe(false);
    await waitForFrame(m.r.lastFrame, () => !inverse('Agent-3'), 3000);
  });
});

describe('the injected clock', () => {
  it('decides when a highlight ends: moving it past the highlight time lets the cell go, whatever the wall clock says', async () => {
    const engine = new FakeEngine();
    let t = engine.now;
    const m = await mount({ clock: () => t, highlightMs: 60_000 }, engine);
    const inverse = (id: string) => {
      const line = (m.r.lastFrame() ?? '')
        .split('\n')
        .find((l) => stripAnsi(l).slice(2).startsWith(`${id} `));
      return line !== undefined && line.includes('\u001B[7m');
    };
    m.engine.setFile('Agent-3', { status: 'ACTIVE', fsm: 'IDLE', at: FRESH });
    await waitForFrame(m.r.lastFrame, () => inverse('Agent-3'));
    // Two minutes later by the injected clock (a few milliseconds by the wall's): a new
    // change is lit, the old one no longer.
    t += 120_000;
    m.engine.setFile('Agent-5', { status: 'ACTIVE', fsm: 'IDLE', at: FRESH });
    await waitForFrame(m.r.lastFrame, () => inverse('Agent-5') && !inverse('Agent-3'));
  });
});

describe('text from files', () => {
  it('is sanitised: no escape sequence or control character reaches the terminal', async () => {
    const data = incidentData();
    data.files['Agent-1'] = {
      status: '\u001B]0;pwned\u0007\u001B[2J\u001B[31mEVIL\u0007\r\nLINE',
      fsm: 'ACTIVE',
      at: FRESH,
    };
    data.files['Agent-2'] = { status: 'X'.repeat(500), fsm: 'READY', at: FRESH };
    const m = await mount({ color: false, size: { columns: 200, rows: 30 } }, new FakeEngine(data));
    const raw = m.r.lastFrame() ?? '';
    // Only SGR (…m) sequences, from Ink itself; no OSC, no clear-screen, no BEL, no CR.
    expect(raw.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    const f = stripAnsi(raw);
    // Hidden characters are shown escaped, so the operator sees why the value is unknown.
    expect(row(f, 'Agent-1')).toContain('?"\\u001b]0;pwned');
    expect(row(f, 'Agent-2')).toMatch(/X+…/);
    for (const l of f.split('\n')) expect(l.length).toBeLessThanOrEqual(200);
    const detail = await press(m.r, KEY.enter, (x) => x.includes('RESOLVE WRITES'));
    expect(detail).toContain('"\\u001b]0;pwned');
    const rawDetail = m.r.lastFrame() ?? '';
    expect(rawDetail.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(
      /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/,
    );
  });

  it('sanitises the root, source errors and diagnostics in the header and detail', async () => {
    const engine = new FakeEngine();
    const base = engine.getSnapshot();
    engine.store.set({
      ...base,
      seq: base.seq + 1,
      root: '/srv/\u001B[2Jswarm',
      health: base.health.map((h) =>
        h.name === 'display'
          ? { ...h, healthy: false, lastError: 'unexpected \u001B]52;c;ZXZpbA==\u0007end of input' }
          : h,
      ),
    });
    const m = await mount({ color: false }, engine);
    const raw = m.r.lastFrame() ?? '';
    expect(raw.replace(/\u001B\[[0-9;]*m/g, '')).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    const f = stripAnsi(raw);
    expect(f).toContain('/srv/swarm');
    expect(f).toContain('display ✖ unexpected end of input');
  });
});

describe('rows of the filter prompt and the table', () => {
  it('the empty table says why it is empty', async () => {
    const m = await mount();
    await press(m.r, '/', (x) => statusLine(x).includes('esc clear'));
    const f = await press(m.r, 'q', (x) => rowIds(x).length === 0);
    expect(f).toContain('no agent matches the filter (esc clears it)');
  });
});
