// The built `sync-tui snapshot` on the incident-shaped workspace, in every format.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from '../helpers/cli.js';
import { checkWellFormed, xmllint } from '../helpers/xml.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const ROOT = path.join(FIXTURES, 'workspaces/incident');
const IDS = Array.from({ length: 11 }, (_, i) => `Agent-${i + 1}`);

function snapshot(format: string, extra: string[] = [], env: Record<string, string> = {}) {
  return runCli(['snapshot', '--root', ROOT, '--format', format, ...extra], { env });
}

describe('sync-tui snapshot, every format', () => {
  it('text: title, the table check prints, the summary', () => {
    const r = snapshot('text');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^sync-tui snapshot {2}\S.*incident {2}\d{4}-\d\d-\d\dT[\d:.]+Z {2}11 agents/);
    expect(lines.find((l) => l.startsWith('AGENT '))).toMatch(
      /^AGENT\s+STATUS file\s+STATUS display\s+FSM file\s+FSM display\s+LAST SEEN\s+VERDICT\s+WHY$/,
    );
    for (const id of IDS) expect(lines.some((l) => l.startsWith(`${id} `))).toBe(true);
    expect(lines.find((l) => l.startsWith('Agent-2 '))).toMatch(
      /^Agent-2\s+ONBOARDED\s+true\s+READY\s+UNINITIALIZED\s+\S+\s+≠ drift/,
    );
    expect(r.stdout).toContain('11 agents: ✖ 1 invalid  ∅ 1 missing  ⚠ 4 conflict  ≠ 3 drift  ◷ 2 stale\n');
    expect(r.stdout).not.toContain('\x1b');
    // A file is not a terminal: by default every reason is whole, as check --json gives it.
    const doc = JSON.parse(runCli(['check', '--json', '--root', ROOT]).stdout) as {
      agents: { id: string; reasons: string[] }[];
    };
    for (const a of doc.agents)
      if (a.reasons[0])
        expect(lines.find((l) => l.startsWith(`${a.id} `))).toMatch(
          new RegExp(`${a.reasons[0].replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`),
        );
    // --width still bounds it.
    expect(
      snapshot('text', ['--width', '120'])
        .stdout.split('\n')
        .every((l) => l.length <= 120),
    ).toBe(true);
  });

  it('ansi: colours even under NO_COLOR (they were asked for), none with --no-color', () => {
    const r = snapshot('ansi');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('\x1b[1;33m≠ drift\x1b[0m');
    expect(r.stdout.endsWith('\x1b[0m')).toBe(true);
    expect(
      r.stdout
        .replace(/\x1b\[[0-9;]*m/g, '')
        .split('\n')
        .slice(1),
    ).toEqual(snapshot('text').stdout.split('\n').slice(1));
    expect(snapshot('ansi', ['--no-color']).stdout).not.toContain('\x1b');
  });

  it('svg: well-formed, every agent, no scripts or external references', () => {
    const r = snapshot('svg');
    expect(r.code).toBe(0);
    expect(checkWellFormed(r.stdout)[0]).toBe('svg');
    expect(xmllint(r.stdout) ?? '').toBe('');
    for (const id of IDS) expect(r.stdout).toContain(`>${id}</tspan>`);
    expect(r.stdout).not.toMatch(/<script|href=|url\(|@import/i);
  });

  it('md: a heading, a table with one row per agent, the summary', () => {
    const r = snapshot('md');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toMatch(/^## sync-tui snapshot · .*incident · /);
    const rows = lines.filter((l) => l.startsWith('| Agent-'));
    expect(rows.map((l) => l.split(' | ')[0]!.slice(2))).toEqual(IDS);
    expect(lines.filter((l) => l.startsWith('|'))).toHaveLength(2 + IDS.length);
    expect(r.stdout).toContain('| ≠ drift |');
  });

  it('json: the check --json document', () => {
    const r = snapshot('json');
    expect(r.code).toBe(0);
    const snap = JSON.parse(r.stdout) as Record<string, unknown>;
    const check = JSON.parse(runCli(['check', '--json', '--root', ROOT]).stdout) as Record<string, unknown>;
    delete snap['generatedAt'];
    delete check['generatedAt'];
    expect(snap).toEqual(check);
  });

  it('csv: a header and one row per agent', () => {
    const r = snapshot('csv');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(12);
    expect(lines[0]).toBe('agent,status:file,status:display,fsm:file,fsm:display,verdict,last_seen,reason');
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(IDS);
    expect(lines.find((l) => l.startsWith('Agent-2,'))).toMatch(
      /^Agent-2,ONBOARDED,true,READY,UNINITIALIZED,drift,2026-03-02T07:15:00\.000Z,"fsm: display has /,
    );
  });

  it('html: a page with every agent and no script', () => {
    const r = snapshot('html');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/);
    for (const id of IDS) expect(r.stdout).toContain(`>${id}</td>`);
    expect(r.stdout).not.toMatch(/<script/i);
  });
});

describe('sync-tui snapshot --output', () => {
  it('writes the file whole, leaves no temp file, and takes the format from the extension', () => {
    const dir = tempDir();
    made.push(dir);
    const file = path.join(dir, 'status.svg');
    const r = runCli(['snapshot', '--root', ROOT, '--output', file]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toBe(`wrote ${file} (svg, 11 agents)\n`);
    expect(checkWellFormed(fs.readFileSync(file, 'utf8'))[0]).toBe('svg');
    expect(fs.readdirSync(dir)).toEqual(['status.svg']);
    // Replacing keeps the mode of the file it replaces.
    fs.chmodSync(file, 0o640);
    expect(runCli(['snapshot', '--root', ROOT, '--output', file, '--format', 'md']).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^## sync-tui snapshot/);
    expect(fs.statSync(file).mode & 0o777).toBe(0o640);
    expect(fs.readdirSync(dir)).toEqual(['status.svg']);
    expect(runCli(['snapshot', '--root', ROOT, '--output', '-']).stdout).toMatch(/^sync-tui snapshot /);
  });

  it('refuses a folder, a missing folder, and bad options, with one line and exit 2', () => {
    const dir = tempDir();
    made.push(dir);
    const folder = runCli(['snapshot', '--root', ROOT, '--format', 'svg', '--output', dir]);
    expect(folder).toMatchObject({ code: 2, stdout: '' });
    expect(folder.stderr).toBe(
      `sync-tui: --output: ${dir} is a folder; name a file in it, e.g. --output ${path.join(dir, 'snapshot.svg')}\n`,
    );
    const missing = runCli(['snapshot', '--root', ROOT, '--output', path.join(dir, 'nope/x.txt')]);
    expect(missing).toMatchObject({
      code: 2,
      stderr: `sync-tui: --output: folder ${path.join(dir, 'nope')} does not exist\n`,
    });
    const format = runCli(['snapshot', '--root', ROOT, '--format', 'pdf']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain(
      "argument 'pdf' is invalid. Allowed choices are text, ansi, svg, md, json, csv, html.",
    );
    expect(runCli(['snapshot', '--root', ROOT, '--width', '5'])).toMatchObject({
      code: 2,
      stderr: "sync-tui: --width: expected a whole number of columns from 20 to 1000, found '5'\n",
    });
    expect(runCli(['snapshot', '--root', '/nonexistent/sync-tui'])).toMatchObject({
      code: 2,
      stderr: 'sync-tui: root /nonexistent/sync-tui does not exist\n',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('explains itself in --help', () => {
    const r = runCli(['snapshot', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('--format <format>');
    expect(r.stdout).toContain('sync-tui snapshot --format svg --output status.svg');
  });
});

describe('sync-tui snapshot: the reason gets the room it needs by default', () => {
  for (const format of ['svg', 'html'] as const) {
    it(`${format}: a reason longer than 90 columns is whole`, () => {
      const r = runCli(['snapshot', '--root', ROOT, '--format', format]);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(
        'fsm: display cannot move IDLE -&gt; ONBOARDED: no allowed transition leads from IDLE to ONBOARDED<',
      );
      expect(r.stdout).not.toContain('…');
    });
  }
});
