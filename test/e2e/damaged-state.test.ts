// Damaged state end to end, through the built binary:
//   - a journal cut off mid-line, with garbage lines, with binary junk, with valid JSON of
//     the wrong shape, or a folder where the journal should be: `log`, `report`, `undo` and
//     `resolve` name the journal file and each bad line on stderr, keep working from the
//     readable entries, and new entries go on lines of their own (never glued onto a half
//     line); `check` does not read the journal and is not disturbed by it;
//   - config files with YAML or JSON syntax errors, unknown keys, wrong types, junk: exit 2
//     and one line `sync-tui: FILE:LINE:COL: what was expected`, for every command;
//   - `watch --json` while its root is removed (rm -rf) and made again, and while the
//     registry is deleted and re-created: sources reported unhealthy with the reason, no
//     crash, recovery, a clean exit on SIGTERM.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { HistoryReport } from '../../src/core/report/history-report.js';
import type { JournalEntry } from '../../src/shell/journal.js';
import { runCli, tempDir, type Run } from '../helpers/cli.js';
import { staysFalse, waitFor } from '../helpers/wait.js';
import { twoSourceConfig } from '../helpers/two-sources.js';
import { startWatch, stopAllWatches, type WatchProcess } from '../helpers/watch-process.js';

const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  await stopAllWatches();
  for (const f of cleanup.splice(0).reverse()) await f();
});

const tried = { journals: 0, configs: 0, commandsOnBadConfig: 0, watchScenarios: 0 };
afterAll(() => {
  console.log(
    `damaged state: ${tried.journals} damaged journal or history files, ${tried.configs} bad configs (${tried.commandsOnBadConfig} command runs), ${tried.watchScenarios} watch scenarios`,
  );
});

const CONFIG = twoSourceConfig();

/** Every agent's own file; the registry holds IDLE/IDLE for all (Agent-1..3 drift, Agent-4 agrees). */
const OWN: Record<string, [string, string]> = {
  'Agent-1': ['ACTIVE', 'TASK_EXECUTION'],
  'Agent-2': ['READY', 'READY'],
  'Agent-3': ['ACTIVE', 'ACTIVE'],
  'Agent-4': ['IDLE', 'IDLE'],
};

function registryText(values: Record<string, [string, string]> = {}): string {
  const agents = Object.fromEntries(
    Object.keys(OWN).map((id) => [id, { status: values[id]?.[0] ?? 'IDLE', fsm: values[id]?.[1] ?? 'IDLE' }]),
  );
  return JSON.stringify({ coordinator: { name: 'ops' }, agents }, null, 2) + '\n';
}

function writeAgents(root: string): void {
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
}

function workspace(): string {
  const root = tempDir('sync-tui-damaged-');
  cleanup.push(() => fs.rmSync(root, { recursive: true, force: true }));
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), CONFIG);
  writeAgents(root);
  fs.writeFileSync(path.join(root, 'registry.json'), registryText());
  return root;
}

const cli = (root: string, ...args: string[]): Run => runCli([...args, '--root', root]);
const registry = (root: string) =>
  JSON.parse(fs.readFileSync(path.join(root, 'registry.json'), 'utf8')) as {
    agents: Record<string, { status: string; fsm: string }>;
  };
const JOURNAL = '.sync-tui/journal.jsonl';

function expectNoStack(r: Run): void {
  expect(r.stderr).not.toMatch(/\n\s+at |internal error|Error:/);
}

// ---------------------------------------------------------------------------------------
// Damaged journals

interface Damage {
  name: string;
  /** Rewrites the journal's lines (4 good ones: Agent-1 status+fsm, Agent-2 status+fsm); returns the new bytes. */
  damage(lines: string[]): Buffer;
  /** The stderr lines every reader prints for it. */
  warnings: string[];
  /** Line numbers of the damaged lines (they stay where they are). */
  bad: number[];
  /** Whether Agent-2's fsm entry (line 4 in the original) is still readable. */
  agent2FsmReadable: boolean;
}

const JUNK = Buffer.from([
  0x00, 0x01, 0xff, 0xfe, 0x1b, 0x5b, 0x33, 0x31, 0x6d, 0x7b, 0x22, 0x76, 0x22, 0x3a, 0x80, 0x00, 0xc3, 0x28,
]);

const DAMAGES: Damage[] = [
  {
    name: 'cut off mid-line (a write interrupted by a crash)',
    damage: (l) =>
      Buffer.from([l[0], l[1], l[2], l[3]!.slice(0, Math.floor(l[3]!.length / 2))].join('\n'), 'utf8'),
    warnings: [`sync-tui: ${JOURNAL}:4: line 4 is cut off (an interrupted write); skipped`],
    bad: [4],
    agent2FsmReadable: false,
  },
  {
    name: 'garbage lines between the entries',
    damage: (l) =>
      Buffer.from(
        [l[0], 'this line was pasted by mistake', l[1], '}{', '<<<<<<< HEAD', l[2], l[3], ''].join('\n'),
        'utf8',
      ),
    warnings: [2, 4, 5].map((n) => `sync-tui: ${JOURNAL}:${n}: line ${n} is not valid JSON; skipped`),
    bad: [2, 4, 5],
    agent2FsmReadable: true,
  },
  {
    name: 'binary junk in a line and at the end (no line break)',
    damage: (l) =>
      Buffer.concat([
        Buffer.from([l[0], l[1], ''].join('\n')),
        JUNK,
        Buffer.from('\n' + [l[2], l[3], ''].join('\n')),
        JUNK,
      ]),
    warnings: [
      `sync-tui: ${JOURNAL}:3: line 3 is not valid JSON; skipped`,
      `sync-tui: ${JOURNAL}:6: line 6 is cut off (an interrupted write); skipped`,
    ],
    bad: [3, 6],
    agent2FsmReadable: true,
  },
  {
    name: 'valid JSON lines of the wrong shape and types',
    damage: (l) => {
      const e = JSON.parse(l[0]!) as Record<string, unknown>;
      return Buffer.from(
        [
          l[0],
          JSON.stringify({ ...e, path: 'agents.Agent-1.status' }),
          JSON.stringify({ ...e, outcome: 'done' }),
          JSON.stringify({ ...e, v: 2 }),
          '[1,2,3]',
          '"just a string"',
          JSON.stringify({ ...e, at: 17, agent: null }),
          l[1],
          l[2],
          l[3],
          '',
        ].join('\n'),
        'utf8',
      );
    },
    warnings: [
      `sync-tui: ${JOURNAL}:2: line 2 is not a journal entry ("path" is not a list of strings); skipped`,
      `sync-tui: ${JOURNAL}:3: line 3 is not a journal entry ("outcome" is not intent, applied, verified, failed or refused); skipped`,
      `sync-tui: ${JOURNAL}:4: line 4 is not a journal entry (unsupported version 2); skipped`,
      `sync-tui: ${JOURNAL}:5: line 5 is not a journal entry (not an object); skipped`,
      `sync-tui: ${JOURNAL}:6: line 6 is not a journal entry (not an object); skipped`,
      `sync-tui: ${JOURNAL}:7: line 7 is not a journal entry ("at" is missing or not a string); skipped`,
    ],
    bad: [2, 3, 4, 5, 6, 7],
    agent2FsmReadable: true,
  },
];

describe('a damaged journal', () => {
  it.each(DAMAGES)(
    '$name: every command names the file and line, works from the readable entries, and appends cleanly',
    (d) => {
      tried.journals++;
      const root = workspace();
      expect(cli(root, 'resolve', 'Agent-1').code).toBe(0);
      expect(cli(root, 'resolve', 'Agent-2').code).toBe(0);
      const file = path.join(root, JOURNAL);
      // Each resolve journaled its intents, then its outcomes; keep the outcomes only, as a
      // journal written before write-ahead holds them (it must read the same).
      const written = fs.readFileSync(file, 'utf8').split('\n').slice(0, -1);
      expect(written.map((l) => (JSON.parse(l) as JournalEntry).outcome)).toEqual([
        'intent',
        'intent',
        'verified',
        'verified',
        'intent',
        'intent',
        'verified',
        'verified',
      ]);
      const good = written.filter((l) => (JSON.parse(l) as JournalEntry).outcome !== 'intent');
      fs.writeFileSync(file, good.join('\n') + '\n');
      const [a1, a2] = [good[0]!, good[2]!].map((l) => (JSON.parse(l) as JournalEntry).action);
      const checkBefore = cli(root, 'check', '--json');
      const damaged = d.damage(good);
      fs.writeFileSync(file, damaged);
      const warnings = d.warnings.map((w) => w + '\n').join('');
      // Once something is appended, a line cut off at the end is an ordinary bad line.
      const warningsAfter = warnings.replace(
        /line (\d+) is cut off \(an interrupted write\)/g,
        'line $1 is not valid JSON',
      );

      // log: the readable entries; one warning per bad line.
      const log = cli(root, 'log');
      expect(log.code).toBe(0);
      expect(log.stderr).toBe(warnings);
      expect(log.stdout).toMatch(new RegExp(`^${a1}  \\S+  resolve  2 changes$`, 'm'));
      expect(log.stdout).toMatch(
        new RegExp(`^${a2}  \\S+  resolve  ${d.agent2FsmReadable ? 2 : 1} changes?$`, 'm'),
      );
      const logJson = cli(root, 'log', '--json');
      expect(logJson.code).toBe(0);
      expect((JSON.parse(logJson.stdout) as JournalEntry[]).map((e) => [e.agent, e.field])).toEqual([
        ['Agent-1', 'status'],
        ['Agent-1', 'fsm'],
        ['Agent-2', 'status'],
        ...(d.agent2FsmReadable ? [['Agent-2', 'fsm']] : []),
      ]);

      // report: the same warnings, and a report of the readable actions.
      const report = cli(root, 'report', '--format', 'json');
      expect(report.code).toBe(0);
      expect(report.stderr).toBe(warnings);
      expect(JSON.stringify(JSON.parse(report.stdout) as HistoryReport)).toContain(a2);

      // check does not read the journal: the same verdicts, nothing on stderr.
      const check = cli(root, 'check', '--json');
      expect(check.code).toBe(checkBefore.code);
      expect(check.stderr).toBe('');
      const verdicts = (r: Run) =>
        (JSON.parse(r.stdout) as { agents: { id: string; verdict: string }[] }).agents.map((a) => [
          a.id,
          a.verdict,
        ]);
      expect(verdicts(check)).toEqual(verdicts(checkBefore));

      // resolve: warns, writes, and its entries start on a line of their own.
      const resolve = cli(root, 'resolve', 'Agent-3');
      expect(resolve.code).toBe(0);
      expect(resolve.stderr).toBe(warnings);
      const after = fs.readFileSync(file);
      // The damaged bytes are kept as they were (a torn last line gets its line break).
      expect(after.subarray(0, damaged.length).equals(damaged)).toBe(true);
      const tail = after.subarray(damaged.length).toString('utf8');
      const added = (damaged[damaged.length - 1] === 0x0a ? tail : tail.replace(/^\n/, '')).split('\n');
      expect(added.pop()).toBe('');
      expect(
        added.map((l) => {
          const e = JSON.parse(l) as JournalEntry;
          return [e.agent, e.outcome];
        }),
      ).toEqual([
        ['Agent-3', 'intent'],
        ['Agent-3', 'intent'],
        ['Agent-3', 'verified'],
        ['Agent-3', 'verified'],
      ]);
      const a3 = (JSON.parse(added[0]!) as JournalEntry).action;

      // undo: the latest resolve (Agent-3), then the one before (Agent-2), from what is readable.
      const undo3 = cli(root, 'undo');
      expect(undo3.code).toBe(0);
      expect(undo3.stderr).toBe(warningsAfter);
      expect(undo3.stdout).toContain(`undid ${a3} (2 changes)`);
      expect(registry(root).agents['Agent-3']).toEqual({ status: 'IDLE', fsm: 'IDLE' });
      const undo2 = cli(root, 'undo');
      expect(undo2.code).toBe(0);
      expect(undo2.stderr).toBe(warningsAfter);
      if (d.agent2FsmReadable) {
        expect(undo2.stdout).toContain(`undid ${a2} (2 changes)`);
        expect(registry(root).agents['Agent-2']).toEqual({ status: 'IDLE', fsm: 'IDLE' });
      } else {
        // The torn line held Agent-2's fsm change: undo restores what it can read and says
        // how many changes it undid; the warning above names the line it could not.
        expect(undo2.stdout).toContain(`undid ${a2} (1 change)`);
        expect(registry(root).agents['Agent-2']).toEqual({ status: 'IDLE', fsm: 'READY' });
      }
      expect(registry(root).agents['Agent-1']).toEqual({ status: 'ACTIVE', fsm: 'TASK_EXECUTION' });

      // The journal stays JSON lines after the damaged part: exactly the damaged lines are bad.
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      const unreadable = lines.flatMap((l, i) => {
        try {
          JSON.parse(l);
          return [];
        } catch {
          return [i + 1];
        }
      });
      expect(unreadable).toEqual(
        d.bad.filter(
          (n) => !d.warnings.some((w) => w.includes(`${JOURNAL}:${n}: line ${n} is not a journal entry`)),
        ),
      );
      const final = cli(root, 'log');
      expect(final.stderr).toBe(warningsAfter);
      expect(final.stdout.match(/^a-\S+/gm)).toHaveLength(5); // 2 resolves + the new one + 2 undos
      for (const r of [log, logJson, report, check, resolve, undo3, undo2, final]) expectNoStack(r);
    },
  );

  it('a folder where the journal should be: log says it cannot be read; resolve writes nothing and exits 1 with the reason', () => {
    tried.journals++;
    const root = workspace();
    fs.mkdirSync(path.join(root, JOURNAL), { recursive: true });
    const log = cli(root, 'log');
    expect(log.code).toBe(0);
    expect(log.stderr).toBe(
      `sync-tui: ${JOURNAL}: the journal cannot be read: it is a folder, not a file (EISDIR): ${path.join(root, JOURNAL)}\n`,
    );
    expect(log.stdout).toBe('the journal is empty\n');
    const before = fs.readFileSync(path.join(root, 'registry.json'), 'utf8');
    const resolve = cli(root, 'resolve', 'Agent-1');
    // Write-ahead: a change the journal cannot record could never be undone, so it is not made.
    const why = `the journal could not be written: it is a folder, not a file (EISDIR) while opening the journal ${path.join(root, JOURNAL)}; nothing written`;
    expect(resolve.code).toBe(1);
    expect(resolve.stdout).toBe(
      `Agent-1   failed      status: IDLE -> ACTIVE, fsm: IDLE -> TASK_EXECUTION; ${why}\n${why}\n`,
    );
    expect(resolve.stderr).toBe(
      `sync-tui: ${JOURNAL}: the journal cannot be read: it is a folder, not a file (EISDIR): ${path.join(root, JOURNAL)}\n`,
    );
    expect(fs.readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe(before);
    const undo = cli(root, 'undo');
    expect(undo.code).toBe(1);
    expect(undo.stdout).toBe('nothing to undo\n');
    for (const r of [log, resolve, undo]) expectNoStack(r);
  });

  it('a damaged history: report names its lines and reports the rest', () => {
    tried.journals++;
    const root = workspace();
    expect(cli(root, 'resolve', 'Agent-1').code).toBe(0);
    const history = path.join(root, '.sync-tui', 'history.jsonl');
    const start = JSON.stringify({
      v: 1,
      kind: 'start',
      at: new Date(Date.now() - 60_000).toISOString(),
      pid: 1,
      agents: 4,
      notInSync: {},
      reasons: {},
    });
    fs.writeFileSync(
      history,
      Buffer.concat([Buffer.from(start + '\nnot json\n{"v":1,"kind":"verdict"}\n'), JUNK]),
    );
    const r = cli(root, 'report', '--format', 'json');
    expect(r.code).toBe(0);
    const lines = r.stderr.split('\n').slice(0, -1);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^sync-tui: \.sync-tui\/history\.jsonl:2: line 2\b.*; skipped$/);
    expect(lines[1]).toMatch(/^sync-tui: \.sync-tui\/history\.jsonl:3: line 3\b.*; skipped$/);
    expect(lines[2]).toMatch(/^sync-tui: \.sync-tui\/history\.jsonl:4: line 4\b.*; skipped$/);
    expect((JSON.parse(r.stdout) as HistoryReport).coverage.sessions).toBe(1);
    expectNoStack(r);
  });
});

// ---------------------------------------------------------------------------------------
// Bad configs

interface BadConfig {
  name: string;
  file: string;
  text: string | Buffer;
  /** The whole stderr line after `sync-tui: FILE:`. */
  where: string;
  message: RegExp;
}

const GOOD_SOURCES = CONFIG.slice(CONFIG.indexOf('sources:'));

const BAD_CONFIGS: BadConfig[] = [
  {
    name: 'YAML: an unclosed flow list',
    file: 'sync-tui.config.yaml',
    text: 'version: 1\nsources:\n  file:\n    kind: status-files\n    path: [agents/{agent}/status.json\n',
    where: '5:19',
    message: /^not valid YAML: Missing , or : between flow sequence items$/,
  },
  {
    name: 'YAML: a tab used for indentation',
    file: 'sync-tui.config.yaml',
    text: 'version: 1\nsources:\n\tfile: {}\n',
    where: '3:1',
    message: /^not valid YAML: Tabs are not allowed as indentation/,
  },
  {
    name: 'JSON: a missing comma',
    file: 'config.json',
    text: '{\n  "version": 1\n  "stale": "15m"\n}\n',
    where: '3:3',
    message: /^not valid JSON: expected ',' between entries$/,
  },
  {
    name: 'JSON: cut off',
    file: 'config.json',
    text: '{\n  "version": 1,\n  "sources": {\n    "file": {"kind": "status-files"\n',
    where: '5:1',
    message: /^not valid JSON: expected '}' to close the object$/,
  },
  {
    name: 'JSON: a string not closed',
    file: 'config.json',
    text: '{\n  "version": 1,\n  "state": ".sync-tui\n}\n',
    where: '3:12',
    message: /^not valid JSON: /,
  },
  {
    name: 'an unknown key, with a suggestion',
    file: 'sync-tui.config.yaml',
    text: `version: 1\nstael: 15m\n${GOOD_SOURCES}`,
    where: '2:1',
    message:
      /^config: unknown key 'stael'; did you mean 'stale'\? \(expected one of: version, timezone, stale, state, journal, fields, sources, policy, keys, theme\)$/,
  },
  {
    name: 'an unknown key in a source',
    file: 'sync-tui.config.yaml',
    text: CONFIG.replace('    kind: registry\n', '    kind: registry\n    formt: json\n'),
    where: '14:5',
    message: /^sources\.display: unknown key 'formt'; did you mean 'format'\?/,
  },
  {
    name: 'a wrong type: a list for a duration',
    file: 'sync-tui.config.yaml',
    text: `version: 1\nstale: [1, 2]\n${GOOD_SOURCES}`,
    where: '2:8',
    message: /^stale: expected a duration such as 30s, 15m, 2h or 1d$/,
  },
  {
    name: 'a wrong type: text for a boolean',
    file: 'sync-tui.config.yaml',
    text: CONFIG.replace(
      '    updated_at: [last_updated]\n',
      '    updated_at: [last_updated]\n    required: "yes"\n',
    ),
    where: '12:15',
    message: /^sources\.file\.required: expected true or false$/,
  },
  {
    name: 'a wrong type: a number for the version',
    file: 'config.json',
    text: JSON.stringify({ version: '1', sources: {} }),
    where: '1:12',
    message: /^version: expected 1/,
  },
  {
    name: 'binary junk',
    file: 'sync-tui.config.yaml',
    text: Buffer.concat([JUNK, JUNK]),
    where: '1:1',
    message: /./,
  },
];

function expectConfigError(r: Run, file: string, c: BadConfig): void {
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n');
  expect(lines.pop()).toBe('');
  expect(lines).toHaveLength(1);
  const prefix = `sync-tui: ${file}:${c.where}: `;
  expect(lines[0]!.startsWith(prefix), `${lines[0]} should start with ${prefix}`).toBe(true);
  expect(lines[0]!.slice(prefix.length).replace(/ \(and \d+ more problems?\)$/, '')).toMatch(c.message);
  expectNoStack(r);
}

describe('a bad config', () => {
  it.each(BAD_CONFIGS)('$name: exit 2 and FILE:LINE:COL with what was expected', (c) => {
    tried.configs++;
    const root = workspace();
    const file = path.join(root, c.file);
    fs.writeFileSync(file, c.text);
    const args = c.file === 'sync-tui.config.yaml' ? [] : ['--config', file];
    tried.commandsOnBadConfig++;
    expectConfigError(cli(root, 'check', ...args), file, c);
  });

  it('every command stops on it the same way, before touching anything', () => {
    const root = workspace();
    const c = BAD_CONFIGS.find((x) => x.name.startsWith('an unknown key,'))!;
    const file = path.join(root, 'sync-tui.config.yaml');
    fs.writeFileSync(file, c.text);
    const before = fs.readFileSync(path.join(root, 'registry.json'), 'utf8');
    for (const args of [
      ['resolve', '--all'],
      ['resolve', 'Agent-1', '--dry-run'],
      ['undo'],
      ['log'],
      ['report'],
      ['snapshot', '--format', 'text'],
      ['watch', '--json'],
      ['check', '--json'],
    ]) {
      tried.commandsOnBadConfig++;
      expectConfigError(cli(root, ...args), file, c);
    }
    expect(fs.readFileSync(path.join(root, 'registry.json'), 'utf8')).toBe(before);
    expect(fs.existsSync(path.join(root, '.sync-tui'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------
// watch while the ground moves

const sourceEvent = (w: WatchProcess, name: string, healthy: boolean) =>
  w.events.find((e) => e.type === 'source' && e.source?.name === name && e.source.healthy.after === healthy);
const verdictOf = (w: WatchProcess, agent: string) =>
  [...w.events]
    .reverse()
    .find((e) => e.agent === agent && (e.type === 'initial' || e.type === 'change' || e.type === 'resolved'))
    ?.verdict.after;

describe('watch while the ground moves', () => {
  it('the root is removed (rm -rf) and made again: unhealthy sources with the reason, no crash; the watches recover (no --interval)', async () => {
    tried.watchScenarios++;
    const root = workspace();
    expect(cli(root, 'resolve', '--all').code).toBe(0);
    const w = await startWatch({ args: ['--json', '--root', root] });
    expect(w.events[0]).toMatchObject({ type: 'initial', summary: { agents: 4, 'in-sync': 4 } });

    // Past watch's first history write (which creates the file), as an operator would be.
    await waitFor(() => fs.existsSync(path.join(root, '.sync-tui', 'history.jsonl')), {
      what: 'the history to exist',
    });
    fs.rmSync(root, { recursive: true, force: true, maxRetries: 10, retryDelay: 20 });
    const fileDown = await waitFor(() => sourceEvent(w, 'file', false), {
      what: 'the status files reported unhealthy',
    });
    expect(fileDown.message).toMatch(
      new RegExp(
        `^source file is unhealthy: (root folder ${root} is gone; checking every second|folder agents cannot be read)$`,
      ),
    );
    const regDown = await waitFor(() => sourceEvent(w, 'display', false), {
      what: 'the registry reported unhealthy',
    });
    expect(regDown.message).toMatch(
      new RegExp(
        `^source display is unhealthy: (registry file not found|root folder ${root} is gone; checking every second)$`,
      ),
    );
    // The history cannot be written while the root is gone: one error event says so, and the
    // root is not brought back by watch.
    // (Whether a history write falls into the moment the root is gone depends on the order
    // in which rm removes things: when one does, it is an error event with the reason.)
    await staysFalse(
      () => fs.existsSync(root) || w.child.exitCode !== null,
      1200,
      'the root re-created by watch, or watch ending',
    );

    // The root comes back with its files.
    fs.mkdirSync(root);
    fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), CONFIG);
    writeAgents(root);
    fs.writeFileSync(path.join(root, 'registry.json'), registryText(OWN));
    await waitFor(() => sourceEvent(w, 'file', true) && sourceEvent(w, 'display', true), {
      timeoutMs: 5000,
      what: 'both sources healthy again',
    });
    await waitFor(() => Object.keys(OWN).every((id) => verdictOf(w, id) === 'in-sync'), {
      what: 'every agent back in sync',
    });
    // Changes after the comeback are seen: the watches are back.
    fs.writeFileSync(
      path.join(root, 'agents', 'Agent-4', 'status.json'),
      JSON.stringify({
        agent_id: 'Agent-4',
        status: 'BLOCKED',
        fsm_state: 'BLOCKED',
        last_updated: new Date().toISOString(),
      }),
    );
    await waitFor(() => verdictOf(w, 'Agent-4') === 'drift', { what: 'a change after the comeback' });

    for (const e of w.events.filter((x) => x.type === 'error')) {
      expect(e.message).toBe(
        `history not written: not found (ENOENT) while opening the history ${path.join(root, '.sync-tui', 'history.jsonl')}`,
      );
    }
    expect(w.child.exitCode).toBeNull();
    expect(await w.stop()).toBe(0);
    expect(w.stderr()).toBe('');
    // The history folder was made again once the root was back: its last line is the stop.
    const history = fs
      .readFileSync(path.join(root, '.sync-tui', 'history.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect((JSON.parse(history[history.length - 1]!) as { kind: string }).kind).toBe('stop');
  }, 30_000);

  it('the registry is deleted and re-created while watch --auto-resolve runs: unhealthy, never written while missing, resolved once back', async () => {
    tried.watchScenarios++;
    const root = workspace();
    expect(cli(root, 'resolve', '--all').code).toBe(0);
    const file = path.join(root, 'registry.json');
    const w = await startWatch({ args: ['--json', '--root', root, '--auto-resolve'] });
    expect(w.events[0]).toMatchObject({ type: 'initial', summary: { agents: 4, 'in-sync': 4 } });

    fs.rmSync(file);
    const down = await waitFor(() => sourceEvent(w, 'display', false), {
      what: 'the registry reported unhealthy',
    });
    expect(down.message).toBe('source display is unhealthy: registry file not found');
    await waitFor(() => Object.keys(OWN).every((id) => verdictOf(w, id) === 'invalid'), {
      what: 'every agent invalid: its registry cannot be read',
    });
    expect(
      w.events.filter((e) => e.type === 'change' && e.verdict.after === 'invalid').map((e) => e.reasons[0]),
    ).toEqual(Object.keys(OWN).map(() => 'display: registry file not found'));
    // Auto-resolve never writes a registry that is not there.
    await staysFalse(() => fs.existsSync(file), 1500, 'a registry written while it was missing');

    // Back, but behind: Agent-1..3 drift, and auto-resolve brings them in line.
    fs.writeFileSync(file + '.tmp', registryText());
    fs.renameSync(file + '.tmp', file);
    await waitFor(() => sourceEvent(w, 'display', true), { what: 'the registry healthy again' });
    await waitFor(
      () =>
        ['Agent-1', 'Agent-2', 'Agent-3'].every((id) =>
          w.events.some((e) => e.type === 'resolved' && e.agent === id),
        ),
      { timeoutMs: 8000, what: 'the drifted agents auto-resolved' },
    );
    await waitFor(
      () => JSON.stringify(registry(root).agents) === JSON.stringify(JSON.parse(registryText(OWN)).agents),
      { what: 'the registry in line with the agents' },
    );
    expect(w.events.filter((e) => e.type === 'error' || e.type === 'resolve-failed')).toEqual([]);
    expect(await w.stop()).toBe(0);
    expect(w.stderr()).toBe('');
  }, 30_000);
});
