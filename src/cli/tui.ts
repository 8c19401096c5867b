// `sync-tui` with no sub-command: the live TUI over the engine.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { render } from 'ink';
import React from 'react';
import { Engine } from '../shell/engine.js';
import { loadConfig } from '../shell/probe.js';
import { App } from '../ui/App.js';
import { colorWanted } from './ansi.js';
import { onTerminate } from './signals.js';

export interface TuiOptions {
  root: string;
  config?: string;
  readOnly?: boolean;
  color?: boolean;
  quiet?: boolean;
}

/** Snapshot files: `<root>/<stateDir>/snapshots/`; with --read-only nothing is written under the root, so a temp folder. */
export function snapshotWriter(dir: string, clock: () => number = Date.now): (text: string) => Promise<string> {
  return async (text) => {
    await fs.promises.mkdir(dir, { recursive: true });
    const stamp = new Date(clock()).toISOString().replace(/:/g, '-');
    for (let n = 0; ; n++) {
      const file = path.join(dir, `snapshot-${stamp}${n === 0 ? '' : `-${n}`}.txt`);
      try {
        await fs.promises.writeFile(file, text, { flag: 'wx' });
        return file;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST' || n > 100) throw e;
      }
    }
  };
}

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
  const snapshots = opts.readOnly ? path.join(os.tmpdir(), 'sync-tui-snapshots') : path.resolve(root, config.stateDir, 'snapshots');
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
        writeSnapshot: snapshotWriter(snapshots),
        readOnly: opts.readOnly === true,
        color: colorWanted(opts.color, process.stdout),
        quiet: opts.quiet === true,
        bell: () => process.stdout.write('\x07'),
      }),
      { exitOnCtrlC: false, patchConsole: false },
    );
    await instance.waitUntilExit();
  } finally {
    forget();
    process.off('exit', restore);
    restore();
    await engine.close();
  }
  return 0;
}
