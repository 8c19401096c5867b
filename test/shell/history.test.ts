// The verdict history file: batched O_APPEND writes, torn lines, rotation; and JsonlTail.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../src/core/report/history-report.js';
import { HISTORY_FILE, HistoryWriter, JsonlTail, readHistory } from '../../src/shell/history.js';
import { tempDir } from '../helpers/cli.js';

const made: string[] = [];
afterEach(() => made.splice(0).forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function dir(): string {
  const d = tempDir('sync-tui-history-');
  made.push(d);
  return path.join(d, '.sync-tui');
}

const entry = (i: number): HistoryEntry => ({
  v: 1,
  kind: 'verdict',
  at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  agent: `Agent-${i}`,
  before: 'in-sync',
  after: 'drift',
  reasons: ['x'.repeat(50)],
});

describe('HistoryWriter', () => {
  it('creates the folder, appends batches in order, and reads them back', async () => {
    const d = dir();
    const w = new HistoryWriter(d);
    w.append([entry(1), entry(2)]);
    w.append([entry(3)]);
    await w.flush();
    w.append([entry(4)]);
    await w.flush();
    const got = await readHistory(d);
    expect(got.diagnostics).toEqual([]);
    expect(got.entries.map((e) => (e as { agent: string }).agent)).toEqual([
      'Agent-1',
      'Agent-2',
      'Agent-3',
      'Agent-4',
    ]);
  });

  it('starts a new line after a torn one, and the reader skips the torn line with a warning', async () => {
    const d = dir();
    fs.mkdirSync(d, { recursive: true });
    fs.writeFileSync(path.join(d, HISTORY_FILE), JSON.stringify(entry(1)) + '\n{"v":1,"kind":"ver');
    const w = new HistoryWriter(d);
    w.append([entry(2)]);
    await w.flush();
    const got = await readHistory(d, { label: 'h' });
    expect(got.entries.map((e) => (e as { agent: string }).agent)).toEqual(['Agent-1', 'Agent-2']);
    expect(got.diagnostics).toMatchObject([{ code: 'corrupt-line', line: 2 }]);
  });

  it('rotates to history.jsonl.1 past maxBytes, keeping the disk use bounded, and reads both parts in order', async () => {
    const d = dir();
    const w = new HistoryWriter(d, { maxBytes: 2000 });
    for (let i = 0; i < 60; i++) {
      w.append([entry(i)]);
      await w.flush();
    }
    const main = fs.statSync(path.join(d, HISTORY_FILE)).size;
    const old = fs.statSync(path.join(d, HISTORY_FILE + '.1')).size;
    expect(main).toBeLessThanOrEqual(2000);
    expect(old).toBeLessThanOrEqual(2000);
    const got = await readHistory(d);
    const ids = got.entries.map((e) => Number((e as { agent: string }).agent.slice(6)));
    expect(ids[ids.length - 1]).toBe(59);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(ids.length).toBeGreaterThan(10);
  });

  it('reports a write failure once per streak and never throws', async () => {
    const base = dir();
    fs.mkdirSync(path.dirname(base), { recursive: true });
    fs.writeFileSync(base, 'a file where the folder should be');
    const errors: string[] = [];
    const w = new HistoryWriter(base, { onError: (m) => errors.push(m) });
    w.append([entry(1)]);
    await w.flush();
    w.append([entry(2)]);
    await w.flush();
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/while creating the folder of the history|while opening the history/);
  });

  it('bounds what waits to be written', () => {
    const w = new HistoryWriter(dir(), { maxPending: 5 });
    w.append(Array.from({ length: 12 }, (_, i) => entry(i)));
    expect(w.dropped).toBe(7);
  });
});

describe('JsonlTail', () => {
  it('starts at the end, then returns whole appended lines, waiting for a partial one', async () => {
    const d = dir();
    fs.mkdirSync(d, { recursive: true });
    const f = path.join(d, 'j.jsonl');
    fs.writeFileSync(f, '{"old":1}\n');
    const t = new JsonlTail(f);
    expect(await t.read()).toEqual([]);
    fs.appendFileSync(f, '{"a":1}\n{"b":');
    expect(await t.read()).toEqual([{ a: 1 }]);
    fs.appendFileSync(f, '"é"}\nnot json\n');
    expect(await t.read()).toEqual([{ b: 'é' }]);
    expect(await t.read()).toEqual([]);
  });

  it('reads a file that appears later from its start, and starts over when it is replaced or truncated', async () => {
    const d = dir();
    fs.mkdirSync(d, { recursive: true });
    const f = path.join(d, 'j.jsonl');
    const t = new JsonlTail(f);
    expect(await t.read()).toEqual([]);
    fs.writeFileSync(f, '{"a":1}\n');
    expect(await t.read()).toEqual([{ a: 1 }]);
    fs.writeFileSync(f + '.new', '{"z":1}\n');
    fs.renameSync(f + '.new', f);
    expect(await t.read()).toEqual([{ z: 1 }]);
  });
});

describe('HistoryWriter when its folder is removed', () => {
  it('measures the grace period on the injected clock', async () => {
    const d = dir();
    let t = 1_000_000;
    const w = new HistoryWriter(d, { clock: () => t, onError: () => {} });
    w.append([entry(1)]);
    await w.flush();
    fs.rmSync(d, { recursive: true });
    w.append([entry(2)]);
    await w.flush();
    expect(fs.existsSync(d)).toBe(false);
    // 1.9 s later by the injected clock: still not; 2.1 s: made again, with no real wait.
    t += 1900;
    w.append([entry(3)]);
    await w.flush();
    expect(fs.existsSync(d)).toBe(false);
    t += 200;
    w.append([entry(4)]);
    await w.flush();
    expect(fs.existsSync(path.join(d, HISTORY_FILE))).toBe(true);
  });

  it('does not re-make the folder at once (someone is deleting it), but does once it has stayed gone', async () => {
    const d = dir();
    const errors: string[] = [];
    const w = new HistoryWriter(d, { onError: (m) => errors.push(m) });
    w.append([entry(1)]);
    await w.flush();
    fs.rmSync(d, { recursive: true });
    w.append([entry(2)]);
    await w.flush();
    // Right after the removal: not re-made, and the failure is reported once.
    expect(fs.existsSync(d)).toBe(false);
    expect(errors).toEqual([expect.stringMatching(/not found \(ENOENT\) while opening the history/)]);
    // Gone for longer than the grace period: made again on the next write.
    await new Promise((r) => setTimeout(r, 2100));
    w.append([entry(3)]);
    await w.flush();
    expect(fs.existsSync(path.join(d, HISTORY_FILE))).toBe(true);
    const got = await readHistory(d);
    expect(got.entries.map((e) => (e as { agent: string }).agent)).toEqual(['Agent-3']);
  });
});
