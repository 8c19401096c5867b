// Auto-resolve's state machine: backoff per agent, flap detection, resuming, and that it
// forgets what no longer matters.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  autoAttempt,
  autoDue,
  autoNextWake,
  autoObserve,
  autoResult,
  backoffDelay,
  DEFAULT_AUTO_PARAMS as P,
  initialAutoState,
  isFlapping,
  operatorAction,
  type AutoEvent,
  type AutoState,
} from '../../src/core/plan/autoresolve.js';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { Reconciliation } from '../../src/core/types.js';
import { incidentConfig, incidentReads, MIN, T0 } from '../helpers/workspace.js';

const NOW = T0 + 5 * MIN;
const fresh = '2026-03-02T09:04:00Z';
const SEC = 1000;

/** Agent-2 says READY; the registry holds `fsm2`. Agent-1 is a conflict, Agent-10 missing. */
function world(fsm2: string, extra: { agent1?: boolean } = {}): Reconciliation {
  const files: Parameters<typeof incidentReads>[0] = {
    'Agent-2': { status: 'ONBOARDED', fsm: 'READY', at: fresh },
  };
  const registry = {
    onboarded: { 'Agent-2': true } as Record<string, unknown>,
    fsm: { 'Agent-2': fsm2 } as Record<string, unknown>,
  };
  if (extra.agent1) {
    files['Agent-1'] = { status: 'OPERATIONAL', fsm: { current_state: 'ONBOARDED' }, at: fresh };
    registry.onboarded['Agent-1'] = true;
    registry.fsm['Agent-1'] = 'idle';
    registry.onboarded['Agent-10'] = true;
    registry.fsm['Agent-10'] = 'idle';
  }
  return reconcile(incidentReads(files, registry), incidentConfig(), NOW);
}
const DRIFT = world('uninitialized');
const FIXED = world('ready');
const OTHER = world('idle'); // someone wrote yet another value: the registry differs from the truth again

const resolved = [{ agent: 'Agent-2', status: 'resolved', writes: [{ field: 'fsm', after: 'ready' }] }];

/** One fight round at time t: attempt, our write lands (FIXED), the rival reverts (DRIFT). */
function round(s: AutoState, t: number): { s: AutoState; events: AutoEvent[] } {
  s = autoAttempt(s, ['Agent-2'], t);
  s = autoResult(s, resolved, 'a-1', t);
  let events: AutoEvent[] = [];
  let r = autoObserve(s, FIXED, 'display', t + 10);
  events = events.concat(r.events);
  r = autoObserve(r.state, DRIFT, 'display', t + 20);
  events = events.concat(r.events);
  return { s: r.state, events };
}

describe('backoffDelay', () => {
  it('is 0 before any attempt, then 1 s, 2 s, 4 s ... capped at 5 min', () => {
    expect([0, 1, 2, 3, 4, 8, 9, 10, 50, 1e6].map((n) => backoffDelay(n))).toEqual([
      0, 1000, 2000, 4000, 8000, 128_000, 256_000, 300_000, 300_000, 300_000,
    ]);
  });

  it('is monotone, capped, at least the base, and doubles until the cap (property)', () => {
    const params = fc
      .record({
        baseDelayMs: fc.integer({ min: 1, max: 60_000 }),
        maxDelayMs: fc.integer({ min: 1, max: 3_600_000 }),
      })
      .filter((p) => p.maxDelayMs >= p.baseDelayMs);
    fc.assert(
      fc.property(params, fc.integer({ min: 0, max: 10_000 }), (pp, n) => {
        const p = { ...P, ...pp };
        const a = backoffDelay(n, p);
        const b = backoffDelay(n + 1, p);
        expect(b).toBeGreaterThanOrEqual(a);
        expect(b).toBeLessThanOrEqual(p.maxDelayMs);
        expect(b).toBeGreaterThanOrEqual(p.baseDelayMs);
        expect(Number.isSafeInteger(b)).toBe(true);
        if (n >= 1 && a < p.maxDelayMs) expect(b).toBe(Math.min(p.maxDelayMs, 2 * a));
      }),
    );
  });
});

describe('autoDue and backoff', () => {
  it('resolves a drifted agent at once, then waits 1 s, 2 s, 4 s between attempts', () => {
    let s = initialAutoState();
    const t0 = 1_000_000;
    expect(autoDue(s, DRIFT, t0)).toEqual(['Agent-2']);
    const times: number[] = [];
    let t = t0;
    while (times.length < 5) {
      if (autoDue(s, DRIFT, t).length > 0) {
        times.push(t - t0);
        s = autoAttempt(s, ['Agent-2'], t);
      }
      t += 100;
    }
    expect(times).toEqual([0, 1000, 3000, 7000, 15000]);
    expect(autoNextWake(s, DRIFT, t)).toBe(t0 + 15000 + 16000);
  });

  it('never auto-resolves conflict or missing agents, nor agents with a write in flight', () => {
    const w = world('uninitialized', { agent1: true });
    expect(w.agents.map((a) => [a.id, a.verdict])).toEqual([
      ['Agent-1', 'conflict'],
      ['Agent-2', 'drift'],
      ['Agent-10', 'missing'],
    ]);
    expect(autoDue(initialAutoState(), w, 0)).toEqual(['Agent-2']);
    expect(autoDue(initialAutoState(), w, 0, new Set(['Agent-2']))).toEqual([]);
  });

  it('starts afresh once the agent has agreed for resetAfterMs, and then forgets it', () => {
    let s = autoAttempt(initialAutoState(), ['Agent-2'], 0);
    s = autoAttempt(s, ['Agent-2'], 1000);
    s = autoResult(s, resolved, 'a-1', 1000);
    s = autoObserve(s, FIXED, 'display', 1100).state;
    expect(s.agents.get('Agent-2')!.attempts).toBe(2);
    s = autoObserve(s, FIXED, 'display', 1100 + P.resetAfterMs - 1).state;
    expect(s.agents.get('Agent-2')!.attempts).toBe(2);
    expect(autoNextWake(s, FIXED, 1200)).toBe(1100 + P.resetAfterMs);
    s = autoObserve(s, FIXED, 'display', 1100 + P.resetAfterMs).state;
    // The written value is still remembered (a late revert would still count) ...
    expect(s.agents.get('Agent-2')!.attempts).toBe(0);
    // ... until the flap window has passed: then there is nothing left to remember.
    s = autoObserve(s, FIXED, 'display', 1000 + P.flapWindowMs).state;
    expect(s.agents.size).toBe(0);
    // A new drift is resolved at once again.
    expect(autoDue(s, DRIFT, 1000 + P.flapWindowMs)).toEqual(['Agent-2']);
  });

  it('drops agents that left the snapshot', () => {
    const s = autoAttempt(initialAutoState(), ['Agent-2', 'Agent-99'], 0);
    expect(autoObserve(s, DRIFT, 'display', 10).state.agents.has('Agent-99')).toBe(false);
  });
});

describe('flap detection', () => {
  it('flags an agent after 3 reverts within the window, with one event, and stops resolving it', () => {
    let s = initialAutoState();
    const all: AutoEvent[] = [];
    let t = 0;
    for (let i = 0; i < 3; i++) {
      const r = round(s, t);
      s = r.s;
      all.push(...r.events);
      t += 10 * SEC;
    }
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ kind: 'flapping', agent: 'Agent-2', fields: ['fsm'], reverts: 3 });
    expect(all[0]!.message).toBe(
      'auto-resolve stopped for Agent-2: another writer changed fsm in display back 3 times within 10 min; resolve it by hand to resume (or it is retried after 30 min without a revert)',
    );
    expect(isFlapping(s, 'Agent-2')).toBe(true);
    expect(autoDue(s, DRIFT, t + 10 * MIN)).toEqual([]);
    // More snapshots say nothing new.
    expect(autoObserve(s, DRIFT, 'display', t + MIN).events).toEqual([]);
  });

  it('does not count a change to a value that agrees with the truth, nor a failed write', () => {
    let s = initialAutoState();
    for (let i = 0; i < 5; i++) {
      s = autoAttempt(s, ['Agent-2'], i * SEC);
      s = autoResult(s, resolved, 'a', i * SEC);
      // Another writer rewrote the field with an equal value in another spelling: agrees, not a revert.
      s = autoObserve(s, world('READY'), 'display', i * SEC + 10).state;
    }
    expect(s.agents.get('Agent-2')!.reverts).toEqual([]);
    let f = initialAutoState();
    for (let i = 0; i < 5; i++) {
      f = autoAttempt(f, ['Agent-2'], i * SEC);
      f = autoResult(
        f,
        [{ agent: 'Agent-2', status: 'failed', writes: [{ field: 'fsm', after: 'ready' }] }],
        'a',
        i * SEC,
      );
      f = autoObserve(f, DRIFT, 'display', i * SEC + 10).state;
    }
    expect(isFlapping(f, 'Agent-2')).toBe(false);
  });

  it('counts a revert to any other value than ours', () => {
    let s = initialAutoState();
    const events: AutoEvent[] = [];
    for (let i = 0; i < 3; i++) {
      s = autoAttempt(s, ['Agent-2'], i * SEC);
      s = autoResult(s, resolved, 'a', i * SEC);
      const r = autoObserve(s, OTHER, 'display', i * SEC + 10);
      s = r.state;
      events.push(...r.events);
    }
    expect(events.map((e) => e.kind)).toEqual(['flapping']);
  });

  it('does not flag reverts spread wider than the window', () => {
    let s = initialAutoState();
    let t = 0;
    for (let i = 0; i < 10; i++) {
      const r = round(s, t);
      s = r.s;
      expect(r.events).toEqual([]);
      t += P.flapWindowMs / 2 + 1;
    }
    expect(isFlapping(s, 'Agent-2')).toBe(false);
  });

  it('flags exactly when flapThreshold reverts fall within the window (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 8 * MIN }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 5 }),
        (gaps, threshold) => {
          const p = { ...P, flapThreshold: threshold, flapQuietMs: 365 * 24 * 60 * MIN };
          let s = initialAutoState();
          let t = 0;
          const revertTimes: number[] = [];
          let flaggedAt: number | null = null;
          let flapEvents = 0;
          for (const gap of gaps) {
            t += gap;
            if (isFlapping(s, 'Agent-2')) break;
            s = autoAttempt(s, ['Agent-2'], t, p);
            s = autoResult(s, resolved, 'a', t);
            s = autoObserve(s, FIXED, 'display', t, p).state;
            const r = autoObserve(s, DRIFT, 'display', t + 1, p);
            s = r.state;
            revertTimes.push(t + 1);
            for (const e of r.events)
              if (e.kind === 'flapping') {
                flapEvents++;
                flaggedAt ??= revertTimes.length - 1;
              }
          }
          // Reference: the first revert with threshold-1 earlier reverts less than a window before it.
          let expected: number | null = null;
          for (let i = threshold - 1; i < revertTimes.length; i++) {
            if (revertTimes[i]! - revertTimes[i - threshold + 1]! < p.flapWindowMs) {
              expected = i;
              break;
            }
          }
          expect(flaggedAt).toBe(expected);
          expect(flapEvents).toBe(expected === null ? 0 : 1);
        },
      ),
    );
  });
});

describe('resuming a flapping agent', () => {
  function flapping(): AutoState {
    let s = initialAutoState();
    for (let i = 0; i < 3; i++) s = round(s, i * SEC).s;
    expect(isFlapping(s, 'Agent-2')).toBe(true);
    return s;
  }

  it('resumes when an operator acts on it, with a resumed event, and resolves at once', () => {
    const r = operatorAction(flapping(), 'Agent-2', 'a-op');
    expect(r.events).toEqual([
      {
        kind: 'resumed',
        agent: 'Agent-2',
        why: 'operator',
        message: 'auto-resolve resumed for Agent-2: an operator acted on it (a-op)',
      },
    ]);
    expect(autoDue(r.state, DRIFT, 3 * SEC)).toEqual(['Agent-2']);
    // An operator action on an agent we know nothing about changes nothing.
    expect(operatorAction(initialAutoState(), 'Agent-2', 'x').events).toEqual([]);
  });

  it('resumes after the quiet period, keeping its backoff, and flags again if the fight goes on', () => {
    let s = flapping();
    const flaggedAt = 2 * SEC + 20;
    expect(autoNextWake(s, DRIFT, 3 * SEC)).toBe(flaggedAt + P.flapQuietMs);
    expect(autoObserve(s, DRIFT, 'display', flaggedAt + P.flapQuietMs - 1).events).toEqual([]);
    const r = autoObserve(s, DRIFT, 'display', flaggedAt + P.flapQuietMs);
    expect(r.events).toMatchObject([{ kind: 'resumed', why: 'quiet' }]);
    s = r.state;
    expect(s.agents.get('Agent-2')!.attempts).toBe(3);
    const t = flaggedAt + P.flapQuietMs;
    expect(autoDue(s, DRIFT, t)).toEqual(['Agent-2']);
    const events: AutoEvent[] = [];
    let now = t;
    for (let i = 0; i < 3; i++) {
      const x = round(s, now);
      s = x.s;
      events.push(...x.events);
      now += backoffDelay(s.agents.get('Agent-2')!.attempts);
    }
    expect(events.map((e) => e.kind)).toEqual(['flapping']);
  });

  it('resumes when the agent has agreed for resetAfterMs by other means', () => {
    let s = flapping();
    s = autoObserve(s, FIXED, 'display', 10 * SEC).state;
    const r = autoObserve(s, FIXED, 'display', 10 * SEC + P.resetAfterMs);
    expect(r.events).toMatchObject([{ kind: 'resumed', why: 'in-sync' }]);
    expect(isFlapping(r.state, 'Agent-2')).toBe(false);
  });
});

describe('overwritten writes', () => {
  it('counts a write replaced before its read-back as a revert, but not a write that failed', () => {
    let s = initialAutoState();
    const events: AutoEvent[] = [];
    for (let i = 0; i < 3; i++) {
      s = autoAttempt(s, ['Agent-2'], i * SEC);
      s = autoResult(
        s,
        [
          {
            agent: 'Agent-2',
            status: 'failed',
            writes: [{ field: 'fsm', after: 'ready' }],
            cause: 'overwritten',
          },
        ],
        'a',
        i * SEC,
      );
      const r = autoObserve(s, DRIFT, 'display', i * SEC + 10);
      s = r.state;
      events.push(...r.events);
    }
    expect(events.map((e) => e.kind)).toEqual(['flapping']);
  });
});
