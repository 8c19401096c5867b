// Fuzzing layout detection (src/core/config/detect.ts) on arbitrary trees of file names and
// registry contents, and agent-id safety (src/core/ids.ts) on arbitrary strings: `../`,
// absolute paths, NUL, empty, control and look-alike characters. Run counts scale with
// FUZZ_RUNS (a multiplier; see harness.ts).
import * as path from 'node:path';
import fc from 'fast-check';
import { stringify as yamlStringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/core/config/config.js';
import { configYaml } from '../../src/core/config/config-writer.js';
import { detectLayout } from '../../src/core/config/detect.js';
import { agentFile, agentFromEntry, splitAgentPattern, unsafeAgentId } from '../../src/core/ids.js';
import { detectFormat } from '../../src/core/read/parse.js';
import {
  agentId,
  documentText,
  fuzz,
  JSON_TOKENS,
  memoryProbe,
  memoryReads,
  registryValue,
  reportAfterAll,
  SEEDS,
  testTimeout,
  tokenSoup,
  unicodeText,
  YAML_TOKENS,
} from './harness.js';

reportAfterAll();

const STATUS_LAYOUTS = [
  'agent_workspaces/{agent}/status.json',
  'agent_workspaces/{agent}/status.yaml',
  'agents/{agent}/status.json',
  'agents/{agent}/status.yaml',
  'agents/{agent}/status.yml',
  'agents/{agent}.json',
  'agents/{agent}.yaml',
  'agents/{agent}.yml',
  'status/{agent}.json',
  'status/{agent}.yaml',
];
const REGISTRIES = [
  'coordination_system_state.json',
  'registry.yaml',
  'registry.yml',
  'registry.json',
  'coordinator.yaml',
  'coordinator.json',
  'agent_registry.json',
];
const LOGS = ['events.jsonl', 'realtime.jsonl', 'events.ndjson', 'events.log', 'logs/events.jsonl'];

/** A file name segment: mostly ordinary, sometimes anything a file system (or not) allows. */
const segment = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'agents',
      'agent_workspaces',
      'status',
      'logs',
      'status.json',
      'status.yaml',
      '.json',
      '.yaml',
      'x.json',
      'README.md',
      '.hidden',
      '..',
      '.',
      '',
    ),
  },
  { weight: 2, arbitrary: agentId },
  { weight: 1, arbitrary: unicodeText(8) },
);

const registryContent = fc.oneof(
  documentText([...SEEDS.registryJson, ...SEEDS.registryYaml], [...JSON_TOKENS, ...YAML_TOKENS]),
  registryValue.map((v) => JSON.stringify(v)),
  registryValue.map((v) => yamlStringify(v)),
);

/** A tree of files: some in known layouts (with fuzzed agent names), some anywhere. */
const tree = fc
  .tuple(
    fc.array(fc.tuple(fc.constantFrom(...STATUS_LAYOUTS), agentId), { maxLength: 4 }),
    fc.array(fc.tuple(fc.constantFrom(...REGISTRIES), registryContent), { maxLength: 2 }),
    fc.array(fc.constantFrom(...LOGS), { maxLength: 2 }),
    fc.array(
      fc.array(segment, { minLength: 1, maxLength: 4 }).map((s) => s.join('/')),
      { maxLength: 5 },
    ),
  )
  .map(([status, registries, logs, junk]) => {
    const files = new Map<string, string>();
    for (const [pattern, id] of status)
      files.set(
        pattern.replace('{agent}', () => id),
        '{"status":"ACTIVE"}',
      );
    for (const [name, text] of registries) files.set(name, text);
    for (const name of logs) files.set(name, '');
    for (const name of junk) files.set(name, '{}');
    return files;
  });

describe('detectLayout on arbitrary trees', () => {
  const target = 'detect.detectLayout';
  it(
    'a config that names files present and reads back through init, or the list of what was looked for',
    () => {
      fuzz(target, fc.tuple(tree, fc.option(fc.anything(), { nil: undefined })), 150, ([files, forced]) => {
        // Sometimes the probe's reader returns an arbitrary value, as a parser of another kind might.
        const probe = memoryProbe(files, forced === undefined ? undefined : () => forced);
        const d = detectLayout(probe);
        if (!d.ok) {
          expect(d.lookedFor.length).toBeGreaterThan(0);
          return true;
        }
        const status = d.config.sources.filter((s) => s.kind === 'status-files');
        const registry = d.config.sources.filter((s) => s.kind === 'registry');
        expect(status.length).toBe(1);
        expect(registry.length).toBe(1);
        expect(STATUS_LAYOUTS).toContain(status[0]!.path);
        expect(files.has(registry[0]!.path)).toBe(true);
        expect(d.config.policy.target).toBe(registry[0]!.name);
        for (const m of Object.values(registry[0]!.fields))
          expect(m.paths.length > 0 && m.paths.every((p) => p.split('.').includes('{agent}'))).toBe(true);
        for (const s of d.config.sources.filter((x) => x.kind === 'event-log'))
          expect(files.has(s.path)).toBe(true);
        // The status pattern matches what is there: the reader finds an agent (or skips an unsafe name).
        const read = memoryReads(d.config, files);
        expect(read.reads[0]!.documents.length + read.skipped.length).toBeGreaterThan(0);
        // `init` writes what was detected; it must read back.
        const again = parseConfig(configYaml(d.config, { layout: d.layout }), 'sync-tui.config.yaml');
        expect(again.ok ? [] : again.diagnostics.map((x) => x.message)).toEqual([]);
        return false;
      });
    },
    testTimeout(150),
  );

  it(
    'detectFormat names one of the two formats for any name and text',
    () => {
      fuzz(
        'parse.detectFormat',
        fc.tuple(
          fc
            .tuple(fc.array(segment, { maxLength: 4 }), fc.constantFrom('/', '\\'))
            .map(([s, sep]) => s.join(sep)),
          fc.option(fc.oneof(unicodeText(20), tokenSoup(['---', '%YAML', ' ', '\n', '\uFEFF', '{'])), {
            nil: undefined,
          }),
        ),
        100,
        ([name, text]) => {
          const f = detectFormat(name, text);
          expect(['json', 'yaml']).toContain(f);
          if (/\.ya?ml$/i.test(name)) expect(f).toBe('yaml');
          return false;
        },
      );
    },
    testTimeout(100),
  );
});

/** Strings that try to leave a folder or hide in a file name. */
const hostileId = fc.oneof(
  { weight: 3, arbitrary: agentId },
  {
    weight: 3,
    arbitrary: tokenSoup(
      [
        '..',
        '.',
        '/',
        '\\',
        '\u0000',
        'a',
        ' ',
        '%2e',
        '%2f',
        'C:',
        '~',
        '\u2215',
        '\uFF0F',
        '\u2024',
        '\n',
        '\r',
        '\t',
        '\u001B',
        '\u0085',
        '\u202E',
        '\uFEFF',
        'Agent-1',
        '{agent}',
        '$&',
      ],
      8,
    ),
  },
  { weight: 2, arbitrary: unicodeText(30) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.integer({ min: 195, max: 205 }), fc.constantFrom('a', 'é', '🚀'))
      .map(([n, c]) => c.repeat(n)),
  },
);

describe('agent ids', () => {
  const target = 'ids.unsafeAgentId';
  it(
    'an id is accepted only when it names exactly one entry inside its folder',
    () => {
      fuzz(target, hostileId, 200, (id) => {
        const why = unsafeAgentId(id);
        if (why !== null) {
          expect(typeof why === 'string' && why.length > 0).toBe(true);
          return true;
        }
        expect(id.length).toBeGreaterThan(0);
        expect(id.length).toBeLessThanOrEqual(200);
        expect(id).not.toMatch(/[/\\\u0000-\u001f\u007f-\u009f]/);
        expect(['.', '..']).not.toContain(id);
        const folder = '/root/agents';
        const resolved = path.posix.resolve(folder, id);
        expect(path.posix.dirname(resolved)).toBe(folder);
        expect(path.posix.basename(resolved)).toBe(id);
        return false;
      });
    },
    testTimeout(200),
  );

  it(
    'status-file patterns: entry names map back to ids, and files of safe ids stay under their folder',
    () => {
      const pattern = fc.oneof(
        fc.constantFrom(
          ...STATUS_LAYOUTS,
          '{agent}.json',
          'a/b/{agent}',
          'x{agent}y/s.json',
          '{agent}/{agent}',
          'no-agent',
          '',
          './agents/{agent}/s.json',
          'a//{agent}//b',
        ),
        fc
          .array(fc.oneof(segment, fc.constant('{agent}'), fc.constant('p{agent}.s')), { maxLength: 4 })
          .map((s) => s.join('/')),
      );
      fuzz(
        'ids.agentPattern',
        fc.tuple(pattern, hostileId, fc.oneof(segment, hostileId)),
        150,
        ([pat, id, name]) => {
          const p = splitAgentPattern(pat);
          if (p === null) {
            expect(pat.split('/').filter((s) => s.includes('{agent}')).length).not.toBe(1);
            return true;
          }
          // Any entry name: an id only when the name is prefix + id + suffix.
          const got = agentFromEntry(p, name);
          if (got !== null) {
            expect(got.length).toBeGreaterThan(0);
            expect(p.prefix + got + p.suffix).toBe(name);
          }
          if (unsafeAgentId(id) !== null) return true;
          expect(agentFromEntry(p, p.prefix + id + p.suffix)).toBe(id);
          if (pat.startsWith('/') || pat.split('/').includes('..')) return false;
          const file = agentFile(p, id);
          const root = '/root';
          const resolved = path.posix.resolve(root, file);
          expect(resolved.startsWith(path.posix.resolve(root, p.dir) + '/')).toBe(true);
          // The id is one whole segment of the path (with its prefix and suffix).
          expect(file.split('/')).toContain(p.prefix + id + p.suffix);
          return false;
        },
      );
    },
    testTimeout(150),
  );
});
