// Discovery by content on our own trees modelled on real ones (fixtures/discovery/), through
// the built binary: `check --json` names what it found and why, and gives the verdicts.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FIXTURES, runCli, tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

interface LayoutSource {
  name: string;
  kind: string;
  path: string;
  fields: Record<string, string[]>;
  updatedAt: string[];
  booleanFields?: string[];
  agents: number;
  reason: string;
  runnersUp: { path: string; reason: string }[];
  ties: unknown[];
}
interface Doc {
  summary: Record<string, number>;
  agents: {
    id: string;
    verdict: string;
    reasons: string[];
    sources: Record<string, { present: boolean; status?: unknown }>;
  }[];
  layout: { origin: string; registry: boolean; sources: LayoutSource[]; notes: string[] };
}

function check(name: string, extra: string[] = []): { code: number | null; doc: Doc; stderr: string } {
  const r = runCli(['check', '--json', '--root', path.join(FIXTURES, 'discovery', name), ...extra]);
  return { code: r.code, doc: JSON.parse(r.stdout) as Doc, stderr: r.stderr };
}

function verdicts(doc: Doc): Record<string, string> {
  return Object.fromEntries(doc.agents.map((a) => [a.id, a.verdict]));
}

function copy(name: string): string {
  const dir = tempDir(`sync-tui-disc-${name}-`);
  made.push(dir);
  fs.cpSync(path.join(FIXTURES, 'discovery', name), dir, { recursive: true });
  return dir;
}

describe('discovery by content (check --json)', () => {
  it('finds a registry in a subfolder and per-agent logs; non-agent folders, a nested copy and node_modules add no agents', () => {
    const { code, doc } = check('registry-subfolder');
    expect(code).toBe(1);
    expect(doc.layout.origin).toBe('discovered');
    expect(doc.layout.registry).toBe(true);
    expect(doc.layout.sources.map((s) => [s.name, s.kind, s.path])).toEqual([
      ['file', 'status-files', 'agent_workspaces/{agent}/status.json'],
      ['display', 'registry', 'agent_workspaces/agent_registry.json'],
      ['realtime', 'event-log', 'runtime/agent_logs/{agent}.log.jsonl'],
    ]);
    const [file, display, realtime] = doc.layout.sources as [LayoutSource, LayoutSource, LayoutSource];
    expect(file.fields['status']).toEqual(['status']);
    expect(file.reason).toMatch(/^4 of 5 files parse with a status-like field/);
    // The nested copy is reported as a runner-up, not merged in.
    expect(file.runnersUp[0]).toEqual({
      path: 'agent_workspaces/meeting/agent_workspaces/{agent}/status.json',
      reason: expect.stringMatching(/nested copy/),
    });
    expect(display.fields).toEqual({ status: ['agents.{agent}.status'] });
    expect(display.updatedAt).toContain('agents.{agent}.last_seen');
    expect(display.reason).toMatch(/3 of 5 agent ids under 'agents'/);
    expect(realtime.agents).toBe(3);
    expect(Object.keys(verdicts(doc)).sort()).toEqual([
      'Agent-1',
      'Agent-2',
      'Agent-3',
      'Agent-4',
      'Agent-SRC-1',
    ]);
    expect(verdicts(doc)).toEqual({
      'Agent-1': 'stale',
      'Agent-2': 'drift',
      'Agent-3': 'missing',
      'Agent-4': 'invalid',
      'Agent-SRC-1': 'missing',
    });
    // The per-agent log is read: Agent-2's own line says ONBOARDED.
    expect(doc.agents.find((a) => a.id === 'Agent-2')!.sources['realtime']!.status).toBe('ONBOARDED');
  });

  it('with no registry, shows the agents\u2019 own state and says how to name one; the roster that is not JSON and inbox messages are not agents', () => {
    const { code, doc } = check('no-registry');
    expect(code).toBe(0);
    expect(doc.layout.registry).toBe(false);
    expect(doc.layout.sources.map((s) => s.path)).toEqual(['agent_workspaces/{agent}/status.json']);
    expect(doc.layout.notes.join(' ')).toMatch(/no registry found.*add a source of kind 'registry'/);
    expect(verdicts(doc)).toEqual({
      'Agent-1': 'stale',
      'Agent-2': 'stale',
      'Agent-3': 'stale',
      'Agent-4': 'stale',
    });
    expect(doc.agents.map((a) => a.sources['file']!.status)).toEqual([
      'ACTIVE',
      'READY',
      'OFFLINE',
      'ONBOARDING',
    ]);
    // The same --fail-on rule as with a registry.
    expect(check('no-registry', ['--fail-on', 'stale']).code).toBe(1);
  });

  it('recognises a coordinator state holding booleans as a boolean domain, away from the known path', () => {
    const { doc } = check('boolean-registry');
    const display = doc.layout.sources.find((s) => s.kind === 'registry')!;
    expect(display.path).toBe('coordination/saved_state.json');
    expect(display.fields).toEqual({
      status: ['onboarding_status.{agent}'],
      fsm: ['agent_fsm_states.{agent}'],
    });
    expect(display.booleanFields).toEqual(['status']);
    expect(doc.layout.sources[0]!.path).toBe('swarm/agents/{agent}.yaml');
    expect(verdicts(doc)).toEqual({ alpha: 'stale', beta: 'drift', gamma: 'drift' });
  });

  it('finds one shared log whose lines name the agents, and a YAML roster under agents:', () => {
    const { doc } = check('shared-log');
    expect(doc.layout.sources.map((s) => [s.kind, s.path])).toEqual([
      ['status-files', 'state/{agent}/status.json'],
      ['registry', 'state/roster.yaml'],
      ['event-log', 'logs/swarm.jsonl'],
    ]);
    expect(verdicts(doc)).toEqual({ 'worker-1': 'stale', 'worker-2': 'drift' });
  });

  it('names what it looked for when nothing is found', () => {
    const r = runCli(['check', '--root', path.join(FIXTURES, 'discovery', 'nothing')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no known layout found.*by content for status files: .*up to 4 folders deep/);
    expect(r.stderr.split('\n')).toHaveLength(2);
  });
});

describe('init and resolve on a discovered layout', () => {
  it('init writes exactly what was discovered, with reasons and runners-up, and check reads it into the same verdicts', () => {
    const root = copy('registry-subfolder');
    const before = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as Doc;
    const init = runCli(['init', '--root', root]);
    expect(init.code).toBe(0);
    const text = fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8');
    expect(text).toMatch(/# Found: 4 of 5 files parse with a status-like field/);
    expect(text).toMatch(
      /# {3}runner-up: agent_workspaces\/meeting\/agent_workspaces\/\{agent\}\/status.json/,
    );
    expect(text).toMatch(/path: "runtime\/agent_logs\/\{agent\}.log.jsonl"/);
    const after = JSON.parse(runCli(['check', '--json', '--root', root]).stdout) as Doc;
    expect(after.layout.origin).toBe('config');
    expect(verdicts(after)).toEqual(verdicts(before));
  });

  it('resolve refuses where there is no registry, naming why', () => {
    const root = copy('no-registry');
    const r = runCli(['resolve', '--all', '--root', root]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no registry, so there is nothing to write to/);
    const w = runCli(['watch', '--auto-resolve', '--root', root]);
    expect(w.code).toBe(2);
    expect(w.stderr).toMatch(/--auto-resolve: .* has no registry/);
    const init = runCli(['init', '--root', root]);
    expect(init.code).toBe(0);
    expect(fs.readFileSync(path.join(root, 'sync-tui.config.yaml'), 'utf8')).toMatch(
      /No registry: nothing to write to/,
    );
    expect(runCli(['check', '--root', root]).code).toBe(0);
  });
});
