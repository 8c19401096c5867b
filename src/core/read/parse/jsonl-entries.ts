// JSON lines -> entries, the one parser for the journal and the history (docs/DESIGN.md
// "Architecture"): tolerant of what an interrupted append leaves, naming every bad line.
// Pure: the shell (src/shell/jsonl.ts) reads the file and hands over its text.
import type { Diagnostic } from '../../types.js';

/** How a reader names what it skips: the diagnostic codes, and the message for a bad entry. */
export interface JsonlReading {
  /** How the file is named in diagnostics. */
  label: string;
  /** Why a parsed value is not an entry of this file, or null when it is one. */
  check: (v: unknown) => string | null;
  codes: { torn: string; corrupt: string; bad: string };
  /** The message for a line that is JSON but not an entry (`problem` from `check`). */
  badEntry: (line: number, problem: string) => string;
}

/**
 * JSON lines -> entries, tolerant: a BOM, CRLF endings and blank lines are accepted; a
 * cut-off last line (an interrupted append), a line that is not JSON and a value `check`
 * refuses each become a warning naming the line (1-based) and are skipped.
 */
export function parseJsonLines<T>(
  text: string,
  reading: JsonlReading,
): { entries: T[]; diagnostics: Diagnostic[] } {
  const entries: T[] = [];
  const diagnostics: Diagnostic[] = [];
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const lines = text.split('\n');
  const endsWithNewline = text.endsWith('\n');
  const warn = (code: string, message: string, line: number): void => {
    diagnostics.push({ severity: 'warning', code, message, file: reading.label, line, column: 1 });
  };
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const lineNo = i + 1;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (i === lines.length - 1 && !endsWithNewline)
        warn(reading.codes.torn, `line ${lineNo} is cut off (an interrupted write); skipped`, lineNo);
      else warn(reading.codes.corrupt, `line ${lineNo} is not valid JSON; skipped`, lineNo);
      return;
    }
    const problem = reading.check(value);
    if (problem) {
      warn(reading.codes.bad, reading.badEntry(lineNo, problem), lineNo);
      return;
    }
    entries.push(value as T);
  });
  return { entries, diagnostics };
}
