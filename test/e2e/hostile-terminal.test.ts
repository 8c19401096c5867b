// Hostile text never drives the terminal: every value a file can hold (status values,
// agent-owned extra fields, timestamps, registry values and keys, event-log lines, folder
// names) may carry escape sequences (screen clears, cursor moves, title changes, OSC 8
// links, OSC 52 clipboard writes), C0/C1 controls, bidi overrides, zero-width and very
// wide characters, markup, Markdown pipes, spreadsheet formulas or 100 KB of text. Through
// the REAL built binary (check, check --json, every snapshot format, watch --json) and the
// real App over a real engine (ink-testing-library), the output must hold none of it raw:
// only our own SGR colours, escaped JSON, escaped markup, guarded CSV, lines that fit.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

// Colours on (before chalk is imported), so the frames hold SGR codes and the test can tell
// our own colours from anything else that starts with ESC.
const savedForceColor = vi.hoisted(() => {
  const saved = process.env['FORCE_COLOR'];
  process.env['FORCE_COLOR'] = '1';
  return saved;
});

import * as fs from 'node:fs';
import * as path from 'node:path';
import { cleanup as cleanupInk, render } from 'ink-testing-library';
import React from 'react';
import stringWidth from 'string-width';
import { BIN, runCli } from '../helpers/cli.js';
import { startWatch, stopAllWatches } from '../helpers/watch-process.js';
import {
  findRawControl,
  foreignEscapes,
  HOSTILE_VALUES,
  LONG_TAIL,
  LONG_VALUE,
  SGR,
  statusJson,
  terminalWorkspace,
  type TerminalWorkspace,
} from '../helpers/hostile.js';
import { checkWellFormed, xmllint } from '../helpers/xml.js';
import { waitFor } from '../helpers/wait.js';
import { displayWidth } from '../../src/core/sanitize.js';
import type { CheckJson } from '../../src/core/report/report.js';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { App } from '../../src/ui/App.js';
import { KEY } from '../helpers/keys.js';
import { stripAnsi, waitForFrame, waitForInput } from '../helpers/ink.js';

let ws: TerminalWorkspace;

beforeAll(() => {
  expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
  ws = terminalWorkspace();
  console.info(
    `hostile values: ${HOSTILE_VALUES.length}, placed ${ws.placements} times (${ws.folderNames.length} as folder names)`,
  );
});

afterAll(async () => {
  if (savedForceColor === undefined) delete process.env['FORCE_COLOR'];
  else process.env['FORCE_COLOR'] = savedForceColor;
  await stopAllWatches();
  ws?.cleanup();
});

const WIDTH = 160;
const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli([...args, '--root', ws.root], { env });

/** No raw control, bidi or zero-width character anywhere (ZWJ inside an emoji excepted). */
function expectInert(text: string, what: string): void {
  expect(findRawControl(text), `${what}: raw control character`).toBeNull();
  expect(text.includes('\x1b'), `${what}: ESC`).toBe(false);
}

/** Agents each hostile value ended up in: h-<name> (values) and the value itself (a registry key). */
const hostileIds = () => HOSTILE_VALUES.map((h) => `h-${h.name}`);

describe('check (text)', () => {
  it('prints no raw escape, control, bidi or zero-width character; every line fits; the 100 KB value is cut', () => {
    const r = cli(['check', '--width', String(WIDTH)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expectInert(r.stdout, 'check text');
    for (const line of r.stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(WIDTH);
    expect(r.stdout).not.toContain(LONG_TAIL);
    expect(r.stdout.length).toBeLessThan(100_000);
    // The values did reach the table: hidden characters are shown escaped, as visible text.
    for (const id of hostileIds()) expect(r.stdout, id).toMatch(new RegExp(`^${id} `, 'm'));
    expect(r.stdout).toContain('?"csi\\u001b[2J\\u001b[');
    expect(r.stdout).toContain('?"c1:\\u009b2J\\u009d0;');
    expect(r.stdout).toContain('?"bidi:\\u202eexe.txt\\');
    expect(r.stdout).toContain('?"RE\\u200bAD\\u200cY');
    // Ids from registry keys holding hidden characters are shown quoted with them escaped,
    // so that they cannot pass for another agent ("RE\u200bADY" is not "READY").
    expect(r.stdout).toMatch(/^"SAFE\\rEVIL\\r\\nLINE2\\nLINE3" +/m);
    expect(r.stdout).toMatch(/^"RE\\u200bAD\\u2…/m);
    expect(r.stdout).toMatch(/^"OK\\u0008\\u0008\\u0008NO" +/m);
    expect(r.stdout).not.toMatch(/^READY /m);
    // Folder names with control characters are not agents, and say why (sanitised too).
    expect(r.stdout).toMatch(/agent id holds control characters; entry skipped/);
  });

  it('with colours forced on, the only escape sequences are our own SGR colours', () => {
    const r = cli(['check', '--width', String(WIDTH)], { FORCE_COLOR: '1', NO_COLOR: '' });
    expect(r.code).toBe(1);
    expect(r.stdout.match(SGR)?.length ?? 0).toBeGreaterThan(10);
    expect(foreignEscapes(r.stdout)).toEqual([]);
    expect(findRawControl(r.stdout.replace(SGR, ''))).toBeNull();
  });
});

describe('check --json', () => {
  it('is valid JSON holding every hostile value exactly, with controls, C1, bidi and zero-width escaped', () => {
    const r = cli(['check', '--json']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expectInert(r.stdout, 'check --json');
    const doc = JSON.parse(r.stdout) as CheckJson;
    const byId = new Map(doc.agents.map((a) => [a.id, a]));
    for (const h of HOSTILE_VALUES) {
      // The value as a status value, an FSM state and a registry value: exact, not altered.
      const a = byId.get(`h-${h.name}`)!;
      expect(a, h.name).toBeDefined();
      expect(a.sources['file']!.raw, h.name).toEqual({ status: h.value, fsm: h.value });
      expect(a.sources['display']!.raw, h.name).toEqual({ status: h.value, fsm: h.value });
      expect(a.verdict).toBe('conflict');
      // The value as a registry key: an agent id, exact.
      expect(byId.has(h.value), `registry key ${h.name}`).toBe(true);
    }
    // Escaped in the text, not raw (JSON.stringify alone leaves C1 and bidi raw).
    for (const esc of [
      '\\u001b',
      '\\u0007',
      '\\u009b',
      '\\u009d',
      '\\u202e',
      '\\u2066',
      '\\u200b',
      '\\ufeff',
      '\\u007f',
    ])
      expect(r.stdout).toContain(esc);
    // Diagnostics are sanitised text, capped.
    for (const a of doc.agents)
      for (const s of Object.values(a.sources))
        for (const d of s.diagnostics) expect(d.length).toBeLessThanOrEqual(4096);
  });
});

// ---------------------------------------------------------------------------------------
// snapshots

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
      } else {
        field += c;
        i++;
      }
    } else if (c === '"' && field === '') {
      quoted = true;
      i++;
    } else if (c === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (c === '\n' || c === '\r') throw new Error(`bare line break at ${i}`);
    else {
      field += c;
      i++;
    }
  }
  if (field !== '' || row.length > 0) throw new Error('last record without CRLF');
  return rows;
}

/** `|` not escaped by a backslash. */
function unescapedPipes(line: string): number {
  let n = 0;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\\') i++;
    else if (line[i] === '|') n++;
  }
  return n;
}

const SVG_TAGS = new Set(['svg', 'title', 'rect', 'path', 'line', 'circle', 'text', 'g', 'tspan']);
/**
 * Tags (every raw `<` starts one: text escapes its own) that could run or link anything:
 * scripts, images, links, event handlers, javascript: URLs (quoted attribute values,
 * which are escaped text, are taken out first).
 */
function activeMarkup(doc: string): string[] {
  return [...doc.matchAll(/<[^>]*>/g)]
    .map((m) => m[0].replace(/"[^"]*"|'[^']*'/g, '""'))
    .filter((tag) =>
      /^<\/?(script|img|a|iframe|object|embed|foreignObject|use)\b|\son\w+=|javascript:|href=/i.test(tag),
    );
}
const HTML_TAGS = new Set([
  'html',
  'head',
  'meta',
  'title',
  'style',
  'body',
  'main',
  'div',
  'span',
  'p',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
]);

describe('snapshot', () => {
  it('--format text: inert, fits, cut', () => {
    const r = cli(['snapshot', '--format', 'text', '--width', String(WIDTH)]);
    expect(r.code).toBe(0);
    expectInert(r.stdout, 'snapshot text');
    for (const line of r.stdout.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(WIDTH);
    expect(r.stdout).not.toContain(LONG_TAIL);
    expect(r.stdout).toContain('?"csi\\u001b[2J');
  });

  it('--format ansi: only our own SGR sequences start with ESC', () => {
    const r = cli(['snapshot', '--format', 'ansi', '--width', String(WIDTH)]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(SGR)?.length ?? 0).toBeGreaterThan(10);
    expect(foreignEscapes(r.stdout)).toEqual([]);
    const plain = r.stdout.replace(SGR, '');
    expect(findRawControl(plain)).toBeNull();
    for (const line of plain.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(WIDTH);
    expect(plain).not.toContain(LONG_TAIL);
  });

  it('--format svg: well-formed XML, markup from data escaped, no raw controls', () => {
    const r = cli(['snapshot', '--format', 'svg']);
    expect(r.code).toBe(0);
    const names = checkWellFormed(r.stdout);
    expect(names[0]).toBe('svg');
    expect(names.filter((n) => !SVG_TAGS.has(n))).toEqual([]);
    expect(xmllint(r.stdout) ?? '').toBe('');
    expect(activeMarkup(r.stdout)).toEqual([]);
    expect(r.stdout).toContain('&lt;script&gt;alert(');
    expectInert(r.stdout, 'svg');
    expect(r.stdout).not.toContain(LONG_TAIL);
  });

  it('--format html: only our own tags, markup from data escaped, no raw controls', () => {
    const r = cli(['snapshot', '--format', 'html']);
    expect(r.code).toBe(0);
    const tags = [...r.stdout.matchAll(/<\/?([A-Za-z][\w:-]*)/g)].map((m) => m[1]!.toLowerCase());
    expect(tags.filter((t) => !HTML_TAGS.has(t))).toEqual([]);
    expect(activeMarkup(r.stdout)).toEqual([]);
    expect(r.stdout).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&amp;amp;&quot;&#39;',
    );
    expectInert(r.stdout, 'html');
    expect(r.stdout).not.toContain(LONG_TAIL);
  });

  it('--format md: every row has as many cell separators as the header; pipes and markup escaped', () => {
    const r = cli(['snapshot', '--format', 'md']);
    expect(r.code).toBe(0);
    expectInert(r.stdout, 'md');
    const rows = r.stdout.split('\n').filter((l) => l.startsWith('|'));
    const header = unescapedPipes(rows[0]!);
    expect(rows.length).toBeGreaterThan(HOSTILE_VALUES.length * 2);
    for (const row of rows) expect(unescapedPipes(row), row.slice(0, 200)).toBe(header);
    expect(r.stdout).toContain('a\\|b\\|\\|c\\\\\\|d');
    expect(r.stdout).not.toMatch(/(^|[^\\])<script/);
    expect(r.stdout).not.toContain(LONG_TAIL);
  });

  it('--format csv: RFC 4180 records of equal length, formulas guarded, no raw controls', () => {
    const r = cli(['snapshot', '--format', 'csv']);
    expect(r.code).toBe(0);
    expectInert(r.stdout.replace(/\r\n/g, '\n'), 'csv');
    const rows = parseCsv(r.stdout);
    for (const row of rows) expect(row.length).toBe(rows[0]!.length);
    for (const field of rows.flat()) expect(field, field.slice(0, 80)).not.toMatch(/^[=+\-@\t\r]/);
    const ids = rows.map((row) => row[0]);
    expect(ids).toContain("'=cmd|' /C calc'!A0");
    expect(ids).toContain("'+1+cmd|x");
    expect(ids).toContain("'-2+3+cmd|y");
    expect(ids).toContain("'@SUM(1+1)*cmd|z");
    expect(r.stdout).not.toContain(LONG_TAIL);
  });

  it('--format json: valid, escaped, the same values as check --json', () => {
    const r = cli(['snapshot', '--format', 'json']);
    expect(r.code).toBe(0);
    expectInert(r.stdout, 'snapshot json');
    const doc = JSON.parse(r.stdout) as CheckJson;
    expect(doc.agents.find((a) => a.id === 'h-osc52')!.sources['file']!.raw['status']).toBe(
      HOSTILE_VALUES.find((h) => h.name === 'osc52')!.value,
    );
    expect(doc.agents.some((a) => a.id === LONG_VALUE)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------
// watch --json

describe('watch --json', () => {
  it('prints one valid, inert JSON object per line, for the first pass and for a hostile change', async () => {
    const watch = await startWatch({
      args: ['--json', '--root', ws.root],
      ready: (x) => x.lines.some((l) => l.includes('"h-long"')),
    });
    const lines = () => watch.lines;
    try {
      // Agent-3 takes a hostile FSM state; h-title takes another hostile value.
      const hostile = `ACTIVE\x1b]0;pwned\x07\x9b2J\u202e\u200b${'W'.repeat(50_000)}`;
      const write = (folder: string, text: string) => {
        const f = path.join(ws.root, 'agents', folder, 'status.json');
        fs.writeFileSync(f + '.tmp', text);
        fs.renameSync(f + '.tmp', f);
      };
      write(
        'Agent-3',
        statusJson('Agent-3', { status: 'ACTIVE', fsm: hostile, at: new Date().toISOString() }),
      );
      write(
        'h-title',
        statusJson('h-title', {
          status: '\x1b]52;c;d2hvYW1p\x07',
          fsm: 'IDLE',
          at: new Date().toISOString(),
        }),
      );
      const change = await waitFor(
        () =>
          lines()
            .map((l) => JSON.parse(l) as { type: string; agent: string | null; verdict?: { after: string } })
            .find((e) => e.type === 'change' && e.agent === 'Agent-3'),
        { timeoutMs: 10_000, what: 'the change event of Agent-3' },
      );
      expect(change.verdict!.after).toBe('conflict');
      const raw = lines().find((l) => l.includes('"agent":"Agent-3"') && l.includes('"change"'))!;
      // The value reached the event (shown escaped in its reason, as visible text).
      expect(raw).toContain('pwned');
    } finally {
      await watch.stop('SIGTERM', 5000);
    }
    expect(lines().length).toBeGreaterThan(HOSTILE_VALUES.length);
    for (const line of lines()) {
      expect(() => JSON.parse(line), line.slice(0, 200)).not.toThrow();
      expect(findRawControl(line), line.slice(0, 200)).toBeNull();
      expect(line.includes('\x1b')).toBe(false);
    }
    expect(watch.badLines).toEqual([]);
    expect(watch.stderr()).toBe('');
  });
});

// ---------------------------------------------------------------------------------------
// The live view: the real App over a real engine reading the hostile workspace

// Ink renders outside React's act(); as in test/ui, tell React this is not an act() environment.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = false;

describe('the live view (App over a real engine)', () => {
  it('draws no escape sequence but SGR colours, no raw control; every line fits the terminal; long values cut', async () => {
    const size = { columns: 100, rows: 40 };
    const engine = await Engine.open(ws.root, loadConfig(ws.root), { watch: false });
    const r = render(
      React.createElement(App, {
        engine,
        writeSnapshot: async () => path.join(ws.root, 'snapshot.txt'),
        size,
        bell: () => {},
        quiet: true,
      }),
    );
    const agents = engine.getSnapshot().recon.agents.length;
    const checked: string[] = [];
    /** Every frame drawn so far: only SGR, nothing raw, nothing wider or taller than the terminal. */
    const checkFrames = () => {
      for (const frame of r.frames.slice(checked.length)) {
        checked.push(frame);
        const where = `frame ${checked.length}`;
        expect(foreignEscapes(frame), where).toEqual([]);
        const plain = frame.replace(SGR, '');
        expect(findRawControl(plain), where).toBeNull();
        const lines = plain.split('\n');
        expect(lines.length, where).toBeLessThanOrEqual(size.rows);
        for (const line of lines)
          expect(stringWidth(line), `${where}: ${line}`).toBeLessThanOrEqual(size.columns);
        expect(plain.includes(LONG_TAIL), where).toBe(false);
        expect(plain.length, where).toBeLessThan(size.columns * size.rows * 4);
      }
    };
    try {
      await waitForFrame(r.lastFrame, (f) => f.includes('AGENT'));
      await waitForInput(r);
      expect(agents).toBeGreaterThan(HOSTILE_VALUES.length * 2);
      checkFrames();
      // Open the detail pane (raw values, diagnostics, what a resolve would write) and walk
      // every agent, hostile ids and values included.
      let last = stripAnsi(r.lastFrame() ?? '');
      r.stdin.write(KEY.enter);
      last = await waitForFrame(r.lastFrame, (f) => f !== last);
      const seen = new Set<string>();
      for (let i = 0; i < agents - 1; i++) {
        await new Promise<void>((resolve) => setImmediate(resolve));
        r.stdin.write('j');
        last = await waitForFrame(r.lastFrame, (f) => f !== last);
        seen.add(last);
        checkFrames();
      }
      expect(seen.size).toBe(agents - 1);
      // The hostile values did reach the screen, escaped as visible text.
      const all = checked.map((f) => stripAnsi(f)).join('\n');
      expect(all).toContain('\\u001b]0;pwned');
      expect(all).toContain('\\u009b2J');
      expect(all).toContain('\\u202e');
      expect(all).toContain('click-me');
      expect(all).toMatch(/L{10,}…/);
      expect(checked.filter((f) => (f.match(SGR) ?? []).length > 0).length).toBeGreaterThan(agents / 2);
    } finally {
      cleanupInk();
      await engine.close();
    }
    checkFrames();
    expect(checked.length).toBeGreaterThan(agents);
  }, 60_000);
});
