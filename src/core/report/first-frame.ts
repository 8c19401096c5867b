// The live view's first frame, drawn before Ink and React are loaded (README.md "The live
// view"): the title, how much of the fleet is read, and the first screenful of rows
// of the loader's preview, in the snapshot's columns and colours. Ink draws over it a
// moment later with the same rows. Pure: the shell writes the string to the terminal.
import { sanitizeText } from '../sanitize.js';
import { themeTokens } from '../view/theme-tokens.js';
import { loadingText, truncateMiddle } from '../view/view.js';
import { ansiLine } from './snapshot.js';
import { clampWidth, LineBuilder, snapshotLayout, tableLines, type SnapshotInput } from './snapshot-lines.js';

export interface FirstFrameInput extends SnapshotInput {
  /** Terminal rows; the frame never takes more. */
  height: number;
  /** Status files read for the preview, of those listed. */
  loading: { read: number; total: number };
}

/** The rows the live view keeps its selection marker in (`› `). */
const MARKER = 2;
/** Erase to the end of the line: nothing of an earlier screen shows to the right. */
const ERASE_EOL = '\x1b[K';

/** The first frame as terminal text: each line erased to its end, the cursor left at home. */
export function renderFirstFrame(input: FirstFrameInput): string {
  const width = clampWidth(input.width);
  const height = Math.max(1, Math.floor(input.height));
  const title = new LineBuilder()
    .add(' sync-tui ', { bold: true, color: 'cyan' })
    .add(' ')
    .add(truncateMiddle(sanitizeText(input.root), Math.max(1, width - 11)));
  const counts = new LineBuilder().add(loadingText(input.loading), { color: 'yellow' });
  // The rows that fit, and column widths from them (as the live view measures its own).
  const agents = input.recon.agents.slice(0, Math.max(0, height - 4));
  const layout = snapshotLayout({ ...input, recon: { ...input.recon, agents }, width: width - MARKER });
  const table = tableLines(layout, agents, input.now, MARKER);
  const lines = [title.runs, counts.runs, [], ...table].slice(0, height);
  const tokens = input.color ? themeTokens(input.config.theme) : null;
  return '\x1b[H' + lines.map((l) => ansiLine(l, tokens) + ERASE_EOL).join('\r\n') + '\x1b[J\x1b[H';
}
