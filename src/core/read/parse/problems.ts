// Diagnostics collected during one parse, and the frame every whole-document parse runs in
// (limits, BOM, empty input, a parser that fails unexpectedly). See src/core/parse.ts.

import type { Diagnostic, ParseResult, Severity } from '../../types.js';
import { LineIndex } from './positions.js';
import { errorText, formatBytes, isBlank, positiveOr, utf8Exceeds } from './text.js';

export interface ParseOptions {
  /** Path shown in diagnostics (relative to the root). */
  file?: string;
  /** Larger input (UTF-8 bytes) is not parsed: `too-large`. Default 4 MiB. */
  maxBytes?: number;
  /** Deeper nesting of objects/arrays is not read: `too-deep`. Default 256. */
  maxDepth?: number;
}

export const DEFAULT_MAX_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_DEPTH = 256;
/** Diagnostics kept per severity class (errors / the rest); more are counted, not listed. */
const MAX_LISTED = 100;

/** Repairs that leave a JSON-lines record valid; in a log any other slip means a damaged
 * record (two records on one line, a cut-off write), so its warning becomes an error. */
const LINE_TOLERATED = new Set(['bom', 'trailing-comma', 'duplicate-key']);

export interface Problem {
  severity: Severity;
  code: string;
  message: string;
  /** UTF-16 offset into the text (after any BOM), when the problem has a place. */
  offset?: number;
}

export interface Limits {
  maxDepth: number;
  maxBytes: number;
}

export class Problems {
  readonly list: Problem[] = [];
  errors = 0;
  private listedErrors = 0;
  private listedOthers = 0;
  unlisted = 0;
  private index: LineIndex | undefined;

  constructor(
    public text: string,
    /** JSON-lines mode: places inside messages are columns, not lines. */
    readonly lineMode = false,
  ) {}

  /** `message` may be a function: it is only built for problems that are listed. */
  add(severity: Severity, code: string, message: string | (() => string), offset?: number): void {
    if (this.lineMode && severity === 'warning' && !LINE_TOLERATED.has(code)) severity = 'error';
    if (severity === 'error') this.errors++;
    const listed = severity === 'error' ? this.listedErrors++ : this.listedOthers++;
    if (listed >= MAX_LISTED) {
      this.unlisted++;
      return;
    }
    const problem: Problem = { severity, code, message: typeof message === 'string' ? message : message() };
    if (offset !== undefined) problem.offset = offset;
    this.list.push(problem);
  }

  /** Takes over what a speculative read found. */
  absorb(other: Problems): void {
    for (const d of other.list) this.add(d.severity, d.code, d.message, d.offset);
    this.unlisted += other.unlisted;
  }

  locate(offset: number): { line: number; column: number } {
    this.index ??= new LineIndex(this.text, this.lineMode);
    return this.index.locate(offset);
  }

  /** "line 4" (or "column 12" for a single line), for messages that point elsewhere. */
  where(offset: number): string {
    const at = this.locate(offset);
    return this.lineMode ? `column ${at.column}` : `line ${at.line}`;
  }
}

export function run(
  text: unknown,
  opts: ParseOptions,
  body: (text: string, p: Problems, limits: Limits) => unknown,
): ParseResult {
  const p = new Problems('');
  let value: unknown;
  try {
    const limits: Limits = {
      maxBytes: positiveOr(opts.maxBytes, DEFAULT_MAX_BYTES),
      maxDepth: positiveOr(opts.maxDepth, DEFAULT_MAX_DEPTH),
    };
    if (typeof text !== 'string') {
      p.add('error', 'not-text', () => `expected text; got ${text === null ? 'null' : typeof text}`);
    } else if (utf8Exceeds(text, limits.maxBytes)) {
      p.add(
        'error',
        'too-large',
        () => `the file is larger than ${formatBytes(limits.maxBytes)}; not parsed`,
      );
    } else {
      let source = text;
      if (source.charCodeAt(0) === 0xfeff) {
        source = source.slice(1);
        p.add('info', 'bom', 'byte order mark (U+FEFF) at the start of the file ignored', 0);
      }
      p.text = source;
      if (source.length === 0) p.add('error', 'empty', 'the file is empty; expected a document');
      else if (isBlank(source))
        p.add('error', 'empty', 'the file holds only whitespace; expected a document');
      else value = body(source, p, limits);
    }
  } catch (e) {
    value = undefined;
    p.add('error', 'internal-error', () => `the parser failed unexpectedly: ${errorText(e)}`);
  }
  return finish(p, value, opts.file, (d) => {
    const out: Diagnostic = { severity: d.severity, code: d.code, message: d.message };
    if (opts.file !== undefined) out.file = opts.file;
    if (d.offset !== undefined) {
      const at = p.locate(d.offset);
      out.line = at.line;
      out.column = at.column;
    }
    return out;
  });
}

export function finish(
  p: Problems,
  value: unknown,
  file: string | undefined,
  toDiagnostic: (d: Problem) => Diagnostic,
): ParseResult {
  if (value === undefined && p.errors === 0) p.add('error', 'syntax', 'nothing could be read');
  const diagnostics = p.list.map(toDiagnostic);
  if (p.unlisted > 0) {
    const more: Diagnostic = {
      severity: 'info',
      code: 'more-problems',
      message: `${p.unlisted} more problems not listed`,
    };
    if (file !== undefined) more.file = file;
    diagnostics.push(more);
  }
  return { value, diagnostics, ok: p.errors === 0 };
}
