// The bounded walk that feeds discovery (src/shell/discover-probe.ts), on real folders:
// depth bound, skipped folders, symlink loops, huge files, the entry cap.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/core/config/discover/index.js';
import { discoveryInput, DISCOVERY_MAX_BYTES, walkTree } from '../../src/shell/discover-probe.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

function tree(files: Record<string, string>): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-walk-'));
  made.push(root);
  for (const [p, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, p)), { recursive: true });
    fs.writeFileSync(path.join(root, p), text);
  }
  return root;
}

const status = (id: string) =>
  JSON.stringify({ agent_id: id, status: 'ACTIVE', last_updated: '2025-01-01 00:00:00' });

describe('walkTree', () => {
  it('lists data files up to 4 folders deep, never in .git or node_modules', () => {
    const root = tree({
      'a/b/c/d/x.json': '{}',
      'a/b/c/d/e/too-deep.json': '{}',
      '.git/agents/A/status.json': status('A'),
      'node_modules/agents/A/status.json': status('A'),
      'notes.txt': 'x',
      'top.yaml': 'a: 1',
    });
    expect(
      walkTree(root)
        .files.map((f) => f.path)
        .sort(),
    ).toEqual(['a/b/c/d/x.json', 'top.yaml']);
  });

  it('does not follow symlinks, so a loop ends', () => {
    const root = tree({ 'agents/A/status.json': status('A'), 'agents/B/status.json': status('B') });
    fs.symlinkSync(root, path.join(root, 'agents', 'loop'));
    fs.symlinkSync(path.join(root, 'agents/A/status.json'), path.join(root, 'agents', 'C.json'));
    const w = walkTree(root);
    expect(w.files.map((f) => f.path).sort()).toEqual(['agents/A/status.json', 'agents/B/status.json']);
    expect(w.truncated).toBeUndefined();
  });

  it('stops at the entry cap and says so', () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`f${i}.json`] = '{}';
    const w = walkTree(tree(files), { depth: 4, entries: 10 });
    expect(w.files).toHaveLength(10);
    expect(w.truncated).toMatch(/after listing 10 entries \(the cap\)/);
  });
});

describe('discoveryInput', () => {
  it('does not parse a file bigger than the bound, and discovery goes on without it', () => {
    const root = tree({
      'agents/A/status.json': status('A'),
      'agents/B/status.json': status('B'),
      'registry.json': '',
    });
    // A sparse file past the bound, holding the look of a registry at its start.
    const big = path.join(root, 'registry.json');
    fs.writeFileSync(big, JSON.stringify({ agents: { A: { status: 'ACTIVE' }, B: { status: 'ACTIVE' } } }));
    fs.truncateSync(big, DISCOVERY_MAX_BYTES + 1);
    const input = discoveryInput(root);
    expect(input.read('registry.json')).toBeUndefined();
    const d = discover(input);
    expect(d.ok && d.layout.sources.map((s) => s.kind)).toEqual(['status-files']);
    expect(d.ok && d.layout.registry).toBe(false);
  });

  it('reads the first lines of a JSON-lines file, skipping lines that do not parse', () => {
    const root = tree({ 'logs/A.jsonl': '{"status":"ACTIVE"}\nnot json\n{"status":"IDLE"}\n' });
    expect(discoveryInput(root).lines('logs/A.jsonl')).toEqual([{ status: 'ACTIVE' }, { status: 'IDLE' }]);
  });
});
