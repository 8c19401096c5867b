// Properties of discovery by content (src/core/config/discover): it never throws, reads within its
// bounds, and gives the same layout whatever order the walk lists the files in.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { discover, DISCOVERY_BOUNDS, type DiscoveryInput } from '../../src/core/config/discover/index.js';

const id = fc.oneof(
  fc.constantFrom('Agent-1', 'Agent-2', 'Agent-3', 'Agent-SRC-1', 'alpha', 'beta', 'contracts', 'meeting'),
  fc.string({ minLength: 1, maxLength: 6 }),
);
const dir = fc.constantFrom(
  'agent_workspaces',
  'agents',
  'a/b',
  'a/b/c/d',
  'runtime/agent_logs',
  'x',
  '.git',
  'node_modules/p',
);
const value = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      status: fc.constantFrom('ACTIVE', 'busy', 'COMPLETE - LEGENDARY', 'ready'),
      agent_id: id,
      last_updated: fc.constant('2025-01-01 00:00:00'),
    },
    { requiredKeys: [] },
  ),
  fc.record({ state: fc.constantFrom('RESET', 'ACTIVE'), updated: fc.boolean() }),
  fc.jsonValue({ maxDepth: 3 }),
);
const registry = fc.dictionary(
  id,
  fc.oneof(
    fc.boolean(),
    fc.constantFrom('ACTIVE', 'idle'),
    fc.record({
      status: fc.constantFrom('ACTIVE', 'INACTIVE'),
      last_seen: fc.constant('2025-01-01T00:00:00'),
    }),
  ),
  { maxKeys: 6 },
);
const entry = fc.oneof(
  fc
    .tuple(dir, id, fc.constantFrom('status.json', 'status.yaml', 'onboarding.json'), value)
    .map(([d, a, n, v]) => [`${d}/${a}/${n}`, v] as const),
  fc.tuple(dir, id, value).map(([d, a, v]) => [`${d}/${a}.json`, v] as const),
  fc
    .tuple(
      dir,
      fc.oneof(
        registry,
        fc.record({ agents: registry }),
        fc.record({ onboarding_status: registry, agent_fsm_states: registry }),
      ),
    )
    .map(([d, v]) => [`${d}/registry.json`, v] as const),
  fc
    .tuple(
      dir,
      id,
      fc.array(
        fc.oneof(
          fc.record({ agent_id: id, status: fc.constantFrom('ACTIVE', 'IDLE') }),
          fc.jsonValue({ maxDepth: 2 }),
        ),
        { maxLength: 4 },
      ),
    )
    .map(([d, a, lines]) => [`${d}/${a}.log.jsonl`, lines] as const),
  fc
    .tuple(fc.array(fc.string({ maxLength: 5 }), { minLength: 1, maxLength: 7 }), value)
    .map(([segs, v]) => [`${segs.join('/')}.json`, v] as const),
);
const tree = fc.array(entry, { maxLength: 30 });

function input(entries: readonly (readonly [string, unknown])[], reads: { n: number }): DiscoveryInput {
  const files = new Map<string, unknown>();
  for (const [p, v] of entries) files.set(p, v);
  return {
    files: [...files.keys()].map((path) => ({ path })),
    read: (p) => {
      reads.n++;
      return files.get(p);
    },
    lines: (p) => {
      const v = files.get(p);
      return Array.isArray(v) ? v : [];
    },
  };
}

describe('discover (properties)', () => {
  it('never throws, and what it names is in the tree', () => {
    fc.assert(
      fc.property(tree, (entries) => {
        const reads = { n: 0 };
        const inp = input(entries, reads);
        const d = discover(inp);
        // Each file is read at most once per pattern it can belong to, plus once as a registry candidate.
        expect(reads.n).toBeLessThanOrEqual(inp.files.length * 2 + DISCOVERY_BOUNDS.registryFiles);
        if (!d.ok) {
          expect(d.lookedFor.length).toBeGreaterThan(0);
          return;
        }
        const paths = new Set(inp.files.map((f) => f.path));
        for (const s of d.layout.sources) {
          if (s.path.includes('{agent}')) {
            const [pre, post] = s.path.split('{agent}') as [string, string];
            expect([...paths].some((p) => p.startsWith(pre) && p.endsWith(post))).toBe(true);
          } else {
            expect(paths.has(s.path)).toBe(true);
          }
          expect(s.agents).toBeGreaterThan(0);
        }
        expect(d.config.sources.map((s) => s.name)).toEqual(d.layout.sources.map((s) => s.name));
        expect(d.config.policy.target === 'display').toBe(d.layout.registry);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same layout whatever order the files are listed in', () => {
    fc.assert(
      fc.property(
        tree.chain((entries) =>
          fc.tuple(
            fc.constant(entries),
            fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length }),
          ),
        ),
        ([a, b]) => {
          // Duplicated paths: the last write wins in both orders only if the values are the same.
          const unique = (xs: readonly (readonly [string, unknown])[]) =>
            new Map(xs.map(([p, v]) => [p, JSON.stringify(v) ?? 'u']));
          fc.pre([...unique(a)].every(([p, v]) => unique(b).get(p) === v));
          const x = discover(input(a, { n: 0 }));
          const y = discover(input(b, { n: 0 }));
          expect(JSON.stringify(y.ok ? y.layout : y)).toBe(JSON.stringify(x.ok ? x.layout : x));
        },
      ),
      { numRuns: 300 },
    );
  });
});
