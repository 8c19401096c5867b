// The edit key (`e`, README.md "The live view"): which file of the selected agent to open,
// at which line, and the editor's arguments for it. Pure: src/shell/editor.ts runs it.
import type { AgentState, Config, Diagnostic } from '../types.js';

export interface EditTarget {
  /** Relative to the root (as the sources name it), or absolute. */
  file: string;
  line: number | null;
  /** Why this file: a diagnostic's message, or the source it belongs to. */
  why: string;
}

const RANK: Record<Diagnostic['severity'], number> = { error: 0, warning: 1, info: 2 };

/**
 * The file to open: the one of the agent's worst diagnostic that names a file (at its line),
 * else the file of the first source that differs from the truth, else its status file, else
 * any file a source read it from. Null when every source is a store (nothing to open).
 */
export function editTarget(agent: AgentState, config: Config): EditTarget | null {
  const diags: { d: Diagnostic; source: string }[] = [];
  for (const spec of config.sources)
    for (const d of agent.observations[spec.name]?.diagnostics ?? [])
      if (d.file !== undefined && d.file !== '') diags.push({ d, source: spec.name });
  diags.sort((a, b) => RANK[a.d.severity] - RANK[b.d.severity]);
  const worst = diags[0];
  if (worst)
    return { file: worst.d.file!, line: worst.d.line ?? null, why: `${worst.source}: ${worst.d.message}` };
  const fileOf = (name: string) => {
    const spec = config.sources.find((s) => s.name === name);
    return spec && spec.store === undefined ? agent.observations[name]?.file : undefined;
  };
  for (const d of agent.differences) {
    const f = fileOf(d.source);
    if (f) return { file: f, line: null, why: `${d.source} differs on ${d.field}` };
  }
  const order = [
    ...config.sources.filter((s) => s.kind === 'status-files'),
    ...config.sources.filter((s) => s.kind !== 'status-files'),
  ];
  for (const spec of order) {
    const f = fileOf(spec.name);
    if (f) return { file: f, line: null, why: spec.name };
  }
  return null;
}

/** The editor to run: $VISUAL, then $EDITOR, then `vi` (as git and crontab choose). */
export function editorCommand(env: Readonly<Record<string, string | undefined>>): string {
  for (const v of [env['VISUAL'], env['EDITOR']]) if (v !== undefined && v.trim() !== '') return v.trim();
  return 'vi';
}

/** Editors that take `+LINE FILE`. */
const PLUS_LINE = new Set([
  'vi',
  'vim',
  'nvim',
  'gvim',
  'mvim',
  'view',
  'nano',
  'emacs',
  'emacsclient',
  'micro',
  'joe',
  'mg',
  'ne',
  'kak',
]);
/** Editors that take `-g FILE:LINE`. */
const GOTO_FLAG = new Set(['code', 'code-insiders', 'codium', 'cursor', 'windsurf']);
/** Editors that take `FILE:LINE`. */
const COLON_LINE = new Set(['subl', 'hx', 'helix', 'zed']);

/** The arguments after the editor command for `file` at `line` (an unknown editor gets the file alone). */
export function editorArgs(editor: string, file: string, line: number | null): string[] {
  const first = editor.trim().split(/\s+/)[0] ?? '';
  const name = (first.split('/').pop() ?? '').replace(/\.(exe|cmd|bat)$/i, '').toLowerCase();
  if (line === null || !Number.isInteger(line) || line < 1) return [file];
  if (PLUS_LINE.has(name)) return [`+${line}`, file];
  if (GOTO_FLAG.has(name)) return ['-g', `${file}:${line}`];
  if (COLON_LINE.has(name)) return [`${file}:${line}`];
  return [file];
}
