// The built `sync-tui init`: a config that check reads into the same verdicts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
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
  return {
    code: r.code,
    summary: doc.summary,
    agents: doc.agents.map((a) => ({
      id: a.id,
      verdict: a.verdict,
      differences: a.differences,
      truth: a.truth,
    })),
  };
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
      expect(r.stdout).toContain(
        `wrote ${file}: the detected layout ${name === 'incident' ? 'coordination-system' : 'generic'}`,
      );
      expect(fs.readFileSync(file, 'utf8')).toMatch(
        /^# sync-tui\.config\.yaml: how sync-tui reads this workspace\./,
      );
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
    fs.writeFileSync(file, '# mine\nsources: [oops\n');
    const again = runCli(['init', '--root', root]);
    expect(again).toMatchObject({ code: 2, stdout: '' });
    expect(again.stderr).toMatch(
      new RegExp(
        `^sync-tui: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} exists and does not load: ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:\\d+:\\d+: .*; fix it by hand \\(see the README\\)\\. To replace it with what init found pass --force \\(a backup is kept\\)`,
      ),
    );
    expect(fs.readFileSync(file, 'utf8')).toBe('# mine\nsources: [oops\n');
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toContain('kind: registry');
    const backup = /kept as (\S+)\n/.exec(forced.stdout)?.[1];
    expect(backup).toMatch(/sync-tui\.config\.yaml\.bak-\d{8}T\d{6}Z$/);
    expect(fs.readFileSync(backup!, 'utf8')).toBe('# mine\nsources: [oops\n');
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
    expect(r.stderr).toMatch(
      /^sync-tui: no known layout found in .*; looked for status files: .*Pass --force to write a template/,
    );
    expect(fs.readdirSync(root)).toEqual([]);
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('a template (no known layout found: edit the paths in it)');
    const text = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
    expect(text).toContain('NO KNOWN LAYOUT WAS FOUND');
    expect(parseConfig(text, 'x').ok).toBe(true);
  });

  it('on a root with a working hand-written config (its files moved where init would not look first): says it loads, --print --force diffs, --force keeps a backup', () => {
    const root = workspace('incident');
    const file = path.join(root, 'sync-tui.config.yaml');
    expect(runCli(['init', '--root', root]).code).toBe(0);
    // Move the sources where detection cannot find them, and point a hand-edited config at them.
    const hidden = path.join(root, 'hidden');
    fs.mkdirSync(hidden);
    for (const name of fs.readdirSync(root))
      if (name !== 'hidden' && name !== 'sync-tui.config.yaml')
        fs.renameSync(path.join(root, name), path.join(hidden, name));
    const mine = fs.readFileSync(file, 'utf8').replace(/^(\s+path: )(['"]?)/gm, '$1$2hidden/');
    fs.writeFileSync(file, mine);
    const checked = runCli(['check', '--root', root]);
    expect(checked.stderr).toBe('');
    const refused = runCli(['init', '--root', root]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} exists and loads (sources `);
    expect(refused.stderr).toContain('check and the live view use it as it is');
    expect(refused.stderr).toContain('pass --force (a backup is kept)');
    const printed = runCli(['init', '--root', root, '--print', '--force']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^--- .*sync-tui\.config\.yaml \(now\)\n\+\+\+ .*\(init\)\n@@ /m);
    // What init found by content replaces the hand-written header; the diff shows it.
    expect(printed.stdout).toMatch(
      /^\+# Written by `sync-tui init` .* discovered from what the files hold\.$/m,
    );
    expect(printed.stderr).toContain('above: what init would change in it (nothing written)');
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    const backup = /kept as (\S+)\n/.exec(forced.stdout)?.[1];
    expect(backup).toBeDefined();
    expect(fs.readFileSync(backup!, 'utf8')).toBe(mine);
    expect(fs.readFileSync(file, 'utf8')).toMatch(
      /path: .*hidden\/agent_workspaces\/\{agent\}\/status\.json/,
    );
    // A second --force does not overwrite the first backup.
    const again = runCli(['init', '--root', root, '--force']);
    const second = /kept as (\S+)\n/.exec(again.stdout)?.[1];
    expect(second).not.toBe(backup);
    expect(fs.readFileSync(backup!, 'utf8')).toBe(mine);
  });

  it('on a root with a working hand-written config and no known layout: says it loads, --print --force diffs, --force keeps a backup', () => {
    // A config written for a workspace, in a root where nothing can be detected (its
    // sources are elsewhere): it loads, and init has only placeholders to offer.
    const elsewhere = workspace('incident');
    expect(runCli(['init', '--root', elsewhere]).code).toBe(0);
    const root = tempDir();
    made.push(root);
    const file = path.join(root, 'sync-tui.config.yaml');
    const mine = fs
      .readFileSync(path.join(elsewhere, 'sync-tui.config.yaml'), 'utf8')
      .replace(/^(\s+path: )(['"]?)/gm, '$1$2hidden/');
    fs.writeFileSync(file, mine);
    const refused = runCli(['init', '--root', root]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`${file} exists and loads (sources `);
    expect(refused.stderr).toContain('check and the live view use it as it is');
    expect(refused.stderr).toContain('pass --force (a backup is kept)');
    const printed = runCli(['init', '--root', root, '--print', '--force']);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^--- .*sync-tui\.config\.yaml \(now\)\n\+\+\+ .*\(init\)\n@@ /m);
    expect(printed.stdout).toMatch(/^-\s+path: .*hidden\//m);
    expect(printed.stderr).toContain('above: what init would change in it (nothing written)');
    expect(fs.readFileSync(file, 'utf8')).toBe(mine);
    const forced = runCli(['init', '--root', root, '--force']);
    expect(forced.code).toBe(0);
    const backup = /kept as (\S+)\n/.exec(forced.stdout)?.[1];
    expect(backup).toBeDefined();
    expect(fs.readFileSync(backup!, 'utf8')).toBe(mine);
    expect(fs.readFileSync(file, 'utf8')).toContain('NO KNOWN LAYOUT WAS FOUND');
    // A second --force does not overwrite the first backup.
    const again = runCli(['init', '--root', root, '--force']);
    const second = /kept as (\S+)\n/.exec(again.stdout)?.[1];
    expect(second).not.toBe(backup);
    expect(fs.readFileSync(backup!, 'utf8')).toBe(mine);
  });

  it('exits 2 for a missing root, and explains itself in --help', () => {
    expect(runCli(['init', '--root', '/nonexistent/sync-tui'])).toMatchObject({
      code: 2,
      stderr: 'sync-tui: root /nonexistent/sync-tui does not exist\n',
    });
    const help = runCli(['init', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('--force');
    expect(help.stdout).toContain('sync-tui init --print');
  });
});
