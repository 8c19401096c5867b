import { describe, expect, it } from 'vitest';
import { parseDocument } from '../../src/core/read/parse.js';
import {
  adoptRegistry,
  initialOps,
  initialSim,
  mulberry32,
  step,
  type SimState,
} from '../../src/core/demo/simulation.js';
import { FSM_TRANSITIONS } from '../../src/core/config/defaults.js';

const T = Date.UTC(2026, 10, 24, 10, 0, 0);

function run(seed: number, ticks: number, n = 12) {
  const rng = mulberry32(seed);
  let state = initialSim(n, rng);
  const history: SimState[] = [state];
  const ops = [];
  for (let i = 0; i < ticks; i++) {
    const r = step(state, rng, T + i * 700);
    state = r.state;
    history.push(state);
    ops.push(...r.ops);
  }
  return { state, history, ops };
}

describe('the demo simulation', () => {
  it('is deterministic for a seed', () => {
    expect(JSON.stringify(run(42, 50).ops)).toBe(JSON.stringify(run(42, 50).ops));
    expect(JSON.stringify(run(42, 50).ops)).not.toBe(JSON.stringify(run(43, 50).ops));
  });

  it('starts in the incident: Agent-2 and Agent-4 onboarded but unknown to the coordinator', () => {
    const s = initialSim(12, mulberry32(1));
    expect(s.registry['Agent-2']).toEqual({ onboarded: false, fsm: 'UNINITIALIZED' });
    expect(s.registry['Agent-4']).toEqual({ onboarded: false, fsm: 'UNINITIALIZED' });
    expect(s.agents.find((a) => a.id === 'Agent-2')!.fsm).toBe('ACTIVE');
    const ops = initialOps(s, T);
    expect(ops.filter((o) => o.kind === 'status-file')).toHaveLength(12);
    expect(ops.filter((o) => o.kind === 'registry')).toHaveLength(1);
  });

  it('moves agents only along allowed FSM transitions', () => {
    const { history } = run(7, 300);
    for (let i = 1; i < history.length; i++) {
      for (const a of history[i]!.agents) {
        const before = history[i - 1]!.agents.find((b) => b.id === a.id)!.fsm;
        if (before !== a.fsm) expect(FSM_TRANSITIONS[before]).toContain(a.fsm);
      }
    }
  });

  it('writes mostly valid files, sometimes malformed ones that a later write repairs', () => {
    const { ops } = run(11, 400);
    const files = ops.filter((o) => o.kind === 'status-file');
    const bad = files.filter((o) => !parseDocument(o.text, 'json').ok);
    expect(bad.length).toBeGreaterThan(0);
    expect(bad.length).toBeLessThan(files.length / 5);
    for (const o of ops.filter((o) => o.kind === 'event'))
      expect(JSON.parse(o.line).agent).toMatch(/^Agent-\d+$/);
    // Every agent's last write parses: broken files do not stay broken.
    const last = new Map<string, string>();
    for (const o of files) last.set(o.agent, o.text);
    const { state } = run(11, 400);
    for (const a of state.agents)
      if (!a.broken && last.has(a.id)) expect(parseDocument(last.get(a.id)!, 'json').ok).toBe(true);
  });

  it('adopts registry values written by the operator', () => {
    const s = initialSim(3, mulberry32(5));
    const adopted = adoptRegistry(s, {
      onboarding_status: { 'Agent-2': true },
      agent_fsm_states: { 'Agent-2': 'active' },
    });
    expect(adopted.registry['Agent-2']).toEqual({ onboarded: true, fsm: 'ACTIVE' });
    expect(adoptRegistry(s, 'garbage')).toBe(s);
  });
});
