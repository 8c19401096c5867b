// Reading a fleet's status files checks the folders below the listed one by one instead of
// resolving each file's whole path (src/shell/fsread.ts readBounded's `listed`): a link on
// the way must still be seen, at any depth, and one that stays inside the root followed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceSpec } from '../../src/core/types.js';
import { readSource } from '../../src/shell/sources.js';
import { tempDir } from '../helpers/cli.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function spec(pattern: string): SourceSpec {
  return {
    name: 'file',
    kind: 'status-files',
    path: pattern,
    fields: {},
    updatedAt: [],
    idPaths: [],
    required: true,
    staleAfterMs: 60_000,
  };
}

function write(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, text);
}

/** root/agents/{agent}/state/status.json for a plain agent, plus links at each level. */
function fleet(): { root: string; outside: string } {
  const base = tempDir('sync-tui-confine-');
  dirs.push(base);
  const root = path.join(base, 'root');
  const outside = path.join(base, 'outside');
  write(path.join(outside, 'state', 'status.json'), '{"secret": true}');
  write(path.join(root, 'agents', 'plain', 'state', 'status.json'), '{"id": "plain"}');
  // The folder in the middle links out of the root.
  fs.mkdirSync(path.join(root, 'agents', 'mid-out'));
  fs.symlinkSync(path.join(outside, 'state'), path.join(root, 'agents', 'mid-out', 'state'));
  // The agent folder links out of the root.
  fs.symlinkSync(outside, path.join(root, 'agents', 'dir-out'));
  // Links that stay inside the root are followed.
  write(path.join(root, 'elsewhere', 'state', 'status.json'), '{"id": "inside"}');
  fs.symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'agents', 'dir-in'));
  fs.mkdirSync(path.join(root, 'agents', 'mid-in'));
  fs.symlinkSync(path.join(root, 'elsewhere', 'state'), path.join(root, 'agents', 'mid-in', 'state'));
  return { root, outside };
}

describe('status files below the listed folder', () => {
  it('refuses a folder linked out of the root at any depth and follows links that stay inside', () => {
    const { root } = fleet();
    const read = readSource(root, spec('agents/{agent}/state/status.json'));
    const byAgent = new Map(read.documents.map((d) => [d.agent, d]));
    expect([...byAgent.keys()].sort()).toEqual(['dir-in', 'dir-out', 'mid-in', 'mid-out', 'plain']);
    expect(byAgent.get('plain')!.parse.value).toEqual({ id: 'plain' });
    expect(byAgent.get('dir-in')!.parse.value).toEqual({ id: 'inside' });
    expect(byAgent.get('mid-in')!.parse.value).toEqual({ id: 'inside' });
    for (const agent of ['dir-out', 'mid-out']) {
      const doc = byAgent.get(agent)!;
      expect(doc.parse.ok).toBe(false);
      expect(doc.parse.diagnostics.map((d) => d.code)).toEqual(['symlink-outside-root']);
      expect(doc.parse.diagnostics[0]!.message).toMatch(/symlink out of the root; not followed/);
    }
  });

  it('refuses a listed folder that is itself linked out of the root', () => {
    const { root, outside } = fleet();
    fs.mkdirSync(path.join(root, 'linked'));
    fs.symlinkSync(path.dirname(outside), path.join(root, 'linked', 'agents'));
    const read = readSource(root, spec('linked/agents/{agent}/state/status.json'));
    expect(read.healthy).toBe(false);
    expect(read.documents).toEqual([]);
    expect(read.diagnostics.map((d) => d.code)).toEqual(['not-found']);
  });

  it('reads files directly in the listed folder, and refuses one linked out', () => {
    const { root, outside } = fleet();
    write(path.join(root, 'flat', 'a.json'), '{"id": "a"}');
    fs.symlinkSync(path.join(outside, 'state', 'status.json'), path.join(root, 'flat', 'b.json'));
    const read = readSource(root, spec('flat/{agent}.json'));
    const byAgent = new Map(read.documents.map((d) => [d.agent, d]));
    expect(byAgent.get('a')!.parse.value).toEqual({ id: 'a' });
    expect(byAgent.get('b')!.parse.diagnostics.map((d) => d.code)).toEqual(['symlink-outside-root']);
  });
});
