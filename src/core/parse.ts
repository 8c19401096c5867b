// Reading status files, registries and event-log lines as structured data.
//
// Pure and synchronous: no fs, no clock. Never throws: every problem is a Diagnostic.
// What people and scripts really write (real-world/README.md) is read where it can be
// read - trailing and missing commas, duplicate keys, `}{` appended objects, pasted chat
// after the JSON, BOM, CRLF, emoji, `1,084` - and each repair is reported as a warning.
// What cannot be read (conflict markers, chat only, empty, cut off mid-write) is an error
// with the line and column and what was expected there.
//
// Positions, decided once for every format:
// - `line` and `column` are 1-based. CRLF counts as one line break; a lone CR or LF is one.
// - `column` counts Unicode code points, not UTF-16 units: an emoji is one column, as a
//   reader counts it on screen in most terminals (wide glyphs aside).
// - A leading byte order mark is stripped (an `info` diagnostic says so) and positions
//   refer to the text without it: the first character after the BOM is line 1, column 1.
//
// JSON: a valid file takes the fast path (JSON.parse after one cheap character scan that
// bounds the nesting and counts property separators, to notice duplicate keys). Anything
// else goes through an iterative, recovering reader built on jsonc-parser's scanner, so
// nesting costs heap, not stack, and is cut at `maxDepth`.
//
// YAML: parsed by the `yaml` library after a conservative nesting pre-scan (its composer
// recurses), then turned into plain JS by an iterative converter of our own rather than
// `toJS`, which would be quadratic on collection keys and unbounded on aliases: here
// duplicate keys are reported (last wins), alias expansion has a budget, `__proto__` is
// dropped.

import { createScanner, type JSONScanner } from 'jsonc-parser';
import { isAlias, isMap, isPair, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { fastJson } from './json-fast.js';
import { inert } from './sanitize.js';
import type { DataFormat, Diagnostic, ParseResult, Severity } from './types.js';

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

// ---------------------------------------------------------------------------------------
// Public API

/** Reads `text` as `format`. Never throws. */
export function parseDocument(text: string, format: DataFormat, opts?: ParseOptions): ParseResult {
  return format === 'yaml' ? parseYamlLoose(text, opts) : parseJsonLoose(text, opts);
}

/** Reads JSON, repairing what can be repaired (each repair a warning). Never throws. */
export function parseJsonLoose(text: string, opts: ParseOptions = {}): ParseResult {
  return run(text, opts, readJsonText);
}

/** Reads YAML (the last document of a stream). Never throws. */
export function parseYamlLoose(text: string, opts: ParseOptions = {}): ParseResult {
  return run(text, opts, readYamlText);
}

/** Format by file extension: `.yaml`/`.yml` are YAML; anything else is JSON, unless an
 * extension-less file starts with a YAML directive or document marker. */
export function detectFormat(path: string, text?: string): DataFormat {
  const name = String(path).split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (!name.includes('.') && typeof text === 'string') {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    if (start.startsWith('%YAML') || /^---(\s|$)/.test(start)) return 'yaml';
  }
  return 'json';
}

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
        p.add('error', 'too-large', () => `line ${lineNumber} is longer than ${formatBytes(DEFAULT_MAX_BYTES)}; not parsed`);
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

/** Repairs that leave a JSON-lines record valid; in a log any other slip means a damaged
 * record (two records on one line, a cut-off write), so its warning becomes an error. */
const LINE_TOLERATED = new Set(['bom', 'trailing-comma', 'duplicate-key']);

/** 1-based line and column (in code points) of a UTF-16 offset; see the header comment. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  return new LineIndex(String(text)).locate(offset);
}

// ---------------------------------------------------------------------------------------
// Diagnostics collected during one parse

interface Problem {
  severity: Severity;
  code: string;
  message: string;
  /** UTF-16 offset into the text (after any BOM), when the problem has a place. */
  offset?: number;
}

interface Limits {
  maxDepth: number;
  maxBytes: number;
}

class Problems {
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

function run(
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
      p.add('error', 'too-large', () => `the file is larger than ${formatBytes(limits.maxBytes)}; not parsed`);
    } else {
      let source = text;
      if (source.charCodeAt(0) === 0xfeff) {
        source = source.slice(1);
        p.add('info', 'bom', 'byte order mark (U+FEFF) at the start of the file ignored', 0);
      }
      p.text = source;
      if (source.length === 0) p.add('error', 'empty', 'the file is empty; expected a document');
      else if (isBlank(source)) p.add('error', 'empty', 'the file holds only whitespace; expected a document');
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

function finish(
  p: Problems,
  value: unknown,
  file: string | undefined,
  toDiagnostic: (d: Problem) => Diagnostic,
): ParseResult {
  if (value === undefined && p.errors === 0) p.add('error', 'syntax', 'nothing could be read');
  const diagnostics = p.list.map(toDiagnostic);
  if (p.unlisted > 0) {
    const more: Diagnostic = { severity: 'info', code: 'more-problems', message: `${p.unlisted} more problems not listed` };
    if (file !== undefined) more.file = file;
    diagnostics.push(more);
  }
  return { value, diagnostics, ok: p.errors === 0 };
}

// ---------------------------------------------------------------------------------------
// JSON

function readJsonText(text: string, p: Problems, limits: Limits): unknown {
  // Fast path: a valid file is read by JSON.parse, checked cheaply for what it would
  // hide (src/core/json-fast.ts).
  const fast = fastJson(text, limits.maxDepth, (t) => scanJsonShape(t).colons);
  if (fast !== undefined) return fast.value;

  if (reportConflictMarkers(text, p)) return undefined;

  const first = firstNonBlank(text);
  const c = text.charCodeAt(first);
  if (c !== 0x7b /* { */ && c !== 0x5b /* [ */) {
    p.add('error', 'not-json', () => `expected '{' or '[' at the start of a JSON document; found ${excerpt(text, first)}, which looks like pasted text rather than JSON`, first);
    return undefined;
  }
  if (c === 0x5b && looksLikeBracketedProse(text, first)) {
    p.add('error', 'not-json', () => `expected a JSON value after '['; found ${excerpt(text, first)}, which looks like pasted text rather than JSON`, first);
    return undefined;
  }

  const reader = new JsonReader(text, first, limits.maxDepth, p);
  reader.next();
  const root = reader.readValue();
  if (!root.complete) return root.value;

  // After the value: another complete value (`}{`, a second write appended with `>>`)
  // replaces it; anything else is trailing text (pasted chat), ignored with a warning.
  let value = root.value;
  let pos = reader.position();
  for (;;) {
    const probe = new JsonReader(text, pos, limits.maxDepth, new Problems(text, p.lineMode));
    const t = probe.next();
    if (t === T.EOF) break;
    const start = probe.tokenOffset();
    if (t === T.OpenBrace || t === T.OpenBracket) {
      const next = probe.readValue();
      if (next.complete && probe.problems.errors === 0) {
        p.add('warning', 'appended-object', () => p.lineMode
          ? `a second JSON value starts at ${p.where(start)} right after the first one ends ('}{'): two records on one line`
          : `a second JSON value starts at ${p.where(start)} right after the first one ends ('}{'), as when a file is appended to; the last complete one is used`, start);
        p.absorb(probe.problems);
        value = next.value;
        pos = probe.position();
        continue;
      }
    }
    p.add('warning', 'trailing-text', () => `text after the end of the JSON value ignored: ${excerpt(text, start)}`, start);
    break;
  }
  return value;
}

/** jsonc-parser SyntaxKind and ScanError values (its const enums cannot be imported
 * under isolatedModules). */
const T = {
  OpenBrace: 1,
  CloseBrace: 2,
  OpenBracket: 3,
  CloseBracket: 4,
  Comma: 5,
  Colon: 6,
  Null: 7,
  True: 8,
  False: 9,
  String: 10,
  Number: 11,
  LineComment: 12,
  BlockComment: 13,
  LineBreak: 14,
  Trivia: 15,
  Unknown: 16,
  EOF: 17,
} as const;
const E = { None: 0, EndOfComment: 1, EndOfString: 2, EndOfNumber: 3 } as const;

/** Object frame states. */
const enum O {
  First, // after '{': a key or '}'
  Key, // after ',': a key (or '}' - trailing comma)
  Colon, // after a key
  Value, // after ':'
  After, // after a value: ',' or '}'
}
/** Array frame states. */
const enum A {
  First, // after '[': a value or ']'
  Value, // after ',': a value (or ']' - trailing comma)
  After, // after a value: ',' or ']'
}

interface Frame {
  object: boolean;
  value: Record<string, unknown> | unknown[];
  state: number;
  open: number;
  /** Current property name. */
  key: string;
  /** The current property is read but not stored (`__proto__`). */
  drop: boolean;
  /** Key -> offset of its latest occurrence, for duplicate reports. */
  keys: Map<string, number> | undefined;
  count: number;
  comma: number;
  /** End of the last value read in this frame. */
  valueEnd: number;
  /** When the last value was a bare integer: where its token started, for `1,084`. */
  numberStart: number;
}

interface ReadValue {
  value: unknown;
  /** The value ended normally (its closing bracket was read). */
  complete: boolean;
}

class JsonReader {
  private readonly scanner: JSONScanner;
  private tok: number = T.EOF;
  private tokStart = 0;
  private tokEnd = 0;
  private commentSeen = false;
  private eofInString = false;

  constructor(
    private readonly text: string,
    start: number,
    private readonly maxDepth: number,
    readonly problems: Problems,
  ) {
    this.scanner = createScanner(text, false);
    if (start > 0) this.scanner.setPosition(start);
  }

  position(): number {
    return this.tokEnd;
  }

  tokenOffset(): number {
    return this.tokStart;
  }

  /** Next token that is not whitespace or a comment. */
  next(): number {
    for (;;) {
      const t = this.scanner.scan();
      if (t === T.LineBreak || t === T.Trivia) continue;
      this.tokStart = this.scanner.getTokenOffset();
      this.tokEnd = this.tokStart + this.scanner.getTokenLength();
      if (t === T.LineComment || t === T.BlockComment) {
        if (t === T.BlockComment && this.scanner.getTokenError() === E.EndOfComment) {
          this.problems.add('error', 'truncated', "unexpected end of file inside a comment: expected '*/'", this.tokStart);
        } else if (!this.commentSeen) {
          this.problems.add('warning', 'comment', 'comment ignored: JSON does not allow comments', this.tokStart);
        }
        this.commentSeen = true;
        continue;
      }
      this.tok = t;
      return t;
    }
  }

  /** Reads one value starting at the current token; iterative, depth-bounded. */
  readValue(): ReadValue {
    const p = this.problems;
    const stack: Frame[] = [];
    let root: unknown;
    let rootDone = false;
    // After a syntax error, further errors are held back until a token is accepted
    // again, so one slip does not produce a cascade.
    let recovering = false;
    const fail = (message: () => string, at: number = this.tokStart): void => {
      if (!recovering) p.add('error', 'syntax', message, at);
      recovering = true;
    };

    const deliver = (value: unknown, end: number, numberStart: number): void => {
      const top = stack[stack.length - 1];
      if (top === undefined) {
        root = value;
        rootDone = true;
        return;
      }
      top.count++;
      top.valueEnd = end;
      top.numberStart = numberStart;
      if (top.object) {
        if (!top.drop) (top.value as Record<string, unknown>)[top.key] = value;
        top.state = O.After;
      } else {
        (top.value as unknown[]).push(value);
        top.state = A.After;
      }
    };

    const close = (): void => {
      const frame = stack.pop() as Frame;
      deliver(frame.value, this.tokEnd, -1);
    };

    /** Handles a token that starts a value; false if it does not start one. */
    const beginValue = (): boolean | 'abort' => {
      const t = this.tok;
      if (t === T.OpenBrace || t === T.OpenBracket) {
        if (stack.length >= this.maxDepth) {
          p.add('error', 'too-deep', () => `nesting deeper than ${this.maxDepth} levels; the document is not read`, this.tokStart);
          return 'abort';
        }
        stack.push({
          object: t === T.OpenBrace,
          value: t === T.OpenBrace ? {} : [],
          state: t === T.OpenBrace ? O.First : A.First,
          open: this.tokStart,
          key: '',
          drop: false,
          keys: undefined,
          count: 0,
          comma: -1,
          valueEnd: -1,
          numberStart: -1,
        });
        return true;
      }
      if (t === T.String) {
        deliver(this.stringValue(), this.tokEnd, -1);
        return true;
      }
      if (t === T.Number) {
        const start = this.tokStart;
        const n = this.numberValue();
        deliver(n.value, this.tokEnd, n.plainInteger ? start : -1);
        return true;
      }
      if (t === T.True || t === T.False || t === T.Null) {
        deliver(t === T.True ? true : t === T.False ? false : null, this.tokEnd, -1);
        return true;
      }
      return false;
    };

    for (;;) {
      const t = this.tok;
      const top = stack[stack.length - 1];

      if (t === T.EOF) {
        if (top === undefined) {
          fail(() => 'unexpected end of file: expected a value');
          return { value: undefined, complete: false };
        }
        const what = this.eofInString ? `inside a string, expected '"'` : this.expectation(top);
        p.add('error', 'truncated', () => `unexpected end of ${p.lineMode ? 'line' : 'file'}: ${what}; the ${p.lineMode ? 'record' : 'file'} looks cut off mid-write`, this.tokStart);
        return { value: (stack[0] as Frame).value, complete: false };
      }

      if (top === undefined) {
        const begun = beginValue();
        if (begun === 'abort') return { value: undefined, complete: false };
        if (!begun) {
          fail(() => `expected a JSON value; found ${this.describe()}`);
          return { value: undefined, complete: false };
        }
      } else if ((t === T.CloseBrace && !top.object) || (t === T.CloseBracket && top.object)) {
        // A closer for an enclosing frame: close the inner ones up to it.
        const wantObject = t === T.CloseBrace;
        const match = findLast(stack, (f) => f.object === wantObject);
        if (match < 0) {
          fail(() => `${this.expectation(top)}; found ${this.describe()}`);
        } else {
          fail(() => `expected '${top.object ? '}' : ']'}' to close the ${top.object ? 'object' : 'array'} opened at ${p.where(top.open)}; found ${this.describe()}`);
          while (stack.length - 1 > match) close();
          continue; // the closer is handled by the frame it belongs to
        }
      } else if (top.object) {
        switch (top.state) {
          case O.First:
          case O.Key:
            if (t === T.String) {
              this.readKey(top);
              recovering = false;
            } else if (t === T.CloseBrace) {
              if (top.state === O.Key) p.add('warning', 'trailing-comma', () => `trailing ',' before '}' ignored (after property ${quote(top.key)})`, top.comma);
              close();
              recovering = false;
            } else {
              fail(() => `expected a property name in double quotes${top.state === O.Key ? " after ','" : " or '}'"}; found ${this.describe()}`);
            }
            break;
          case O.Colon:
            if (t === T.Colon) {
              top.state = O.Value;
              recovering = false;
            } else {
              fail(() => `expected ':' after property name ${quote(top.key)}; found ${this.describe()}`);
              if (t === T.Comma) top.state = O.Key;
              else if (t === T.CloseBrace) close();
              else if (isValueStart(t)) {
                top.state = O.Value;
                continue; // read it as the value
              }
            }
            break;
          case O.Value: {
            const begun = beginValue();
            if (begun === 'abort') return { value: undefined, complete: false };
            if (begun) {
              recovering = false;
            } else {
              fail(() => `expected a value for property ${quote(top.key)}; found ${this.describe()}`);
              if (t === T.Comma) top.state = O.Key;
              else if (t === T.CloseBrace) close();
            }
            break;
          }
          default: // O.After
            if (t === T.Comma) {
              if (!(top.numberStart >= 0 && this.tokStart === top.valueEnd && this.readThousands(top))) {
                top.state = O.Key;
                top.comma = this.tokStart;
              }
              recovering = false;
            } else if (t === T.CloseBrace) {
              close();
              recovering = false;
            } else if (t === T.String) {
              p.add('warning', 'missing-comma', () => `expected ',' or '}' after property ${quote(top.key)}; found ${this.describe()} at ${p.where(this.tokStart)}, read as the next property`, top.valueEnd);
              top.state = O.Key;
              continue;
            } else {
              fail(() => `expected ',' or '}' after property ${quote(top.key)}; found ${this.describe()}`);
            }
        }
      } else {
        switch (top.state) {
          case A.After:
            if (t === T.Comma) {
              top.state = A.Value;
              top.comma = this.tokStart;
              recovering = false;
            } else if (t === T.CloseBracket) {
              close();
              recovering = false;
            } else if (isValueStart(t)) {
              p.add('warning', 'missing-comma', () => `expected ',' or ']' after array element ${top.count}; found ${this.describe()} at ${p.where(this.tokStart)}, read as the next element`, top.valueEnd);
              top.state = A.Value;
              continue;
            } else {
              fail(() => `expected ',' or ']' after array element ${top.count}; found ${this.describe()}`);
            }
            break;
          default: {
            // A.First, A.Value
            if (t === T.CloseBracket) {
              if (top.state === A.Value) p.add('warning', 'trailing-comma', "trailing ',' before ']' ignored", top.comma);
              close();
              recovering = false;
              break;
            }
            const begun = beginValue();
            if (begun === 'abort') return { value: undefined, complete: false };
            if (begun) recovering = false;
            else fail(() => `expected a value${top.state === A.Value ? " after ','" : " or ']'"}; found ${this.describe()}`);
          }
        }
      }

      if (rootDone) return { value: root, complete: true };
      this.next();
    }
  }

  /** What the frame expects next, for messages. */
  private expectation(top: Frame): string {
    if (top.object) {
      switch (top.state) {
        case O.First:
          return "expected a property name or '}'";
        case O.Key:
          return "expected a property name after ','";
        case O.Colon:
          return `expected ':' after property name ${quote(top.key)}`;
        case O.Value:
          return `expected a value for property ${quote(top.key)}`;
        default:
          return `expected ',' or '}' after property ${quote(top.key)}`;
      }
    }
    switch (top.state) {
      case A.After:
        return `expected ',' or ']' after array element ${top.count}`;
      default:
        return top.state === A.Value ? "expected a value after ','" : "expected a value or ']'";
    }
  }

  private readKey(top: Frame): void {
    const key = this.stringValue();
    const at = this.tokStart;
    top.key = key;
    top.state = O.Colon;
    top.drop = key === '__proto__';
    if (top.drop) {
      // A data property named __proto__ is harmless in itself, but code that copies
      // objects with assignment would change a prototype; it never carries status.
      this.problems.add('warning', 'unsafe-key', 'property "__proto__" ignored: it could change an object\'s prototype', at);
      return;
    }
    top.keys ??= new Map();
    const earlier = top.keys.get(key);
    if (earlier !== undefined) {
      this.problems.add('warning', 'duplicate-key', () => `duplicate key ${quote(key)} (also at ${this.problems.where(earlier)}); the last value is used`, at);
    }
    top.keys.set(key, at);
  }

  /**
   * `"lines": 1,084` - read as 1084 when the comma right after a 1-3 digit integer is
   * followed by exactly three digits (and so on, `12,345,678`), and not by a ':'.
   * Otherwise the comma is an ordinary separator (and `084` a syntax error).
   */
  private readThousands(top: Frame): boolean {
    const text = this.text;
    const head = text.slice(top.numberStart, top.valueEnd);
    if (!/^-?[1-9][0-9]{0,2}$/.test(head)) return false;
    let pos = top.valueEnd;
    let digits = head;
    while (
      text.charCodeAt(pos) === 0x2c &&
      isDigit(text.charCodeAt(pos + 1)) &&
      isDigit(text.charCodeAt(pos + 2)) &&
      isDigit(text.charCodeAt(pos + 3)) &&
      !isNumberPart(text.charCodeAt(pos + 4))
    ) {
      digits += text.slice(pos + 1, pos + 4);
      pos += 4;
    }
    if (pos === top.valueEnd) return false;
    let after = pos;
    while (after < text.length && isBlankCode(text.charCodeAt(after))) after++;
    if (text.charCodeAt(after) === 0x3a /* : */) return false;
    const value = Number(digits);
    const written = text.slice(top.numberStart, pos);
    const key = top.key;
    if (!top.drop) (top.value as Record<string, unknown>)[key] = value;
    this.problems.add('warning', 'number-with-thousands-separator', () => `value of ${quote(key)} is written ${written} with a thousands separator; read as ${value}`, top.numberStart);
    top.valueEnd = pos;
    top.numberStart = -1;
    this.scanner.setPosition(pos);
    return true;
  }

  private stringValue(): string {
    const text = this.text;
    const err = this.scanner.getTokenError();
    if (err === E.None) return this.scanner.getTokenValue();
    const start = this.tokStart;
    const unterminated = err === E.EndOfString;
    const body = text.slice(start + 1, unterminated ? this.tokEnd : this.tokEnd - 1);
    const decoded = decodeJsonString(body);
    if (unterminated) {
      // A string running into the end of the file is reported once, as `truncated`.
      if (this.tokEnd >= text.length) this.eofInString = true;
      else {
        this.problems.add('error', 'unterminated-string', () => `string is not closed: expected '"' before the end of ${this.problems.lineMode ? 'the line' : this.problems.where(start)}`, start);
      }
    } else if (decoded.badEscape >= 0) {
      this.problems.add('warning', 'invalid-escape', () => `invalid escape sequence in a string, kept as written: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`, start + 1 + decoded.badEscape);
    } else if (decoded.control >= 0) {
      this.problems.add('warning', 'control-character', 'raw control character inside a string, kept as written: expected it escaped', start + 1 + decoded.control);
    }
    return decoded.value;
  }

  private numberValue(): { value: number | null; plainInteger: boolean } {
    const text = this.text;
    const start = this.tokStart;
    const raw = this.scanner.getTokenValue();
    if (/^-?0$/.test(raw) && isDigit(text.charCodeAt(this.tokEnd))) {
      // `084`: the scanner splits it; read the whole run and refuse it.
      const m = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
      m.lastIndex = start;
      const whole = m.exec(text)?.[0] ?? raw;
      this.problems.add('error', 'syntax', () => `invalid number ${whole}: leading zeros are not allowed`, start);
      this.scanner.setPosition(start + whole.length);
      this.tokEnd = start + whole.length;
      return { value: Number(whole), plainInteger: false };
    }
    if (this.scanner.getTokenError() === E.EndOfNumber) {
      this.problems.add('error', 'syntax', () => `invalid number ${quote(text.slice(start, this.tokEnd + 1))}: expected digits`, start);
      const n = Number.parseFloat(raw);
      return { value: Number.isFinite(n) ? n : null, plainInteger: false };
    }
    return { value: Number(raw), plainInteger: /^-?[0-9]+$/.test(raw) };
  }

  private describe(): string {
    const t = this.tok;
    const raw = this.text.slice(this.tokStart, this.tokEnd);
    switch (t) {
      case T.EOF:
        return 'the end of the file';
      case T.String:
        return `the string ${quote(this.scanner.getTokenValue(), 40)}`;
      case T.Number:
        return `the number ${raw}`;
      case T.True:
      case T.False:
      case T.Null:
        return raw;
      case T.Unknown: {
        const hint = /^(True|False|None|undefined|NaN|-?Infinity)$/.test(raw)
          ? ' (JSON spells these true, false and null)'
          : /^'/.test(raw)
            ? ' (JSON strings use double quotes)'
            : '';
        return `${quote(raw, 40)}${hint}`;
      }
      default:
        return `'${raw}'`;
    }
  }
}

function isValueStart(t: number): boolean {
  return t === T.OpenBrace || t === T.OpenBracket || t === T.String || t === T.Number || t === T.True || t === T.False || t === T.Null;
}

/** Decodes a JSON string body, keeping invalid escapes and raw control characters as
 * written (jsonc-parser drops them); reports the first of each. */
function decodeJsonString(body: string): { value: string; badEscape: number; control: number } {
  let value = '';
  let badEscape = -1;
  let control = -1;
  let from = 0;
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c < 0x20 && control < 0) control = i;
    if (c !== 0x5c) continue;
    value += body.slice(from, i);
    const e = body[i + 1];
    let out: string | undefined;
    let used = 2;
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out = e;
        break;
      case 'b':
        out = '\b';
        break;
      case 'f':
        out = '\f';
        break;
      case 'n':
        out = '\n';
        break;
      case 'r':
        out = '\r';
        break;
      case 't':
        out = '\t';
        break;
      case 'u': {
        const hex = body.slice(i + 2, i + 6);
        if (/^[0-9a-fA-F]{4}$/.test(hex)) {
          out = String.fromCharCode(Number.parseInt(hex, 16));
          used = 6;
        }
        break;
      }
      default:
        break;
    }
    if (out === undefined) {
      if (badEscape < 0) badEscape = i;
      out = body.slice(i, i + 2);
    }
    value += out;
    i += used - 1;
    from = i + 1;
  }
  value += body.slice(from);
  return { value, badEscape, control };
}

/** One pass over the characters: nesting depth and ':' count outside strings. Exact for
 * valid JSON, which is all the fast path relies on. */
function scanJsonShape(text: string): { depth: number; colons: number } {
  let depth = 0;
  let max = 0;
  let colons = 0;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not preceded by an odd run of backslashes.
      // (indexOf is much faster than a loop, and most of a status file is strings.)
      for (;;) {
        const q = text.indexOf('"', i + 1);
        if (q < 0) return { depth: max, colons };
        let b = q - 1;
        while (text.charCodeAt(b) === 0x5c) b--;
        i = q;
        if ((q - 1 - b) % 2 === 0) break;
      }
    } else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
    } else if (c === 0x7d || c === 0x5d) {
      depth--;
    } else if (c === 0x3a) {
      colons++;
    }
  }
  return { depth: max, colons };
}

/** `[C2A] CAPTAIN -> Agent-7`: a bracket followed by a bare word is a chat header, not
 * an array. */
function looksLikeBracketedProse(text: string, open: number): boolean {
  let i = open + 1;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  const rest = text.slice(i, i + 6);
  if (/^(true|false|null)\b/.test(rest)) return false;
  return /^[\p{L}_$]/u.test(rest);
}

// ---------------------------------------------------------------------------------------
// Conflict markers

const MARKER = /^(?:<{7}|={7}|>{7}|\|{7})(?=[ \t\r\n]|$)/;

/** Git conflict markers at line starts: the file holds an unresolved merge. */
function reportConflictMarkers(text: string, p: Problems): boolean {
  if (!(text.includes('<<<<<<<') || text.includes('=======') || text.includes('>>>>>>>') || text.includes('|||||||'))) return false;
  let found = false;
  let start = 0;
  while (start <= text.length) {
    const m = MARKER.exec(text.slice(start, start + 8));
    if (m) {
      const at = p.locate(start);
      const lineText = text.slice(start, lineEnd(text, start));
      p.add('error', 'conflict-marker', () => `git conflict marker ${quote(lineText, 50)} at line ${at.line}: the file holds an unresolved merge and is not read until it is resolved`, start);
      found = true;
    }
    const next = nextLineStart(text, start);
    if (next < 0) break;
    start = next;
  }
  return found;
}

// ---------------------------------------------------------------------------------------
// YAML

function readYamlText(text: string, p: Problems, limits: Limits): unknown {
  if (reportConflictMarkers(text, p)) return undefined;

  const deep = findYamlTooDeep(text, limits.maxDepth);
  if (deep >= 0) {
    p.add('error', 'too-deep', () => `nesting deeper than ${limits.maxDepth} levels; the document is not read`, deep);
    return undefined;
  }

  const docs = parseAllDocuments(text, {
    uniqueKeys: false,
    prettyErrors: false,
    logLevel: 'silent',
    version: '1.2',
    schema: 'core',
  });

  for (const e of 'empty' in docs ? docs.errors : []) p.add('error', 'syntax', () => `YAML: ${inert(e.message)} (${e.code})`, e.pos[0]);
  const withContent = [];
  for (const doc of docs) {
    for (const e of doc.errors) p.add('error', 'syntax', () => `YAML: ${inert(e.message)} (${e.code})`, e.pos[0]);
    for (const w of doc.warnings) p.add('warning', 'yaml-warning', () => `YAML: ${inert(w.message)} (${w.code})`, w.pos[0]);
    if (doc.contents !== null) withContent.push(doc);
  }
  const doc = withContent[withContent.length - 1];
  if (doc === undefined) {
    if (p.errors === 0) p.add('error', 'empty', 'the file holds no YAML content (only comments or whitespace)');
    return undefined;
  }
  const contents: unknown = doc.contents;
  if (withContent.length > 1) {
    p.add('warning', 'multiple-documents', () => `the file holds ${withContent.length} YAML documents; the last one, at ${p.where(rangeStart(contents) ?? 0)}, is used`, rangeStart(contents));
  }
  return yamlToPlain(contents, text, p, limits);
}

interface Ancestors {
  node: unknown;
  up: Ancestors | undefined;
}

interface YamlTask {
  node: unknown;
  /** Where the value goes; null for the root. */
  parent: Record<string, unknown> | unknown[] | null;
  key: string | number;
  depth: number;
  /** Offset of the alias whose expansion this value is part of, if any. */
  viaAlias: number | undefined;
  ancestors: Ancestors | undefined;
}

/**
 * The document as plain JS, iteratively: objects for maps (keys as strings, duplicate
 * keys reported, the last one wins, `__proto__` and collection keys dropped with a
 * warning), arrays for sequences, aliases expanded as copies within a budget.
 */
function yamlToPlain(contents: unknown, text: string, p: Problems, limits: Limits): unknown {
  // Anchors resolve to the latest node with that name before the alias, in document
  // order (as the yaml library does). One pre-order pass over the real tree.
  const targets = new Map<unknown, unknown>();
  {
    const anchors = new Map<string, unknown>();
    const stack: unknown[] = [contents];
    while (stack.length > 0) {
      const node = stack.pop();
      if (node === null || typeof node !== 'object') continue;
      if (isAlias(node)) {
        targets.set(node, anchors.get(node.source));
        continue;
      }
      const anchor = (node as { anchor?: unknown }).anchor;
      if (typeof anchor === 'string') anchors.set(anchor, node);
      if (isPair(node)) {
        stack.push(node.value, node.key);
      } else if (isMap(node) || isSeq(node)) {
        const items = node.items as unknown[];
        for (let i = items.length - 1; i >= 0; i--) stack.push(items[i]);
      }
    }
  }

  // Values produced through aliases: generous for real files, fatal for bombs (each
  // expansion is a copy, so a bomb would otherwise cost memory exponentially).
  const aliasBudget = Math.min(100_000, Math.max(10_000, text.length));
  let aliasNodes = 0;
  const holder: unknown[] = [undefined];
  const stack: YamlTask[] = [{ node: contents, parent: null, key: 0, depth: 0, viaAlias: undefined, ancestors: undefined }];
  const put = (task: YamlTask, value: unknown): void => {
    if (task.parent === null) holder[0] = value;
    else (task.parent as Record<string, unknown>)[task.key] = value;
  };

  while (stack.length > 0) {
    const task = stack.pop() as YamlTask;
    let node = task.node;
    let viaAlias = task.viaAlias;
    if (isAlias(node)) {
      const alias = node;
      const target = targets.get(alias);
      if (target === undefined) {
        p.add('error', 'syntax', () => `alias *${inert(alias.source)} refers to no anchor defined before it`, rangeStart(alias));
        put(task, null);
        continue;
      }
      let cyclic = false;
      for (let a = task.ancestors; a !== undefined; a = a.up) if (a.node === target) cyclic = true;
      if (cyclic) {
        p.add('error', 'alias-cycle', () => `alias *${inert(alias.source)} refers to a node that contains it; it cannot be expanded`, rangeStart(alias));
        put(task, null);
        continue;
      }
      node = target;
      viaAlias ??= rangeStart(alias) ?? 0;
    }
    if (viaAlias !== undefined && ++aliasNodes > aliasBudget) {
      p.add('error', 'alias-limit', () => `aliases expand to more than ${aliasBudget} values (an alias bomb?); the document is not read`, viaAlias);
      return undefined;
    }

    if (node === null || node === undefined) {
      put(task, null);
      continue;
    }
    if (isScalar(node)) {
      put(task, plainScalar(node.value, node.source));
      continue;
    }
    const pairs = isMap(node) ? (node.items as unknown[]) : isPair(node) ? [node] : undefined;
    if (pairs === undefined && !isSeq(node)) {
      put(task, null);
      continue;
    }
    if (task.depth + 1 > limits.maxDepth) {
      p.add('error', 'too-deep', () => `nesting deeper than ${limits.maxDepth} levels; the document is not read`, rangeStart(node));
      return undefined;
    }
    const ancestors: Ancestors = { node, up: task.ancestors };
    const depth = task.depth + 1;

    if (pairs === undefined) {
      const items = (node as { items: unknown[] }).items;
      const arr: unknown[] = new Array(items.length).fill(null);
      put(task, arr);
      for (let i = items.length - 1; i >= 0; i--) {
        stack.push({ node: items[i], parent: arr, key: i, depth, viaAlias, ancestors });
      }
      continue;
    }

    const obj: Record<string, unknown> = {};
    put(task, obj);
    const seen = new Map<string, number | undefined>();
    const last = new Map<string, unknown>();
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = isAlias(pair.key) ? targets.get(pair.key) : pair.key;
      const keyAt = rangeStart(pair.key) ?? rangeStart(pair.value);
      let key: string;
      if (keyNode === null || keyNode === undefined) key = '';
      else if (isScalar(keyNode)) key = scalarKey(keyNode.value, keyNode.source);
      else {
        p.add('warning', 'complex-key', 'a mapping key that is itself a collection is not supported; entry ignored', keyAt);
        continue;
      }
      if (key === '__proto__') {
        p.add('warning', 'unsafe-key', 'property "__proto__" ignored: it could change an object\'s prototype', keyAt);
        continue;
      }
      if (seen.has(key)) {
        const earlier = seen.get(key);
        p.add('warning', 'duplicate-key', () => `duplicate key ${quote(key)}${earlier === undefined ? '' : ` (also at ${p.where(earlier)})`}; the last value is used`, keyAt);
      } else {
        obj[key] = null; // fixes the key's position at its first occurrence
      }
      seen.set(key, keyAt);
      last.set(key, pair.value);
    }
    const entries = [...last];
    for (let i = entries.length - 1; i >= 0; i--) {
      const [key, value] = entries[i] as [string, unknown];
      stack.push({ node: value, parent: obj, key, depth, viaAlias, ancestors });
    }
  }
  return holder[0];
}

function plainScalar(value: unknown, source: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value === undefined) return null;
  // Dates, binary, big integers (tags of other schemas): keep the text as written.
  return typeof source === 'string' ? source : String(value);
}

function scalarKey(value: unknown, source: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return typeof source === 'string' ? source : String(value);
}

function rangeStart(node: unknown): number | undefined {
  if (node === null || typeof node !== 'object') return undefined;
  const range = (node as { range?: unknown }).range;
  return Array.isArray(range) && typeof range[0] === 'number' ? range[0] : undefined;
}

/**
 * A conservative bound on YAML nesting, before the recursive composer sees the text:
 * block nesting from the stack of indentations plus compact `- `/`? `/`: ` indicators,
 * flow nesting from `[`/`{` that open a node (outside quotes, comments and block
 * scalars). Returns the offset of the line where the bound is passed, or -1.
 */
function findYamlTooDeep(text: string, maxDepth: number): number {
  const indents: number[] = [];
  let flow = 0;
  let flowBase = 0;
  let quote = 0; // 0, or the code of the open quote (a quoted scalar may span lines)
  let blockScalarIndent = -1;
  let start = 0;
  const n = text.length;
  while (start < n) {
    const end = lineEnd(text, start);
    let i = start;
    while (i < end && text.charCodeAt(i) === 0x20) i++;
    const indent = i - start;
    let atNode = true;
    let depth = 0;

    const skipLine = blockScalarIndent >= 0 && (i === end || indent > blockScalarIndent);
    if (!skipLine) blockScalarIndent = -1;
    if (!skipLine && quote === 0 && text.startsWith('---', i) && indent === 0) {
      indents.length = 0;
      flow = 0;
      i += 3;
    } else if (!skipLine && quote === 0 && flow === 0 && i < end && text.charCodeAt(i) !== 0x23) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) >= indent) indents.pop();
      indents.push(indent);
      depth = indents.length;
      // Compact nested collections on one line: `- - a`, `? - a`, `- key: value`.
      for (;;) {
        const c = text.charCodeAt(i);
        if ((c === 0x2d || c === 0x3f || c === 0x3a) && (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)))) {
          depth++;
          i++;
          while (i < end && isBlankCode(text.charCodeAt(i))) i++;
        } else break;
      }
      if (depth > maxDepth) return start;
    }

    if (!skipLine) {
      for (; i < end; i++) {
        const c = text.charCodeAt(i);
        if (quote !== 0) {
          if (quote === 0x22 && c === 0x5c) i++;
          else if (c === quote) {
            if (quote === 0x27 && text.charCodeAt(i + 1) === 0x27) i++;
            else {
              quote = 0;
              atNode = false;
            }
          }
          continue;
        }
        if (c === 0x20 || c === 0x09) continue;
        if (c === 0x23 /* # */ && (i === start || isBlankCode(text.charCodeAt(i - 1)))) break;
        if ((c === 0x5b || c === 0x7b) && (atNode || flow > 0)) {
          if (flow === 0) flowBase = Math.max(depth, indents.length);
          flow++;
          if (flowBase + flow > maxDepth) return start;
          atNode = true;
        } else if ((c === 0x5d || c === 0x7d) && flow > 0) {
          flow--;
          atNode = false;
        } else if (c === 0x2c /* , */ && flow > 0) {
          atNode = true;
        } else if (c === 0x3a /* : */ && (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)) || flow > 0)) {
          atNode = true;
        } else if ((c === 0x22 || c === 0x27) && atNode) {
          quote = c;
        } else if ((c === 0x7c || c === 0x3e) /* | > */ && atNode && flow === 0) {
          blockScalarIndent = indent;
          break;
        } else if ((c === 0x26 || c === 0x21) /* & ! */ && atNode) {
          while (i + 1 < end && !isBlankCode(text.charCodeAt(i + 1))) i++;
        } else if (c === 0x2d /* - */ && atNode && flow === 0 && (i + 1 >= end || isBlankCode(text.charCodeAt(i + 1)))) {
          continue;
        } else {
          atNode = false;
        }
      }
    }
    const next = nextLineStart(text, start);
    if (next < 0) break;
    start = next;
  }
  return -1;
}

// ---------------------------------------------------------------------------------------
// Positions

/** Offsets to lines and code-point columns; each lookup is a binary search, so many
 * diagnostics on one very long line stay cheap. */
class LineIndex {
  private starts: number[] | undefined;
  /** Per line: where its surrogate pairs start, found when the line is first needed. */
  private readonly pairs = new Map<number, number[]>();

  constructor(
    private readonly text: string,
    /** Treat the text as one line (a JSON-lines record). */
    private readonly singleLine = false,
  ) {}

  locate(offset: number): { line: number; column: number } {
    const text = this.text;
    const at = clamp(offset, text.length);
    const starts = (this.starts ??= this.singleLine ? [0] : lineStarts(text));
    const line = lastAtOrBelow(starts, at);
    const start = starts[line] as number;
    let pairs = this.pairs.get(line);
    if (pairs === undefined) {
      pairs = surrogatePairs(text, start, line + 1 < starts.length ? (starts[line + 1] as number) : text.length);
      this.pairs.set(line, pairs);
    }
    // A pair wholly before the offset is one column, not two.
    const whole = lastAtOrBelow(pairs, at - 2) + 1;
    return { line: line + 1, column: 1 + (at - start) - whole };
  }
}

/** Index of the last item <= n in an ascending list (-1 when none). */
function lastAtOrBelow(sorted: number[], n: number): number {
  let lo = -1;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] as number) <= n) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function surrogatePairs(text: string, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i + 1 < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out.push(i);
        i++;
      }
    }
  }
  return out;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) starts.push(i + 1);
    else if (c === 0x0d) {
      if (text.charCodeAt(i + 1) === 0x0a) i++;
      starts.push(i + 1);
    }
  }
  return starts;
}

function lineEnd(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a || c === 0x0d) return i;
  }
  return text.length;
}

/** Start of the line after the one starting at `start`, or -1 at the last line. */
function nextLineStart(text: string, start: number): number {
  const end = lineEnd(text, start);
  if (end >= text.length) return -1;
  return text.charCodeAt(end) === 0x0d && text.charCodeAt(end + 1) === 0x0a ? end + 2 : end + 1;
}

// ---------------------------------------------------------------------------------------
// Small helpers

function clamp(offset: number, length: number): number {
  if (!Number.isFinite(offset) || offset < 0) return offset === Infinity ? length : 0;
  return Math.min(Math.floor(offset), length);
}

function positiveOr(n: number | undefined, fallback: number): number {
  return typeof n === 'number' && Number.isFinite(n) && n > 0 ? Math.floor(n) : fallback;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function isNumberPart(c: number): boolean {
  return isDigit(c) || c === 0x2e || c === 0x65 || c === 0x45;
}

function isBlankCode(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

function isBlank(text: string): boolean {
  return firstNonBlank(text) === text.length;
}

function firstNonBlank(text: string): number {
  let i = 0;
  while (i < text.length && isBlankCode(text.charCodeAt(i))) i++;
  return i;
}

function findLast<X>(items: X[], test: (x: X) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i] as X)) return i;
  return -1;
}

/** UTF-8 size of `text` is more than `max` bytes (without encoding when it is clear). */
function utf8Exceeds(text: string, max: number): boolean {
  if (text.length > max) return true;
  if (text.length * 3 <= max) return false;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
    if (bytes > max) return true;
  }
  return false;
}

function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} bytes`;
}

/** A string quoted for a message: shortened, escaped. */
function quote(s: string, max = 60): string {
  let t = s;
  if (t.length > max) {
    t = t.slice(0, max);
    const last = t.charCodeAt(t.length - 1);
    if (last >= 0xd800 && last <= 0xdbff) t = t.slice(0, -1);
    t += '…';
  }
  return `"${inert(t.replace(/["\\]/g, (c) => `\\${c}`))}"`;
}

/** The start of the text at `offset` (to the end of its line), quoted. */
function excerpt(text: string, offset: number): string {
  return quote(text.slice(offset, Math.min(lineEnd(text, offset), offset + 200)).trimEnd(), 40);
}

function errorText(e: unknown): string {
  return inert(e instanceof Error ? `${e.name}: ${e.message}` : String(e)).slice(0, 200);
}
