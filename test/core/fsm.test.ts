import { describe, expect, it } from 'vitest';
import { FSM_TRANSITIONS, FSM_VALUES } from '../../src/core/config/defaults.js';
import { checkRules, reach } from '../../src/core/reconcile/fsm.js';

const rules = { transitions: FSM_TRANSITIONS };

describe('reach', () => {
  it('lets a lagging registry catch up along allowed transitions', () => {
    expect(reach(rules, 'UNINITIALIZED', 'IDLE')).toEqual({
      ok: true,
      path: ['UNINITIALIZED', 'ONBOARDING', 'IDLE'],
    });
    expect(reach(rules, 'UNINITIALIZED', 'READY')).toEqual({
      ok: true,
      path: ['UNINITIALIZED', 'ONBOARDING', 'ONBOARDED', 'READY'],
    });
  });
  it('refuses to move backwards into the lifecycle', () => {
    const r = reach(rules, 'IDLE', 'ONBOARDED');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.reason).toBe('no allowed transition leads from IDLE to ONBOARDED');
    expect(reach(rules, 'ACTIVE', 'UNINITIALIZED').ok).toBe(false);
  });
  it('allows staying put and names unknown states', () => {
    expect(reach(rules, 'IDLE', 'IDLE')).toEqual({ ok: true, path: ['IDLE'] });
    const r = reach(rules, 'WARP', 'IDLE');
    expect(!r.ok && r.reason).toBe('WARP is not a state of the FSM');
  });
  it('has default rules that only name known states', () => {
    expect(checkRules(rules, Object.keys(FSM_VALUES))).toEqual([]);
    expect(checkRules({ transitions: { IDLE: ['NOPE'] } }, ['IDLE'])).toEqual([
      'transition IDLE -> NOPE names unknown state NOPE',
    ]);
  });
});
