import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { checkDocument } from '../../src/core/report/report.js';
import { materialize } from '../../src/core/report/json-stream.js';
import { displayWidth } from '../../src/core/sanitize.js';
import {
  csvField,
  escapeMarkdown,
  escapeXml,
  renderSnapshot,
  SGR_RESET,
  snapshotLayout,
  SNAPSHOT_FORMATS,
  SVG_CELL_WIDTH,
  svgPieces,
  type SnapshotInput,
} from '../../src/core/report/snapshot.js';
import { columnsFor, layoutColumns, renderTextTable } from '../../src/core/view/view.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';
import { checkWellFormed, xmllint } from '../helpers/xml.js';

const NOW = T0 + MIN;
const AT = '2026-03-02T09:00:00Z';
const config = incidentConfig();
const recon = reconcile(
  incidentReads(
    {
      'Agent-1': { status: 'ONBOARDED', fsm: 'READY', at: AT },
      'Agent-2': { status: '<script>alert("x")</script> | `rm` *a* [l](u) &amp;', fsm: 'IDLE', at: AT },
      '漢字-3': { status: 'ACTIVE', fsm: 'ACTIVE', at: AT },
      'Agent-4': { status: 'bad\uffff\x1b[31mred\n2nd', fsm: 'IDLE', at: AT },
      '=cmd': { status: 'ACTIVE', fsm: 'IDLE', at: AT },
    },
    {
      onboarded: { 'Agent-1': true, 'Agent-2': true, '漢字-3': true, 'Agent-4': true, '=cmd': true },
      fsm: {
        'Agent-1': 'uninitialized',
        'Agent-2': 'idle',
        '漢字-3': 'active',
        'Agent-4': 'idle',
        '=cmd': 'idle',
      },
    },
  ),
  config,
  NOW,
);
const ROOT = '/srv/swarm & <co>';
const input = (extra: Partial<SnapshotInput> = {}): SnapshotInput => ({
  root: ROOT,
  config,
  recon,
  now: NOW,
  width: 120,
  color: true,
  ...extra,
});
const IDS = ['Agent-1', 'Agent-2', '漢字-3', 'Agent-4', '=cmd'];
const stripSgr = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '');

describe('the fixture of these tests', () => {
  it('has the verdicts the renderers are tested on', () => {
    expect(Object.fromEntries(recon.agents.map((a) => [a.id, a.verdict]))).toMatchObject({
      'Agent-1': 'drift',
      'Agent-2': 'conflict',
      '漢字-3': 'in-sync',
      '=cmd': 'in-sync',
    });
  });
});

describe('text', () => {
  const text = renderSnapshot('text', input());
  const lines = text.split('\n');

  it('has a title with the root, the time and the counts, then the table of check, the summary and the legend', () => {
    expect(lines[0]).toMatch(
      /^sync-tui snapshot {2}\/srv\/swarm & <co> {2}2026-03-02T09:01:00\.000Z {2}5 agents: /,
    );
    const table = renderTextTable(
      recon.agents,
      layoutColumns(columnsFor(config), recon.agents, NOW, 120),
      NOW,
    );
    expect(lines.slice(2, 2 + table.length)).toEqual(table);
    expect(lines[lines.length - 3]).toBe('5 agents: ⚠ 2 conflict  ≠ 1 drift  ✔ 2 in-sync');
    // The legend of src/core/view/legend.ts; no CHANGED column in a snapshot, so no CHANGED entry.
    expect(lines[lines.length - 2]).toBe(
      'legend  ?value not in the vocabulary  · no value  — not listed (ages: never)',
    );
    expect(text.endsWith('\n')).toBe(true);
  });

  it('shows LAST SEEN as ISO times instead of ages with absoluteTimes, in text and md', () => {
    const seen = recon.agents.find((a) => a.lastSeen !== null)!;
    const iso = new Date(seen.lastSeen!).toISOString();
    const t = renderSnapshot('text', { ...input(), absoluteTimes: true });
    const row = t.split('\n').find((l) => l.startsWith(seen.id + ' '))!;
    expect(row).toContain(iso);
    expect(renderSnapshot('text', input())).not.toContain(iso);
    expect(renderSnapshot('md', { ...input(), absoluteTimes: true })).toContain(iso);
  });

  it('cuts the legend at the width, entry by entry', () => {
    const narrow = renderSnapshot('text', { ...input(), width: 40 }).split('\n');
    expect(narrow[narrow.length - 2]).toBe('legend  ?value not in the vocabulary');
  });

  it('never exceeds the width, and stays inert', () => {
    for (const width of [20, 40, 60, 80, 120, 200]) {
      for (const line of renderSnapshot('text', input({ width })).split('\n'))
        expect(displayWidth(line)).toBeLessThanOrEqual(width);
    }
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f]/);
  });
});

describe('ansi', () => {
  const ansi = renderSnapshot('ansi', input());

  it('is the text with colours: verdicts in their colour, differing target cells highlighted, empty cells dim', () => {
    expect(stripSgr(ansi)).toBe(renderSnapshot('text', input()));
    expect(ansi).toContain('\x1b[1;33m≠ drift\x1b[0m');
    expect(ansi).toContain('\x1b[1;31m⚠ conflict\x1b[0m');
    expect(ansi).toContain('\x1b[32m✔ in-sync\x1b[0m');
    expect(ansi).toContain('\x1b[1;33mUNINITIALIZED\x1b[0m');
    expect(ansi).toContain('\x1b[2m1m\x1b[0m');
    expect(ansi.endsWith(SGR_RESET)).toBe(true);
  });

  it('is plain text without colour', () => {
    expect(renderSnapshot('ansi', input({ color: false }))).toBe(renderSnapshot('text', input()));
  });

  it('lets no escape sequence from a file through', () => {
    expect(stripSgr(ansi)).not.toContain('\x1b');
    expect(ansi).not.toContain('\x1b[31mred');
  });
});

describe('svg', () => {
  const svg = renderSnapshot('svg', input());

  it('is well-formed XML with every agent id, and xmllint agrees where installed', () => {
    expect(checkWellFormed(svg)[0]).toBe('svg');
    expect(xmllint(svg) ?? '').toBe('');
    // Text as a reader of the picture sees it: the pieces of each line, in order.
    const shown = svg
      .split('\n')
      .map((l) => [...l.matchAll(/<tspan [^>]*>([^<]*)</g)].map((m) => m[1]).join(''));
    for (const id of IDS) expect(shown.some((l) => l.startsWith(escapeXml(id)))).toBe(true);
  });

  it('holds no script, no external reference and no font download', () => {
    expect(svg).not.toMatch(/<script|href|url\(|@import|@font-face|<foreignObject/i);
    expect(svg).toContain('?&lt;script&gt;alert(&quot;x&quot;)&lt;/');
    expect(renderSnapshot('svg', input({ width: 200 }))).toContain(
      'value &#39;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; | `rm` *a',
    );
    expect(svg).toContain(`font-family="ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace"`);
    expect(svg).toContain('xml:space="preserve"');
  });

  it('replaces characters XML forbids', () => {
    expect(svg).not.toContain('\uffff');
    expect(escapeXml('a\uffff\ufffeb')).toBe('a\ufffd\ufffdb');
  });

  it('escapes the five XML specials', () => {
    expect(escapeXml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('sizes the picture from columns and lines', () => {
    const m = /<svg [^>]*width="([\d.]+)" height="([\d.]+)"/.exec(svg)!;
    const longest = Math.max(...renderSnapshot('text', input()).split('\n').map(displayWidth));
    expect(Number(m[1])).toBeCloseTo(40 + Math.max(60, longest) * SVG_CELL_WIDTH, 1);
    expect(Number(m[2])).toBeGreaterThan(renderSnapshot('text', input()).split('\n').length * 14);
  });

  it('gives a wide character two cells and places every piece by its column', () => {
    expect(svgPieces({ col: 4, text: '漢字-3', width: 6, style: {} })).toEqual([
      { col: 4, text: '漢', width: 2 },
      { col: 6, text: '字', width: 2 },
      { col: 8, text: '-3', width: 2 },
    ]);
    expect(svgPieces({ col: 0, text: 'a ✔ b  ', width: 7, style: {} })).toEqual([
      { col: 0, text: 'a', width: 1 },
      { col: 2, text: '✔', width: 1 },
      { col: 4, text: 'b', width: 1 },
    ]);
    // In the picture: the cell after the wide agent id starts where the column starts.
    const layout = snapshotLayout(input());
    const secondColumn = layout[0]!.width + 2;
    const row = svg.split('\n').find((l) => l.includes('>字<'))!;
    const xs = [...row.matchAll(/<tspan x="([\d.]+)"[^>]*>([^<]*)</g)].map(
      (m) => [Number(m[1]), m[2]] as const,
    );
    expect(xs.slice(0, 4)).toEqual([
      [20, '漢'],
      [20 + 2 * SVG_CELL_WIDTH, '字'],
      [20 + 4 * SVG_CELL_WIDTH, '-3'],
      [Math.round((20 + secondColumn * SVG_CELL_WIDTH) * 100) / 100, 'ACTIVE'],
    ]);
  });
});

describe('md', () => {
  const md = renderSnapshot('md', input());
  const lines = md.split('\n');
  const tableLines = lines.filter((l) => l.startsWith('|'));
  const cellCount = (l: string) => l.replace(/\\\\/g, '').replace(/\\\|/g, '').split('|').length - 2;

  it('has a heading, a header and delimiter row, one row per agent, the summary and the legend', () => {
    expect(lines[0]).toBe('## sync-tui snapshot · /srv/swarm & \\<co> · 2026-03-02T09:01:00.000Z');
    expect(tableLines).toHaveLength(2 + IDS.length);
    expect(tableLines[1]).toMatch(/^\|( --- \|)+$/);
    const n = cellCount(tableLines[0]!);
    for (const l of tableLines) expect(cellCount(l)).toBe(n);
    expect(md).toContain('| ≠ drift |');
    const tail = md.trimEnd().split('\n').slice(-3);
    expect(tail).toEqual([
      '5 agents: ⚠ 2 conflict  ≠ 1 drift  ✔ 2 in-sync',
      '',
      '_legend:_ `?value` not in the vocabulary · `·` no value · `—` not listed (ages: never)',
    ]);
  });

  it('escapes pipes, backticks, emphasis, links, tags and entities', () => {
    const row = tableLines.find((l) => l.startsWith('| Agent-2 '))!;
    expect(row).toContain('?\\<script>alert("x")\\</script> \\| \\`rm\\` \\*a\\* \\[l\\](u) \\&amp;');
    expect(escapeMarkdown('TASK_EXECUTION _x_ a|b -> c & d &lt;')).toBe(
      'TASK_EXECUTION \\_x\\_ a\\|b -> c & d \\&lt;',
    );
    expect(escapeMarkdown('line\nbreak')).toBe('line⏎break');
    expect(md).not.toContain('\x1b');
  });
});

describe('csv', () => {
  const csv = renderSnapshot('csv', input());
  const rows = csv.split('\r\n');

  it('has a header and one CRLF-terminated row per agent, canonical values per source', () => {
    expect(rows.pop()).toBe('');
    expect(rows[0]).toBe('agent,status:file,status:display,fsm:file,fsm:display,verdict,last_seen,reason');
    expect(rows).toHaveLength(1 + IDS.length);
    expect(rows.find((r) => r.startsWith('Agent-1,'))).toMatch(
      /^Agent-1,ONBOARDED,true,READY,UNINITIALIZED,drift,2026-03-02T09:00:00\.000Z,"fsm: display has 'uninitialized', expected 'ready'"$/,
    );
  });

  it('quotes by RFC 4180', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('plain')).toBe('plain');
    expect(csvField('two\nlines')).toBe('two⏎lines');
  });

  it('defuses spreadsheet formulas', () => {
    for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1'])
      expect(csvField(s).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvField('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(rows.some((r) => r.startsWith("'=cmd,"))).toBe(true);
  });
});

describe('json', () => {
  it('is the check --json document, layout included', () => {
    const health = { file: { healthy: true, diagnostics: [] }, display: { healthy: true, diagnostics: [] } };
    const doc = JSON.parse(renderSnapshot('json', input({ health }))) as { layout?: { sources: unknown[] } };
    expect(doc).toEqual(
      JSON.parse(JSON.stringify(materialize(checkDocument(ROOT, recon, config, NOW, health)))),
    );
    expect(doc.layout?.sources.length).toBe(config.sources.length);
  });
});

describe('html', () => {
  const html = renderSnapshot('html', input());

  it('is a self-contained page with the table, in the terminal colours', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(|@import/i);
    expect(html.match(/<tr data-verdict=/g)).toHaveLength(IDS.length);
    expect(html).toContain('<td class="yellow b">≠ drift</td>');
    expect(html).toContain('<td class="yellow b">UNINITIALIZED</td>');
    expect(html).toContain('&lt;script&gt;');
    for (const id of IDS) expect(html).toContain(escapeXml(id));
    expect(html).toContain('<span class="dim">legend</span>  <span class="b">?value</span>');
  });

  it('parses as XML too (every tag closed, every attribute quoted) once the doctype is set aside', () => {
    const body = html.replace(/^<!DOCTYPE html>\n/, '').replace(/<meta ([^>]*[^/])>/g, '<meta $1/>');
    expect(() => checkWellFormed(body)).not.toThrow();
  });
});

describe('every format', () => {
  it('renders an empty workspace', () => {
    const empty = reconcile(incidentReads({}, {}), config, NOW);
    for (const f of SNAPSHOT_FORMATS)
      expect(renderSnapshot(f, input({ recon: empty })).length).toBeGreaterThan(0);
    expect(() => checkWellFormed(renderSnapshot('svg', input({ recon: empty })))).not.toThrow();
  });

  it('shows source problems above the table', () => {
    const health = {
      file: { healthy: true, diagnostics: [] },
      display: { healthy: false, diagnostics: ['coordination_system_state.json: <oops>'] },
    };
    expect(renderSnapshot('text', input({ health })).split('\n')[1]).toBe(
      'source display unhealthy: coordination_system_state.json: <oops>',
    );
    expect(renderSnapshot('svg', input({ health }))).toContain('&lt;oops&gt;');
    expect(renderSnapshot('html', input({ health }))).toContain(
      '<span class="red">source display unhealthy: coordination_system_state.json: &lt;oops&gt;</span>',
    );
    expect(renderSnapshot('md', input({ health }))).toContain(
      '> **source display unhealthy:** coordination_system_state.json: \\<oops>',
    );
  });
});

describe('a theme from the config', () => {
  const themed = (theme: NonNullable<typeof config.theme>) => input({ config: { ...config, theme } });

  it('colours ANSI through the tokens: names as 16-colour codes, #hex as 24-bit', () => {
    const ansi = renderSnapshot('ansi', themed({ warn: '#d7af00', error: 'magentaBright' }));
    expect(ansi).toContain('\x1b[1;38;2;215;175;0m≠ drift\x1b[0m');
    expect(ansi).toContain('\x1b[1;95m⚠ conflict\x1b[0m');
    expect(ansi).not.toContain('\x1b[1;33m≠ drift');
    expect(stripSgr(ansi)).toBe(renderSnapshot('text', input()));
  });

  it('fills SVG text and HTML classes with the theme colours', () => {
    const svg = renderSnapshot('svg', themed({ warn: '#d7af00', ok: 'blue' }));
    expect(svg).toMatch(/<tspan [^>]*fill="#d7af00"[^>]*>≠<\/tspan>/);
    expect(svg).not.toContain('fill="#f5c542"');
    const html = renderSnapshot('html', themed({ warn: '#d7af00' }));
    expect(html).toContain('.yellow { color: #d7af00; }');
    expect(renderSnapshot('html', input())).toContain('.yellow { color: #f5c542; }');
  });
});
