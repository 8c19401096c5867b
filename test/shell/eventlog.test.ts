import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { initialTail, readTail, type TailRead, type TailState } from '../../src/shell/eventlog.js';
import { timing } from '../helpers/report.js';

let root: string;
const LOG = 'logs/events.jsonl';
const abs = () => path.join(root, LOG);
const append = (text: string | Buffer) => fs.appendFileSync(abs(), text);
const line = (agent: string, status: string) =>
  `${JSON.stringify({ agent, status, at: '2026-03-02T09:00:00Z' })}\n`;
const values = (r: TailRead) => r.documents.map((d) => d.parse.value as Record<string, unknown>);
const statuses = (r: TailRead) => values(r).map((v) => v['status']);

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-tail-'));
  fs.mkdirSync(path.join(root, 'logs'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

describe('readTail', () => {
  it('starts empty and reads a missing file as nothing', () => {
    const s0 = initialTail(LOG);
    expect(s0).toEqual({ file: LOG, ino: null, size: 0, offset: 0, lineNo: 0, partial: '' });
    const r = readTail(root, s0);
    expect(r).toEqual({ documents: [], diagnostics: [], state: s0, reset: false });
  });

  it('reads only what was appended since the last read', () => {
    append(line('Agent-1', 'A') + line('Agent-2', 'B'));
    const r1 = readTail(root, initialTail(LOG));
    expect(statuses(r1)).toEqual(['A', 'B']);
    expect(r1.reset).toBe(false);
    expect(r1.state).toMatchObject({ offset: fs.statSync(abs()).size, lineNo: 2, partial: '' });
    expect(r1.documents[0]).toMatchObject({ file: LOG, mtimeMs: null });

    const r2 = readTail(root, r1.state);
    expect(r2.documents).toEqual([]);
    expect(r2.state).toEqual(r1.state);

    append(line('Agent-3', 'C'));
    const r3 = readTail(root, r2.state);
    expect(statuses(r3)).toEqual(['C']);
    expect(r3.state.lineNo).toBe(3);
    expect(r3.reset).toBe(false);
  });

  it('holds a half-written line until its newline arrives', () => {
    append(line('Agent-1', 'A') + '{"agent":"Agent-2","sta');
    const r1 = readTail(root, initialTail(LOG));
    expect(statuses(r1)).toEqual(['A']);
    expect(r1.diagnostics).toEqual([]);
    expect(r1.state.partial).toBe('{"agent":"Agent-2","sta');
    expect(r1.state.lineNo).toBe(1);

    append('tus":"B"');
    const r2 = readTail(root, r1.state);
    expect(r2.documents).toEqual([]);
    expect(r2.state.partial).toBe('{"agent":"Agent-2","status":"B"');

    append('}\n' + line('Agent-3', 'C'));
    const r3 = readTail(root, r2.state);
    expect(values(r3)).toEqual([
      { agent: 'Agent-2', status: 'B' },
      expect.objectContaining({ agent: 'Agent-3', status: 'C' }),
    ]);
    expect(r3.state).toMatchObject({ partial: '', lineNo: 3 });
  });

  it('keeps a character split between two writes whole', () => {
    const text = line('Agent-✓', 'DONE 🚀');
    const bytes = Buffer.from(text, 'utf8');
    const cut = bytes.indexOf(Buffer.from('🚀', 'utf8')) + 2; // inside the 4-byte emoji
    append(bytes.subarray(0, cut));
    const r1 = readTail(root, initialTail(LOG));
    expect(r1.documents).toEqual([]);
    append(bytes.subarray(cut));
    const r2 = readTail(root, r1.state);
    expect(values(r2)).toEqual([expect.objectContaining({ agent: 'Agent-✓', status: 'DONE 🚀' })]);
  });

  it('reads in tiny chunks without breaking lines or characters', () => {
    const lines = [
      line('Agent-é', 'ÅCTIVE'),
      '\n',
      line('Agent-2', '日本'),
      '   \n',
      line('Agent-3', '🚀🚀'),
    ];
    append(lines.join(''));
    const r = readTail(root, initialTail(LOG), { maxChunkBytes: 3 });
    expect(statuses(r)).toEqual(['ÅCTIVE', '日本', '🚀🚀']);
    expect(r.diagnostics).toEqual([]);
    expect(r.state.lineNo).toBe(5);
  });

  it('numbers lines across reads: a bad line names its own line', () => {
    append(line('Agent-1', 'A') + '\n' + line('Agent-2', 'B'));
    const r1 = readTail(root, initialTail(LOG));
    expect(r1.state.lineNo).toBe(3);
    append(line('Agent-3', 'C') + '{"agent":"Agent-4",,"status":}\r\n' + line('Agent-5', 'E'));
    const r2 = readTail(root, r1.state, { maxChunkBytes: 7 });
    expect(statuses(r2)).toEqual(['C', 'E']);
    expect(r2.diagnostics.length).toBeGreaterThan(0);
    expect(r2.diagnostics.every((d) => d.line === 5 && d.file === LOG && d.severity === 'error')).toBe(true);
    expect(r2.state.lineNo).toBe(6);
  });

  it('caps the list of bad lines and counts the rest', () => {
    const bad = Array.from({ length: 400 }, (_, i) => `not json ${i}\n`).join('');
    append(bad + line('Agent-1', 'OK'));
    const r = readTail(root, initialTail(LOG), { maxChunkBytes: 256 });
    expect(statuses(r)).toEqual(['OK']);
    const listed = new Set(r.diagnostics.filter((d) => d.line !== undefined).map((d) => d.line));
    expect(listed.size).toBeLessThanOrEqual(120);
    expect(listed.has(1)).toBe(true);
    const summaries = r.diagnostics.filter((d) => d.code === 'bad-lines');
    expect(summaries.length).toBeGreaterThan(0);
    expect(r.state.lineNo).toBe(401);
  });

  it('starts again from the top when the log is truncated', () => {
    append(line('Agent-1', 'A') + line('Agent-2', 'B') + line('Agent-3', 'C'));
    const r1 = readTail(root, initialTail(LOG));
    fs.writeFileSync(abs(), line('Agent-9', 'Z'));
    const r2 = readTail(root, r1.state);
    expect(r2.reset).toBe(true);
    expect(statuses(r2)).toEqual(['Z']);
    expect(r2.state.lineNo).toBe(1);
    // Then it tails the new content normally.
    append(line('Agent-8', 'Y'));
    const r3 = readTail(root, r2.state);
    expect(r3.reset).toBe(false);
    expect(statuses(r3)).toEqual(['Y']);
  });

  it('notices a copy-truncate rotation that has already grown past the old offset', () => {
    append(line('Agent-1', 'A'));
    const r1 = readTail(root, initialTail(LOG));
    // Same inode, new content, longer than what was read.
    fs.truncateSync(abs(), 0);
    append(line('Agent-2', 'NEW-1') + line('Agent-3', 'NEW-2'));
    const r2 = readTail(root, r1.state);
    expect(fs.statSync(abs()).ino).toBe(r1.state.ino);
    expect(r2.reset).toBe(true);
    expect(statuses(r2)).toEqual(['NEW-1', 'NEW-2']);
  });

  it('starts again from the top of a new file after a rotation (mv + create)', () => {
    append(line('Agent-1', 'A') + line('Agent-2', 'B'));
    const r1 = readTail(root, initialTail(LOG));
    fs.renameSync(abs(), `${abs()}.1`);
    // Longer than the old file, so only the inode tells.
    append(line('Agent-3', 'C') + line('Agent-4', 'D') + line('Agent-5', 'E'));
    const r2 = readTail(root, r1.state);
    expect(r2.reset).toBe(true);
    expect(statuses(r2)).toEqual(['C', 'D', 'E']);
    expect(r2.state.lineNo).toBe(3);
  });

  it('a log that disappears reads as nothing, and its successor from the start', () => {
    append(line('Agent-1', 'A') + '{"half');
    const r1 = readTail(root, initialTail(LOG));
    fs.unlinkSync(abs());
    const r2 = readTail(root, r1.state);
    expect(r2.documents).toEqual([]);
    expect(r2.diagnostics).toEqual([]);
    expect(r2.reset).toBe(false);
    expect(r2.state).toMatchObject({ ino: null, offset: r1.state.offset, lineNo: 1 });
    // Still missing: still nothing.
    expect(readTail(root, r2.state).state).toEqual(r2.state);
    append(line('Agent-2', 'B'));
    const r3 = readTail(root, r2.state);
    expect(r3.reset).toBe(true);
    expect(statuses(r3)).toEqual(['B']);
    expect(r3.state).toMatchObject({ lineNo: 1, partial: '' });
  });

  it('a log created after a read of the missing file is read from its start, without a reset', () => {
    const r1 = readTail(root, initialTail(LOG));
    append(line('Agent-1', 'A'));
    const r2 = readTail(root, r1.state);
    expect(r2.reset).toBe(false);
    expect(statuses(r2)).toEqual(['A']);
  });

  it('skips a line longer than the limit with a diagnostic, then goes on', () => {
    append(line('Agent-1', 'A') + '{"agent":"' + 'x'.repeat(500));
    const r1 = readTail(root, initialTail(LOG), { maxLineBytes: 100, maxChunkBytes: 64 });
    expect(statuses(r1)).toEqual(['A']);
    expect(r1.diagnostics).toEqual([expect.objectContaining({ code: 'too-large', line: 2 })]);
    expect(r1.state.partial).toBe('');
    append('x'.repeat(300) + '"}\n' + line('Agent-3', 'C'));
    const r2 = readTail(root, r1.state, { maxLineBytes: 100, maxChunkBytes: 64 });
    expect(statuses(r2)).toEqual(['C']);
    expect(r2.diagnostics).toEqual([]);
    expect(r2.state.lineNo).toBe(3);
    expect(r2.state.skipping).toBeUndefined();
  });

  it('refuses what is not a regular file inside the root, without throwing', () => {
    fs.mkdirSync(abs());
    const r1 = readTail(root, initialTail(LOG));
    expect(r1.diagnostics).toEqual([expect.objectContaining({ code: 'is-directory', file: LOG })]);
    expect(readTail(root, initialTail('../outside.jsonl')).diagnostics[0]?.code).toBe('outside-root');
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-out-'));
    try {
      fs.writeFileSync(path.join(outside, 'secret.jsonl'), line('x', 'y'));
      fs.symlinkSync(path.join(outside, 'secret.jsonl'), path.join(root, 'link.jsonl'));
      const r2 = readTail(root, initialTail('link.jsonl'));
      expect(r2.documents).toEqual([]);
      expect(r2.diagnostics[0]?.code).toBe('symlink-outside-root');
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('follows a symlink inside the root, and a re-pointed link counts as a rotation', () => {
    fs.writeFileSync(path.join(root, 'logs/a.jsonl'), line('Agent-1', 'A'));
    fs.writeFileSync(path.join(root, 'logs/b.jsonl'), line('Agent-2', 'B'));
    fs.symlinkSync('a.jsonl', abs());
    const r1 = readTail(root, initialTail(LOG));
    expect(statuses(r1)).toEqual(['A']);
    fs.unlinkSync(abs());
    fs.symlinkSync('b.jsonl', abs());
    const r2 = readTail(root, r1.state);
    expect(r2.reset).toBe(true);
    expect(statuses(r2)).toEqual(['B']);
  });

  it('reads 100,000 appended lines incrementally', () => {
    const total = 100_000;
    const perAppend = 1000;
    let state: TailState = initialTail(LOG);
    let docs = 0;
    let lastValue: unknown;
    let readMs = 0;
    let resets = 0;
    for (let i = 0; i < total; i += perAppend) {
      let text = '';
      for (let j = i; j < i + perAppend; j++)
        text += `{"agent":"Agent-${j % 500}","status":"ACTIVE","fsm":"TASK_EXECUTION","at":"2026-03-02T09:00:00Z","seq":${j}}\n`;
      // Cut the last line in two so every read also completes a partial line.
      const cut = text.length - 20;
      append(text.slice(0, cut));
      let t = performance.now();
      let r = readTail(root, state, { maxChunkBytes: 64 * 1024 });
      readMs += performance.now() - t;
      docs += r.documents.length;
      state = r.state;
      append(text.slice(cut));
      t = performance.now();
      r = readTail(root, state, { maxChunkBytes: 64 * 1024 });
      readMs += performance.now() - t;
      docs += r.documents.length;
      lastValue = r.documents.at(-1)?.parse.value;
      if (r.reset) resets++;
      expect(r.diagnostics).toEqual([]);
      state = r.state;
    }
    expect(docs).toBe(total);
    expect(resets).toBe(0);
    expect(state.lineNo).toBe(total);
    expect(state.offset).toBe(fs.statSync(abs()).size);
    expect(lastValue).toMatchObject({ seq: total - 1 });

    // And the whole file again from the start, in one call.
    const t = performance.now();
    const whole = readTail(root, initialTail(LOG));
    const wholeMs = performance.now() - t;
    expect(whole.documents).toHaveLength(total);
    const mb = fs.statSync(abs()).size / 1024 / 1024;
    timing(
      `[eventlog] ${total} lines (${mb.toFixed(1)} MB) in ${2 * (total / perAppend)} incremental reads: ${readMs.toFixed(0)} ms, ${((readMs * 1000) / total).toFixed(2)} µs/line; one full read: ${wholeMs.toFixed(0)} ms, ${((wholeMs * 1000) / total).toFixed(2)} µs/line`,
    );
  }, 60_000);
});

describe('readTail: bounds and confinement', () => {
  it('reads only the last maxInitialBytes of a big log, from the first whole line, and says so', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-tailcap-'));
    try {
      const lines = Array.from({ length: 200 }, (_, i) =>
        JSON.stringify({ agent: `Agent-${i}`, status: 'ACTIVE', at: '2025-09-14T00:00:00Z' }),
      );
      fs.writeFileSync(path.join(root, 'events.jsonl'), lines.join('\n') + '\n');
      const size = fs.statSync(path.join(root, 'events.jsonl')).size;
      const r = readTail(root, initialTail('events.jsonl'), { maxInitialBytes: Math.floor(size / 4) });
      expect(r.diagnostics).toEqual([
        expect.objectContaining({ severity: 'warning', code: 'log-tail-only', file: 'events.jsonl' }),
      ]);
      const agents = values(r).map((v) => String(v['agent']));
      expect(agents.at(-1)).toBe('Agent-199');
      expect(agents.length).toBeGreaterThan(30);
      expect(agents.length).toBeLessThan(60);
      // Every document read is a whole line (none cut at the start).
      expect(agents.every((a) => /^Agent-\d+$/.test(a))).toBe(true);
      // The next read goes on from the end, with no new warning.
      fs.appendFileSync(
        path.join(root, 'events.jsonl'),
        JSON.stringify({ agent: 'Agent-new', status: 'IDLE' }) + '\n',
      );
      const next = readTail(root, r.state, { maxInitialBytes: Math.floor(size / 4) });
      expect(next.diagnostics).toEqual([]);
      expect(values(next).map((v) => v['agent'])).toEqual(['Agent-new']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('refuses a log reached through a folder that links out of the root', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-tailroot-'));
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-tailout-'));
    try {
      fs.writeFileSync(path.join(outside, 'events.jsonl'), '{"agent":"Agent-1","status":"ACTIVE"}\n');
      fs.symlinkSync(outside, path.join(root, 'logs'));
      const r = readTail(root, initialTail('logs/events.jsonl'));
      expect(r.documents).toEqual([]);
      expect(r.diagnostics).toEqual([
        expect.objectContaining({
          code: 'symlink-outside-root',
          message: expect.stringMatching(/folder on the way/),
        }),
      ]);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});
