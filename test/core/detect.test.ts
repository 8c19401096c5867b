import { describe, expect, it } from 'vitest';
import { detectLayout, type LayoutProbe } from '../../src/core/config/detect.js';

/** A probe over an in-memory tree: path -> parsed content (objects) or 'dir'. */
function probe(files: Record<string, unknown>): LayoutProbe {
  return {
    entries(dir) {
      const prefix = dir === '' ? '' : dir + '/';
      const names = new Map<string, boolean>();
      for (const p of Object.keys(files)) {
        if (!p.startsWith(prefix)) continue;
        const rest = p.slice(prefix.length);
        const [name, ...more] = rest.split('/');
        names.set(name!, more.length > 0 || names.get(name!) === true);
      }
      if (names.size === 0) return null;
      return [...names].map(([name, isDir]) => ({ name, dir: isDir }));
    },
    read: (p) => files[p],
  };
}

describe('detectLayout', () => {
  it('detects the coordination-system layout of the incident, naming file and display', () => {
    const d = detectLayout(
      probe({
        'agent_workspaces/Agent-1/status.json': {},
        'agent_workspaces/Agent-2/status.json': {},
        'coordination_system_state.json': { onboarding_status: {}, agent_fsm_states: {} },
      }),
    );
    if (!d.ok) throw new Error('not detected');
    expect(d.layout).toBe('coordination-system');
    expect(d.config.sources.map((s) => [s.name, s.kind, s.path])).toEqual([
      ['file', 'status-files', 'agent_workspaces/{agent}/status.json'],
      ['display', 'registry', 'coordination_system_state.json'],
    ]);
    expect(d.config.sources[1]!.fields['status']!.type).toBe('boolean');
    expect(d.config.policy.target).toBe('display');
  });

  it('still recognises a coordinator state that was cut off mid-write', () => {
    const d = detectLayout(
      probe({ 'agent_workspaces/Agent-1/status.json': {}, 'coordination_system_state.json': undefined }),
    );
    expect(d.ok && d.layout).toBe('coordination-system');
  });

  it('detects a generic layout with a registry keyed under agents: and an event log', () => {
    const d = detectLayout(
      probe({
        'agents/alpha/status.yaml': {},
        'registry.yaml': { agents: { alpha: { status: 'ACTIVE', fsm: 'IDLE', last_seen: 'x' } } },
        'events.jsonl': undefined,
      }),
    );
    if (!d.ok) throw new Error('not detected');
    expect(d.config.sources.map((s) => [s.name, s.kind, s.path])).toEqual([
      ['file', 'status-files', 'agents/{agent}/status.yaml'],
      ['display', 'registry', 'registry.yaml'],
      ['realtime', 'event-log', 'events.jsonl'],
    ]);
    expect(d.config.sources[1]!.fields['fsm']!.paths).toEqual(['agents.{agent}.fsm']);
  });

  it('detects a registry keyed at the top level and per-agent files', () => {
    const d = detectLayout(probe({ 'agents/a1.json': {}, 'registry.json': { a1: { status: 'IDLE' } } }));
    if (!d.ok) throw new Error('not detected');
    expect(d.config.sources[0]!.path).toBe('agents/{agent}.json');
    expect(d.config.sources[1]!.fields['status']!.paths).toEqual(['{agent}.status']);
  });

  it('says what it looked for when nothing matches', () => {
    const d = detectLayout(probe({ 'README.md': 'x' }));
    expect(d.ok).toBe(false);
    expect(!d.ok && d.lookedFor[0]).toMatch(/^status files: agent_workspaces\/\{agent\}\/status\.json/);
  });
});
