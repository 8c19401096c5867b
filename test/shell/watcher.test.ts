// Real file-system tests of the chokidar adapter: temp folders, await `ready`, wait for
// conditions with a deadline, always close.
import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { watch, type ChokidarOptions } from 'chokidar';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { watchTargets, type FileWatcher, type WatchTarget } from '../../src/shell/watcher.js';
import { staysFalse, waitFor } from '../helpers/wait.js';
import { timing } from '../helpers/report.js';

type Batch = { id: string; paths: Set<string> }[];

let root: string;
let fw: FileWatcher | undefined;
let batches: Batch[];

function write(rel: string, text: string): void {
  const abs = path.join(root, rel);
  fs.mkdirSync(path.dirname(abs), { recursive: true });
  fs.writeFileSync(abs, text);
}

function read(rel: string): string {
  return fs.readFileSync(path.join(root, rel), 'utf8');
}

/** Batches (by index) that carried `rel` for target `id`. */
function carried(id: string, rel: string, from = 0): number[] {
  const out: number[] = [];
  for (let i = from; i < batches.length; i++)
    if (batches[i]!.some((c) => c.id === id && c.paths.has(rel))) out.push(i);
  return out;
}

const seen = (id: string, rel: string, from = 0) =>
  waitFor(() => carried(id, rel, from).length > 0, { what: `${id}: ${rel} in a batch` });

/** A batch from `from` on carried `rel` or a folder above it within the target (re-read all of it). */
function covered(id: string, rel: string, base: string, from = 0): boolean {
  for (let i = from; i < batches.length; i++) {
    for (const c of batches[i]!) {
      if (c.id !== id) continue;
      for (const p of c.paths)
        if (p === rel || (rel.startsWith(p + '/') && (p + '/').startsWith(base + '/'))) return true;
    }
  }
  return false;
}

/** Wait until no batch has arrived for 250 ms (longer than the 100 ms re-check). */
async function settled(): Promise<void> {
  let count = batches.length;
  let since = performance.now();
  await waitFor(() => {
    if (batches.length !== count) {
      count = batches.length;
      since = performance.now();
    }
    return performance.now() - since >= 250;
  });
}

const agents = (extra: Partial<WatchTarget> = {}): WatchTarget => ({
  id: 'file',
  root,
  kind: 'folder-of-agents',
  path: 'agent_workspaces',
  depth: 1,
  ...extra,
});
const registry = (): WatchTarget => ({
  id: 'display',
  root,
  kind: 'file',
  path: 'coordination_system_state.json',
});

/** Folders of agents through fs.watch (the default on Linux) or through chokidar. */
let native = true;

async function start(
  targets: WatchTarget[],
  options: Parameters<typeof watchTargets>[2] = {},
  onBatch?: (b: Batch) => void,
): Promise<FileWatcher> {
  const opts = { native, ...options };
  fw = watchTargets(
    targets,
    (b) => {
      batches.push(b);
      onBatch?.(b);
    },
    opts,
  );
  await fw.ready;
  return fw;
}

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-watch-'));
  batches = [];
  native = true;
  for (const a of ['Agent-1', 'Agent-2', 'Agent-3'])
    write(`agent_workspaces/${a}/status.json`, `{"agent_id":"${a}","status":"ACTIVE"}\n`);
  write('coordination_system_state.json', '{"agent_fsm_states":{}}\n');
  write('notes.md', 'unrelated\n');
});

afterEach(async () => {
  await fw?.close();
  fw = undefined;
  fs.rmSync(root, { recursive: true, force: true });
});

for (const mode of ['fs.watch', 'chokidar'] as const)
  describe(`watchTargets on native events (${mode})`, () => {
    beforeEach(() => {
      native = mode === 'fs.watch';
    });

    it('reports a changed status file, relative to the root', async () => {
      const w = await start([agents(), registry()]);
      expect(w.health()).toEqual([
        expect.objectContaining({ id: 'file', mode: 'events', lastError: null, lastEventAt: null }),
        expect.objectContaining({ id: 'display', mode: 'events', lastError: null }),
      ]);
      // Without `accept`, an agent's other files are watched too.
      write('agent_workspaces/Agent-1/inbox.md', 'hello\n');
      await seen('file', 'agent_workspaces/Agent-1/inbox.md');
      write('agent_workspaces/Agent-2/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-2/status.json');
      expect(batches.flat().every((c) => c.id === 'file')).toBe(true);
      // fs.watch: agent_workspaces and the 3 agent folders; chokidar also counts every file.
      expect(w.health()[0]!.watched).toBe(native ? 4 : 8);
      expect(w.health()[0]!.lastEventAt).not.toBeNull();
    });

    it('sees an atomic save (write a temp file, rename it over)', async () => {
      await start([agents()]);
      const rel = 'agent_workspaces/Agent-1/status.json';
      write(`${rel}.tmp`, '{"status":"SAVED"}\n');
      fs.renameSync(path.join(root, `${rel}.tmp`), path.join(root, rel));
      await seen('file', rel);
      expect(read(rel)).toContain('SAVED');
    });

    it('sees a delete and then the re-created file', async () => {
      await start([agents()]);
      const rel = 'agent_workspaces/Agent-3/status.json';
      fs.unlinkSync(path.join(root, rel));
      await seen('file', rel);
      await settled();
      const mark = batches.length;
      write(rel, '{"status":"BACK"}\n');
      await seen('file', rel, mark);
    });

    it('sees a new agent folder and its file', async () => {
      await start([agents()]);
      write('agent_workspaces/Agent-99/status.json', '{"status":"NEW"}\n');
      await seen('file', 'agent_workspaces/Agent-99/status.json');
      // The folder arrives too, in the same or an earlier batch.
      expect(carried('file', 'agent_workspaces/Agent-99').length).toBeGreaterThan(0);
      // And the new folder is watched: a later change to its file is seen.
      await settled();
      const mark = batches.length;
      write('agent_workspaces/Agent-99/status.json', '{"status":"CHANGED"}\n');
      await seen('file', 'agent_workspaces/Agent-99/status.json', mark);
    });

    it('a registry file: atomic save, delete and re-create; its neighbours are not reported', async () => {
      await start([registry()]);
      const rel = 'coordination_system_state.json';
      write('notes.md', 'changed\n');
      write(`${rel}.tmp`, '{"v":2}\n');
      fs.renameSync(path.join(root, `${rel}.tmp`), path.join(root, rel));
      await seen('display', rel);
      await settled();
      fs.unlinkSync(path.join(root, rel));
      let mark = batches.length;
      await seen('display', rel, mark);
      await settled();
      mark = batches.length;
      write(rel, '{"v":3}\n');
      await seen('display', rel, mark);
      const all = new Set(batches.flatMap((b) => b.flatMap((c) => [...c.paths])));
      expect([...all]).toEqual([rel]);
    });

    it('a file in a folder that does not exist yet is seen once it is created', async () => {
      const w = await start([{ id: 'realtime', root, kind: 'file', path: 'logs/today/events.jsonl' }]);
      expect(w.health()[0]!.mode).toBe('events');
      write('logs/today/events.jsonl', '{"agent":"Agent-1"}\n');
      await seen('realtime', 'logs/today/events.jsonl');
      await settled();
      const mark = batches.length;
      fs.appendFileSync(path.join(root, 'logs/today/events.jsonl'), '{"agent":"Agent-2"}\n');
      await seen('realtime', 'logs/today/events.jsonl', mark);
    });

    it('keeps watching when the agents folder is deleted and created again', async () => {
      await start([agents()]);
      fs.rmSync(path.join(root, 'agent_workspaces'), { recursive: true });
      await seen('file', 'agent_workspaces');
      await settled();
      const mark = batches.length;
      write('agent_workspaces/Agent-7/status.json', '{"status":"ACTIVE"}\n');
      // The file itself, or the whole folder again once it is back (re-read all of it).
      await waitFor(() => covered('file', 'agent_workspaces/Agent-7/status.json', 'agent_workspaces', mark), {
        what: 'Agent-7 covered',
      });
      await settled();
      const again = batches.length;
      write('agent_workspaces/Agent-7/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-7/status.json', again);
    });

    it('keeps watching a file whose folders are deleted and created again', async () => {
      write('deep/logs/events.jsonl', '{"agent":"Agent-1"}\n');
      await start([{ id: 'realtime', root, kind: 'file', path: 'deep/logs/events.jsonl' }]);
      // chokidar watches `deep` (the file's folder's parent): deleting it ends that watch.
      fs.rmSync(path.join(root, 'deep'), { recursive: true });
      await seen('realtime', 'deep/logs/events.jsonl');
      // Past the re-check after each batch, so only a live watch can report what follows.
      await settled();
      const mark = batches.length;
      write('deep/logs/events.jsonl', '{"agent":"Agent-2"}\n');
      await seen('realtime', 'deep/logs/events.jsonl', mark);
      await settled();
      const again = batches.length;
      fs.appendFileSync(path.join(root, 'deep/logs/events.jsonl'), '{"agent":"Agent-3"}\n');
      await seen('realtime', 'deep/logs/events.jsonl', again);
    });

    it("`accept` keeps an agent's other files out of the watch", async () => {
      write('agent_workspaces/Agent-1/inbox.md', 'hello\n');
      write('agent_workspaces/Agent-1/notes/deep.md', 'deep\n');
      const w = await start([agents({ accept: (rel) => rel.endsWith('/status.json') })]);
      // agent_workspaces, 3 agent folders, 3 status files (+ the notes folder's entry in Agent-1).
      // The root's entry for agent_workspaces, 3 agent folders, 3 status files.
      expect(w.health()[0]!.watched).toBe(native ? 4 : 7);
      write('agent_workspaces/Agent-1/inbox.md', 'more\n');
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-1/status.json');
      expect(carried('file', 'agent_workspaces/Agent-1/inbox.md')).toEqual([]);
    });

    it('depth 0: one file per agent directly in the folder', async () => {
      write('agents/alpha.json', '{}\n');
      write('agents/deep/beta.json', '{}\n');
      await start([{ id: 'file', root, kind: 'folder-of-agents', path: 'agents', depth: 0 }]);
      write('agents/alpha.json', '{"status":"IDLE"}\n');
      write('agents/deep/beta.json', '{"status":"IDLE"}\n');
      write('agents/gamma.json', '{"status":"IDLE"}\n');
      await seen('file', 'agents/alpha.json');
      await seen('file', 'agents/gamma.json');
      expect(carried('file', 'agents/deep/beta.json')).toEqual([]);
    });

    it('delivers nothing while nothing changes, also after a change has settled', async () => {
      await start([agents(), registry()]);
      await staysFalse(() => batches.length > 0, 300, 'a batch while idle');
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-1/status.json');
      const after = batches.length;
      // Longer than the re-check (100 ms) and chokidar's own throttles.
      await staysFalse(() => batches.length > after, 400, 'a batch after the change settled');
    });

    // With `recheckMs: -1` this fails every time: chokidar drops the second change of a path
    // within 50 ms of the first, and only the re-check after the batch catches it.
    it('a file written in several chunks ends with its final content read', async () => {
      const rel = 'agent_workspaces/Agent-2/status.json';
      let lastRead = '';
      await start([agents()], {}, (b) => {
        if (b.some((c) => c.paths.has(rel))) lastRead = read(rel);
      });
      const fd = fs.openSync(path.join(root, rel), 'w');
      try {
        fs.writeSync(fd, '{"agent_id":"Agent-2",');
        await seen('file', rel);
        // Straight after the event: inside chokidar's 50 ms window that drops a second change.
        fs.writeSync(fd, '"status":');
        fs.writeSync(fd, '"COMPLETE"}\n');
      } finally {
        fs.closeSync(fd);
      }
      const final = '{"agent_id":"Agent-2","status":"COMPLETE"}\n';
      await waitFor(() => lastRead === final, { what: 'the final content to be read after a batch' });
    });

    it('2,000 files changed at once all arrive, in a few batches', async () => {
      const n = 2000;
      for (let i = 0; i < n; i++) write(`agent_workspaces/A-${i}/status.json`, '{"status":"IDLE"}\n');
      const w = await start([agents()]);
      expect(w.health()[0]!.watched).toBeGreaterThanOrEqual(native ? n + 1 : 2 * n);
      const t0 = performance.now();
      for (let i = 0; i < n; i++)
        fs.writeFileSync(path.join(root, `agent_workspaces/A-${i}/status.json`), '{"status":"ACTIVE"}\n');
      const wrote = performance.now() - t0;
      const want = Array.from({ length: n }, (_, i) => `agent_workspaces/A-${i}/status.json`);
      const union = () => new Set(batches.flatMap((b) => b.flatMap((c) => [...c.paths])));
      await waitFor(
        () => {
          const got = union();
          return want.every((p) => got.has(p));
        },
        { timeoutMs: 15_000, what: `all ${n} paths`, intervalMs: 25 },
      );
      const done = performance.now() - t0;
      const count = batches.length;
      const sizes = batches.map((b) => b.reduce((s, c) => s + c.paths.size, 0));
      timing(
        `[watcher] ${n} files rewritten in ${wrote.toFixed(0)} ms; all paths delivered after ${done.toFixed(0)} ms in ${count} batches (sizes ${sizes.join(', ')})`,
      );
      expect(count).toBeLessThanOrEqual(40);
      // 10,000 at once from a blocked event loop overflows inotify's queue (16384 events):
      // only 4096 arrive, then the whole folder; see the overflow test below.
    }, 30_000);

    it('after a burst big enough to overflow the kernel queue, hands over the whole folder once', async () => {
      for (let i = 0; i < 30; i++) write(`agent_workspaces/B-${i}/status.json`, '{}\n');
      await start([agents()], { overflowPaths: 20 });
      for (let i = 0; i < 30; i++) write(`agent_workspaces/B-${i}/status.json`, '{"status":"ACTIVE"}\n');
      await seen('file', 'agent_workspaces');
      await settled();
      expect(carried('file', 'agent_workspaces')).toHaveLength(1);
      // A small change afterwards does not bring it back.
      const mark = batches.length;
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-1/status.json', mark);
      await settled();
      expect(carried('file', 'agent_workspaces', mark)).toEqual([]);
    });

    it('measures the delay from a write to its batch', async () => {
      const rel = 'agent_workspaces/Agent-1/status.json';
      let delivered = 0;
      await start([agents()], {}, (b) => {
        if (b.some((c) => c.paths.has(rel))) delivered = performance.now();
      });
      const delays: number[] = [];
      for (let i = 0; i < 15; i++) {
        delivered = 0;
        const t = performance.now();
        write(rel, `{"status":"ACTIVE","n":${i}}\n`);
        await waitFor(() => delivered > 0, { intervalMs: 1, what: `write ${i} to arrive` });
        delays.push(delivered - t);
        // Let the re-check pass so the next write starts from a quiet watcher.
        await waitFor(() => performance.now() - delivered > 150, { intervalMs: 5 });
      }
      delays.sort((a, b) => a - b);
      timing(
        `[watcher] write -> batch: median ${delays[7]!.toFixed(1)} ms, max ${delays[14]!.toFixed(1)} ms (quietMs 25)`,
      );
      expect(delays[7]!).toBeLessThan(1000);
    });

    it('a throwing change handler is recorded and watching goes on', async () => {
      let calls = 0;
      const w = await start([agents()], {}, () => {
        calls++;
        if (calls === 1) throw new Error('store exploded');
      });
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await waitFor(() => calls >= 1);
      expect(w.health()[0]!.lastError).toBe('the change handler failed: store exploded');
      write('agent_workspaces/Agent-2/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-2/status.json');
    });

    it('close() stops delivery and can be called twice', async () => {
      const w = await start([agents()]);
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await w.close();
      await w.close();
      const n = batches.length;
      write('agent_workspaces/Agent-2/status.json', '{"status":"IDLE"}\n');
      await staysFalse(() => batches.length > n, 200, 'a batch after close');
    });
  });

describe('watchTargets when it cannot watch', () => {
  it('a target outside the root fails alone, and ready still resolves', async () => {
    const w = await start([agents(), { id: 'evil', root, kind: 'file', path: '../elsewhere.json' }]);
    const [ok, evil] = w.health();
    expect(ok!.mode).toBe('events');
    expect(evil).toEqual(expect.objectContaining({ id: 'evil', mode: 'failed', watched: 0 }));
    expect(evil!.lastError).toMatch(/outside the root/);
  });

  it('takes an absolute path inside the root', async () => {
    const w = await start([
      { id: 'display', root, kind: 'file', path: path.join(root, 'coordination_system_state.json') },
    ]);
    expect(w.health()[0]!.mode).toBe('events');
    write('coordination_system_state.json', '{"v":2}\n');
    await seen('display', 'coordination_system_state.json');
  });

  it('a missing root fails with a sentence', async () => {
    const w = await start([
      { id: 'file', root: path.join(root, 'nope'), kind: 'folder-of-agents', path: 'agent_workspaces' },
    ]);
    expect(w.health()[0]).toEqual(
      expect.objectContaining({
        mode: 'failed',
        lastError: expect.stringMatching(/root folder .*nope cannot be read/),
      }),
    );
  });
});

describe('watchTargets polling', () => {
  it('forcePolling polls for real', async () => {
    const w = await start([agents(), registry()], { forcePolling: true, pollIntervalMs: 50 });
    expect(w.health().map((h) => h.mode)).toEqual(['polling', 'polling']);
    expect(w.health()[0]!.lastError).toBeNull();
    write('agent_workspaces/Agent-1/status.json', '{"status":"POLLED","x":"longer than before"}\n');
    await seen('file', 'agent_workspaces/Agent-1/status.json');
    write('agent_workspaces/Agent-5/status.json', '{"status":"NEW"}\n');
    await seen('file', 'agent_workspaces/Agent-5/status.json');
  });

  /** chokidar's watch, except that native-event instances run into the inotify limit. */
  function limitedWatch(how: 'emit' | 'throw', code: 'ENOSPC' | 'EMFILE' | 'EACCES') {
    const calls: ChokidarOptions[] = [];
    const err = () =>
      Object.assign(
        new Error(
          `${code}: System limit for number of file watchers reached, watch '${root}/agent_workspaces/Agent-2'`,
        ),
        { code, errno: -28, syscall: 'watch' },
      );
    const fake = ((p: string, o: ChokidarOptions) => {
      calls.push(o);
      if (o.usePolling) return watch(p, o);
      if (how === 'throw') throw err();
      const real = watch(p, o);
      // As chokidar does when fs.watch fails part-way through the initial scan.
      setImmediate(() => (real as EventEmitter).emit('error', err()));
      return real;
    }) as unknown as typeof watch;
    return { fake, calls };
  }

  beforeEach(() => {
    native = false;
  });

  it('falls back to polling when chokidar reports ENOSPC, and says so', async () => {
    const { fake, calls } = limitedWatch('emit', 'ENOSPC');
    const w = await start([agents()], { chokidarWatch: fake, pollIntervalMs: 50 });
    await waitFor(() => w.health()[0]!.mode === 'polling');
    expect(w.health()[0]!.lastError).toBe(
      `${process.platform === 'linux' ? 'inotify' : 'file'} watch limit reached (ENOSPC); polling every 50ms`,
    );
    expect(calls.map((c) => c.usePolling)).toEqual([false, true]);
    // The whole folder is handed to the consumer to re-read: events may have been missed.
    await seen('file', 'agent_workspaces');
    const mark = batches.length;
    write('agent_workspaces/Agent-2/status.json', '{"status":"POLLED","x":"longer than before"}\n');
    await seen('file', 'agent_workspaces/Agent-2/status.json', mark);
  });

  it('falls back to polling when the first watch throws EMFILE; the interval reads as seconds', async () => {
    const { fake, calls } = limitedWatch('throw', 'EMFILE');
    const w = await start([agents()], { chokidarWatch: fake, pollIntervalMs: 1000 });
    expect(calls.map((c) => c.usePolling)).toEqual([false, true]);
    expect(w.health()[0]).toEqual(
      expect.objectContaining({
        mode: 'polling',
        lastError: 'too many open files (EMFILE); polling every 1s',
      }),
    );
  });

  it('other errors are recorded and watching goes on', async () => {
    const { fake, calls } = limitedWatch('emit', 'EACCES');
    const w = await start([agents()], { chokidarWatch: fake });
    await waitFor(() => w.health()[0]!.lastError !== null);
    expect(w.health()[0]!.mode).toBe('events');
    expect(w.health()[0]!.lastError).toMatch(/^EACCES/);
    expect(calls).toHaveLength(1);
    write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
    await seen('file', 'agent_workspaces/Agent-1/status.json');
  });
});

describe('watchTargets: the fs.watch folder watcher', () => {
  /** fs.watch, except that the kernel refuses watches after the first `allow`. */
  function refusingWatch(allow: number, code: 'ENOSPC' | 'EMFILE') {
    let calls = 0;
    const fake = (abs: string, listener: (event: string, filename: string | Buffer | null) => void) => {
      calls++;
      if (calls > allow)
        throw Object.assign(
          new Error(`${code}: System limit for number of file watchers reached, watch '${abs}'`),
          { code },
        );
      return fs.watch(abs, { persistent: true }, listener);
    };
    return { fake, calls: () => calls };
  }

  it("falls back to polling when the kernel refuses an agent folder's watch, and says so", async () => {
    const { fake } = refusingWatch(2, 'ENOSPC');
    const w = await start([agents()], { fsWatch: fake, pollIntervalMs: 50 });
    await waitFor(() => w.health()[0]!.mode === 'polling');
    expect(w.health()[0]!.lastError).toBe('inotify watch limit reached (ENOSPC); polling every 50ms');
    // Events may have been missed: the whole folder is handed over to re-read.
    await seen('file', 'agent_workspaces');
    const mark = batches.length;
    write('agent_workspaces/Agent-3/status.json', '{"status":"POLLED","x":"longer than before"}\n');
    await seen('file', 'agent_workspaces/Agent-3/status.json', mark);
  });

  it('a new agent folder refused by the kernel later also moves the target to polling', async () => {
    const { fake } = refusingWatch(4, 'EMFILE');
    const w = await start([agents()], { fsWatch: fake, pollIntervalMs: 50 });
    expect(w.health()[0]!.mode).toBe('events');
    write('agent_workspaces/Agent-4/status.json', '{"status":"NEW"}\n');
    await waitFor(() => w.health()[0]!.mode === 'polling', { what: 'polling after EMFILE' });
    expect(w.health()[0]!.lastError).toMatch(/too many open files \(EMFILE\)/);
    await waitFor(() => covered('file', 'agent_workspaces/Agent-4/status.json', 'agent_workspaces'), {
      what: 'Agent-4 covered',
    });
  });

  it('an agent folder renamed: both names are reported and the new one is watched', async () => {
    await start([agents()]);
    fs.renameSync(path.join(root, 'agent_workspaces/Agent-2'), path.join(root, 'agent_workspaces/Agent-20'));
    await seen('file', 'agent_workspaces/Agent-2');
    await seen('file', 'agent_workspaces/Agent-20');
    await settled();
    const mark = batches.length;
    write('agent_workspaces/Agent-20/status.json', '{"status":"MOVED"}\n');
    await seen('file', 'agent_workspaces/Agent-20/status.json', mark);
  });

  it('a root deleted while watching is watched again once it is back', async () => {
    const w = await start([agents()], {});
    fs.rmSync(root, { recursive: true });
    await seen('file', 'agent_workspaces');
    await waitFor(() => /is gone|missing/.test(w.health()[0]!.lastError ?? ''), {
      what: 'the loss to show in health',
    });
    write('agent_workspaces/Agent-1/status.json', '{"status":"BACK"}\n');
    await waitFor(() => w.health()[0]!.lastError === null, {
      what: 'the watch to come back',
      timeoutMs: 8000,
    });
    await settled();
    const mark = batches.length;
    write('agent_workspaces/Agent-1/status.json', '{"status":"AGAIN"}\n');
    await seen('file', 'agent_workspaces/Agent-1/status.json', mark);
  });

  it('does not follow a symlinked agent folder', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-outside-'));
    try {
      fs.writeFileSync(path.join(outside, 'status.json'), '{}\n');
      fs.symlinkSync(outside, path.join(root, 'agent_workspaces/Agent-9'));
      const w = await start([agents()]);
      expect(w.health()[0]!.watched).toBe(4);
      fs.writeFileSync(path.join(outside, 'status.json'), '{"status":"OUTSIDE"}\n');
      write('agent_workspaces/Agent-1/status.json', '{"status":"IDLE"}\n');
      await seen('file', 'agent_workspaces/Agent-1/status.json');
      await settled();
      expect(carried('file', 'agent_workspaces/Agent-9/status.json')).toEqual([]);
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe('watchTargets: a root that goes away and comes back', () => {
  it('the registry (a single-file target) is watched again once the root is back', async () => {
    const w = await start([agents(), registry()]);
    fs.rmSync(root, { recursive: true });
    await waitFor(() => w.health().every((h) => /gone|missing/.test(h.lastError ?? '')), {
      what: 'both targets to say the root is gone',
      timeoutMs: 8000,
    });
    write('coordination_system_state.json', '{"agent_fsm_states":{"Agent-1":"idle"}}\n');
    write('agent_workspaces/Agent-1/status.json', '{"status":"BACK"}\n');
    await waitFor(() => w.health().every((h) => h.lastError === null), {
      what: 'both watches to come back',
      timeoutMs: 8000,
    });
    await settled();
    const mark = batches.length;
    write('coordination_system_state.json', '{"agent_fsm_states":{"Agent-1":"active"}}\n');
    await seen('display', 'coordination_system_state.json', mark);
  });
});
