// The TUI's status line after an undo counts one unit (issue 11.10): the engine's message
// counts changes; no count of agents is added after it.
import { describe, expect, it } from 'vitest';
import type { ActionResult } from '../../src/shell/engine.js';
import { describeResult } from '../../src/ui/App.js';

const agent = (id: string, n: number): ActionResult['agents'][number] => ({
  agent: id,
  status: 'restored',
  cause: 'verified',
  writes: Array.from({ length: n }, (_, i) => ({
    field: `f${i}`,
    path: ['agents', id, `f${i}`],
    before: 'a',
    after: 'b',
  })),
});

describe('describeResult for an undo', () => {
  it('says the changes once, without "3 restored" agents after "9 changes"', () => {
    const r: ActionResult = {
      action: 'a-2',
      kind: 'undo',
      dryRun: false,
      attempts: 1,
      startedAtSeq: 1,
      agents: [agent('A', 3), agent('B', 3), agent('C', 3)],
      message: 'undid a-1 (9 changes)',
    };
    expect(describeResult(r)).toEqual({ text: 'undid a-1 (9 changes)', tone: 'ok' });
  });

  it('names the first refused agent and why, still counting changes only', () => {
    const refused = {
      ...agent('B', 1),
      status: 'refused' as const,
      cause: 'refused' as const,
      reason: 'agents.B.f0 changed since (now "c"); left as it is',
    };
    const r: ActionResult = {
      action: 'a-2',
      kind: 'undo',
      dryRun: false,
      attempts: 1,
      startedAtSeq: 1,
      agents: [agent('A', 2), refused],
      message: 'undid 2 of 3 changes of a-1; 1 refused (changed since)',
    };
    expect(describeResult(r)).toEqual({
      text: 'undid 2 of 3 changes of a-1; 1 refused (changed since) · B: agents.B.f0 changed since (now "c"); left as it is',
      tone: 'warn',
    });
  });
});
