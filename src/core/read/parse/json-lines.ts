// One JSON-lines record (an event-log line): positions are columns on that line.

import type { Diagnostic, ParseResult } from '../../types.js';
import { readJsonText } from './json.js';
import { DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, finish, Problems } from './problems.js';
import { errorText, formatBytes, isBlank, utf8Exceeds } from './text.js';

/**
 * Reads one JSON-lines record (an event-log line). Tolerates a BOM, a trailing CR/LF, a
 * trailing comma and duplicate keys (warnings); anything else that is wrong makes the
 * record invalid. Every diagnostic carries `line: lineNumber`, and a column where known.
 */
export function parseJsonLine(line: string, lineNumber: number, opts: { file?: string } = {}): ParseResult {
  const p = new Problems('', true);
  let value: unknown;
  let source: string;
  try {
    if (typeof line !== 'string') {
      p.add('error', 'not-text', () => `expected a line of text; got ${typeof line}`);
    } else {
      source = line.endsWith('\n') ? line.slice(0, -1) : line;
      if (source.endsWith('\r')) source = source.slice(0, -1);
      if (source.charCodeAt(0) === 0xfeff) {
        source = source.slice(1);
        p.add('info', 'bom', 'byte order mark (U+FEFF) at the start of the line ignored', 0);
      }
      p.text = source;
      if (isBlank(source)) {
        p.add('error', 'empty', () => `line ${lineNumber} is empty; expected a JSON record`);
      } else if (utf8Exceeds(source, DEFAULT_MAX_BYTES)) {
        p.add(
          'error',
          'too-large',
          () => `line ${lineNumber} is longer than ${formatBytes(DEFAULT_MAX_BYTES)}; not parsed`,
        );
      } else {
        value = readJsonText(source, p, { maxDepth: DEFAULT_MAX_DEPTH, maxBytes: DEFAULT_MAX_BYTES });
      }
    }
  } catch (e) {
    value = undefined;
    p.add('error', 'internal-error', () => `the parser failed unexpectedly: ${errorText(e)}`);
  }
  return finish(p, value, opts.file, (d) => {
    const out: Diagnostic = { severity: d.severity, code: d.code, message: d.message };
    if (opts.file !== undefined) out.file = opts.file;
    out.line = lineNumber;
    if (d.offset !== undefined) out.column = p.locate(d.offset).column;
    return out;
  });
}
