// The engine's incremental picture must always equal a fresh full reconcile of what is on
// disk (the path `check` takes), whatever sequence of changes arrives.
import fc from 'fast-check';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { reconcile } from '../../src/core/reconcile/reconcile.js';
import type { Reconciliation } from '../../src/core/types.js';
import { Engine } from '../../src/shell/engine.js';
import { loadConfig } from '../../src/shell/probe.js';
import { readAll } from '../../src/shell/sources.js';
import { copyFixture } from '../helpers/cli.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const ids = ['alpha', 'beta', 'gamma', 'delta', 'eps'];
const states = ['IDLE', 'ACTIVE', 'TASK_EXECUTION', 'READY', 'ONBOARDED', 'WARP'];
const stamp = fc.integer({ min: 0, max: 40 }).map((m) => new Date(Date.UTC(2026, 2, 2, 9, m)).toISOString());

type Op =
  | { kind: 'file'; id: string; status: string; fsm: string; at: string }
  | { kind: 'broken'; id: string }
  | { kind: 'delete'; id: string }
  | { kind: 'registry'; id: string; status: string; fsm: string }
  | { kind: 'unregister'; id: string }
  | { kind: 'event'; id: string; fsm: string; at: string }
  | { kind: 'heartbeat'; id: string; at: string }
  | { kind: 'truncate-log' };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('file' as const),
    id: fc.constantFrom(...ids),
    status: fc.constantFrom(...states),
    fsm: fc.constantFrom(...states),
    at: stamp,
  }),
  fc.record({ kind: fc.constant('broken' as const), id: fc.constantFrom(...ids) }),
  fc.record({ kind: fc.constant('delete' as const), id: fc.constantFrom(...ids) }),
  fc.record({
    kind: fc.constant('registry' as const),
    id: fc.constantFrom(...ids),
    status: fc.constantFrom(...states),
    fsm: fc.constantFrom(...states),
  }),
  fc.record({ kind: fc.constant('unregister' as const), id: fc.constantFrom(...ids) }),
  fc.record({
    kind: fc.constant('event' as const),
    id: fc.constantFrom(...ids),
    fsm: fc.constantFrom(...states),
    at: stamp,
  }),
  fc.record({ kind: fc.constant('heartbeat' as const), id: fc.constantFrom(...ids), at: stamp }),
  fc.constant({ kind: 'truncate-log' as const }),
);

/** Apply an operation on disk; return the paths a watcher would report. */
function apply(root: string, o: Op): string[] {
  const file = (id: string) => path.join(root, 'agents', id, 'status.yaml');
  const registry = path.join(root, 'registry.yaml');
  switch (o.kind) {
    case 'file':
      fs.mkdirSync(path.dirname(file(o.id)), { recursive: true });
      fs.writeFileSync(
        file(o.id),
        `agent_id: ${o.id}\nstatus: ${o.status}\nfsm_state: ${o.fsm}\nlast_updated: "${o.at}"\n`,
      );
      return [`agents/${o.id}/status.yaml`];
    case 'broken':
      fs.mkdirSync(path.dirname(file(o.id)), { recursive: true });
      fs.writeFileSync(file(o.id), 'status: [unclosed\n');
      return [`agents/${o.id}/status.yaml`];
    case 'delete':
      fs.rmSync(path.dirname(file(o.id)), { recursive: true, force: true });
      return [`agents/${o.id}`];
    case 'registry':
    case 'unregister': {
      const lines = fs.readFileSync(registry, 'utf8').split('\n');
      const start = lines.findIndex((l) => l === `  ${o.id}:`);
      if (start >= 0) lines.splice(start, 3);
      if (o.kind === 'registry')
        lines.splice(
          lines.indexOf('agents:') + 1,
          0,
          `  ${o.id}:`,
          `    status: ${o.status}`,
          `    fsm: ${o.fsm}`,
        );
      fs.writeFileSync(registry, lines.join('\n'));
      return ['registry.yaml'];
    }
    case 'event':
      fs.appendFileSync(
        path.join(root, 'events.jsonl'),
        JSON.stringify({ agent: o.id, fsm: o.fsm, at: o.at }) + '\n',
      );
      return ['events.jsonl'];
    case 'heartbeat':
      fs.appendFileSync(
        path.join(root, 'events.jsonl'),
        JSON.stringify({ agent: o.id, type: 'heartbeat', at: o.at }) + '\n',
      );
      return ['events.jsonl'];
    case 'truncate-log':
      fs.writeFileSync(path.join(root, 'events.jsonl'), '');
      return ['events.jsonl'];
  }
}

function essence(r: Reconciliation) {
  return {
    summary: r.summary,
    agents: r.agents.map((a) => ({
      id: a.id,
      verdict: a.verdict,
      reasons: a.reasons,
      truth: a.truth,
      differences: a.differences,
      plan: a.plan,
      lastSeen: a.lastSeen,
    })),
  };
}

describe('the incremental engine', () => {
  it('always equals a full reconcile of the files on disk', async () => {
    const now = Date.UTC(2026, 2, 2, 9, 30);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const root = copyFixture('generic');
        made.push(root);
        fs.writeFileSync(path.join(root, 'events.jsonl'), '');
        fs.writeFileSync(
          path.join(root, 'registry.yaml'),
          'last_updated: "2026-03-02T09:00:00Z"\nagents:\n  alpha:\n    status: ACTIVE\n    fsm: IDLE\n',
        );
        const config = loadConfig(root);
        const engine = await Engine.open(root, config, { clock: () => now });
        try {
          for (const o of ops) {
            engine.applyChanges(apply(root, o));
            const fresh = reconcile(readAll(root, config.sources), config, now);
            expect(essence(engine.getSnapshot().recon)).toEqual(essence(fresh));
          }
        } finally {
          await engine.close();
          fs.rmSync(root, { recursive: true, force: true });
        }
      }),
      { numRuns: 60 },
    );
  }, 60_000);
});
