// The built binary: a winner picked with `resolve --prefer` sticks, `resolve` and `check`
// agree about every agent afterwards, the decision is kept under the state folder, shown
// by `check --json`, journaled, and undone by `undo`.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { copyFixture, runCli } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function ws(name: string): string {
  const root = copyFixture(name);
  made.push(root);
  return root;
}

interface CheckAgent {
  id: string;
  verdict: string;
  decisions?: Record<string, { source: string; value: unknown; at: string; action: string }>;
}
function check(root: string): Record<string, CheckAgent> {
  const r = runCli(['check', '--json', '--root', root]);
  return Object.fromEntries((JSON.parse(r.stdout) as { agents: CheckAgent[] }).agents.map((a) => [a.id, a]));
}

/** What `resolve --json` said about each agent. */
function resolve(
  root: string,
  args: string[],
): {
  code: number | null;
  agents: Record<string, { status: string; reason?: string; decided?: string[] }>;
  message: string;
} {
  const r = runCli(['resolve', ...args, '--json', '--root', root]);
  const doc = JSON.parse(r.stdout) as {
    agents: { agent: string; status: string; reason?: string; decided?: string[] }[];
    message: string;
  };
  return {
    code: r.code,
    agents: Object.fromEntries(doc.agents.map((a) => [a.agent, a])),
    message: doc.message,
  };
}

const SETTLED = ['in-sync', 'stale'];

describe('resolve --prefer and check agree', () => {
  it('accepting the registry in an FSM conflict is recorded, and check no longer says conflict', () => {
    const root = ws('incident');
    expect(check(root)['Agent-1']!.verdict).toBe('conflict');
    const r = resolve(root, ['Agent-1', '--prefer', 'display']);
    expect(r.agents['Agent-1']).toMatchObject({ status: 'in-sync', decided: ['fsm'] });
    expect(r.code).toBe(0);
    expect(r.message).toMatch(
      /^nothing to write; decision recorded: display's value wins for 1 agent\(s\) until a source changes, action a-\S+$/,
    );
    const after = check(root)['Agent-1']!;
    expect(SETTLED).toContain(after.verdict);
    expect(after.decisions).toEqual({
      fsm: { source: 'display', value: 'IDLE', at: expect.any(String), action: expect.stringMatching(/^a-/) },
    });
    const file = JSON.parse(fs.readFileSync(path.join(root, '.sync-tui', 'decisions.json'), 'utf8')) as {
      v: number;
      decisions: { agent: string; field: string; source: string }[];
    };
    expect(file.v).toBe(1);
    expect(file.decisions.map((d) => [d.agent, d.field, d.source])).toEqual([['Agent-1', 'fsm', 'display']]);
    expect(runCli(['log', '--root', root]).stdout).toMatch(
      /Agent-1 {2}fsm {2}∅ -> display {2}verified {2}\(truth: display\) {2}decision: display's value "IDLE" wins/,
    );
  });

  it('every agent resolve reports as in sync, check reports as settled too (a tie between file and event log)', () => {
    const root = ws('generic');
    // beta's event says TASK_EXECUTION at the very time its status file says IDLE: a tie.
    const events = path.join(root, 'events.jsonl');
    fs.writeFileSync(
      events,
      fs
        .readFileSync(events, 'utf8')
        .replace(
          '{"agent":"beta","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:30:00Z"}',
          '{"agent":"beta","status":"IDLE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:00:00Z"}',
        ),
    );
    expect(check(root)['beta']!.verdict).toBe('conflict');
    for (const prefer of ['display', 'realtime']) {
      const r = resolve(root, ['--all', '--prefer', prefer]);
      const now = check(root);
      for (const [agent, o] of Object.entries(r.agents)) {
        if (o.status === 'in-sync' || o.status === 'resolved')
          expect([agent, SETTLED.includes(now[agent]!.verdict)]).toEqual([agent, true]);
        else expect([agent, SETTLED.includes(now[agent]!.verdict)]).toEqual([agent, false]);
      }
      expect(r.agents['beta']!.status).toMatch(/^(resolved|in-sync)$/);
      expect(now['beta']!.decisions?.['fsm']?.source).toBe(prefer);
    }
  });

  it('a decision holds until a source involved changes, and undo removes it with the write', () => {
    const root = ws('generic');
    const events = path.join(root, 'events.jsonl');
    fs.writeFileSync(
      events,
      fs
        .readFileSync(events, 'utf8')
        .replace(
          '{"agent":"beta","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:30:00Z"}',
          '{"agent":"beta","status":"IDLE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:00:00Z"}',
        ),
    );
    const registry = path.join(root, 'registry.yaml');
    const original = fs.readFileSync(registry, 'utf8');
    const text = runCli(['resolve', 'beta', '--prefer', 'realtime', '--dry-run', '--root', root]);
    expect(text.stdout).toMatch(/^beta\s+planned\s+fsm: IDLE -> TASK_EXECUTION$/m);
    const r = runCli(['resolve', 'beta', '--prefer', 'realtime', '--root', root]);
    expect(r.stdout).toMatch(
      /^beta\s+resolved\s+fsm: IDLE -> TASK_EXECUTION; decision kept on fsm until a source changes$/m,
    );
    expect(r.code).toBe(0);
    expect(fs.readFileSync(registry, 'utf8')).toContain('fsm: TASK_EXECUTION');
    // Held across runs.
    expect(SETTLED).toContain(check(root)['beta']!.verdict);
    expect(SETTLED).toContain(check(root)['beta']!.verdict);

    // Undo restores the registry and removes the decision: the conflict is back.
    const u = runCli(['undo', '--root', root]);
    expect(u.code).toBe(0);
    expect(fs.readFileSync(registry, 'utf8')).toBe(original);
    expect(check(root)['beta']).toMatchObject({ verdict: 'conflict' });
    expect(check(root)['beta']!.decisions).toBeUndefined();

    // Decided again, then the status file moves on: the decision stops holding.
    resolve(root, ['beta', '--prefer', 'realtime']);
    expect(SETTLED).toContain(check(root)['beta']!.verdict);
    const status = path.join(root, 'agents', 'beta', 'status.yaml');
    fs.writeFileSync(
      status,
      fs.readFileSync(status, 'utf8').replace('current_state: IDLE', 'current_state: BLOCKED'),
    );
    const moved = check(root)['beta']!;
    expect(moved.decisions).toBeUndefined();
    expect(moved.verdict).toBe('conflict');
  });
});
