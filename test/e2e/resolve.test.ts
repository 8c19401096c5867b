// The built `sync-tui resolve`, `undo` and `log`, as scripts use them.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, runCli } from '../helpers/cli.js';
import { resolvable } from '../helpers/resolvable.js';

const cleanup: (() => void)[] = [];
afterAll(() => cleanup.forEach((f) => f()));
function ws(name: string): string {
  const root = copyFixture(name);
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  return root;
}

describe('resolve --all, check, undo on an incident-shaped workspace', () => {
  it('brings the registry in line, check then exits 0, undo restores the original bytes', () => {
    const root = resolvable(cleanup);
    const regFile = path.join(root, 'coordination_system_state.json');
    const original = fs.readFileSync(regFile, 'utf8');
    expect(runCli(['check', '--root', root]).code).toBe(1);

    const dry = runCli(['resolve', '--all', '--dry-run', '--root', root]);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toMatch(/^Agent-2\s+planned\s+fsm: uninitialized -> ready$/m);
    expect(fs.readFileSync(regFile, 'utf8')).toBe(original);

    const r = runCli(['resolve', '--all', '--root', root]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Agent-3\s+resolved\s+status: false -> true, fsm: uninitialized -> active$/m);
    expect(r.stdout).toMatch(/^resolved 3 agents \(4 writes\), action a-\S+$/m);

    const check = runCli(['check', '--root', root]);
    expect(check.stdout).toMatch(/agents: ✔ \d+ in-sync$/m);
    expect(check.code).toBe(0);

    const log = runCli(['log', '--root', root]);
    expect(log.code).toBe(0);
    expect(log.stdout).toMatch(/^a-\S+\s+\S+\s+resolve\s+4 changes$/m);
    expect(log.stdout).toMatch(
      /^ {2}Agent-2 {2}fsm {2}uninitialized -> ready {2}verified {2}\(truth: file\)$/m,
    );

    const u = runCli(['undo', '--root', root]);
    expect(u.code).toBe(0);
    expect(u.stdout).toMatch(/^undid a-\S+ \(4 changes\)$/m);
    expect(fs.readFileSync(regFile, 'utf8')).toBe(original);
    expect(runCli(['check', '--root', root]).code).toBe(1);

    const again = runCli(['undo', '--root', root]);
    expect(again).toMatchObject({ code: 1, stdout: 'nothing to undo\n' });

    const logJson = JSON.parse(runCli(['log', '--json', '--root', root]).stdout) as {
      kind: string;
      outcome: string;
    }[];
    expect(logJson.map((e) => e.kind)).toEqual([
      'resolve',
      'resolve',
      'resolve',
      'resolve',
      'undo',
      'undo',
      'undo',
      'undo',
    ]);
  });

  it('exits 1 naming the reason for agents it cannot resolve, and --prefer settles a conflict', () => {
    const root = ws('incident');
    const r = runCli(['resolve', 'Agent-1', 'Agent-2', '--root', root, '--json']);
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout) as { agents: { agent: string; status: string; reason?: string }[] };
    expect(doc.agents.find((a) => a.agent === 'Agent-1')).toMatchObject({
      status: 'unresolved',
      reason:
        'fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE to ONBOARDED',
    });
    expect(doc.agents.find((a) => a.agent === 'Agent-2')!.status).toBe('resolved');
    const p = runCli(['resolve', 'Agent-1', '--prefer', 'file', '--root', root]);
    expect(p.stdout).toMatch(/^Agent-1\s+resolved\s+fsm: idle -> onboarded$/m);
    expect(p.code).toBe(0);
  });

  it('rejects bad usage with exit 2', () => {
    const root = ws('incident');
    expect(runCli(['resolve', '--root', root])).toMatchObject({
      code: 2,
      stderr: 'sync-tui: resolve: name the agents to resolve, or pass --all\n',
    });
    expect(runCli(['resolve', '--all', 'Agent-2', '--root', root]).code).toBe(2);
    expect(runCli(['resolve', '--all', '--prefer', 'nope', '--root', root]).stderr).toBe(
      "sync-tui: --prefer: no source named 'nope' (sources: file, display)\n",
    );
  });
});

describe('resolve on a YAML registry', () => {
  it('keeps comments and untouched lines byte for byte', () => {
    const root = ws('generic');
    const file = path.join(root, 'registry.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const r = runCli(['resolve', 'beta', 'gamma', '--root', root]);
    expect(r.stdout).toMatch(/^beta\s+resolved\s+status: IDLE -> ACTIVE, fsm: IDLE -> TASK_EXECUTION$/m);
    expect(r.stdout).toMatch(/^gamma\s+/m);
    const after = fs.readFileSync(file, 'utf8');
    const changed = (a: string, b: string) => a.split('\n').filter((l) => !b.split('\n').includes(l));
    expect(changed(before, after)).toEqual(['    status: IDLE', '    fsm: IDLE']);
    expect(after).toContain('# Coordinator registry: what the dashboard shows.');
    expect(after).toContain('    fsm: TASK_EXECUTION   # confirmed by the scheduler');
    expect(after).toContain('  gamma:\n');
  });
});
