// `sync-tui` with no sub-command: the live TUI over the engine.
import * as path from 'node:path';
import { render } from 'ink';
import React from 'react';
import { Engine } from '../shell/engine.js';
import { loadConfig } from '../shell/probe.js';
import { App, type TuiSnapshotFormat } from '../ui/App.js';
import { snapshotWriter } from '../shell/snapshot-files.js';
import { recordEngineHistory } from '../shell/history-recorder.js';
import { colorWanted } from './ansi.js';
import { onTerminate } from './signals.js';

export interface TuiOptions {
  root: string;
  config?: string;
  readOnly?: boolean;
  color?: boolean;
  quiet?: boolean;
  /** The root is removed on exit (the demo): snapshots go to a private folder outside it. */
  rootIsTemporary?: boolean;
}

/** The file extension of each format the snapshot key offers. */
const EXTENSION: Record<TuiSnapshotFormat, string> = { text: 'txt', svg: 'svg', md: 'md', json: 'json' };

// The alternate screen: the TUI takes the whole terminal like htop or k9s and, on quit,
// the shell's screen comes back exactly as it was.
const ALT_ON = '\x1b[?1049h\x1b[H';
const ALT_OFF = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';

export async function runTui(opts: TuiOptions): Promise<number> {
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write('sync-tui: the live view needs a terminal; for one pass over the sources use `sync-tui check`\n');
    return 2;
  }
  const engine = await Engine.open(root, config, { watch: true });
  // Snapshots: under the state folder, confined to the root like the journal; with
  // --read-only (nothing written under the root) or a root about to be removed (the demo),
  // a private folder made for this session outside it, kept after exit.
  const snapshots = snapshotWriter(
    opts.readOnly || opts.rootIsTemporary ? { kind: 'private' } : { kind: 'root', root, dir: path.resolve(root, config.stateDir, 'snapshots') },
  );
  // Verdict transitions go to the same history as `watch` writes (README.md "report"),
  // unless nothing may be written under the root. A failure is said after the screen is back.
  let historyProblem: string | null = null;
  const history =
    opts.readOnly || opts.rootIsTemporary
      ? null
      : recordEngineHistory(engine, path.resolve(root, config.stateDir), { root, onError: (m) => (historyProblem = m) });
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(ALT_OFF + SHOW_CURSOR);
  };
  let instance: ReturnType<typeof render> | undefined;
  process.stdout.write(ALT_ON);
  process.once('exit', restore);
  // A signal from outside: Ink lets go of the terminal (raw mode), then the shell's screen comes back.
  const forget = onTerminate(() => {
    instance?.unmount();
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    restore();
  });
  try {
    instance = render(
      React.createElement(App, {
        engine,
        writeSnapshot: (text: string, format: TuiSnapshotFormat = 'text') => snapshots.write(text, EXTENSION[format]),
        readOnly: opts.readOnly === true,
        color: colorWanted(opts.color, process.stdout),
        quiet: opts.quiet === true,
        bell: () => process.stdout.write('\x07'),
        readJournal: () => engine.readJournal(),
      }),
      { exitOnCtrlC: false, patchConsole: false },
    );
    await instance.waitUntilExit();
  } finally {
    forget();
    process.off('exit', restore);
    restore();
    await history?.stop();
    await engine.close();
  }
  if (historyProblem !== null) process.stderr.write(`sync-tui: the verdict history was not written: ${historyProblem}\n`);
  if (snapshots.folder !== null && (opts.readOnly || opts.rootIsTemporary)) process.stderr.write(`sync-tui: snapshots of this session are in ${snapshots.folder}\n`);
  return 0;
}
