// Hostile paths never lead a read or a write out of the root. Through the REAL built
// binary: agent ids from folder names, registry keys and event lines that try to be paths
// (`../../outside`, `..`, `/etc/passwd`, NUL bytes, empty, 10,000 characters), status files
// and agent folders symlinked out of the root, symlink loops, a FIFO, a folder, a device,
// a 1 GB sparse file, JSON nested 100,000 deep and a YAML alias bomb where a status file,
// the registry or the event log should be. A sibling folder `outside` holds canaries: after
// `check`, `resolve --all` and `watch --auto-resolve` it is byte for byte (and mtime for
// mtime) what it was, nothing was created next to the root, no canary value shows up in
// any output, each bad file is named with what is wrong, exit codes are the documented
// ones, no stack trace is printed, and every other agent is still reported.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startWatch, stopAllWatches } from '../helpers/watch-process.js';
import type { CheckJson } from '../../src/core/report/report.js';
import { BIN, PROJECT, runCli, type Run } from '../helpers/cli.js';
import {
  CANARY_STATUS,
  deepJson,
  diffTrees,
  HOSTILE_FOLDER_NAMES,
  HOSTILE_IDS,
  listTree,
  mkCharDevice,
  mkfifo,
  OWN_STATE,
  pathWorkspace,
  readTrace,
  sourceWorkspace,
  stackTrace,
  statusJson,
  straceArgs,
  straceWorks,
  yamlAliasBomb,
  type PathWorkspace,
  type Sandbox,
} from '../helpers/hostile.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanups.splice(0).reverse()) await f();
});

/** Runs the binary; it must finish (a FIFO must not hang it) and print no stack trace. */
function cli(args: string[]): Run {
  const r = runCli(args);
  expect(r.code, `sync-tui ${args.join(' ')} did not finish (stderr: ${r.stderr})`).not.toBeNull();
  expect(stackTrace(r.stdout), 'stack trace on stdout').toBeNull();
  expect(stackTrace(r.stderr), 'stack trace on stderr').toBeNull();
  expect(
    r.stdout.includes(CANARY_STATUS) || r.stderr.includes(CANARY_STATUS),
    'a canary outside the root was read',
  ).toBe(false);
  return r;
}

/** Everything next to the root (the parent temp folder without the root): must never change. */
const outsideTree = (box: Sandbox) => listTree(box.parent, ['root']);

function expectOutsideUnchanged(box: Sandbox, before: ReturnType<typeof listTree>): void {
  expect(diffTrees(before, outsideTree(box))).toEqual([]);
}

function rowOf(text: string, id: string): string | undefined {
  return text.split('\n').find((l) => l.startsWith(`${id} `));
}

// ---------------------------------------------------------------------------------------

describe('every hostile path at once (one agent folder each)', () => {
  let w: PathWorkspace;
  beforeAll(() => {
    expect(fs.existsSync(BIN), `${BIN} is missing: run npm run build first`).toBe(true);
    w = pathWorkspace();
    if (w.skipped.length > 0) console.info(`hostile paths left out here: ${w.skipped.join('; ')}`);
  });
  afterAll(() => w?.cleanup());

  it('check names each bad file and what is wrong, reports the normal agents, reads nothing outside the root', () => {
    const before = outsideTree(w);
    const rootBefore = listTree(w.root);
    const r = cli(['check', '--root', w.root, '--width', '250']);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(rowOf(r.stdout, 'Agent-1')).toMatch(/✔ in-sync/);
    expect(rowOf(r.stdout, 'Agent-2')).toMatch(/≠ drift +fsm: display has 'ONBOARDING', expected 'IDLE'/);
    expect(rowOf(r.stdout, 'Agent-3')).toMatch(/✔ in-sync/);
    for (const c of w.cases) {
      const source = c.agent === 'bomb' ? 'yfile' : 'file';
      expect(rowOf(r.stdout, c.agent), c.what).toMatch(new RegExp(`✖ invalid +${source}: `));
    }

    const json = cli(['check', '--json', '--root', w.root]);
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as CheckJson;
    const byId = new Map(doc.agents.map((a) => [a.id, a]));
    for (const id of ['Agent-1', 'Agent-3']) expect(byId.get(id)?.verdict).toBe('in-sync');
    expect(byId.get('Agent-2')?.verdict).toBe('drift');
    for (const c of w.cases) {
      const a = byId.get(c.agent);
      expect(a, c.what).toBeDefined();
      expect(a!.verdict, c.what).toBe('invalid');
      const file = c.agent === 'bomb' ? `yagents/bomb/status.yaml` : `agents/${c.agent}/status.json`;
      const diagnostics = Object.values(a!.sources).flatMap((s) => s.diagnostics);
      expect(
        diagnostics.some((d) => d.startsWith(`${file}`) && c.expect.test(d)),
        `${c.what}: a diagnostic naming ${file} and matching ${c.expect}; got ${JSON.stringify(diagnostics)}`,
      ).toBe(true);
    }
    // A link inside the root is followed (the control case): link-in reads Agent-1's file.
    expect(byId.get('link-in')?.sources['file']).toMatchObject({
      present: true,
      status: 'ACTIVE',
      fsm: 'IDLE',
    });
    // Ids that try to be paths are names only: listed by the registry and the event log,
    // never turned into a status-file path (`agents/../../outside/status.json` is a canary).
    for (const id of HOSTILE_IDS) {
      const a = byId.get(id);
      expect(a, JSON.stringify(id.slice(0, 40))).toBeDefined();
      expect(a!.verdict).toBe('missing');
      expect(a!.sources['file']!.present).toBe(false);
      expect(a!.sources['display']).toMatchObject({ present: true, status: 'ACTIVE' });
    }
    // Folder names: path-like or control-holding ones are skipped with the reason; the rest are agents.
    const fileDiagnostics = doc.sources!['file']!.diagnostics;
    expect(fileDiagnostics).toEqual(
      expect.arrayContaining([
        'agents/..\\..\\outside: agent id holds a path separator; entry skipped',
        `agents/${'x'.repeat(255)}: agent id longer than 200 characters; entry skipped`.slice(0, 4096),
        'agents/nl⏎name: agent id holds control characters; entry skipped',
        'agents/escname: agent id holds control characters; entry skipped',
      ]),
    );
    for (const name of ['...', '-rf', '~'])
      expect(byId.get(name)?.sources['file'], name).toMatchObject({ present: true, status: 'ACTIVE' });
    expect(HOSTILE_FOLDER_NAMES.length).toBe(7);

    expectOutsideUnchanged(w, before);
    // check writes nothing, inside the root either.
    expect(diffTrees(rootBefore, listTree(w.root))).toEqual([]);
  });

  it('resolve --all writes only the registry and the journal, inside the root, and leaves hostile ids alone', () => {
    const before = outsideTree(w);
    const rootBefore = listTree(w.root, ['registry.json', OWN_STATE]);
    const registryBefore = JSON.parse(fs.readFileSync(path.join(w.root, 'registry.json'), 'utf8')) as {
      agents: Record<string, { status: string; fsm: string }>;
    };
    const r = cli(['resolve', '--all', '--root', w.root]);
    // Some agents cannot be resolved (invalid, not listed in file): exit 1, each with its reason.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^Agent-2 +resolved +fsm: ONBOARDING -> IDLE$/m);
    for (const c of w.cases) expect(rowOf(r.stdout, c.agent), c.what).toMatch(/unresolved/);
    const registry = JSON.parse(
      fs.readFileSync(path.join(w.root, 'registry.json'), 'utf8'),
    ) as typeof registryBefore;
    expect(registry.agents['Agent-2']!.fsm).toBe('IDLE');
    // Hostile keys are keys of the registry, nothing more: all still there (the event log's
    // newer FSM state may have been written into them, inside the registry file).
    for (const id of HOSTILE_IDS)
      expect(registry.agents[id], JSON.stringify(id.slice(0, 40))).toMatchObject({
        status: 'ACTIVE',
        fsm: expect.stringMatching(/^(IDLE|TASK_EXECUTION)$/),
      });
    expect(
      Object.keys(registry.agents)
        .filter((k) => !(k in registryBefore.agents))
        .sort(),
    ).toEqual(['-rf', '...', 'link-in', '~'].sort());
    // No agent that could not be read was written.
    for (const c of w.cases) expect(registry.agents[c.agent], c.what).toBeUndefined();
    expectOutsideUnchanged(w, before);
    expect(diffTrees(rootBefore, listTree(w.root, ['registry.json', OWN_STATE]))).toEqual([]);
    expect(fs.readdirSync(path.join(w.root, OWN_STATE))).toEqual(['journal.jsonl']);
  });

  it('watch --auto-resolve --json over all of it keeps running, reports and resolves a change to a normal agent', async () => {
    const before = outsideTree(w);
    const watch = await startWatch({
      args: ['--json', '--auto-resolve', '--root', w.root],
      ready: (x) => x.events.some((e) => e.type === 'initial' && e.agent === 'loop'),
    });
    const events = () => watch.events;
    expect(events().find((e) => e.type === 'initial' && e.agent === 'link-out-dir')?.verdict.after).toBe(
      'invalid',
    );

    // While it runs: a new agent folder symlinked out of the root, and more event lines
    // with path-like agents; then a real change to a normal agent.
    fs.symlinkSync(path.join(w.outside, 'agent'), path.join(w.root, 'agents', 'late-link'));
    fs.appendFileSync(
      path.join(w.root, 'events.jsonl'),
      JSON.stringify({
        agent: '../../../outside/late',
        status: 'ACTIVE',
        fsm: 'IDLE',
        at: new Date().toISOString(),
      }) + '\n',
    );
    const f = path.join(w.root, 'agents', 'Agent-3', 'status.json');
    fs.writeFileSync(
      f + '.tmp',
      statusJson('Agent-3', { status: 'ACTIVE', fsm: 'TASK_EXECUTION', at: new Date().toISOString() }),
    );
    fs.renameSync(f + '.tmp', f);
    const resolved = await waitFor(
      () => events().find((e) => e.type === 'resolved' && e.agent === 'Agent-3'),
      { timeoutMs: 15_000, what: 'Agent-3 resolved' },
    );
    expect(resolved.verdict.after).toBe('in-sync');
    expect(
      events().some((e) => e.type === 'change' && e.agent === 'Agent-3' && e.verdict.after === 'drift'),
    ).toBe(true);
    await waitFor(() => events().some((e) => e.agent === '../../../outside/late'), {
      timeoutMs: 10_000,
      what: 'the event line naming ../../../outside/late',
    });
    // The late link: if it is picked up, it is refused like the others, never read.
    const late = events().filter((e) => e.agent === 'late-link');
    for (const e of late) expect(e.verdict.after).toBe('invalid');
    expect(watch.child.exitCode).toBeNull();

    expect(await watch.stop()).toBe(0);
    expect(stackTrace(watch.stderr())).toBeNull();
    expect(watch.badLines).toEqual([]);
    expect(
      watch.lines.some((l) => l.includes(CANARY_STATUS)),
      'a canary was read',
    ).toBe(false);
    const registry = JSON.parse(fs.readFileSync(path.join(w.root, 'registry.json'), 'utf8')) as {
      agents: Record<string, { fsm: string }>;
    };
    expect(registry.agents['Agent-3']!.fsm).toBe('TASK_EXECUTION');
    fs.rmSync(path.join(w.root, 'agents', 'late-link'));
    expectOutsideUnchanged(w, before);
  }, 45_000);
});

// ---------------------------------------------------------------------------------------

interface SourceCase {
  name: string;
  /** The registry file of the config (default registry.json). */
  registry?: string;
  /** Puts the hostile file in place; returns why it cannot (then the case is skipped), or null. */
  make(box: Sandbox): string | null;
  /** The source and file the diagnostic names, and what it says. */
  source: 'display' | 'realtime';
  file: string;
  says: RegExp;
  /** false: the source is still read (a bad line is one diagnostic), the agents are not invalid. */
  unhealthy?: boolean;
}

const replace = (box: Sandbox, file: string, make: (abs: string) => void) => {
  const abs = path.join(box.root, file);
  fs.rmSync(abs, { force: true });
  make(abs);
};

const SOURCE_CASES: SourceCase[] = [
  {
    name: 'registry symlinked out of the root',
    source: 'display',
    file: 'registry.json',
    says: /symlink points outside the root; not followed/,
    make: (b) => (
      replace(b, 'registry.json', (f) => fs.symlinkSync(path.join(b.outside, 'registry.json'), f)),
      null
    ),
  },
  {
    name: 'registry symlinked to /dev/zero',
    source: 'display',
    file: 'registry.json',
    says: /symlink points outside the root; not followed/,
    make: (b) => (replace(b, 'registry.json', (f) => fs.symlinkSync('/dev/zero', f)), null),
  },
  {
    name: 'registry a symlink loop',
    source: 'display',
    file: 'registry.json',
    says: /symlink cannot be followed \(ELOOP\)/,
    make: (b) => (replace(b, 'registry.json', (f) => fs.symlinkSync('registry.json', f)), null),
  },
  {
    name: 'registry a FIFO',
    source: 'display',
    file: 'registry.json',
    says: /expected a regular file, found a device, socket or pipe/,
    make: (b) => (
      replace(b, 'registry.json', (f) => mkfifo(f)),
      fs.existsSync(path.join(b.root, 'registry.json')) ? null : 'mkfifo is not available'
    ),
  },
  {
    name: 'registry a character device',
    source: 'display',
    file: 'registry.json',
    says: /expected a regular file, found a device, socket or pipe/,
    make: (b) => {
      let why: string | null = null;
      replace(b, 'registry.json', (f) => (why = mkCharDevice(f)));
      return why;
    },
  },
  {
    name: 'registry a folder',
    source: 'display',
    file: 'registry.json',
    says: /expected a file, found a folder/,
    make: (b) => (replace(b, 'registry.json', (f) => fs.mkdirSync(f)), null),
  },
  {
    name: 'registry 1 GB sparse',
    source: 'display',
    file: 'registry.json',
    says: /file is 1073741824 bytes; at most 134217728 are read/,
    make: (b) => (fs.truncateSync(path.join(b.root, 'registry.json'), 1024 ** 3), null),
  },
  {
    name: 'registry nested 100,000 deep',
    source: 'display',
    file: 'registry.json',
    says: /nesting deeper than \d+ levels; the document is not read/,
    make: (b) => (fs.writeFileSync(path.join(b.root, 'registry.json'), deepJson(100_000)), null),
  },
  {
    name: 'registry a YAML alias bomb',
    registry: 'registry.yaml',
    source: 'display',
    file: 'registry.yaml',
    says: /aliases expand to more than \d+ values \(an alias bomb\?\); the document is not read/,
    make: (b) => (fs.writeFileSync(path.join(b.root, 'registry.yaml'), yamlAliasBomb()), null),
  },
  {
    name: 'event log symlinked out of the root',
    source: 'realtime',
    file: 'events.jsonl',
    says: /symlink points outside the root; not followed/,
    make: (b) => (
      replace(b, 'events.jsonl', (f) => fs.symlinkSync(path.join(b.outside, 'events.jsonl'), f)),
      null
    ),
  },
  {
    name: 'event log a FIFO',
    source: 'realtime',
    file: 'events.jsonl',
    says: /expected a regular file, found a device, socket or pipe/,
    make: (b) => (
      replace(b, 'events.jsonl', (f) => mkfifo(f)),
      fs.existsSync(path.join(b.root, 'events.jsonl')) ? null : 'mkfifo is not available'
    ),
  },
  // 300 MB, past the 256 MB cap of check: the engine (resolve) reads a sparse log through
  // to its end, ~4 s per GB (see the report), so not 1 GB here.
  {
    name: 'event log 300 MB sparse',
    source: 'realtime',
    file: 'events.jsonl',
    says: /file is 314572800 bytes; at most 268435456 are read/,
    make: (b) => (fs.truncateSync(path.join(b.root, 'events.jsonl'), 300 * 1024 ** 2), null),
  },
  {
    name: 'event log line nested 100,000 deep',
    source: 'realtime',
    file: 'events.jsonl',
    says: /nesting deeper than \d+ levels; the document is not read/,
    unhealthy: false,
    make: (b) => (fs.appendFileSync(path.join(b.root, 'events.jsonl'), deepJson(100_000) + '\n'), null),
  },
];

describe('a hostile registry or event log', () => {
  for (const c of SOURCE_CASES) {
    it(`${c.name}: check and resolve name the file and what is wrong, report the agents, touch nothing outside`, (ctx) => {
      const box = sourceWorkspace(c.registry ? { registry: c.registry } : {});
      cleanups.push(() => box.cleanup());
      const why = c.make(box);
      if (why !== null) {
        console.info(`skipped '${c.name}': ${why}`);
        ctx.skip();
        return;
      }
      const before = outsideTree(box);
      const unhealthy = c.unhealthy !== false;
      const r = cli(['check', '--root', box.root, '--width', '200']);
      // A source that cannot be read: exit 1 (README, exit codes).
      expect(r.code).toBe(1);
      expect(r.stderr).toBe('');
      const line = r.stdout.split('\n').find((l) => l.startsWith(`source ${c.source}`));
      expect(line, r.stdout).toBeDefined();
      expect(line!).toMatch(
        new RegExp(
          `^source ${c.source}${unhealthy ? ' unhealthy' : ': 1 problem\\(s\\), first'}: ${c.file.replace('.', '\\.')}(:\\d+:\\d+)?: `,
        ),
      );
      expect(line!).toMatch(c.says);
      for (const id of ['Agent-1', 'Agent-2', 'Agent-3']) expect(rowOf(r.stdout, id), id).toBeDefined();
      const doc = JSON.parse(cli(['check', '--json', '--root', box.root]).stdout) as CheckJson;
      expect(doc.agents.map((a) => a.id)).toEqual(['Agent-1', 'Agent-2', 'Agent-3']);
      expect(doc.sources![c.source]!.healthy).toBe(!unhealthy);
      expect(doc.sources![c.source]!.diagnostics.some((d) => d.startsWith(c.file) && c.says.test(d))).toBe(
        true,
      );
      if (unhealthy) for (const a of doc.agents) expect(a.verdict, a.id).toBe('invalid');

      const registryBefore = listTree(box.root).get(c.registry ?? 'registry.json');
      const res = cli(['resolve', '--all', '--root', box.root]);
      // Exit 0 when every agent ends in sync, 1 when some could not be resolved, each with its reason.
      const unresolved = res.stdout.split('\n').filter((l) => / (unresolved|failed) /.test(l));
      expect(res.code, res.stdout).toBe(unresolved.length > 0 ? 1 : 0);
      if (c.source === 'display') {
        // Nothing is resolved into a registry that cannot be read, and it is not written.
        expect(res.code).toBe(1);
        expect(rowOf(res.stdout, 'Agent-2')).toMatch(/unresolved +display: /);
        expect(rowOf(res.stdout, 'Agent-2')).toMatch(c.says);
        expect(res.stdout).toMatch(/^nothing to write$/m);
        expect(listTree(box.root).get(c.registry ?? 'registry.json')).toEqual(registryBefore);
      } else {
        // The registry is fine: Agent-2 is resolved there (or refused with the event log's reason).
        if (res.code === 0) expect(res.stdout).toMatch(/^Agent-2 +resolved +fsm: ONBOARDING -> IDLE$/m);
        else expect(rowOf(res.stdout, 'Agent-2')).toMatch(c.says);
      }
      expectOutsideUnchanged(box, before);
    });
  }
});

// ---------------------------------------------------------------------------------------
// The same, seen by the kernel: strace lists every file the binary opened

const hasStrace = straceWorks();

describe.skipIf(!hasStrace)('what the binary really opens (strace)', () => {
  it('check, resolve --all and watch --auto-resolve open nothing outside the root and write only under it', async () => {
    const w = pathWorkspace();
    cleanups.push(() => w.cleanup());
    const logs = tempLogs();
    cleanups.push(() => fs.rmSync(logs, { recursive: true, force: true }));
    // io_uring would do file work the tracer cannot see (Node has it off by default; be sure).
    const env = { ...process.env, NO_COLOR: '1', UV_USE_IO_URING: '0' };
    const traced = (name: string, args: string[]) => {
      const log = path.join(logs, `${name}.log`);
      const r = spawnSync('strace', straceArgs(log, [process.execPath, BIN, ...args, '--root', w.root]), {
        cwd: PROJECT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, `${name}: ${r.stderr}`).toBe(1);
      return readTrace(log, w.root, w.outside);
    };
    const reports = [traced('check', ['check']), traced('resolve', ['resolve', '--all'])];

    // watch, with a folder symlinked out of the root appearing while it runs.
    const log = path.join(logs, 'watch.log');
    // strace forwards no signal: stop the traced node itself.
    const watch = await startWatch({
      args: ['--json', '--auto-resolve', '--root', w.root],
      env: { UV_USE_IO_URING: '0' },
      wrap: (argv) => ['strace', ...straceArgs(log, argv)],
      signalPid: (child) =>
        Number(
          fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim().split(/\s+/)[0],
        ),
      readyTimeoutMs: 30_000,
    });
    fs.symlinkSync(path.join(w.outside, 'agent'), path.join(w.root, 'agents', 'late-link'));
    const f = path.join(w.root, 'agents', 'Agent-3', 'status.json');
    fs.writeFileSync(
      f + '.tmp',
      statusJson('Agent-3', { status: 'ACTIVE', fsm: 'TASK_EXECUTION', at: new Date().toISOString() }),
    );
    fs.renameSync(f + '.tmp', f);
    await waitFor(() => watch.of('resolved', 'Agent-3').length > 0, {
      timeoutMs: 30_000,
      what: 'Agent-3 resolved under strace',
    });
    expect(await watch.stop()).toBe(0);
    reports.push(readTrace(log, w.root, w.outside));

    for (const r of reports) {
      expect(r.lines).toBeGreaterThan(100);
      expect(r.outside).toEqual([]);
      expect(r.writesElsewhere).toEqual([]);
    }
    // The traces did see the writes inside the root (the check is not vacuous).
    expect(fs.readFileSync(path.join(logs, 'resolve.log'), 'utf8')).toMatch(
      /rename\(".*\/root\/\.registry\.json\.[^"]*\.tmp", ".*\/root\/registry\.json"\)/,
    );
  }, 120_000);
});

function tempLogs(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'sync-tui-strace-'));
}
