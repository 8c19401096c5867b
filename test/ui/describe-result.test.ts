// The status line's words for an action's result: what was written, and what was not.
import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../src/shell/engine-types.js';
import { describeResult } from '../../src/ui/App.js';

function result(
  agents: ActionResult['agents'],
  message: string,
  action: string | null = 'a-1',
): ActionResult {
  return { action, kind: 'resolve', dryRun: false, attempts: 1, agents, message, startedAtSeq: 1 };
}

const fsm = (before: string, after: string) => ({
  field: 'fsm',
  path: ['agent_fsm_states', 'x'],
  before,
  after,
});

describe('describeResult', () => {
  it('after a bulk resolve names the agents and fields written, not only how many', () => {
    const r = result(
      [
        { agent: 'Agent-2', status: 'resolved', cause: 'verified', writes: [fsm('uninitialized', 'ready')] },
        {
          agent: 'Agent-3',
          status: 'resolved',
          cause: 'verified',
          writes: [
            { field: 'status', path: ['s'], before: false, after: true },
            fsm('uninitialized', 'active'),
          ],
        },
      ],
      'resolved 2 agents (3 writes), action a-1',
    );
    expect(describeResult(r)).toEqual({
      text: 'wrote 3 values for 2 agents: Agent-2 fsm "uninitialized" → "ready"; Agent-3 status false → true, fsm "uninitialized" → "active" · action a-1',
      tone: 'ok',
    });
  });

  it('counts the rest past three agents and points at the log', () => {
    const agents = [1, 2, 3, 4, 5].map((i) => ({
      agent: `Agent-${i}`,
      status: 'resolved' as const,
      cause: 'verified' as const,
      writes: [fsm('idle', 'active')],
    }));
    expect(describeResult(result(agents, 'resolved 5 agents (5 writes), action a-1')).text).toMatch(
      /^wrote 5 values for 5 agents: Agent-1 fsm "idle" → "active"; Agent-2 .*; Agent-3 fsm "idle" → "active"; \+2 more \(sync-tui log lists them\) · action a-1$/,
    );
  });

  it('says which approved agent changed since it was shown, and which key plans again', () => {
    const changed = {
      agent: 'Agent-6',
      status: 'unresolved' as const,
      cause: 'changed-since-planned' as const,
      reason: 'Agent-6 changed since you looked: now fsm: "idle" -> "blocked"; not written',
      writes: [],
    };
    const one = describeResult(
      result([changed], 'nothing to write; 1 changed since you looked, not written', null),
      'r',
    );
    expect(one).toEqual({
      text: 'Agent-6 changed since you looked: now fsm: "idle" -> "blocked"; not written, press r again',
      tone: 'warn',
    });
    const bulk = describeResult(
      result(
        [
          {
            agent: 'Agent-2',
            status: 'resolved',
            cause: 'verified',
            writes: [fsm('uninitialized', 'ready')],
          },
          changed,
        ],
        'resolved 1 agent (1 write), action a-1; 1 changed since you looked, not written',
      ),
    );
    expect(bulk.text).toBe(
      'wrote 1 value for 1 agent: Agent-2 fsm "uninitialized" → "ready" · Agent-6 changed since you looked: now fsm: "idle" -> "blocked"; not written, press R again · action a-1',
    );
    const none = describeResult(
      result(
        [changed, { ...changed, agent: 'Agent-7' }],
        'nothing to write; 2 changed since you looked, not written',
        null,
      ),
    );
    expect(none.text).toBe(
      'nothing to write; 2 changed since you looked, not written · Agent-6 changed since you looked: now fsm: "idle" -> "blocked"; not written (+1 more changed since), press R again',
    );
  });

  it('says when a picked winner was kept as a decision', () => {
    const r = result(
      [{ agent: 'Agent-1', status: 'in-sync', cause: 'in-sync', writes: [], decided: ['fsm'] }],
      'nothing to write; decision recorded',
      'a-7',
    );
    expect(describeResult(r, '1').text).toBe(
      'Agent-1: in-sync · decision kept on fsm until a source changes · action a-7',
    );
  });
});
