// Runs the editor for the edit key (README.md "The live view") with the terminal: the caller
// (src/cli/tui.ts) leaves the alternate screen and raw mode first and restores them after.
// Synchronous on purpose: while the editor runs, this process reads nothing from the
// terminal (its event loop waits), so every key goes to the editor; the sources are read
// again when it returns. The editor setting is run through /bin/sh like git does, so
// `code -w` or `emacs -nw` work; the file and line are passed as arguments, never as text.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { editorArgs, editorCommand } from '../core/tui/editor.js';

export interface EditorRun {
  ok: boolean;
  /** One line for the status line. */
  message: string;
}

export function runEditor(
  root: string,
  file: string,
  line: number | null,
  env: NodeJS.ProcessEnv = process.env,
): EditorRun {
  const abs = path.resolve(root, file);
  if (!fs.existsSync(abs)) return { ok: false, message: `${file} does not exist` };
  const editor = editorCommand(env);
  const args = editorArgs(editor, abs, line);
  const r = spawnSync('/bin/sh', ['-c', `${editor} "$@"`, 'sh', ...args], { stdio: 'inherit', env });
  if (r.error) return { ok: false, message: `${editor} could not run: ${r.error.message}` };
  if (r.status !== 0)
    return { ok: false, message: `${editor} exited with ${r.status ?? r.signal ?? '?'} (${file})` };
  return { ok: true, message: `edited ${file}${line !== null ? ` at line ${line}` : ''} with ${editor}` };
}
