// Discovery by content (src/core/config/discover): choices, ties and runners-up on in-memory trees.
import { describe, expect, it } from 'vitest';
import { discover, type DiscoveryInput } from '../../src/core/config/discover/index.js';

function input(files: Record<string, unknown>): DiscoveryInput {
  return {
    files: Object.keys(files).map((path) => ({ path })),
    read: (p) => (p.endsWith('.jsonl') ? undefined : files[p]),
    lines: (p) => (Array.isArray(files[p]) ? (files[p] as unknown[]) : []),
  };
}

const st = (id: string, status = 'ACTIVE') => ({ agent_id: id, status, last_updated: '2025-01-01 00:00:00' });

describe('discover', () => {
  it('reports a tie between two registries and the tie-break used, instead of choosing silently', () => {
    const d = discover(
      input({
        'w/A/status.json': st('A'),
        'w/B/status.json': st('B'),
        'one/reg.json': { A: { status: 'ACTIVE' }, B: { status: 'IDLE' } },
        'two/reg.json': { A: { status: 'ACTIVE' }, B: { status: 'IDLE' } },
      }),
    );
    if (!d.ok) throw new Error('nothing found');
    const reg = d.layout.sources.find((s) => s.kind === 'registry')!;
    expect(reg.path).toBe('one/reg.json');
    expect(reg.ties).toEqual([
      {
        path: 'two/reg.json',
        reason: expect.stringMatching(/keyed by 2 of 2 agent ids under the top level/),
      },
    ]);
    expect(reg.reason).toMatch(/tie with 1 other file\(s\), chosen by: .*alphabetical/);
  });

  it('a folder without a status file is not an agent; files that carry no status-like field do not count', () => {
    const d = discover(
      input({
        'w/A/status.json': st('A'),
        'w/B/status.json': st('B'),
        'w/contracts/contracts.json': { x: 1 },
        'w/notes/status.json': { title: 'x' },
      }),
    );
    if (!d.ok) throw new Error('nothing found');
    expect(d.layout.sources[0]!.reason).toMatch(/^2 of 3 files parse with a status-like field/);
  });

  it('a registry keyed by too few of the agents is not one', () => {
    const files: Record<string, unknown> = {
      'roster.json': { A: { status: 'ACTIVE' }, x: {}, y: {}, z: {} },
    };
    for (const id of ['A', 'B', 'C', 'D', 'E']) files[`w/${id}/status.json`] = st(id);
    const d = discover(input(files));
    expect(d.ok && d.layout.registry).toBe(false);
    expect(d.ok && d.config.policy.target).toBe('');
  });

  it('finds booleans under onboarding_status as a boolean domain and FSM states beside them', () => {
    const d = discover(
      input({
        'w/A/status.json': st('A'),
        'w/B/status.json': st('B'),
        'c/state.json': {
          onboarding_status: { A: true, B: false },
          agent_fsm_states: { A: 'ready', B: 'idle' },
        },
      }),
    );
    if (!d.ok) throw new Error('nothing found');
    const reg = d.config.sources.find((s) => s.kind === 'registry')!;
    expect(reg.fields['status']).toMatchObject({ type: 'boolean', paths: ['onboarding_status.{agent}'] });
    expect(reg.fields['fsm']).toMatchObject({ type: 'enum', paths: ['agent_fsm_states.{agent}'] });
  });

  it('takes per-agent logs named after the agents, and a shared log whose lines name them', () => {
    const per = discover(
      input({
        'w/A/status.json': st('A'),
        'w/B/status.json': st('B'),
        'logs/A.log.jsonl': [{ status: 'ACTIVE' }],
        'logs/B.log.jsonl': [{ status: 'IDLE' }],
      }),
    );
    expect(per.ok && per.layout.sources.map((s) => s.path)).toEqual([
      'w/{agent}/status.json',
      'logs/{agent}.log.jsonl',
    ]);
    const shared = discover(
      input({
        'w/A/status.json': st('A'),
        'w/B/status.json': st('B'),
        'ev.jsonl': [
          { agent: 'A', status: 'ACTIVE' },
          { agent: 'B', fsm: 'IDLE' },
        ],
      }),
    );
    expect(shared.ok && shared.layout.sources[1]).toMatchObject({
      path: 'ev.jsonl',
      fields: { status: ['status'], fsm: ['fsm'] },
      agents: 2,
    });
  });

  it('carries the walk\u2019s cap into what it reports, found or not', () => {
    const cap = 'discovery stopped after listing 50000 entries (the cap)';
    const none = discover({ ...input({}), truncated: cap });
    expect(!none.ok && none.notes).toEqual([cap]);
    const some = discover({ ...input({ 'w/A/status.json': st('A') }), truncated: cap });
    expect(some.ok && some.layout.notes[0]).toBe(cap);
  });

  it('finds nothing in a tree without status files, and says what it looked for', () => {
    const d = discover(input({ 'package.json': { name: 'x' } }));
    expect(d.ok).toBe(false);
    expect(!d.ok && d.lookedFor[0]).toMatch(/^status files: /);
  });
});
