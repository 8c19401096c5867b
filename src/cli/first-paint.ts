// The live view's first paint (README.md "The live view"): before Ink, React and the
// engine are loaded (a few hundred milliseconds), the terminal gets the alternate screen
// with the loader's preview (src/shell/loader.ts) drawn as plain terminal text. The live
// view then shows the same preview at once and opens the engine behind it.
import * as path from 'node:path';
import { renderFirstFrame } from '../core/report/first-frame.js';
import type { Config } from '../core/types.js';
import type { EngineSnapshot } from '../shell/engine-types.js';
import { previewSnapshot } from '../shell/loader.js';
import { loadConfig } from '../shell/probe.js';
import { colorWanted } from './ansi.js';

// The alternate screen: the TUI takes the whole terminal like htop or k9s and, on quit,
// the shell's screen comes back exactly as it was.
export const ALT_ON = '\x1b[?1049h\x1b[H';
export const ALT_OFF = '\x1b[?1049l';
export const SHOW_CURSOR = '\x1b[?25h';
const HIDE_CURSOR = '\x1b[?25l';

export interface FirstPaint {
  config: Config;
  /** The first agents in id order, or null when the preview would cost the whole load. */
  preview: EngineSnapshot | null;
  /** The live view takes the terminal over: this paint's own exit hook is dropped. */
  handOver(): void;
}

/**
 * Reads the config (its errors are thrown as before) and, on a terminal, paints the
 * preview. Null when stdout or stdin is not a terminal: the live view says why itself.
 */
export function firstPaint(opts: { root: string; config?: string; color?: boolean }): FirstPaint | null {
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  if (!process.stdout.isTTY || !process.stdin.isTTY) return null;
  const leave = () => process.stdout.write(ALT_OFF + SHOW_CURSOR);
  process.once('exit', leave);
  process.stdout.write(ALT_ON + HIDE_CURSOR);
  // Keys pressed before Ink is up are neither echoed over the frame nor lost: raw mode
  // now, and Ink reads what waits once it is loaded.
  process.stdin.setRawMode(true);
  const preview = previewSnapshot(root, config);
  if (preview) {
    process.stdout.write(
      renderFirstFrame({
        root,
        config,
        recon: preview.recon,
        now: preview.at,
        width: process.stdout.columns || 80,
        height: process.stdout.rows || 24,
        color: colorWanted(opts.color, process.stdout),
        loading: preview.loading ?? { read: 0, total: 0 },
      }),
    );
  }
  return { config, preview, handOver: () => process.off('exit', leave) };
}
