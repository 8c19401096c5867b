// The built `sync-tui init`: a config that check reads into the same verdicts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config.js';
import { copyFixture, runCli, tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function workspace(name: string): string {
  const root = copyFixture(name);
  made.push(root);
  return root;
}

interface Doc {
  summary: Record<string, number>;
  agents: { id: string; verdict: string; differences: unknown[]; truth: unknown }[];
}

function verdicts(root: string): { code: number | null; summary: Doc['summary']; agents: unknown[] } {
  const r = runCli(['check', '--json', '--root', root]);
  const doc = JSON.parse(r.stdout) as Doc;
  return { code: r.code, summary: doc.summary, agents: doc.agents.map((a) => ({ id: a.id, verdict: a.verdict, differences: a.differences, truth: a.truth })) };
}

describe('sync-tui init', () => {
  for (const name of ['incident', 'generic']) {
    it(`writes a config for the ${name} workspace that check reads into the same verdicts`, () => {
      const root = workspace(name);
      const before = verdicts(root);
      const r = runCli(['init', '--root', root]);
      expect(r.code).toBe(0);
      expect(r.stderr).toBe('');
      const file = path.join(root, 'sync-tui.config.yaml');
      expect(r.stdout).toContain(`wrote ${file}: the detected layout ${name === 'incident' ? 'coordination-system' : 'generic'}`);
      expect(fs.readFileSync(file, 'utf8')).toMatch(/^# sync-tui\.config\.yaml: how sync-tui reads this workspace\./);
      expect(fs.readdirSync(root).filter((f) => f.includes('.tmp'))).toEqual([]);
      // check now reads the file, not the detection, and says so.
      expect(runCli(['check', '--root', root]).stdout.split('\n')[0]).toContain(`(${file})`);
      expect(verdicts(root)).toEqual(before);
    });
  }

  it('refuses to overwrite without --force, and overwrites with it', () => {
    const root = workspace('incident');
    const file = path.join(root, 'sync-tui.config.yaml');
    expect(runCli(['init', '--root', root]).code).toBe(0);
    fs.writeFileSync(file, '# mine\nsources: {}\n');
    const again = runCli(['init', '--root', root]);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toBe(`sync-tui: ${file} already exists; pass --force to overwrite it, or --print to see the new config without writing it\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe('# mine\nsources: {}\n');
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('kind: registry');
    expect(verdicts(root).code).toBe(1);
  });

  it('--print prints the config and writes nothing', () => {
    const root = workspace('incident');
    const r = runCli(['init', '--root', root, '--print']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^# sync-tui\.config\.yaml/);
    expect(parseConfig(r.stdout, 'x').ok).toBe(true);
    expect(fs.existsSync(path.join(root, 'sync-tui.config.yaml'))).toBe(false);
  });

  it('says what it looked for when nothing is recognised; --force writes a template that parses', () => {
    const root = tempDir();
    made.push(root);
    const r = runCli(['init', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(/^sync-tui: no known layout found in .*; looked for status files: .*Pass --force to write a template/);
    expect(fs.readdirSync(root)).toEqual([]);
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('a template (no known layout found: edit the paths in it)');
    const text = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
    expect(text).toContain('NO KNOWN LAYOUT WAS FOUND');
    expect(parseConfig(text, 'x').ok).toBe(true);
  });

  it('exits 2 for a missing root, and explains itself in --help', () => {
    expect(runCli(['init', '--root', '/nonexistent/sync-tui'])).toMatchObject({ code: 2, stderr: 'sync-tui: root /nonexistent/sync-tui does not exist\n' });
    const help = runCli(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--force');
    expect(help.stdout).toContain('sync-tui init --print');
  });
});
