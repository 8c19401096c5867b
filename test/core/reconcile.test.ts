import { describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const fresh = '2026-03-02T09:04:00Z';

function agent(recon: ReturnType<typeof reconcile>, id: string) {
  const a = recon.agents.find((x) => x.id === id);
  if (!a) throw new Error(`no agent ${id}`);
  return a;
}

describe('reconcile: the incident', () => {
  const reads = incidentReads(
    {
      'Agent-1': { status: 'OPERATIONAL', fsm: { current_state: 'ONBOARDED' }, at: fresh },
      'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: fresh },
      'Agent-6': { status: 'OPERATIONAL', fsm: 'IDLE', at: fresh },
      'Agent-7': { fsm: 'UNINITIALIZED', at: fresh, extra: { onboarding_status: 'PENDING' } },
    },
    {
      onboarded: { 'Agent-1': true, 'Agent-2': true, 'Agent-6': true, 'Agent-7': false },
      fsm: { 'Agent-1': 'idle', 'Agent-2': 'uninitialized', 'Agent-6': 'idle', 'Agent-7': 'uninitialized' },
    },
  );
  const recon = reconcile(reads, incidentConfig(), NOW);

  it('finds Agent-2 drifted and plans a lower-case fsm write the FSM allows', () => {
    const a = agent(recon, 'Agent-2');
    expect(a.verdict).toBe('drift');
    expect(a.differences).toEqual([
      {
        field: 'fsm',
        source: 'display',
        expected: 'READY',
        actual: 'UNINITIALIZED',
        actualRaw: 'uninitialized',
      },
    ]);
    expect(a.plan).toEqual([
      {
        agent: 'Agent-2',
        field: 'fsm',
        target: 'display',
        path: ['agent_fsm_states', 'Agent-2'],
        before: 'uninitialized',
        after: 'ready',
        truth: 'READY',
        truthFrom: 'file',
      },
    ]);
    expect(a.truth['status']).toMatchObject({ value: 'ONBOARDED', from: 'file' });
  });

  it('compares status in the registry domain: OPERATIONAL is true there', () => {
    const a = agent(recon, 'Agent-6');
    expect(a.verdict).toBe('in-sync');
    expect(a.differences).toEqual([]);
    expect(a.observations['display']!.fields['status']!.value).toBe(true);
  });

  it('reads status from onboarding_status when there is no status key', () => {
    const a = agent(recon, 'Agent-7');
    expect(a.verdict).toBe('in-sync');
    expect(a.truth['status']!.value).toBe('PENDING');
  });

  it('does not move a registry backwards: IDLE -> ONBOARDED is a conflict with the reason', () => {
    const a = agent(recon, 'Agent-1');
    expect(a.verdict).toBe('conflict');
    expect(a.reasons[0]).toBe(
      'fsm: display cannot move IDLE -> ONBOARDED: no allowed transition leads from IDLE to ONBOARDED',
    );
    expect(a.plan).toEqual([]);
  });

  it('counts verdicts', () => {
    expect(recon.summary).toMatchObject({ agents: 4, drift: 1, conflict: 1, 'in-sync': 2 });
  });
});

describe('reconcile: verdicts', () => {
  it('is invalid when a status file cannot be parsed, and plans nothing', () => {
    const r = reconcile(
      incidentReads({ 'Agent-9': 'bad' }, { onboarded: { 'Agent-9': false }, fsm: { 'Agent-9': 'idle' } }),
      incidentConfig(),
      NOW,
    );
    const a = agent(r, 'Agent-9');
    expect(a.verdict).toBe('invalid');
    expect(a.reasons[0]).toBe('file: conflict marker');
    expect(a.plan).toEqual([]);
  });

  it('makes every agent invalid when the registry cannot be parsed', () => {
    const r = reconcile(
      incidentReads({ 'Agent-1': { status: 'ACTIVE', fsm: 'ACTIVE', at: fresh } }, 'bad'),
      incidentConfig(),
      NOW,
    );
    expect(agent(r, 'Agent-1').verdict).toBe('invalid');
    expect(agent(r, 'Agent-1').reasons[0]).toBe('display: unexpected end of input');
  });

  it('is missing when the registry does not list an agent, and plans to add it', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-3': { status: 'active', fsm: 'active', at: fresh } },
        { onboarded: {}, fsm: {} },
      ),
      incidentConfig(),
      NOW,
    );
    const a = agent(r, 'Agent-3');
    expect(a.verdict).toBe('missing');
    expect(a.reasons[0]).toBe('not listed in display');
    expect(a.plan.map((w) => [w.path, w.after])).toEqual([
      [['onboarding_status', 'Agent-3'], true],
      [['agent_fsm_states', 'Agent-3'], 'active'],
    ]);
  });

  it('is missing when only the registry lists an agent', () => {
    const r = reconcile(
      incidentReads({}, { onboarded: { 'Agent-10': true }, fsm: { 'Agent-10': 'idle' } }),
      incidentConfig(),
      NOW,
    );
    expect(agent(r, 'Agent-10').verdict).toBe('missing');
    expect(agent(r, 'Agent-10').reasons).toEqual(['not listed in file']);
  });

  it('never writes an unknown value: conflict, kept raw', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-11': { status: 'HYPERDRIVE', fsm: 'IDLE', at: fresh } },
        { onboarded: { 'Agent-11': true }, fsm: { 'Agent-11': 'idle' } },
      ),
      incidentConfig(),
      NOW,
    );
    const a = agent(r, 'Agent-11');
    expect(a.verdict).toBe('conflict');
    expect(a.reasons).toContain("status: newest value 'HYPERDRIVE' (file) is not a known value; not written");
    expect(a.observations['file']!.fields['status']).toMatchObject({
      value: null,
      raw: 'HYPERDRIVE',
      unknown: true,
    });
    expect(a.plan).toEqual([]);
  });

  it('shows hidden characters of an unknown value escaped in the reason', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-1': { status: '\x1b]0;pwned\x07ACTIVE', fsm: 'IDLE', at: fresh } },
        { onboarded: { 'Agent-1': true }, fsm: { 'Agent-1': 'idle' } },
      ),
      incidentConfig(),
      NOW,
    );
    const reason = agent(r, 'Agent-1').reasons[0]!;
    expect(reason).toMatch(/^status: newest value ".*ACTIVE" \(file\) is not a known value; not written$/);
    expect(reason).not.toMatch(/[\x00-\x1f]/);
    expect(reason).toContain('\\u001b');
  });

  it('never overwrites an unknown value in the registry', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: fresh } },
        { onboarded: { 'Agent-2': true }, fsm: { 'Agent-2': 'warp_speed' } },
      ),
      incidentConfig(),
      NOW,
    );
    const a = agent(r, 'Agent-2');
    expect(a.verdict).toBe('conflict');
    expect(a.reasons[0]).toBe("fsm: display holds unknown value 'warp_speed'; not overwritten");
    expect(a.plan).toEqual([]);
  });

  it('makes a value with no boolean form a conflict, not a guess', () => {
    const config = incidentConfig();
    const display = config.sources[1]!;
    display.fields['status'] = {
      ...display.fields['status']!,
      trueValues: ['ONBOARDED'],
      falseValues: ['PENDING'],
    };
    const r = reconcile(
      incidentReads(
        { 'Agent-3': { status: 'BLOCKED', fsm: 'BLOCKED', at: fresh } },
        { onboarded: { 'Agent-3': true }, fsm: { 'Agent-3': 'blocked' } },
      ),
      config,
      NOW,
    );
    const a = agent(r, 'Agent-3');
    expect(a.verdict).toBe('conflict');
    expect(a.reasons[0]).toMatch(/^status: display cannot hold it: BLOCKED has no true\/false form/);
  });

  it('is stale when no own source wrote within the threshold', () => {
    const old = '2026-03-02T08:00:00Z';
    const r = reconcile(
      incidentReads(
        { 'Agent-6': { status: 'IDLE', fsm: 'IDLE', at: old } },
        { onboarded: { 'Agent-6': true }, fsm: { 'Agent-6': 'idle' } },
      ),
      incidentConfig(),
      NOW,
    );
    const a = agent(r, 'Agent-6');
    expect(a.verdict).toBe('stale');
    expect(a.reasons[0]).toBe('no write or heartbeat for 1h');
  });

  it('takes the newest own source as truth: a newer event beats an older file', () => {
    const r = reconcile(
      incidentReads(
        { beta: { status: 'IDLE', fsm: 'IDLE', at: '2026-03-02T09:00:00Z' } },
        { onboarded: { beta: true }, fsm: { beta: 'idle' } },
        [{ agent: 'beta', status: 'ACTIVE', fsm: 'TASK_EXECUTION', at: '2026-03-02T09:03:00Z' }],
      ),
      incidentConfig(true),
      NOW,
    );
    const a = agent(r, 'beta');
    expect(a.truth['fsm']).toMatchObject({ value: 'TASK_EXECUTION', from: 'realtime' });
    expect(a.verdict).toBe('drift');
    expect(a.plan.map((w) => w.after)).toEqual(['task_execution']);
  });

  it('lets a heartbeat keep an agent fresh without changing its values', () => {
    const r = reconcile(
      incidentReads(
        { beta: { status: 'IDLE', fsm: 'IDLE', at: '2026-03-02T07:00:00Z' } },
        { onboarded: { beta: true }, fsm: { beta: 'idle' } },
        [{ agent: 'beta', type: 'heartbeat', at: '2026-03-02T09:04:00Z' }],
      ),
      incidentConfig(true),
      NOW,
    );
    expect(agent(r, 'beta').verdict).toBe('in-sync');
    expect(agent(r, 'beta').truth['fsm']).toMatchObject({ value: 'IDLE', from: 'file' });
  });

  it('is a conflict when own sources disagree at the same instant', () => {
    const at = '2026-03-02T09:03:00Z';
    const r = reconcile(
      incidentReads(
        { beta: { status: 'IDLE', fsm: 'IDLE', at } },
        { onboarded: { beta: true }, fsm: { beta: 'idle' } },
        [{ agent: 'beta', fsm: 'ACTIVE', at }],
      ),
      incidentConfig(true),
      NOW,
    );
    expect(agent(r, 'beta').verdict).toBe('conflict');
    expect(agent(r, 'beta').reasons[0]).toBe(
      "fsm: file says 'IDLE' and realtime says 'ACTIVE' at the same time",
    );
  });

  it('settles a conflict for one run with prefer', () => {
    const config = incidentConfig();
    config.policy.prefer = 'display';
    const r = reconcile(
      incidentReads(
        { 'Agent-1': { status: 'OPERATIONAL', fsm: 'ONBOARDED', at: fresh } },
        { onboarded: { 'Agent-1': true }, fsm: { 'Agent-1': 'idle' } },
      ),
      config,
      NOW,
    );
    expect(agent(r, 'Agent-1').verdict).toBe('in-sync');
    expect(agent(r, 'Agent-1').truth['fsm']).toMatchObject({ value: 'IDLE', from: 'display' });
  });

  it('lets an explicit prefer settle an FSM conflict, but never an unknown value', () => {
    const config = incidentConfig();
    config.policy.prefer = 'file';
    const r = reconcile(
      incidentReads(
        {
          'Agent-1': { status: 'OPERATIONAL', fsm: 'ONBOARDED', at: fresh },
          'Agent-11': { status: 'WARP', fsm: 'IDLE', at: fresh },
        },
        { onboarded: { 'Agent-1': true, 'Agent-11': true }, fsm: { 'Agent-1': 'idle', 'Agent-11': 'idle' } },
      ),
      config,
      NOW,
    );
    expect(agent(r, 'Agent-1').verdict).toBe('drift');
    expect(agent(r, 'Agent-1').plan.map((w) => w.after)).toEqual(['onboarded']);
    expect(agent(r, 'Agent-11').verdict).toBe('conflict');
    expect(agent(r, 'Agent-11').plan).toEqual([]);
  });

  it('follows an ordered truth policy', () => {
    const config = incidentConfig(true);
    config.policy.truth['fsm'] = ['file', 'realtime'];
    const r = reconcile(
      incidentReads(
        { beta: { status: 'IDLE', fsm: 'IDLE', at: '2026-03-02T09:00:00Z' } },
        { onboarded: { beta: true }, fsm: { beta: 'idle' } },
        [{ agent: 'beta', fsm: 'ACTIVE', at: '2026-03-02T09:04:00Z' }],
      ),
      config,
      NOW,
    );
    expect(agent(r, 'beta').truth['fsm']).toMatchObject({ value: 'IDLE', from: 'file' });
    expect(agent(r, 'beta').verdict).toBe('in-sync');
  });

  it('sorts agents in natural order', () => {
    const files = Object.fromEntries(
      ['Agent-10', 'Agent-2', 'Agent-1'].map((id) => [id, { status: 'IDLE', fsm: 'IDLE', at: fresh }]),
    );
    const r = reconcile(incidentReads(files, { onboarded: {}, fsm: {} }), incidentConfig(), NOW);
    expect(r.agents.map((a) => a.id)).toEqual(['Agent-1', 'Agent-2', 'Agent-10']);
  });

  it('uses the modification time when a stamp is a placeholder, with a diagnostic', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-6': { status: 'IDLE', fsm: 'IDLE', at: 'TIMESTAMP' } },
        { onboarded: { 'Agent-6': true }, fsm: { 'Agent-6': 'idle' } },
      ),
      incidentConfig(),
      NOW,
    );
    const o = agent(r, 'Agent-6').observations['file']!;
    expect(o.updatedAt).toBe(T0);
    expect(o.updatedAtFrom).toBe('mtime');
    expect(o.diagnostics.map((d) => d.code)).toContain('bad-timestamp');
  });

  it('flags an agent_id that does not match the folder', () => {
    const r = reconcile(
      incidentReads(
        { 'Agent-6': { status: 'IDLE', fsm: 'IDLE', at: fresh, extra: { agent_id: 'Agent-5' } } },
        { onboarded: { 'Agent-6': true }, fsm: { 'Agent-6': 'idle' } },
      ),
      incidentConfig(),
      NOW,
    );
    expect(agent(r, 'Agent-6').observations['file']!.diagnostics.map((d) => d.message)).toContain(
      "agent_id says 'Agent-5' but the file belongs to Agent-6",
    );
  });
});
