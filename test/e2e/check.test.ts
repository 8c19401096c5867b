// The built `sync-tui check` on fixture workspaces shaped like the incident.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, FIXTURES, runCli, tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface Doc {
  root: string;
  generatedAt: string;
  summary: Record<string, number>;
  agents: {
    id: string;
    verdict: string;
    reasons: string[];
    sources: Record<
      string,
      {
        status: unknown;
        fsm: unknown;
        raw: Record<string, unknown>;
        updatedAt: string | null;
        diagnostics: string[];
      }
    >;
    truth: Record<string, unknown>;
    differences: { field: string; source: string; expected: unknown; actual: unknown }[];
  }[];
}

function checkJson(root: string, extra: string[] = []): { code: number | null; doc: Doc; stderr: string } {
  const r = runCli(['check', '--json', '--root', root, ...extra]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

describe('sync-tui check on the incident-shaped workspace (detected, no config)', () => {
  const root = path.join(FIXTURES, 'workspaces/incident');
  const { code, doc } = checkJson(root);
  const byId = Object.fromEntries(doc.agents.map((a) => [a.id, a]));

  it('exits 1 because agents drift, and prints the DESIGN shape', () => {
    expect(code).toBe(1);
    expect(doc.root).toBe(root);
    expect(Number.isNaN(Date.parse(doc.generatedAt))).toBe(false);
    expect(Object.keys(doc.summary).sort()).toEqual(
      ['agents', 'conflict', 'drift', 'in-sync', 'invalid', 'missing', 'stale'].sort(),
    );
    expect(doc.agents.map((a) => a.id)).toEqual([
      'Agent-1',
      'Agent-2',
      'Agent-3',
      'Agent-4',
      'Agent-5',
      'Agent-6',
      'Agent-7',
      'Agent-8',
      'Agent-9',
      'Agent-10',
      'Agent-11',
    ]);
  });

  it('gives each agent the verdict the fixture README promises', () => {
    expect(Object.fromEntries(doc.agents.map((a) => [a.id, a.verdict]))).toEqual({
      'Agent-1': 'conflict',
      'Agent-2': 'drift',
      'Agent-3': 'drift',
      'Agent-4': 'drift',
      'Agent-5': 'conflict',
      // In sync by value; the fixture's stamps are old, so the clock makes them stale.
      'Agent-6': 'stale',
      'Agent-7': 'stale',
      'Agent-8': 'conflict',
      'Agent-9': 'invalid',
      'Agent-10': 'missing',
      'Agent-11': 'conflict',
    });
    expect(doc.summary).toEqual({
      agents: 11,
      invalid: 1,
      missing: 1,
      conflict: 4,
      drift: 3,
      stale: 2,
      'in-sync': 0,
    });
  });

  it('names the sources file and display, with canonical and raw values', () => {
    const a2 = byId['Agent-2']!;
    expect(Object.keys(a2.sources)).toEqual(['file', 'display']);
    expect(a2.sources['file']).toMatchObject({
      status: 'ONBOARDED',
      fsm: 'READY',
      raw: { status: 'ONBOARDED', fsm: 'READY' },
      updatedAt: '2026-03-02T07:15:00.000Z',
    });
    expect(a2.sources['display']).toMatchObject({
      status: true,
      fsm: 'UNINITIALIZED',
      raw: { status: true, fsm: 'uninitialized' },
    });
    expect(a2.truth).toEqual({ status: 'ONBOARDED', fsm: 'READY' });
    expect(a2.differences).toEqual([
      {
        field: 'fsm',
        source: 'display',
        expected: 'READY',
        actual: 'UNINITIALIZED',
        actualRaw: 'uninitialized',
      },
    ]);
  });

  it('projects status into the registry domain and reports both differences of Agent-3', () => {
    expect(byId['Agent-3']!.differences).toEqual([
      { field: 'status', source: 'display', expected: true, actual: false, actualRaw: false },
      {
        field: 'fsm',
        source: 'display',
        expected: 'ACTIVE',
        actual: 'UNINITIALIZED',
        actualRaw: 'uninitialized',
      },
    ]);
  });

  it('reads the CRLF, emoji file with a space-separated stamp', () => {
    expect(byId['Agent-4']!.sources['file']).toMatchObject({
      status: 'ONBOARDED',
      fsm: 'IDLE',
      updatedAt: '2026-03-02T08:05:28.000Z',
    });
  });

  it('takes the last of duplicate keys, with a diagnostic naming the line', () => {
    const f = byId['Agent-8']!.sources['file']!;
    expect(f.status).toBe('ONBOARDED');
    expect(
      f.diagnostics.some(
        (d) => d.startsWith('agent_workspaces/Agent-8/status.json:7:') && d.includes('status'),
      ),
    ).toBe(true);
  });

  it('says where the conflict markers are', () => {
    const a9 = byId['Agent-9']!;
    expect(a9.reasons[0]).toMatch(/^file: .*line 3/);
    expect(a9.sources['file']!.diagnostics[0]).toMatch(/^agent_workspaces\/Agent-9\/status\.json:3:1: /);
  });

  it('keeps an unknown status raw and explains the conflict', () => {
    const a11 = byId['Agent-11']!;
    expect(a11.sources['file']).toMatchObject({ status: null, raw: { status: 'HYPERDRIVE_ENGAGED' } });
    expect(a11.reasons).toContain(
      "status: newest value 'HYPERDRIVE_ENGAGED' (file) is not a known value; not written",
    );
  });

  it('explains the backwards move of Agent-1 and the missing Agent-10', () => {
    expect(byId['Agent-1']!.reasons[0]).toBe(
      'fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE to ONBOARDED',
    );
    expect(byId['Agent-10']!.reasons).toEqual(['not listed in file']);
  });
});

describe('sync-tui check on the generic layout', () => {
  const { code, doc } = checkJson(path.join(FIXTURES, 'workspaces/generic'));
  const byId = Object.fromEntries(doc.agents.map((a) => [a.id, a]));
  it('detects file, display and realtime and gives the promised verdicts', () => {
    expect(code).toBe(1);
    expect(Object.keys(byId['alpha']!.sources)).toEqual(['file', 'display', 'realtime']);
    expect(Object.fromEntries(doc.agents.map((a) => [a.id, a.verdict]))).toEqual({
      alpha: 'stale',
      beta: 'drift',
      gamma: 'missing',
      delta: 'missing',
    });
    expect(byId['beta']!.truth).toEqual({ status: 'ACTIVE', fsm: 'TASK_EXECUTION' });
  });
});

describe('sync-tui check: exit codes and errors', () => {
  it('exits 0 on a workspace in sync (fresh stamps)', () => {
    const root = tempDir();
    made.push(root);
    fs.mkdirSync(path.join(root, 'agent_workspaces/Agent-1'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-1/status.json'),
      JSON.stringify({
        agent_id: 'Agent-1',
        status: 'ACTIVE',
        fsm_state: 'IDLE',
        last_updated: new Date().toISOString(),
      }),
    );
    fs.writeFileSync(
      path.join(root, 'coordination_system_state.json'),
      JSON.stringify({ onboarding_status: { 'Agent-1': true }, agent_fsm_states: { 'Agent-1': 'idle' } }),
    );
    const r = runCli(['check', '--root', root]);
    expect(r.stdout).toContain('1 agent: ✔ 1 in-sync');
    expect(r.code).toBe(0);
  });

  it('honours --fail-on', () => {
    const root = copyFixture('incident');
    made.push(root);
    expect(runCli(['check', '--root', root, '--fail-on', 'invalid']).code).toBe(1);
    for (const a of ['Agent-9']) fs.rmSync(path.join(root, 'agent_workspaces', a), { recursive: true });
    expect(runCli(['check', '--root', root, '--fail-on', 'invalid']).code).toBe(0);
    const bad = runCli(['check', '--root', root, '--fail-on', 'broken']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      "sync-tui: --fail-on: unknown verdict 'broken' (expected a comma-separated list of: invalid, missing, conflict, drift, stale, in-sync)\n",
    );
  });

  it('exits 2 with one line for a missing root, an undetectable layout and a bad config', () => {
    const missing = runCli(['check', '--root', '/nonexistent/sync-tui']);
    expect(missing).toMatchObject({
      code: 2,
      stderr: 'sync-tui: root /nonexistent/sync-tui does not exist\n',
    });
    const empty = tempDir();
    made.push(empty);
    const r = runCli(['check', '--root', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toHaveLength(2);
    expect(r.stderr).toMatch(
      /no sync-tui\.config\.yaml in .* and no known layout found; looked for status files: /,
    );
    fs.writeFileSync(
      path.join(empty, 'sync-tui.config.yaml'),
      'sources:\n  file:\n    kind: status-file\n    path: a/{agent}.json\n',
    );
    const c = runCli(['check', '--root', empty]);
    expect(c.code).toBe(2);
    expect(c.stderr).toBe(
      `sync-tui: ${path.join(empty, 'sync-tui.config.yaml')}:3:11: sources.file.kind: expected one of status-files, registry, event-log, found 'status-file'\n`,
    );
    expect(c.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 1 when a source cannot be read even with no agent to show it', () => {
    const root = tempDir();
    made.push(root);
    fs.mkdirSync(path.join(root, 'agent_workspaces'));
    fs.writeFileSync(
      path.join(root, 'coordination_system_state.json'),
      '{"onboarding_status": {"Agent-1": tr',
    );
    fs.writeFileSync(
      path.join(root, 'sync-tui.config.yaml'),
      'sources:\n  file:\n    kind: status-files\n    path: agent_workspaces/{agent}/status.json\n  display:\n    kind: registry\n    path: coordination_system_state.json\n    fields:\n      status: ["onboarding_status.{agent}"]\n',
    );
    const r = runCli(['check', '--root', root]);
    expect(r.stdout).toMatch(/source display unhealthy: coordination_system_state\.json:1:/);
    expect(r.code).toBe(1);
  });

  it('reads a registry larger than the per-file bound for status files (fleets grow)', () => {
    const root = tempDir();
    made.push(root);
    fs.mkdirSync(path.join(root, 'agent_workspaces/Agent-1'), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-1/status.json'),
      JSON.stringify({
        agent_id: 'Agent-1',
        status: 'ACTIVE',
        fsm_state: 'IDLE',
        last_updated: new Date().toISOString(),
      }),
    );
    const history = Array.from({ length: 80_000 }, (_, i) => ({
      contract_id: `CONTRACT_${i}`,
      status: 'PENDING',
      progress: 0,
    }));
    const registry = JSON.stringify({
      contract_history: history,
      onboarding_status: { 'Agent-1': true },
      agent_fsm_states: { 'Agent-1': 'idle' },
    });
    expect(registry.length).toBeGreaterThan(4 * 1024 * 1024);
    fs.writeFileSync(path.join(root, 'coordination_system_state.json'), registry);
    // A status file over the bound is still refused, with a reason.
    fs.mkdirSync(path.join(root, 'agent_workspaces/Agent-2'));
    fs.writeFileSync(
      path.join(root, 'agent_workspaces/Agent-2/status.json'),
      `{"status": "${'x'.repeat(5 * 1024 * 1024)}"}`,
    );
    const doc = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as {
      agents: { id: string; verdict: string; reasons: string[] }[];
      sources: Record<string, { healthy: boolean }>;
    };
    expect(doc.sources['display']!.healthy).toBe(true);
    expect(doc.agents.find((a) => a.id === 'Agent-1')!.verdict).toBe('in-sync');
    expect(doc.agents.find((a) => a.id === 'Agent-2')).toMatchObject({ verdict: 'invalid' });
    expect(doc.agents.find((a) => a.id === 'Agent-2')!.reasons[0]).toMatch(
      /^file: file is \d+ bytes; at most 4194304 are read$/,
    );
  });

  it('suggests the command meant by a typo', () => {
    const r = runCli(['chek']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^sync-tui: unknown command 'chek'; did you mean 'check'\?/);
  });

  it('says how to open the live view on a folder given as a bare argument', () => {
    const r = runCli(['fixtures']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^sync-tui: unknown command 'fixtures'; 'fixtures' is a folder: to open the live view on it, run sync-tui --root fixtures/,
    );
  });

  it('rejects unknown flags as usage errors', () => {
    const r = runCli(['check', '--jsn']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown option '--jsn'");
    expect(r.stderr).toContain('--json');
  });

  it('prints a readable table', () => {
    const r = runCli(['check', '--root', path.join(FIXTURES, 'workspaces/incident'), '--width', '140']);
    const lines = r.stdout.split('\n');
    expect(lines[1]).toMatch(
      /^AGENT\s+STATUS file\s+STATUS display\s+FSM file\s+FSM display\s+LAST SEEN\s+VERDICT\s+WHY$/,
    );
    expect(lines.find((l) => l.startsWith('Agent-2 '))).toMatch(
      /^Agent-2\s+ONBOARDED\s+true\s+READY\s+UNINITIALIZED\s+\S+\s+≠ drift\s+fsm: display has 'uninitialized', exp/,
    );
    const wide = runCli([
      'check',
      '--root',
      path.join(FIXTURES, 'workspaces/incident'),
      '--width',
      '200',
    ]).stdout.split('\n');
    expect(wide.find((l) => l.startsWith('Agent-2 '))).toMatch(
      /≠ drift\s+fsm: display has 'uninitialized', expected 'ready'$/,
    );
    const narrow = runCli([
      'check',
      '--root',
      path.join(FIXTURES, 'workspaces/incident'),
      '--width',
      '60',
    ]).stdout.split('\n');
    expect(narrow[1]).toMatch(/^AGENT\s+.*VERDICT/);
    expect(narrow.every((l) => l.length <= 60)).toBe(true);
    expect(lines.every((l) => l.length <= 140)).toBe(true);
  });
});

describe('sync-tui check: reasons are never cut off the table where there is room', () => {
  const ROOT = path.join(FIXTURES, 'workspaces', 'incident');
  const reasons = () =>
    (
      JSON.parse(runCli(['check', '--json', '--root', ROOT]).stdout) as {
        agents: { id: string; reasons: string[] }[];
      }
    ).agents;
  const rowOf = (out: string, id: string) => out.split('\n').find((l) => l.startsWith(`${id} `)) ?? '';

  it('into a pipe (not a terminal): every reason whole, nothing ends in an ellipsis', () => {
    const out = runCli(['check', '--root', ROOT]).stdout;
    const long = reasons().filter((a) => (a.reasons[0]?.length ?? 0) > 90);
    expect(long.length).toBeGreaterThan(0);
    for (const a of reasons()) if (a.reasons[0]) expect(rowOf(out, a.id).endsWith(a.reasons[0])).toBe(true);
    expect(out).not.toContain('…');
  });

  it('--width 400 gives the reason the room, --width 100 fits the table into 100 columns', () => {
    const wide = runCli(['check', '--root', ROOT, '--width', '400']).stdout;
    for (const a of reasons()) if (a.reasons[0]) expect(rowOf(wide, a.id).endsWith(a.reasons[0])).toBe(true);
    const narrow = runCli(['check', '--root', ROOT, '--width', '100']).stdout;
    expect(narrow.split('\n').every((l) => [...l].length <= 100)).toBe(true);
  });
});
