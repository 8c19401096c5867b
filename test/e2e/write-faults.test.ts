// Write faults end to end: a resolve that cannot write the registry (disk full, permission
// denied, read-only, the registry replaced by a folder, a failing rename, a crash between the
// temp write and the rename). For every fault:
//   - the registry keeps its old bytes and still reads (check sees the same picture),
//   - no temp file is left next to it,
//   - the journal (.sync-tui/journal.jsonl) records the attempt as `failed` with the reason,
//     or, where it cannot (the journal is on the same broken disk), the operator is told so,
//   - the operator's message names the file and the cause on one line, never a stack trace,
//   - the next resolve, once the fault is gone, works (the fault was survived).
// Two layers:
//   - the engine with a fault-injecting FsLayer (src/shell/atomic.ts): every fault, at every
//     step of the replace; folder swaps and deletions are real, only timed by the layer;
//   - the built binary on faults the OS really raises: the registry path is a folder; an
//     immutable folder (chattr +i, or chmod 0555 when not root); a full and a read-only
//     tmpfs (in a private mount namespace, where `unshare` allows it); a real SIGKILL of a
//     writer between its temp write and its rename.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { realFs, type FsLayer } from '../../src/shell/fs-layer.js';
import { Engine, type ActionResult } from '../../src/shell/engine.js';
import type { JournalEntry } from '../../src/shell/journal.js';
import { loadConfig } from '../../src/shell/probe.js';
import { BIN, PROJECT, runCli, tempDir } from '../helpers/cli.js';
import { twoSourceConfig } from '../helpers/two-sources.js';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

/** Faults injected and survived, by layer, for the summary line. */
const tally = {
  engine: { injected: 0, survived: 0 },
  binary: { injected: 0, survived: 0 },
  skipped: [] as string[],
};
afterAll(() => {
  console.log(
    `write faults: engine ${tally.engine.survived}/${tally.engine.injected} survived, binary (real OS faults) ${tally.binary.survived}/${tally.binary.injected} survived` +
      (tally.skipped.length ? `; not possible here: ${tally.skipped.join('; ')}` : ''),
  );
});

// ---------------------------------------------------------------------------------------
// The workspace: the registry in its own folder (coord/), so that folder alone can be made
// read-only, full or immutable while the journal (.sync-tui/ under the root) stays writable.

const CONFIG = twoSourceConfig('coord/registry.json');

const REGISTRY = `{
  "coordinator": { "name": "ops", "note": "kept byte for byte" },
  "agents": {
    "Agent-1": { "status": "IDLE", "fsm": "IDLE", "task": "T-1" },
    "Agent-2": { "status": "IDLE", "fsm": "IDLE" },
    "Agent-3": { "status": "IDLE", "fsm": "IDLE" }
  }
}
`;

/** Agent-1 and Agent-2 drift (two writes each), Agent-3 is in sync. */
const OWN: Record<string, [string, string]> = {
  'Agent-1': ['ACTIVE', 'TASK_EXECUTION'],
  'Agent-2': ['READY', 'READY'],
  'Agent-3': ['IDLE', 'IDLE'],
};
const DRIFTED = ['Agent-1', 'Agent-2'];

interface Ws {
  root: string;
  coord: string;
  registry: string;
  journal: string;
}

function workspace(register = true): Ws {
  const root = tempDir('sync-tui-faults-');
  if (register) cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), CONFIG);
  for (const [id, [status, fsm]] of Object.entries(OWN)) {
    fs.mkdirSync(path.join(root, 'agents', id), { recursive: true });
    fs.writeFileSync(
      path.join(root, 'agents', id, 'status.json'),
      JSON.stringify(
        { agent_id: id, status, fsm_state: fsm, last_updated: new Date().toISOString() },
        null,
        2,
      ) + '\n',
    );
  }
  const coord = path.join(root, 'coord');
  fs.mkdirSync(coord);
  fs.writeFileSync(path.join(coord, 'registry.json'), REGISTRY);
  // The journal's folder exists, as after any earlier resolve.
  fs.mkdirSync(path.join(root, '.sync-tui'));
  return {
    root,
    coord,
    registry: path.join(coord, 'registry.json'),
    journal: path.join(root, '.sync-tui', 'journal.jsonl'),
  };
}

const isTempName = (name: string) => /^\.registry\.json\.sync-tui-\d+-[0-9a-f]+\.tmp$/.test(name);

function journalLines(ws: Ws): JournalEntry[] {
  if (!fs.existsSync(ws.journal)) return [];
  const text = fs.readFileSync(ws.journal, 'utf8');
  expect(text === '' || text.endsWith('\n')).toBe(true);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JournalEntry);
}

/** The failed entries of an action: one per planned write, with the reason. */
function expectFailedInJournal(ws: Ws, action: string | null, message: string): void {
  expect(action).toMatch(/^a-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
  const all = journalLines(ws).filter((e) => e.action === action);
  // Write-ahead: the intents came first (before the registry was touched), then the outcomes.
  expect(all.filter((e) => e.outcome === 'intent').map((e) => [e.agent, e.field, e.before, e.after])).toEqual(
    [
      ['Agent-1', 'status', 'IDLE', 'ACTIVE'],
      ['Agent-1', 'fsm', 'IDLE', 'TASK_EXECUTION'],
      ['Agent-2', 'status', 'IDLE', 'READY'],
      ['Agent-2', 'fsm', 'IDLE', 'READY'],
    ],
  );
  const mine = all.filter((e) => e.outcome !== 'intent');
  expect(mine.map((e) => [e.agent, e.field, e.before, e.after, e.outcome])).toEqual([
    ['Agent-1', 'status', 'IDLE', 'ACTIVE', 'failed'],
    ['Agent-1', 'fsm', 'IDLE', 'TASK_EXECUTION', 'failed'],
    ['Agent-2', 'status', 'IDLE', 'READY', 'failed'],
    ['Agent-2', 'fsm', 'IDLE', 'READY', 'failed'],
  ]);
  for (const e of mine) {
    expect(e.message).toBe(message);
    expect(e.file).toBe('coord/registry.json');
  }
}

/** One line, names the registry file and the cause, no stack trace. */
function expectClear(message: string, file: string, cause: RegExp): void {
  expect(message).not.toContain('\n');
  expect(message).not.toMatch(/\bat .+:\d+:\d+\)?$|Error:|EUNKNOWN|undefined|\[object/);
  expect(message).toContain(file);
  expect(message).toMatch(cause);
}

function expectNoTemps(ws: Ws): void {
  expect(fs.readdirSync(ws.coord).filter(isTempName)).toEqual([]);
  expect(fs.readdirSync(ws.root).filter((n) => n.includes('.sync-tui-'))).toEqual([]);
}

/** After the fault: a plain resolve (real file system) writes and verifies. */
async function expectRecovers(ws: Ws, kind: 'engine' | 'binary'): Promise<void> {
  if (kind === 'engine') {
    const engine = await Engine.open(ws.root, loadConfig(ws.root));
    try {
      const r = await engine.resolve(DRIFTED);
      expect(r.agents.map((a) => [a.agent, a.status])).toEqual([
        ['Agent-1', 'resolved'],
        ['Agent-2', 'resolved'],
      ]);
      expect(engine.getSnapshot().error).toBeNull();
    } finally {
      await engine.close();
    }
  } else {
    const r = runCli(['resolve', '--all', '--root', ws.root]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toBe('');
  }
  const reg = JSON.parse(fs.readFileSync(ws.registry, 'utf8')) as {
    coordinator: unknown;
    agents: Record<string, Record<string, string>>;
  };
  expect(reg.agents['Agent-1']).toEqual({ status: 'ACTIVE', fsm: 'TASK_EXECUTION', task: 'T-1' });
  expect(reg.agents['Agent-2']).toEqual({ status: 'READY', fsm: 'READY' });
  expect(reg.coordinator).toEqual({ name: 'ops', note: 'kept byte for byte' });
  expectNoTemps(ws);
  expect(journalLines(ws).filter((e) => e.kind === 'resolve' && e.outcome === 'verified')).toHaveLength(4);
}

// ---------------------------------------------------------------------------------------
// Engine with an injected layer

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}
const crash = () => new Error('simulated crash after the temp file was written');
const isCreate = (flags: number) => (flags & fs.constants.O_CREAT) !== 0;

interface Ctx {
  ws: Ws;
  base: FsLayer;
  isTempFd(fd: number): boolean;
  isTempPath(p: string): boolean;
  isRegistry(p: string): boolean;
}

/** realFs that knows the registry's temp files' descriptors, plus the case's overrides. */
function layer(ws: Ws, over: (ctx: Ctx) => Partial<FsLayer>): FsLayer {
  const tempFds = new Set<number>();
  const isTempPath = (p: string) =>
    path.dirname(path.resolve(p)) === ws.coord && isTempName(path.basename(p));
  const base: FsLayer = {
    ...realFs,
    open: async (p, flags, mode) => {
      const fd = await realFs.open(p, flags, mode);
      if (isTempPath(p)) tempFds.add(fd);
      return fd;
    },
    close: async (fd) => {
      tempFds.delete(fd);
      return realFs.close(fd);
    },
  };
  const ctx: Ctx = {
    ws,
    base,
    isTempFd: (fd) => tempFds.has(fd),
    isTempPath,
    isRegistry: (p) => path.resolve(p) === ws.registry,
  };
  return { ...base, ...over(ctx) };
}

interface FaultCase {
  name: string;
  /** errno code in the outcome. */
  code: string;
  /** What the message must say. */
  cause: RegExp;
  fault: (ctx: Ctx) => Partial<FsLayer>;
  /** After the fault, the registry is: its old bytes (default), a folder, or gone. */
  after?: 'intact' | 'folder' | 'gone';
}

const ENGINE_FAULTS: FaultCase[] = [
  {
    name: 'disk full while writing the temp file (ENOSPC)',
    code: 'ENOSPC',
    cause: /^disk full \(ENOSPC\) while writing a temporary copy of \S+; the file was not changed$/,
    fault: ({ base, isTempFd }) => ({
      write: async (fd, b, o, l, p) =>
        isTempFd(fd) ? Promise.reject(errno('ENOSPC')) : base.write(fd, b, o, l, p),
    }),
  },
  {
    name: 'disk full after a partial write (a short write, then ENOSPC)',
    code: 'ENOSPC',
    cause: /^disk full \(ENOSPC\) while writing a temporary copy of /,
    fault: ({ base, isTempFd }) => {
      let n = 0;
      return {
        write: async (fd, b, o, l, p) =>
          isTempFd(fd) && n++ > 0
            ? Promise.reject(errno('ENOSPC'))
            : base.write(fd, b, o, isTempFd(fd) ? Math.min(l, 10) : l, p),
      };
    },
  },
  {
    name: 'quota exceeded when flushing (EDQUOT at fsync)',
    code: 'EDQUOT',
    cause: /^disk quota exceeded \(EDQUOT\) while flushing a temporary copy of /,
    fault: ({ base, isTempFd }) => ({
      fsync: async (fd) => (isTempFd(fd) ? Promise.reject(errno('EDQUOT')) : base.fsync(fd)),
    }),
  },
  {
    name: 'permission denied creating the temp file (EACCES)',
    code: 'EACCES',
    cause:
      /^permission denied \(EACCES\) while creating a temporary file next to \S+; the file was not changed$/,
    fault: ({ base, isTempPath }) => ({
      open: async (p, f, m) =>
        isTempPath(p) && isCreate(f) ? Promise.reject(errno('EACCES')) : base.open(p, f, m),
    }),
  },
  {
    name: 'read-only folder (EROFS creating the temp file)',
    code: 'EROFS',
    cause: /^read-only file system \(EROFS\) while creating a temporary file next to /,
    fault: ({ base, isTempPath }) => ({
      open: async (p, f, m) =>
        isTempPath(p) && isCreate(f) ? Promise.reject(errno('EROFS')) : base.open(p, f, m),
    }),
  },
  {
    name: 'rename fails across file systems (EXDEV)',
    code: 'EXDEV',
    cause: /^cannot rename across file systems \(EXDEV\) while moving the new content into place for /,
    fault: ({ base, isRegistry }) => ({
      rename: async (a, b) => (isRegistry(b) ? Promise.reject(errno('EXDEV')) : base.rename(a, b)),
    }),
  },
  {
    name: 'rename not permitted (EPERM)',
    code: 'EPERM',
    cause: /^operation not permitted \(EPERM\) while moving the new content into place for /,
    fault: ({ base, isRegistry }) => ({
      rename: async (a, b) => (isRegistry(b) ? Promise.reject(errno('EPERM')) : base.rename(a, b)),
    }),
  },
  {
    name: 'crash after the temp write: at chmod',
    code: 'EUNKNOWN',
    cause:
      /^unexpected error \(simulated crash after the temp file was written\) while setting the permissions of a temporary copy of /,
    fault: ({ base, isTempFd }) => ({
      fchmod: async (fd, mode) => (isTempFd(fd) ? Promise.reject(crash()) : base.fchmod(fd, mode)),
    }),
  },
  {
    name: 'crash after the temp write: at fsync',
    code: 'EUNKNOWN',
    cause:
      /^unexpected error \(simulated crash after the temp file was written\) while flushing a temporary copy of /,
    fault: ({ base, isTempFd }) => ({
      fsync: async (fd) => (isTempFd(fd) ? Promise.reject(crash()) : base.fsync(fd)),
    }),
  },
  {
    name: 'crash after the temp write: at close',
    code: 'EUNKNOWN',
    cause:
      /^unexpected error \(simulated crash after the temp file was written\) while closing a temporary copy of /,
    fault: ({ base, isTempFd }) => ({
      close: async (fd) => {
        if (!isTempFd(fd)) return base.close(fd);
        await base.close(fd);
        throw crash();
      },
    }),
  },
  {
    name: 'crash after the temp write: at the last look before the rename',
    code: 'EUNKNOWN',
    cause: /^unexpected error \(simulated crash after the temp file was written\) while re-reading /,
    fault: ({ base, isRegistry }) => {
      let opens = 0;
      return {
        open: async (p, f, m) =>
          isRegistry(p) && !isCreate(f) && ++opens === 2 ? Promise.reject(crash()) : base.open(p, f, m),
      };
    },
  },
  {
    name: 'crash after the temp write: at the rename',
    code: 'EUNKNOWN',
    cause:
      /^unexpected error \(simulated crash after the temp file was written\) while moving the new content into place for /,
    fault: ({ base, isRegistry }) => ({
      rename: async (a, b) => (isRegistry(b) ? Promise.reject(crash()) : base.rename(a, b)),
    }),
  },
  {
    name: 'the registry replaced by a folder between plan and write (real rm + mkdir)',
    code: 'EISDIR',
    cause: /^it is a folder, not a file \(EISDIR\): \S+registry\.json$/,
    after: 'folder',
    fault: ({ base, isRegistry }) => {
      let swapped = false;
      return {
        lstat: async (p) => {
          if (isRegistry(p) && !swapped) {
            swapped = true;
            fs.rmSync(p);
            fs.mkdirSync(p);
          }
          return base.lstat(p);
        },
      };
    },
  },
  {
    name: 'the registry replaced by a folder between the temp write and the rename (real rm + mkdir)',
    code: 'EISDIR',
    cause:
      /^it is a folder, not a file \(EISDIR\) while re-reading \S+registry\.json; the file was not changed$/,
    after: 'folder',
    fault: ({ ws, base, isTempFd }) => ({
      fsync: async (fd) => {
        if (isTempFd(fd)) {
          fs.rmSync(ws.registry);
          fs.mkdirSync(ws.registry);
        }
        return base.fsync(fd);
      },
    }),
  },
  {
    name: 'the registry deleted between plan and write (real rm)',
    code: 'ENOENT',
    cause: /^\S+registry\.json not found \(ENOENT\); nothing was written$/,
    after: 'gone',
    fault: ({ base, isRegistry }) => {
      let gone = false;
      return {
        lstat: async (p) => {
          if (isRegistry(p) && !gone) {
            gone = true;
            fs.rmSync(p);
          }
          return base.lstat(p);
        },
      };
    },
  },
];

describe('write faults through the engine (injected FsLayer)', () => {
  it.each(ENGINE_FAULTS)('$name', async (c) => {
    tally.engine.injected++;
    const ws = workspace();
    const engine = await Engine.open(ws.root, loadConfig(ws.root), { fs: layer(ws, c.fault) });
    cleanup.push(() => engine.close());
    const r: ActionResult = await engine.resolve(DRIFTED);

    expect(r.agents.map((a) => [a.agent, a.status, a.reason])).toEqual(
      DRIFTED.map((id) => [id, 'failed', r.message]),
    );
    expectClear(r.message, ws.registry, c.cause);
    if ((c.after ?? 'intact') === 'intact') {
      expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
      expect(engine.getSnapshot().recon.agents.map((a) => a.verdict)).toEqual(['drift', 'drift', 'in-sync']);
    } else if (c.after === 'folder') {
      expect(fs.statSync(ws.registry).isDirectory()).toBe(true);
      expect(fs.readdirSync(ws.registry)).toEqual([]); // nothing was written into it
    } else {
      expect(fs.existsSync(ws.registry)).toBe(false); // not brought back by us
    }
    expectNoTemps(ws);
    expectFailedInJournal(ws, r.action, r.message);
    expect(engine.getSnapshot().error).toBeNull();

    // The fault goes away (the operator puts the registry back where it was taken).
    if (c.after === 'folder') fs.rmdirSync(ws.registry);
    if (c.after !== undefined && c.after !== 'intact') fs.writeFileSync(ws.registry, REGISTRY);
    await expectRecovers(ws, 'engine');
    tally.engine.survived++;
  });

  it('a read-only disk under the journal too: the registry is untouched and the operator is told the journal could not record it', async () => {
    tally.engine.injected++;
    const ws = workspace();
    fs.rmdirSync(path.join(ws.root, '.sync-tui')); // the first resolve ever
    const rofs: (ctx: Ctx) => Partial<FsLayer> = ({ base }) => ({
      open: async (p, f, m) => (isCreate(f) ? Promise.reject(errno('EROFS')) : base.open(p, f, m)),
      mkdir: async () => Promise.reject(errno('EROFS')),
    });
    const engine = await Engine.open(ws.root, loadConfig(ws.root), { fs: layer(ws, rofs) });
    cleanup.push(() => engine.close());
    const r = await engine.resolve(DRIFTED);
    // Write-ahead: the intent could not be journaled, so the registry was not even tried.
    const why = `the journal could not be written: read-only file system (EROFS) while creating the folder of the journal ${ws.journal}; nothing written`;
    expect(r.message).toBe(why);
    expect(r.agents.map((a) => [a.agent, a.status, a.cause, a.reason])).toEqual([
      ['Agent-1', 'failed', 'journal-failed', why],
      ['Agent-2', 'failed', 'journal-failed', why],
    ]);
    expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
    expectNoTemps(ws);
    expect(fs.existsSync(path.join(ws.root, '.sync-tui'))).toBe(false);
    await expectRecovers(ws, 'engine');
    tally.engine.survived++;
  });

  it('the journal cannot record the intent: nothing is written (it could not be undone), every agent says why', async () => {
    tally.engine.injected++;
    const ws = workspace();
    const full: (ctx: Ctx) => Partial<FsLayer> = ({ base }) => ({
      write: async (fd, b, o, l, p) => {
        if (p === null) throw errno('ENOSPC'); // appends (no position): the journal
        return base.write(fd, b, o, l, p);
      },
    });
    const engine = await Engine.open(ws.root, loadConfig(ws.root), { fs: layer(ws, full) });
    cleanup.push(() => engine.close());
    const r = await engine.resolve(DRIFTED);
    // Write-ahead: the intent did not reach the journal, so the registry is not written.
    const why = `the journal could not be written: disk full (ENOSPC) while appending to the journal ${ws.journal}; nothing written`;
    expect(r.agents.map((a) => [a.status, a.cause, a.reason])).toEqual([
      ['failed', 'journal-failed', why],
      ['failed', 'journal-failed', why],
    ]);
    expect(r.message).toBe(why);
    expect(r.action).toBeNull();
    expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
    expect(journalLines(ws)).toEqual([]);
    expectNoTemps(ws);
    tally.engine.survived++;
  });
});

// ---------------------------------------------------------------------------------------
// The binary, on faults the OS really raises

describe('write faults through the binary (real OS faults)', () => {
  it('resolve --all when the registry path is a folder: exit 1, names the file, writes nothing', async () => {
    tally.binary.injected++;
    const ws = workspace();
    fs.rmSync(ws.registry);
    fs.mkdirSync(ws.registry);
    const r = runCli(['resolve', '--all', '--root', ws.root]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      [
        'Agent-1   unresolved  display: expected a file, found a folder',
        'Agent-2   unresolved  display: expected a file, found a folder',
        'Agent-3   unresolved  display: expected a file, found a folder',
        'nothing to write',
        '',
      ].join('\n'),
    );
    expect(r.stderr).toBe(
      'sync-tui: the registry (source display) cannot be read: coord/registry.json: expected a file, found a folder\n',
    );
    expect(fs.readdirSync(ws.registry)).toEqual([]);
    expectNoTemps(ws);
    // Nothing was planned, so nothing is journaled (no failed entries either).
    expect(journalLines(ws)).toEqual([]);
    const check = runCli(['check', '--root', ws.root]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain(
      'source display unhealthy: coord/registry.json: expected a file, found a folder',
    );
    expect(r.stderr + check.stderr).not.toMatch(/\n\s+at /);
    fs.rmdirSync(ws.registry);
    fs.writeFileSync(ws.registry, REGISTRY);
    await expectRecovers(ws, 'binary');
    tally.binary.survived++;
  });

  it('an immutable registry folder (chattr +i; chmod 0555 when not root): exit 1, the cause on every agent, journaled as failed', async () => {
    const ws = workspace();
    const root = process.getuid?.() === 0;
    let how: string;
    if (spawnSync('chattr', ['+i', ws.coord]).status === 0) {
      how = 'chattr';
      cleanup.push(() => void spawnSync('chattr', ['-i', ws.coord])); // runs before the folder is removed
    } else if (!root) {
      how = 'chmod';
      fs.chmodSync(ws.coord, 0o555);
      cleanup.push(() => fs.chmodSync(ws.coord, 0o755));
    } else {
      tally.skipped.push('an immutable folder (neither chattr nor a non-root user)');
      return;
    }
    tally.binary.injected++;
    const r = runCli(['resolve', '--all', '--root', ws.root]);
    const cause = how === 'chattr' ? 'operation not permitted (EPERM)' : 'permission denied (EACCES)';
    const message = `${cause} while creating a temporary file next to ${ws.registry}; the file was not changed`;
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')).toEqual([
      `Agent-1   failed      status: IDLE -> ACTIVE, fsm: IDLE -> TASK_EXECUTION; ${message}`,
      `Agent-2   failed      status: IDLE -> READY, fsm: IDLE -> READY; ${message}`,
      'Agent-3   in-sync',
      message,
      '',
    ]);
    expect(r.stderr).toBe('');
    expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
    expectNoTemps(ws);
    const failed = journalLines(ws);
    expect(failed).toHaveLength(8); // 4 intents, then 4 failed outcomes
    expectFailedInJournal(ws, failed[0]!.action, message);
    // `log` shows the failure with its reason.
    const log = runCli(['log', '--root', ws.root]);
    expect(log.code).toBe(0);
    expect(log.stdout).toContain(
      `  Agent-1  fsm  IDLE -> TASK_EXECUTION  failed  (truth: file)  ${message}\n`,
    );
    if (how === 'chattr') spawnSync('chattr', ['-i', ws.coord]);
    else fs.chmodSync(ws.coord, 0o755);
    await expectRecovers(ws, 'binary');
    tally.binary.survived++;
  });

  describe('a full or read-only file system (tmpfs in a private mount namespace)', () => {
    const unshare = probeUnshare();

    /** Runs `resolve --all` with `mnt` (the registry folder, or the whole root) on a tmpfs. */
    function onTmpfs(
      ws: Ws,
      mnt: string,
      mode: 'full' | 'ro',
    ): { code: number; stdout: string; stderr: string; listing: string[]; registry: string; state: string } {
      const src = tempDir('sync-tui-faults-src-');
      const out = tempDir('sync-tui-faults-out-');
      cleanup.push(() => fs.rmSync(src, { recursive: true, force: true }));
      cleanup.push(() => fs.rmSync(out, { recursive: true, force: true }));
      fs.cpSync(mnt, src, { recursive: true });
      const script = `
        set -e
        mount -t tmpfs -o size=1m tmpfs "$MNT"
        cp -a "$SRC/." "$MNT/"
        if [ "$MODE" = full ]; then dd if=/dev/zero of="$MNT/.filler" bs=4k 2>/dev/null || true; fi
        if [ "$MODE" = ro ]; then mount -o remount,ro "$MNT"; fi
        set +e
        "$NODE" "$BIN" resolve --all --root "$ROOT" > "$OUT/stdout" 2> "$OUT/stderr"
        echo $? > "$OUT/code"
        ls -A "$COORD" > "$OUT/listing"
        cat "$COORD/registry.json" > "$OUT/registry"
        ls -A "$ROOT/.sync-tui" > "$OUT/state" 2>&1
        true`;
      const env = {
        ...process.env,
        NO_COLOR: '1',
        MNT: mnt,
        SRC: src,
        OUT: out,
        MODE: mode,
        NODE: process.execPath,
        BIN,
        ROOT: ws.root,
        COORD: ws.coord,
      };
      const r = spawnSync('unshare', [...unshare!, 'sh', '-c', script], {
        env,
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const read = (n: string) => fs.readFileSync(path.join(out, n), 'utf8');
      return {
        code: Number(read('code')),
        stdout: read('stdout'),
        stderr: read('stderr'),
        listing: read('listing')
          .split('\n')
          .filter((n) => n !== '' && n !== '.filler'),
        registry: read('registry'),
        state: read('state'),
      };
    }

    it('the registry folder is full (ENOSPC): exit 1, registry intact, no temp file, journaled as failed', async () => {
      if (!unshare) return void tally.skipped.push('a full tmpfs (no private mount namespace)');
      tally.binary.injected++;
      const ws = workspace();
      const r = onTmpfs(ws, ws.coord, 'full');
      const message = `disk full (ENOSPC) while writing a temporary copy of ${ws.registry}; the file was not changed`;
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n').slice(-2)).toEqual([message, '']);
      expect(r.stderr).toBe('');
      expect(r.registry).toBe(REGISTRY);
      expect(r.listing).toEqual(['registry.json']);
      expectFailedInJournal(ws, journalLines(ws)[0]?.action ?? null, message);
      await expectRecovers(ws, 'binary'); // the mount is gone with its namespace: the original folder is back
      tally.binary.survived++;
    });

    it('the registry folder is read-only (EROFS): exit 1, registry intact, journaled as failed', async () => {
      if (!unshare) return void tally.skipped.push('a read-only tmpfs (no private mount namespace)');
      tally.binary.injected++;
      const ws = workspace();
      const r = onTmpfs(ws, ws.coord, 'ro');
      const message = `read-only file system (EROFS) while creating a temporary file next to ${ws.registry}; the file was not changed`;
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n').slice(-2)).toEqual([message, '']);
      expect(r.stderr).toBe('');
      expect(r.registry).toBe(REGISTRY);
      expect(r.listing).toEqual(['registry.json']);
      expectFailedInJournal(ws, journalLines(ws)[0]?.action ?? null, message);
      await expectRecovers(ws, 'binary');
      tally.binary.survived++;
    });

    it('the whole root is full: the journal cannot take the intent, so the registry is not touched and exit 1 says why', async () => {
      if (!unshare) return void tally.skipped.push('a full root (no private mount namespace)');
      tally.binary.injected++;
      const ws = workspace();
      fs.writeFileSync(ws.journal, ''); // an existing, empty journal on the full disk
      const r = onTmpfs(ws, ws.root, 'full');
      // Write-ahead: the intent cannot be journaled on the full disk, so nothing is tried.
      const message = `the journal could not be written: disk full (ENOSPC) while appending to the journal ${ws.journal}; nothing written`;
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n').slice(-2)).toEqual([message, '']);
      expect(r.stderr).toBe('');
      expect(r.registry).toBe(REGISTRY);
      expect(r.listing).toEqual(['registry.json']);
      expect(r.state.trim()).toBe('journal.jsonl');
      tally.binary.survived++;
    });
  });

  it('a writer killed (SIGKILL) between its temp write and its rename: registry intact; the temp file is removed by the next run once it is a minute old', async () => {
    tally.binary.injected++;
    const ws = workspace();
    // The engine from dist/, in a child whose file layer kills the process at the rename.
    const script = `
      const { Engine } = await import(${JSON.stringify(pathToFileURL(path.join(PROJECT, 'dist/shell/engine.js')).href)});
      const { loadConfig } = await import(${JSON.stringify(pathToFileURL(path.join(PROJECT, 'dist/shell/probe.js')).href)});
      const { realFs } = await import(${JSON.stringify(pathToFileURL(path.join(PROJECT, 'dist/shell/atomic.js')).href)});
      const root = process.argv[1];
      const fs = { ...realFs, rename: async (from, to) => { if (to.endsWith('registry.json')) process.kill(process.pid, 'SIGKILL'); return realFs.rename(from, to); } };
      const engine = await Engine.open(root, loadConfig(root), { fs });
      await engine.resolve('all');
      process.stdout.write('not killed');`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script, ws.root], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    const signal = await new Promise<string | null>((resolve) =>
      child.on('exit', (_code, sig) => resolve(sig)),
    );
    expect(signal).toBe('SIGKILL');
    expect(out).toBe('');

    expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
    const left = fs.readdirSync(ws.coord).filter(isTempName);
    expect(left).toHaveLength(1); // the crash leaves its complete temp file
    // Write-ahead: the intent was journaled before the crash, with no outcome after it.
    const journaled = journalLines(ws);
    expect(journaled.map((e) => [e.agent, e.field, e.outcome])).toEqual([
      ['Agent-1', 'status', 'intent'],
      ['Agent-1', 'fsm', 'intent'],
      ['Agent-2', 'status', 'intent'],
      ['Agent-2', 'fsm', 'intent'],
    ]);
    // `log` shows it as interrupted; `undo` checks the registry: nothing of it got there.
    const log = runCli(['log', '--root', ws.root]);
    expect(log.stdout).toContain(
      `${journaled[0]!.action}  ${journaled[0]!.at}  resolve  4 changes: 4 interrupted (no outcome recorded)\n`,
    );
    expect(log.stdout).toContain('  Agent-1  fsm  IDLE -> TASK_EXECUTION  interrupted  (truth: file)\n');
    const undo = runCli(['undo', '--root', ws.root]);
    expect(undo.stdout.split('\n').slice(-2)).toEqual([`undid ${journaled[0]!.action} (4 changes)`, '']);
    expect(undo.stdout).toContain('Agent-1   restored');
    expect(fs.readFileSync(ws.registry, 'utf8')).toBe(REGISTRY);
    expect(
      journalLines(ws)
        .filter((e) => e.kind === 'undo')
        .map((e) => [e.outcome, e.message]),
    ).toEqual([
      ['intent', undefined],
      ['intent', undefined],
      ['intent', undefined],
      ['intent', undefined],
      ...Array.from({ length: 4 }, () => [
        'verified',
        'already as before (the action was interrupted before its write)',
      ]),
    ]);

    // The next run resolves; a temp file younger than a minute may belong to a live writer
    // and is left alone ...
    const next = runCli(['resolve', '--all', '--dry-run', '--root', ws.root]);
    expect(next.code).toBe(0);
    expect(fs.readdirSync(ws.coord).filter(isTempName)).toEqual(left);
    // ... one older than a minute is removed by the next command that opens the engine.
    const old = new Date(Date.now() - 120_000);
    fs.utimesSync(path.join(ws.coord, left[0]!), old, old);
    await expectRecovers(ws, 'binary');
    tally.binary.survived++;
  });
});

/** How to get a private mount namespace where tmpfs can be mounted, or null. */
function probeUnshare(): string[] | null {
  if (process.platform !== 'linux') return null;
  const dir = tempDir('sync-tui-unshare-');
  try {
    for (const args of process.getuid?.() === 0 ? [['-m'], ['-rm']] : [['-rm']]) {
      const r = spawnSync(
        'unshare',
        [...args, 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$0" && touch "$0/x"', dir],
        { encoding: 'utf8', timeout: 10_000 },
      );
      if (r.status === 0) return args;
    }
    return null;
  } catch {
    return null;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
