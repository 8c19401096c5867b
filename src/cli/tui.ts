// `sync-tui` with no sub-command: the live TUI over the engine.
import * as path from 'node:path';
import { render } from 'ink';
import React from 'react';
import { Engine } from '../shell/engine.js';
import { LoadingEngine, previewSnapshot } from '../shell/loader.js';
import { loadConfig } from '../shell/probe.js';
import { App, type TuiSnapshotFormat } from '../ui/App.js';
import { snapshotWriter } from '../shell/snapshot-files.js';
import { recordEngineHistory, type EngineHistory } from '../shell/history-recorder.js';
import { readTimelineData } from '../shell/timeline-data.js';
import { runEditor } from '../shell/editor.js';
import { colorWanted } from './ansi.js';
import { onTerminate } from './signals.js';
import { aliasTeacher } from './vocab.js';
import { localeIsUtf8 } from '../core/view/glyphs.js';
import { loadUiSettings, saveUiSettings } from '../shell/ui-settings-file.js';
import { ALT_OFF, ALT_ON, SHOW_CURSOR, type FirstPaint } from './first-paint.js';

export interface TuiOptions {
  root: string;
  config?: string;
  readOnly?: boolean;
  color?: boolean;
  quiet?: boolean;
  /** False (--no-restore): the settings saved for the root are not applied (changes are still saved). */
  restore?: boolean;
  /** The root is removed on exit (the demo): snapshots go to a private folder outside it. */
  rootIsTemporary?: boolean;
  /** What the first paint read and drew before this module was loaded (src/cli/first-paint.ts). */
  painted?: FirstPaint | null;
}

/** The file extension of each format the snapshot key offers. */
const EXTENSION: Record<TuiSnapshotFormat, string> = { text: 'txt', svg: 'svg', md: 'md', json: 'json' };

export async function runTui(opts: TuiOptions): Promise<number> {
  const root = path.resolve(opts.root);
  const painted = opts.painted ?? null;
  const config = painted?.config ?? loadConfig(root, opts.config);
  if (!process.stdout.isTTY || !process.stdin.isTTY) {
    process.stderr.write(
      'sync-tui: the live view needs a terminal; for one pass over the sources use `sync-tui check`\n',
    );
    return 2;
  }
  // Drawn at once over a loader: a header that says what is being read, then the first
  // screenful, then the engine's complete picture (src/shell/loader.ts).
  const loading = new LoadingEngine(root, config);
  // Painted already: Ink's first frame is that preview, drawn over it.
  if (painted?.preview) loading.show(painted.preview);
  // Snapshots: under the state folder, confined to the root like the journal; with
  // --read-only (nothing written under the root) or a root about to be removed (the demo),
  // a private folder made for this session outside it, kept after exit.
  const snapshots = snapshotWriter(
    opts.readOnly || opts.rootIsTemporary
      ? { kind: 'private' }
      : { kind: 'root', root, dir: path.resolve(root, config.stateDir, 'snapshots') },
  );
  // Verdict transitions go to the same history as `watch` writes (README.md "report"),
  // unless nothing may be written under the root. A failure is said after the screen is back.
  // Recorded from the engine once it is open: the loader's partial pictures are no history.
  let historyProblem: string | null = null;
  const recordHistory = (engine: Engine): EngineHistory | null =>
    opts.readOnly || opts.rootIsTemporary
      ? null
      : recordEngineHistory(engine, path.resolve(root, config.stateDir), {
          root,
          onError: (m) => (historyProblem = m),
        });
  let history: Promise<EngineHistory | null> | undefined;
  // The live view's settings per root (<state dir>/ui.json): restored unless --no-restore,
  // saved unless nothing may be written under the root.
  const saved = opts.restore === false ? undefined : loadUiSettings(root, config.stateDir);
  const writesAllowed = !opts.readOnly && !opts.rootIsTemporary;
  let restored = false;
  const restore = () => {
    if (restored) return;
    restored = true;
    process.stdout.write(ALT_OFF + SHOW_CURSOR);
  };
  let instance: ReturnType<typeof render> | undefined;
  let opening: Promise<Engine> | undefined;
  // Over a first paint: the screen cleared in the same write as Ink's first frame.
  process.stdout.write(painted ? '\x1b[2J\x1b[H' : ALT_ON);
  process.once('exit', restore);
  painted?.handOver();
  // A signal from outside: Ink lets go of the terminal (raw mode), then the shell's screen comes back.
  const forget = onTerminate(() => {
    instance?.unmount();
    if (process.stdin.isTTY) process.stdin.setRawMode(false);
    restore();
  });
  try {
    instance = render(
      React.createElement(App, {
        engine: loading,
        writeSnapshot: (text: string, format: TuiSnapshotFormat = 'text') =>
          snapshots.write(text, EXTENSION[format]),
        readOnly: opts.readOnly === true,
        color: colorWanted(opts.color, process.stdout),
        quiet: opts.quiet === true,
        bell: () => process.stdout.write('\x07'),
        // Not a UTF-8 locale (LC_ALL / LC_CTYPE / LANG): glyphs as ASCII.
        ascii: !localeIsUtf8(process.env),
        // The copy key's OSC 52 sequence goes straight to the terminal.
        writeTerminal: (sequence: string) => void process.stdout.write(sequence),
        // The journal panel reads through the engine once it is open (an empty journal before).
        // The vocabulary panel's `a`: the alias written as `vocab --accept` writes it, then the
        // engine re-reads every source with the new vocabulary so the verdicts follow.
        acceptAlias: aliasTeacher({ root, ...(opts.config ? { config: opts.config } : {}) }, () => opening),
        ...(saved ? { saved } : {}),
        ...(writesAllowed
          ? { saveSettings: (text: string) => saveUiSettings(root, config.stateDir, text) }
          : {}),
        readJournal: async () => (opening ? (await opening).readJournal() : { entries: [], diagnostics: [] }),
        // The edit key: the shell's screen and cooked mode for the editor, then the view again
        // (a cleared alternate screen; the status line's new text makes Ink draw it whole).
        openEditor: async (file: string, line: number | null) => {
          process.stdout.write(ALT_OFF + SHOW_CURSOR);
          if (process.stdin.isTTY) process.stdin.setRawMode(false);
          try {
            return runEditor(root, file, line);
          } finally {
            if (process.stdin.isTTY) process.stdin.setRawMode(true);
            process.stdout.write(ALT_ON + '\x1b[2J\x1b[H');
          }
        },
        // The detail pane's timeline: the tail of the history, the journal, a store's key history.
        readTimeline: (agent: string) =>
          readTimelineData(
            {
              root,
              config,
              readJournal: async () => (opening ? (await opening).readJournal() : { entries: [] }),
            },
            agent,
          ),
      }),
      { exitOnCtrlC: false, patchConsole: false },
    );
    opening = openBehind(root, config, loading, painted !== null);
    history = opening.then(recordHistory, () => null);
    // A failure to open ends the view with the error, as before the loader.
    opening.catch((e: unknown) => instance?.unmount(e instanceof Error ? e : new Error(String(e))));
    await instance.waitUntilExit();
  } finally {
    forget();
    process.off('exit', restore);
    restore();
    await loading.close();
    const engine = await opening?.catch(() => null);
    await (await history)?.stop();
    await engine?.close();
  }
  if (historyProblem !== null)
    process.stderr.write(`sync-tui: the verdict history was not written: ${historyProblem}\n`);
  if (snapshots.folder !== null && (opts.readOnly || opts.rootIsTemporary))
    process.stderr.write(`sync-tui: snapshots of this session are in ${snapshots.folder}\n`);
  return 0;
}

/** Lets Ink put the last frame on the screen (its renders are throttled to 30 a second). */
const painted = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 40));

/** The first screenful, then the engine (the long read), each shown as soon as it is there. */
async function openBehind(
  root: string,
  config: ReturnType<typeof loadConfig>,
  loading: LoadingEngine,
  previewed: boolean,
): Promise<Engine> {
  await painted();
  const preview = previewed ? null : previewSnapshot(root, config);
  if (preview) {
    loading.show(preview);
    await painted();
  }
  const engine = await Engine.open(root, config, { watch: true });
  loading.attach(engine);
  return engine;
}
