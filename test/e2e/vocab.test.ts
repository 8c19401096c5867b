// The built `sync-tui vocab`: every value seen, suggestions with reasons, and --accept
// writing the alias into sync-tui.config.yaml with its comments and layout kept.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function copy(name: string): string {
  const dir = tempDir(`sync-tui-vocab-${name}-`);
  made.push(dir);
  fs.cpSync(path.join(FIXTURES, 'discovery', name), dir, { recursive: true });
  return dir;
}

interface Report {
  entries: {
    source: string;
    field: string;
    values: {
      value: string;
      agents: number;
      canonical: string;
      suggestion?: { canonical: string; reason: string };
    }[];
  }[];
  distinct: number;
  known: number;
}

describe('sync-tui vocab', () => {
  it('lists every value per field and source with agent counts, and suggests for unknowns with a reason', () => {
    const r = runCli(['vocab', '--json', '--root', path.join(FIXTURES, 'discovery', 'registry-subfolder')]);
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as Report;
    const file = doc.entries.find((e) => e.source === 'file' && e.field === 'status')!;
    expect(file.values[0]).toEqual({
      value: 'COMPLETE - LEGENDARY SESSION',
      agents: 1,
      canonical: 'unknown',
      suggestion: { canonical: 'ONBOARDED', reason: "starts with 'COMPLETE', an alias of ONBOARDED" },
    });
    expect(file.values.find((v) => v.value === 'ACTIVE_AGENT_MODE')).toEqual({
      value: 'ACTIVE_AGENT_MODE',
      agents: 1,
      canonical: 'ACTIVE',
    });
    expect(doc.entries.find((e) => e.source === 'display')!.values).toEqual([
      { value: 'ACTIVE', agents: 2, canonical: 'ACTIVE' },
      { value: 'INACTIVE', agents: 1, canonical: 'OFFLINE' },
    ]);
    expect([doc.known, doc.distinct]).toEqual([4, 5]);
  });

  it('--accept creates the config from the discovered layout when there is none, and the verdicts follow', () => {
    const root = copy('registry-subfolder');
    const r = runCli(['vocab', '--root', root, '--accept', 'COMPLETE - LEGENDARY SESSION=onboarded']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /added 'COMPLETE - LEGENDARY SESSION' as status ONBOARDED .*created from the layout found.*5 of 5 distinct values known \(was 4\)/,
    );
    const check = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as {
      agents: { id: string; sources: Record<string, { status?: unknown }> }[];
    };
    expect(check.agents.find((a) => a.id === 'Agent-3')!.sources['file']!.status).toBe('ONBOARDED');
  });

  it('--accept keeps every line and comment of a hand-written config', () => {
    const root = copy('no-registry');
    const original = [
      '# my swarm  (hand-written)',
      'version: 1',
      'sources:',
      '  file:   # the agents',
      '    kind: status-files',
      "    path: 'agent_workspaces/{agent}/status.json'",
      'fields:',
      '  status:',
      '    values:',
      '      ACTIVE: [GREEN_LIGHT]   # ours',
      '',
    ].join('\n');
    fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), original);
    const r = runCli(['vocab', '--root', root, '--accept', 'busy=ACTIVE']);
    expect(r.code).toBe(0);
    const after = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
    expect(after).toBe(
      original.replace('ACTIVE: [GREEN_LIGHT]   # ours', 'ACTIVE: [GREEN_LIGHT, busy]   # ours'),
    );
  });

  it('refuses a canonical value the field does not have, and a malformed --accept, writing nothing', () => {
    const root = copy('no-registry');
    const bad = runCli(['vocab', '--root', root, '--accept', 'busy=WORKING_HARD']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/'WORKING_HARD' is not a status value \(values: ONBOARDED, ACTIVE/);
    expect(runCli(['vocab', '--root', root, '--accept', 'busy']).code).toBe(2);
    expect(fs.existsSync(path.join(root, 'sync-tui.config.yaml'))).toBe(false);
  });
});
