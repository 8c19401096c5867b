// replaceIfUnchanged on real temp folders, with faults injected through a fake FsLayer.
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanupStaleTemps,
  isTempFor,
  realFs,
  replaceIfUnchanged,
  tempName,
  type FsLayer,
  type ReplaceOutcome,
} from '../../src/shell/atomic.js';

const HAS_MKFIFO = spawnSync('sh', ['-c', 'command -v mkfifo']).status === 0;

let dir: string;
let file: string;
const OLD = '{\n  "agent_fsm_states": {\n    "Agent-1": "uninitialized"\n  }\n}\n';
const NEW = '{\n  "agent_fsm_states": {\n    "Agent-1": "idle"\n  }\n}\n';

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-atomic-'));
  file = path.join(dir, 'registry.json');
  fs.writeFileSync(file, OLD);
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function errno(code: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: injected`), { code });
}

/** realFs with some operations replaced. */
function faulty(over: Partial<FsLayer>): FsLayer {
  return { ...realFs, ...over };
}

const isCreate = (flags: number) => (flags & fs.constants.O_CREAT) !== 0;

/** Folder contents besides the registry (temp files, mostly). */
function others(): string[] {
  return fs.readdirSync(dir).filter((n) => n !== 'registry.json');
}

function expectIo(r: ReplaceOutcome, code: string, meaning: RegExp): void {
  expect(r.ok).toBe(false);
  if (r.ok || r.reason !== 'io') throw new Error(`expected an io failure, got ${JSON.stringify(r)}`);
  expect(r.code).toBe(code);
  expect(r.message).toMatch(meaning);
  expect(r.message).toContain(file);
  expect(r.message).not.toContain('\n');
}

function expectUntouched(): void {
  expect(fs.readFileSync(file, 'utf8')).toBe(OLD);
  expect(others()).toEqual([]);
}

describe('replaceIfUnchanged', () => {
  it('replaces the content and keeps mode 0640', async () => {
    fs.chmodSync(file, 0o640);
    const r = await replaceIfUnchanged(file, OLD, NEW);
    expect(r).toEqual({ ok: true, text: NEW });
    expect(fs.readFileSync(file, 'utf8')).toBe(NEW);
    expect(fs.statSync(file).mode & 0o7777).toBe(0o640);
    expect(others()).toEqual([]);
  });

  it('keeps the owner where permitted', async () => {
    if (process.getuid?.() !== 0) return; // only root may give a file away
    fs.chownSync(file, 1234, 2345);
    expect((await replaceIfUnchanged(file, OLD, NEW)).ok).toBe(true);
    const st = fs.statSync(file);
    expect([st.uid, st.gid]).toEqual([1234, 2345]);
  });

  it('reports a file changed since it was read, with what is there now', async () => {
    fs.writeFileSync(file, 'someone else\n');
    const r = await replaceIfUnchanged(file, OLD, NEW);
    expect(r).toMatchObject({ ok: false, reason: 'changed', currentText: 'someone else\n' });
    expect(fs.readFileSync(file, 'utf8')).toBe('someone else\n');
    expect(others()).toEqual([]);
  });

  it('notices a write that lands while the new content is being written', async () => {
    const fake = faulty({
      fsync: async (fd) => {
        // Another writer gets in between our read and our rename.
        fs.writeFileSync(file, 'the other writer\n');
        return realFs.fsync(fd);
      },
    });
    const r = await replaceIfUnchanged(file, OLD, NEW, { fs: fake });
    expect(r).toMatchObject({ ok: false, reason: 'changed', currentText: 'the other writer\n' });
    expect(fs.readFileSync(file, 'utf8')).toBe('the other writer\n');
    expect(others()).toEqual([]);
  });

  it('a missing file is ENOENT unless expected is empty, then it is created', async () => {
    const missing = path.join(dir, 'nope.json');
    const r = await replaceIfUnchanged(missing, OLD, NEW);
    expect(r).toMatchObject({ ok: false, reason: 'io', code: 'ENOENT' });
    expect(fs.existsSync(missing)).toBe(false);
    expect(await replaceIfUnchanged(missing, '', NEW)).toEqual({ ok: true, text: NEW });
    expect(fs.readFileSync(missing, 'utf8')).toBe(NEW);
  });

  it('creating: a file that appears meanwhile is not overwritten', async () => {
    const fresh = path.join(dir, 'fresh.json');
    const fake = faulty({
      fsync: async (fd) => {
        fs.writeFileSync(fresh, 'got there first\n');
        return realFs.fsync(fd);
      },
    });
    expect(await replaceIfUnchanged(fresh, '', NEW, { fs: fake })).toMatchObject({
      ok: false,
      reason: 'changed',
      currentText: 'got there first\n',
    });
    expect(fs.readFileSync(fresh, 'utf8')).toBe('got there first\n');
  });

  it('an empty file with expected empty is replaced', async () => {
    fs.writeFileSync(file, '');
    expect((await replaceIfUnchanged(file, '', NEW)).ok).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(NEW);
  });

  it('follows a symlink: the link stays, its target is replaced', async () => {
    const link = path.join(dir, 'link.json');
    fs.symlinkSync(file, link);
    expect((await replaceIfUnchanged(link, OLD, NEW)).ok).toBe(true);
    expect(fs.lstatSync(link).isSymbolicLink()).toBe(true);
    expect(fs.readFileSync(file, 'utf8')).toBe(NEW);
  });

  it('refuses a file whose bytes are not valid UTF-8 (a write would alter them)', async () => {
    fs.writeFileSync(file, Buffer.from([0x7b, 0xff, 0x7d]));
    const text = fs.readFileSync(file, 'utf8');
    const r = await replaceIfUnchanged(file, text, NEW);
    expectIo(r, 'EILSEQ', /not valid UTF-8/);
    expect(fs.readFileSync(file)).toEqual(Buffer.from([0x7b, 0xff, 0x7d]));
  });

  it('a folder in place of the file: EISDIR, nothing damaged', async () => {
    fs.rmSync(file);
    fs.mkdirSync(file);
    fs.writeFileSync(path.join(file, 'inside'), 'x');
    const r = await replaceIfUnchanged(file, OLD, NEW);
    expectIo(r, 'EISDIR', /folder/);
    expect(fs.readFileSync(path.join(file, 'inside'), 'utf8')).toBe('x');
    expect(others()).toEqual([]);
  });

  // Skipped (and shown as skipped) where the machine has no mkfifo.
  it.skipIf(!HAS_MKFIFO)('a FIFO in place of the file is refused without hanging', async () => {
    fs.rmSync(file);
    execFileSync('mkfifo', [file]);
    const r = await replaceIfUnchanged(file, OLD, NEW);
    expectIo(r, 'ENOTFILE', /not a regular file/);
    expect(fs.statSync(file).isFIFO()).toBe(true);
  });

  describe('injected faults leave the old file intact and no temp file behind', () => {
    it('disk full while writing', async () => {
      const r = await replaceIfUnchanged(file, OLD, NEW, {
        fs: faulty({ write: async () => Promise.reject(errno('ENOSPC')) }),
      });
      expectIo(
        r,
        'ENOSPC',
        /^disk full \(ENOSPC\) while writing a temporary copy of .*registry\.json; the file was not changed$/,
      );
      expectUntouched();
    });

    it('disk full after a partial write', async () => {
      let calls = 0;
      const fake = faulty({
        write: async (fd, buf, off, len, pos) => {
          if (calls++ === 0) return realFs.write(fd, buf, off, Math.min(len, 7), pos);
          throw errno('ENOSPC');
        },
      });
      expectIo(await replaceIfUnchanged(file, OLD, NEW, { fs: fake }), 'ENOSPC', /disk full/);
      expectUntouched();
    });

    it('partial writes are continued until everything is written', async () => {
      const fake = faulty({
        write: async (fd, buf, off, len, pos) => realFs.write(fd, buf, off, Math.min(len, 5), pos),
      });
      expect((await replaceIfUnchanged(file, OLD, NEW, { fs: fake })).ok).toBe(true);
      expect(fs.readFileSync(file, 'utf8')).toBe(NEW);
    });

    it('permission denied creating the temp file', async () => {
      const fake = faulty({
        open: async (p, flags, mode) =>
          isCreate(flags) ? Promise.reject(errno('EACCES')) : realFs.open(p, flags, mode),
      });
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, { fs: fake }),
        'EACCES',
        /^permission denied \(EACCES\) while creating a temporary file next to /,
      );
      expectUntouched();
    });

    it('read-only file system', async () => {
      const fake = faulty({
        open: async (p, flags, mode) =>
          isCreate(flags) ? Promise.reject(errno('EROFS')) : realFs.open(p, flags, mode),
      });
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, { fs: fake }),
        'EROFS',
        /read-only file system \(EROFS\)/,
      );
      expectUntouched();
    });

    it('permission denied reading the file', async () => {
      const fake = faulty({
        open: async (p, flags, mode) =>
          !isCreate(flags) && p === file ? Promise.reject(errno('EACCES')) : realFs.open(p, flags, mode),
      });
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, { fs: fake }),
        'EACCES',
        /permission denied \(EACCES\) while reading/,
      );
      expectUntouched();
    });

    it('rename fails across file systems (EXDEV)', async () => {
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, {
          fs: faulty({ rename: async () => Promise.reject(errno('EXDEV')) }),
        }),
        'EXDEV',
        /cannot rename across file systems \(EXDEV\)/,
      );
      expectUntouched();
    });

    it('fsync of the temp file fails', async () => {
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, {
          fs: faulty({ fsync: async () => Promise.reject(errno('EIO')) }),
        }),
        'EIO',
        /input\/output error \(EIO\) while flushing/,
      );
      expectUntouched();
    });

    it('chmod of the temp file fails', async () => {
      expectIo(
        await replaceIfUnchanged(file, OLD, NEW, {
          fs: faulty({ fchmod: async () => Promise.reject(errno('EPERM')) }),
        }),
        'EPERM',
        /operation not permitted/,
      );
      expectUntouched();
    });

    it('close of the temp file fails', async () => {
      let n = 0;
      const fake = faulty({
        close: async (fd) =>
          n++ === 1 ? (await realFs.close(fd), Promise.reject(errno('EIO'))) : realFs.close(fd),
      });
      const r = await replaceIfUnchanged(file, OLD, NEW, { fs: fake });
      expect(r.ok).toBe(false);
      expectUntouched();
    });

    it('a folder fsync that is not allowed does not fail the replace', async () => {
      const fake = faulty({
        fsync: async (fd) => {
          if ((await realFs.fstat(fd)).isDirectory()) throw errno('EINVAL');
          return realFs.fsync(fd);
        },
      });
      expect((await replaceIfUnchanged(file, OLD, NEW, { fs: fake })).ok).toBe(true);
    });

    it('says so when the temp file cannot be removed either', async () => {
      const fake = faulty({
        rename: async () => Promise.reject(errno('EXDEV')),
        unlink: async () => Promise.reject(errno('EBUSY')),
      });
      const r = await replaceIfUnchanged(file, OLD, NEW, { fs: fake });
      expectIo(
        r,
        'EXDEV',
        /the temporary file .*\.registry\.json\.sync-tui-\d+-[0-9a-f]+\.tmp could not be removed: resource busy \(EBUSY\)/,
      );
      expect(fs.readFileSync(file, 'utf8')).toBe(OLD);
    });

    it('an unexpected exception from the layer becomes an io outcome', async () => {
      const r = await replaceIfUnchanged(file, OLD, NEW, {
        fs: faulty({ lstat: async () => Promise.reject(new TypeError('boom')) }),
      });
      expect(r).toMatchObject({ ok: false, reason: 'io', code: 'EUNKNOWN' });
      expectUntouched();
    });
  });
});

describe('temp files', () => {
  it('names are recognised only for their own base', () => {
    const n = tempName('registry.json', 42, 'abc123');
    expect(n).toBe('.registry.json.sync-tui-42-abc123.tmp');
    expect(isTempFor(n, 'registry.json')).toBe(true);
    expect(isTempFor(n, 'registry')).toBe(false);
    expect(isTempFor('.registryXjson.sync-tui-42-abc123.tmp', 'registry.json')).toBe(false);
    expect(isTempFor('.registry.json.sync-tui-42-abc123.tmp.bak', 'registry.json')).toBe(false);
  });

  it('cleanupStaleTemps removes old ones of ours, keeps young ones and everything else', async () => {
    const now = Date.now();
    const old = tempName('registry.json', 1, 'aaaa');
    const young = tempName('registry.json', 2, 'bbbb');
    const foreign = tempName('other.json', 3, 'cccc');
    for (const n of [old, young, foreign, 'registry.json.bak', '.registry.json.swp'])
      fs.writeFileSync(path.join(dir, n), 'x');
    fs.utimesSync(path.join(dir, old), new Date(now - 600_000), new Date(now - 600_000));
    fs.utimesSync(path.join(dir, foreign), new Date(now - 600_000), new Date(now - 600_000));
    expect(await cleanupStaleTemps(dir, 'registry.json', { olderThanMs: 60_000, now })).toEqual([old]);
    expect(others().sort()).toEqual(
      ['.other.json.sync-tui-3-cccc.tmp', '.registry.json.swp', young, 'registry.json.bak'].sort(),
    );
    expect(await cleanupStaleTemps(dir, 'registry.json', { olderThanMs: 0 })).toEqual([young]);
    expect(fs.readFileSync(file, 'utf8')).toBe(OLD);
  });

  it('cleanupStaleTemps on a missing folder removes nothing and does not throw', async () => {
    expect(await cleanupStaleTemps(path.join(dir, 'nope'), 'registry.json')).toEqual([]);
  });
});
