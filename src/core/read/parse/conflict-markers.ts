// Git conflict markers: a file holding an unresolved merge is not read (JSON and YAML).

import { lineEnd, nextLineStart } from './positions.js';
import type { Problems } from './problems.js';
import { quote } from './text.js';

const MARKER = /^(?:<{7}|={7}|>{7}|\|{7})(?=[ \t\r\n]|$)/;

/** Git conflict markers at line starts: the file holds an unresolved merge. */
export function reportConflictMarkers(text: string, p: Problems): boolean {
  if (!(
    text.includes('<<<<<<<') ||
    text.includes('=======') ||
    text.includes('>>>>>>>') ||
    text.includes('|||||||')
  ))
    return false;
  let found = false;
  let start = 0;
  while (start <= text.length) {
    const m = MARKER.exec(text.slice(start, start + 8));
    if (m) {
      const at = p.locate(start);
      const lineText = text.slice(start, lineEnd(text, start));
      p.add(
        'error',
        'conflict-marker',
        () =>
          `git conflict marker ${quote(lineText, 50)} at line ${at.line}: the file holds an unresolved merge and is not read until it is resolved`,
        start,
      );
      found = true;
    }
    const next = nextLineStart(text, start);
    if (next < 0) break;
    start = next;
  }
  return found;
}
