// Hostile workspaces for the end-to-end safety tests: values that try to drive the
// terminal (escape sequences, control characters, bidi overrides, ...) or to be markup,
// spreadsheet formulas or huge, and files and ids that try to lead out of the root
// (symlinks, FIFOs, devices, `../` ids, bombs). Everything is generated at test time in
// temp folders; nothing big is committed. Also: listings of a folder tree with sizes,
// mtimes and contents, to show that nothing outside the root was read into a write or
// created.
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

// ---------------------------------------------------------------------------------------
// Hostile values

export interface HostileValue {
  /** Short name; agent `h-<name>` carries this value. */
  name: string;
  value: string;
}

/** The tail of the 100 KB value: far past every cap, so it must never be shown. */
export const LONG_TAIL = 'END-OF-THE-100KB-VALUE';
export const LONG_VALUE = 'L'.repeat(100 * 1024) + LONG_TAIL;

export const HOSTILE_VALUES: readonly HostileValue[] = [
  { name: 'csi', value: 'csi\x1b[2J\x1b[H\x1b[31mRED\x1b[0m\x1b[5A\x1b[10;10H\x1b[?25l\x1b[?1049h' },
  { name: 'title', value: 'title\x1b]0;pwned\x07\x1b]2;pwned2\x1b\\' },
  { name: 'osc8', value: '\x1b]8;;https://evil.example/\x07click-me\x1b]8;;\x07' },
  { name: 'osc52', value: 'clip\x1b]52;c;cm0gLXJmIH4K\x07board' },
  { name: 'dcs', value: 'dcs\x1bP1$qm\x1b\\\x1b_apc\x1b\\\x1b^pm\x1b\\' },
  { name: 'c0', value: 'c0:\x00\x01\x07\x08\x0b\x0c\x0e\x1a\x7f:end' },
  { name: 'cr', value: 'SAFE\rEVIL\r\nLINE2\nLINE3' },
  { name: 'bs', value: 'OK\b\b\bNO' },
  { name: 'c1', value: 'c1:\x9b2J\x9d0;pwned\x9c\x90dcs\x9c\x85\x84\x8d\x9f:end' },
  {
    name: 'bidi',
    value:
      'bidi:\u202Eexe.txt\u202C\u2066iso\u2069\u2067rtl\u2069\u2068fsi\u2069\u200E\u200F\u061C\u202A\u202B\u202D',
  },
  { name: 'zw', value: 'RE\u200BAD\u200CY\u200D\uFEFF\u2060\u180E\u00AD' },
  { name: 'wide', value: '界面状態🦀👩‍💻🇯🇵ｆｕｌｌ界面状態界面状態界面状態界面状態' },
  { name: 'script', value: '<script>alert(1)</script><img src=x onerror=alert(2)>&amp;"\'' },
  { name: 'pipe', value: 'a|b||c\\|d' },
  { name: 'formula', value: "=cmd|' /C calc'!A0" },
  { name: 'plus', value: '+1+cmd|x' },
  { name: 'minus', value: '-2+3+cmd|y' },
  { name: 'at', value: '@SUM(1+1)*cmd|z' },
  { name: 'long', value: LONG_VALUE },
];

/**
 * Characters that must never reach a terminal raw: ESC and the other C0 controls (but
 * \n), DEL, C1, bidi controls, zero-width characters. A ZERO WIDTH JOINER inside an emoji
 * sequence (👩‍💻) is fine and is taken out before this is tested (see findRawControl).
 */

export const RAW_CONTROL =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/u;
/** An SGR sequence (colours, bold, dim): the only escape sequence we emit ourselves. */

export const SGR = /\u001b\[[0-9;]*m/g;
const EMOJI_ZWJ =
  /(\p{Extended_Pictographic}[\u{1F3FB}-\u{1F3FF}\uFE0F]?)\u200d(?=\p{Extended_Pictographic})/gu;

/** The first raw control character in `s` with its offset and surroundings, or null. */
export function findRawControl(s: string): string | null {
  const t = s.replace(EMOJI_ZWJ, '$1');
  const m = RAW_CONTROL.exec(t);
  if (!m) return null;
  const cp = m[0].codePointAt(0)!.toString(16).padStart(4, '0');
  return `U+${cp} at ${m.index}: ${JSON.stringify(t.slice(Math.max(0, m.index - 40), m.index + 40))}`;
}

/** Escape sequences left in `s` once our own SGR sequences are taken out. */
export function foreignEscapes(s: string): string[] {
  const rest = s.replace(SGR, '');
  const out: string[] = [];
  for (let i = rest.indexOf('\x1b'); i >= 0; i = rest.indexOf('\x1b', i + 1))
    out.push(JSON.stringify(rest.slice(i, i + 20)));
  return out;
}

// ---------------------------------------------------------------------------------------
// Workspaces

/** A parent temp folder holding the root and a sibling folder `outside` with canaries. */
export interface Sandbox {
  parent: string;
  root: string;
  outside: string;
  /** Canary files outside the root (absolute paths). */
  canaries: string[];
  cleanup(): void;
}

/** What a canary says when read: the value must never show up in any output. */
export const CANARY_STATUS = 'CANARY_OUTSIDE_THE_ROOT';

export function sandbox(prefix = 'sync-tui-hostile-'): Sandbox {
  const parent = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const root = path.join(parent, 'root');
  const outside = path.join(parent, 'outside');
  fs.mkdirSync(root);
  fs.mkdirSync(outside);
  const canaryDoc =
    JSON.stringify(
      {
        agent_id: 'canary',
        status: CANARY_STATUS,
        fsm_state: CANARY_STATUS,
        last_updated: new Date().toISOString(),
      },
      null,
      2,
    ) + '\n';
  const canaries = [
    path.join(outside, 'status.json'),
    path.join(outside, 'status.yaml'),
    path.join(outside, 'registry.json'),
    path.join(outside, 'events.jsonl'),
    path.join(outside, 'canary.txt'),
  ];
  for (const c of canaries)
    fs.writeFileSync(
      c,
      c.endsWith('.jsonl')
        ? `{"agent":"canary","status":"${CANARY_STATUS}","at":"${new Date().toISOString()}"}\n`
        : canaryDoc,
    );
  // An agent-shaped folder outside too, for symlinked agent folders.
  fs.mkdirSync(path.join(outside, 'agent'));
  fs.writeFileSync(path.join(outside, 'agent', 'status.json'), canaryDoc);
  canaries.push(path.join(outside, 'agent', 'status.json'));
  // Old mtimes, so that a rewrite with the same bytes would still show.
  const old = new Date(Date.now() - 3_600_000);
  for (const c of canaries) fs.utimesSync(c, old, old);
  return {
    parent,
    root,
    outside,
    canaries,
    cleanup: () => fs.rmSync(parent, { recursive: true, force: true }),
  };
}

export interface TreeEntry {
  type: 'file' | 'dir' | 'link' | 'other';
  size: number;
  mtimeMs: number;
  mode: number;
  /** sha256 of a regular file's bytes, the target of a link. */
  content: string;
}

/**
 * Every entry under `dir` (recursively, links not followed), keyed by relative path.
 * Entries under `skip` (relative paths) are left out: the root, which the tool may write.
 */
export function listTree(dir: string, skip: readonly string[] = []): Map<string, TreeEntry> {
  const out = new Map<string, TreeEntry>();
  const walk = (rel: string) => {
    const abs = path.join(dir, rel);
    for (const name of fs.readdirSync(abs)) {
      const r = rel === '' ? name : `${rel}/${name}`;
      if (skip.includes(r)) continue;
      const st = fs.lstatSync(path.join(dir, r));
      const type = st.isSymbolicLink() ? 'link' : st.isDirectory() ? 'dir' : st.isFile() ? 'file' : 'other';
      let content = '';
      // Big (e.g. sparse) files are known by size and mtime: hashing 1 GB would take seconds.
      if (type === 'file')
        content =
          st.size > 16 * 1024 * 1024
            ? `${st.size} bytes`
            : crypto
                .createHash('sha256')
                .update(fs.readFileSync(path.join(dir, r)))
                .digest('hex');
      else if (type === 'link') content = fs.readlinkSync(path.join(dir, r));
      out.set(r, {
        type,
        size: type === 'dir' ? 0 : st.size,
        mtimeMs: type === 'dir' ? 0 : st.mtimeMs,
        mode: st.mode,
        content,
      });
      if (type === 'dir') walk(r);
    }
  };
  walk('');
  return out;
}

/** Differences between two listings, as readable lines (none when equal). */
export function diffTrees(before: Map<string, TreeEntry>, after: Map<string, TreeEntry>): string[] {
  const out: string[] = [];
  for (const [k, v] of after) {
    const b = before.get(k);
    if (!b) out.push(`created: ${k}`);
    else if (JSON.stringify(b) !== JSON.stringify(v))
      out.push(`changed: ${k} ${JSON.stringify(b)} -> ${JSON.stringify(v)}`);
  }
  for (const k of before.keys()) if (!after.has(k)) out.push(`removed: ${k}`);
  return out;
}

/** Files and folders the tool may create under the root on its own. */
export const OWN_STATE = '.sync-tui';

/**
 * The config of the hostile workspaces: JSON status files, a JSON registry keyed by agent
 * under `agents:`, an event log; optionally a second status source of YAML files.
 */
export function hostileConfig(opts: { yaml?: boolean; registry?: string } = {}): string {
  const registry = opts.registry ?? 'registry.json';
  return [
    'timezone: UTC',
    'stale: 1d',
    'sources:',
    '  file:',
    '    kind: status-files',
    '    path: agents/{agent}/status.json',
    ...(opts.yaml
      ? ['  yfile:', '    kind: status-files', '    path: yagents/{agent}/status.yaml', '    required: false']
      : []),
    '  display:',
    '    kind: registry',
    `    path: ${registry}`,
    '    fields:',
    '      status: ["agents.{agent}.status"]',
    '      fsm: ["agents.{agent}.fsm"]',
    '    updated_at: ["agents.{agent}.last_seen", last_updated]',
    '  realtime:',
    '    kind: event-log',
    '    path: events.jsonl',
    'policy:',
    '  target: display',
    '',
  ].join('\n');
}

export interface AgentDoc {
  status?: unknown;
  fsm?: unknown;
  at?: unknown;
  [extra: string]: unknown;
}

/** A status file's JSON for an agent (agent_id, status, fsm_state, last_updated + extras). */
export function statusJson(id: unknown, doc: AgentDoc): string {
  const { status, fsm, at, ...extra } = doc;
  return JSON.stringify({ agent_id: id, status, fsm_state: fsm, last_updated: at, ...extra }, null, 2) + '\n';
}

export function writeStatus(
  root: string,
  folder: string,
  text: string,
  dir = 'agents',
  file = 'status.json',
): string {
  const d = path.join(root, dir, folder);
  fs.mkdirSync(d, { recursive: true });
  const f = path.join(d, file);
  fs.writeFileSync(f, text);
  return f;
}

export interface RegistryEntry {
  status: unknown;
  fsm: unknown;
  last_seen?: unknown;
}

/** Normal agents, all in sync: Agent-1 .. Agent-n. Agent-2 (when n >= 2) drifts in the registry. */
export function normalAgents(
  root: string,
  n: number,
  opts: { drift?: boolean } = {},
): Record<string, RegistryEntry> {
  const now = new Date().toISOString();
  const reg: Record<string, RegistryEntry> = {};
  for (let i = 1; i <= n; i++) {
    const id = `Agent-${i}`;
    writeStatus(root, id, statusJson(id, { status: 'ACTIVE', fsm: 'IDLE', at: now }));
    reg[id] = { status: 'ACTIVE', fsm: opts.drift && i === 2 ? 'ONBOARDING' : 'IDLE', last_seen: now };
  }
  return reg;
}

export function writeRegistry(
  root: string,
  agents: Record<string, RegistryEntry | unknown>,
  file = 'registry.json',
): void {
  fs.writeFileSync(
    path.join(root, file),
    JSON.stringify({ last_updated: new Date().toISOString(), agents }, null, 2) + '\n',
  );
}

/** Whether `name` can be a folder name here (no `/` or NUL, at most 255 bytes, not `.`/`..`). */
export function fitsFolderName(name: string): boolean {
  return (
    name !== '' && name !== '.' && name !== '..' && !/[/\0]/.test(name) && Buffer.byteLength(name) <= 255
  );
}

export interface TerminalWorkspace extends Sandbox {
  /** Hostile values that became folder names (agent ids from the file system). */
  folderNames: string[];
  /** Every place a hostile value was put, for the report's counts. */
  placements: number;
}

/**
 * A workspace where every hostile value sits in: a status value and FSM state, the
 * agent_id, a timestamp, agent-owned extra fields (also as a key), the registry's values
 * and stamp, a registry key (an agent id), event-log values, stamp and agent, a line of
 * the event log that is not JSON, and (where the file system allows) a folder name.
 * Agent-1..3 are normal (Agent-2 drifts), so a change to them can be watched.
 */
export function terminalWorkspace(): TerminalWorkspace {
  const box = sandbox('sync-tui-hostile-term-');
  const { root } = box;
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), hostileConfig());
  const reg: Record<string, unknown> = normalAgents(root, 3, { drift: true });
  const events: string[] = [];
  const now = new Date().toISOString();
  const folderNames: string[] = [];
  let placements = 0;
  for (const h of HOSTILE_VALUES) {
    const id = `h-${h.name}`;
    const v = h.value;
    writeStatus(
      root,
      id,
      statusJson(v, { status: v, fsm: v, at: v, current_task: v, notes: [v, { deep: v }], [v]: v }),
    );
    reg[id] = { status: v, fsm: v, last_seen: v };
    reg[v] = { status: 'ACTIVE', fsm: 'IDLE', last_seen: now };
    events.push(JSON.stringify({ agent: id, status: v, fsm: v, at: v, message: v }));
    events.push(JSON.stringify({ agent: v, status: 'ACTIVE', fsm: 'IDLE', at: now }));
    events.push(v.replace(/\n/g, ' ').slice(0, 200_000));
    // 9 in the status file (agent_id, status, fsm_state, last_updated, current_task, two in
    // notes, an extra key and its value), 4 in the registry (status, fsm, last_seen, a key),
    // 6 in the event log (status, fsm, at, message, agent, a line that is not JSON).
    placements += 19;
    if (fitsFolderName(v)) {
      writeStatus(root, v, statusJson(v, { status: 'ACTIVE', fsm: 'IDLE', at: now }));
      folderNames.push(v);
      placements += 1;
    }
  }
  writeRegistry(root, reg);
  fs.writeFileSync(path.join(root, 'events.jsonl'), events.join('\n') + '\n');
  return { ...box, folderNames, placements };
}

// ---------------------------------------------------------------------------------------
// Hostile paths

/** Ids that try to be paths, in registry keys and event lines (JSON can hold NUL). */
export const HOSTILE_IDS: readonly string[] = [
  '../../outside',
  '../outside',
  '..',
  '.',
  '/etc/passwd',
  '../../../../../../etc/passwd',
  'a\u0000b',
  '..\u0000/x',
  '',
  ' ',
  'x'.repeat(10_000),
  '..\\..\\outside',
  'agents/../../outside',
  '%2e%2e%2foutside',
];

/** Folder names that try to be paths or odd ids (folder names cannot hold NUL or `/`). */
export const HOSTILE_FOLDER_NAMES: readonly string[] = [
  '...',
  '..\\..\\outside',
  'x'.repeat(255),
  'nl\nname',
  'esc\x1b[2Jname',
  '-rf',
  '~',
];

/** An alias bomb ("billion laughs") in YAML: 9 levels of 10 aliases each. */
export function yamlAliasBomb(): string {
  const lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
  for (let i = 1; i <= 9; i++)
    lines.push(`a${i}: &a${i} [${Array.from({ length: 10 }, () => `*a${i - 1}`).join(',')}]`);
  lines.push('status: ACTIVE', 'fsm_state: IDLE', 'agents: *a9', '');
  return lines.join('\n');
}

/** A JSON document nested `depth` levels deep (arrays), as an object holding a status. */
export function deepJson(depth: number): string {
  return '{"status":"ACTIVE","fsm_state":"IDLE","x":' + '['.repeat(depth) + ']'.repeat(depth) + '}';
}

export interface PathCase {
  /** The agent folder under agents/ (or yagents/ for YAML). */
  agent: string;
  /** What the diagnostic must say (matched against the agent's diagnostics and the text output). */
  expect: RegExp;
  what: string;
}

export interface PathWorkspace extends Sandbox {
  /** Agent folders (under agents/ or yagents/) with a hostile file, and what must be said about each. */
  cases: PathCase[];
  /** Cases left out here, with the reason (e.g. mknod needs root). */
  skipped: string[];
  /** Normal agents, reported whatever the rest does. */
  normal: string[];
}

const isRoot = () => process.getuid?.() === 0;

/**
 * One workspace holding every hostile path at once (one agent folder each), next to three
 * normal agents (Agent-2 drifts), a registry keyed also by HOSTILE_IDS, and an event log
 * whose lines name HOSTILE_IDS as agents. Canaries sit in the sibling folder `outside`.
 */
export function pathWorkspace(): PathWorkspace {
  const box = sandbox('sync-tui-hostile-path-');
  const { root, outside } = box;
  fs.writeFileSync(path.join(root, 'sync-tui.config.yaml'), hostileConfig({ yaml: true }));
  const reg: Record<string, unknown> = normalAgents(root, 3, { drift: true });
  const now = new Date().toISOString();
  const cases: PathCase[] = [];
  const skipped: string[] = [];
  const agentDir = (name: string, dir = 'agents') => {
    const d = path.join(root, dir, name);
    fs.mkdirSync(d, { recursive: true });
    return d;
  };
  const add = (agent: string, what: string, expect: RegExp) => cases.push({ agent, what, expect });

  fs.symlinkSync(path.join(outside, 'status.json'), path.join(agentDir('link-out-file'), 'status.json'));
  add(
    'link-out-file',
    'status file symlinked out of the root',
    /symlink points outside the root; not followed/,
  );
  fs.symlinkSync(path.join(outside, 'agent'), path.join(root, 'agents', 'link-out-dir'));
  add('link-out-dir', 'agent folder symlinked out of the root', /symlink out of the root; not followed/);
  fs.symlinkSync('../../../outside/status.json', path.join(agentDir('link-out-rel'), 'status.json'));
  add(
    'link-out-rel',
    'status file symlinked out of the root by a relative ../ link',
    /symlink points outside the root; not followed/,
  );
  fs.symlinkSync('status.json', path.join(agentDir('loop'), 'status.json'));
  add('loop', 'a symlink loop named status.json', /symlink cannot be followed \(ELOOP\)/);
  fs.symlinkSync('other', path.join(agentDir('loop2'), 'status.json'));
  fs.symlinkSync('status.json', path.join(root, 'agents', 'loop2', 'other'));
  add('loop2', 'a two-link loop named status.json', /symlink cannot be followed \(ELOOP\)/);
  fs.symlinkSync('nowhere.json', path.join(agentDir('dangling'), 'status.json'));
  add('dangling', 'a dangling symlink named status.json', /symlink cannot be followed \(ENOENT\)/);
  const fifo = spawnSync('mkfifo', [path.join(agentDir('fifo'), 'status.json')]);
  if (fifo.status === 0)
    add('fifo', 'a FIFO named status.json', /expected a regular file, found a device, socket or pipe/);
  else skipped.push(`fifo: mkfifo failed (${fifo.stderr?.toString().trim() || fifo.error?.message})`);
  fs.mkdirSync(path.join(agentDir('dir'), 'status.json'));
  add('dir', 'a folder named status.json', /expected a file, found a folder/);
  const sparse = path.join(agentDir('sparse'), 'status.json');
  fs.writeFileSync(sparse, '{"status":"ACTIVE",');
  fs.truncateSync(sparse, 1024 ** 3);
  add('sparse', 'a 1 GB sparse status file', /file is 1073741824 bytes; at most 4194304 are read/);
  fs.writeFileSync(path.join(agentDir('deep'), 'status.json'), deepJson(100_000));
  add(
    'deep',
    'a status file nested 100,000 levels deep',
    /nesting deeper than \d+ levels; the document is not read/,
  );
  fs.symlinkSync('/dev/zero', path.join(agentDir('devzero'), 'status.json'));
  add('devzero', 'status.json symlinked to /dev/zero', /symlink points outside the root; not followed/);
  fs.symlinkSync('/dev/urandom', path.join(agentDir('urandom'), 'status.json'));
  add('urandom', 'status.json symlinked to /dev/urandom', /symlink points outside the root; not followed/);
  if (isRoot()) {
    const dev = spawnSync('mknod', [path.join(agentDir('chardev'), 'status.json'), 'c', '1', '5']);
    if (dev.status === 0)
      add(
        'chardev',
        'a character device (like /dev/zero) named status.json',
        /expected a regular file, found a device, socket or pipe/,
      );
    else {
      fs.rmSync(path.join(root, 'agents', 'chardev'), { recursive: true, force: true });
      skipped.push(`chardev: mknod failed (${dev.stderr?.toString().trim() || dev.error?.message})`);
    }
  } else skipped.push('chardev: mknod of a character device needs root (process.getuid() !== 0)');
  fs.writeFileSync(path.join(agentDir('bomb', 'yagents'), 'status.yaml'), yamlAliasBomb());
  add('bomb', 'a YAML alias bomb as a status file', /alias/);
  // A harmless link inside the root is followed: the control case.
  fs.symlinkSync('../Agent-1/status.json', path.join(agentDir('link-in'), 'status.json'));

  for (const name of HOSTILE_FOLDER_NAMES)
    writeStatus(root, name, statusJson(name, { status: 'ACTIVE', fsm: 'IDLE', at: now }));
  for (const id of HOSTILE_IDS) reg[id] = { status: 'ACTIVE', fsm: 'IDLE', last_seen: now };
  writeRegistry(root, reg);
  const events = HOSTILE_IDS.map((id) =>
    JSON.stringify({ agent: id, status: 'ACTIVE', fsm: 'TASK_EXECUTION', at: now }),
  );
  fs.writeFileSync(path.join(root, 'events.jsonl'), events.join('\n') + '\n');
  return { ...box, cases, skipped, normal: ['Agent-1', 'Agent-2', 'Agent-3'] };
}

/** A JS stack trace in `text` (an `at f (file:line:col)` frame or a thrown Error's first line), or null. */
export function stackTrace(text: string): string | null {
  const m =
    /^\s+at .+:\d+:\d+\)?$/m.exec(text) ??
    /^(?:Type|Range|Syntax|Reference)?Error: .*$/m.exec(text) ??
    /node:internal|\.js:\d+:\d+/.exec(text);
  return m ? m[0] : null;
}

/** A workspace for one hostile source file: three normal agents (Agent-2 drifts) and `make` to put the hostile file in place. */
export function sourceWorkspace(opts: { registry?: string } = {}): Sandbox {
  const box = sandbox('sync-tui-hostile-src-');
  fs.writeFileSync(
    path.join(box.root, 'sync-tui.config.yaml'),
    hostileConfig(opts.registry ? { registry: opts.registry } : {}),
  );
  const reg = normalAgents(box.root, 3, { drift: true });
  writeRegistry(box.root, reg, opts.registry ?? 'registry.json');
  const now = new Date().toISOString();
  fs.writeFileSync(
    path.join(box.root, 'events.jsonl'),
    JSON.stringify({ agent: 'Agent-1', status: 'ACTIVE', fsm: 'IDLE', at: now }) + '\n',
  );
  return box;
}

/** Makes a FIFO at `file`; false when mkfifo is not available. */
export function mkfifo(file: string): boolean {
  return spawnSync('mkfifo', [file]).status === 0;
}

/** Makes a character device like /dev/zero (1,5) at `file`: needs root; null when made, else why not. */
export function mkCharDevice(file: string): string | null {
  if (!isRoot()) return 'mknod of a character device needs root (process.getuid() !== 0)';
  const r = spawnSync('mknod', [file, 'c', '1', '5']);
  return r.status === 0 ? null : `mknod failed: ${r.stderr?.toString().trim() || r.error?.message}`;
}

// ---------------------------------------------------------------------------------------
// strace: which files a process really opened

/** Whether `strace` can trace a child here (it needs ptrace, which containers may deny). */
export function straceWorks(): boolean {
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=openat', '-o', '/dev/null', 'true']);
  return !r.error && r.status === 0;
}

/** The strace command line that runs `args` and logs file and descriptor syscalls, with the paths of descriptors (-y), to `log`. */
export function straceArgs(log: string, args: string[]): string[] {
  return [
    '-f',
    '-qq',
    '-y',
    '-s',
    '4096',
    '-e',
    'trace=%file,read,pread64,readv,write,pwrite64,writev,getdents64,ftruncate',
    '-o',
    log,
    ...args,
  ];
}

/** Syscalls that only look at a path's metadata: resolving where a symlink leads needs them. */
const METADATA = new Set([
  'readlink',
  'readlinkat',
  'lstat',
  'stat',
  'newfstatat',
  'fstatat64',
  'statx',
  'access',
  'faccessat',
  'faccessat2',
  'statfs',
]);
const WRITES =
  /^(creat|mkdir|mkdirat|rename|renameat|renameat2|unlink|unlinkat|rmdir|link|linkat|symlink|symlinkat|truncate|ftruncate|chmod|fchmodat|chown|fchownat|lchown|utime|utimes|utimensat|futimesat|write|pwrite64|writev|mknod|mknodat)$/;

export interface TraceReport {
  /** Syscalls other than metadata look-ups that touched a path under `outside`. */
  outside: string[];
  /** Syscalls that write (or open for writing) a path that is not under `root`. */
  writesElsewhere: string[];
  /** Lines looked at. */
  lines: number;
}

/**
 * Reads an strace log: every line naming a path under `outside` (in an argument or, thanks
 * to -y, as the file behind a descriptor) must be a metadata look-up; every write must be
 * under `root` (or a terminal/pipe/dev-null descriptor: stdout and stderr).
 */
export function readTrace(log: string, root: string, outside: string): TraceReport {
  const text = fs.readFileSync(log, 'utf8');
  const report: TraceReport = { outside: [], writesElsewhere: [], lines: 0 };
  for (const line of text.split('\n')) {
    const m = /^\d+\s+(?:<\.\.\. )?(\w+)[( ]/.exec(line);
    if (!m) continue;
    report.lines++;
    const call = m[1]!;
    if (line.includes(outside) && !METADATA.has(call)) report.outside.push(line.slice(0, 300));
    const opensForWriting = /^open/.test(call) && /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC/.test(line);
    if (opensForWriting || WRITES.test(call)) {
      if (line.includes('resumed>')) continue; // the call's first half named the path
      // Writes through a descriptor: the file behind it (-y prints it as <path>); the data is no path.
      // Calls on paths: their quoted arguments, and the descriptors they return.
      const fd = /^\d+\s+\w+\(\d+<([^>]*)>/.exec(line);
      let paths: string[];
      if (/^(write|pwrite64|writev|ftruncate)$/.test(call)) paths = fd ? [fd[1]!] : [];
      else {
        // `*at` calls: a relative path is relative to the descriptor (or the cwd) before it.
        const base = /\((?:AT_FDCWD|\d+)<([^>]*)>/.exec(line)?.[1] ?? '/';
        const args = line.replace(/^[^(]*\((?:AT_FDCWD|\d+)<[^>]*>,\s*/, '(');
        paths = [...args.matchAll(/"([^"]*)"/g)].map((q) => path.resolve(base, q[1]!));
        const returned = /= \d+<([^>]*)>\s*$/.exec(line);
        if (returned) paths.push(returned[1]!);
      }
      const elsewhere = paths.filter(
        (p) =>
          !(p === root || p.startsWith(root + '/')) &&
          !/^\/dev\/(null|pts\/|tty)|^pipe:|^socket:|^anon_inode:/.test(p),
      );
      if (elsewhere.length > 0) report.writesElsewhere.push(line.slice(0, 300));
    }
  }
  return report;
}
