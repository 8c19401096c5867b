// Tokens for the recovering JSON reader (json-reader.ts): jsonc-parser's scanner without
// whitespace and comments (a comment is a warning), with string and number values that
// keep what the scanner would drop and report what is wrong with them.

import { createScanner, type JSONScanner } from 'jsonc-parser';
import { decodeJsonString, describeToken, E, T } from './json-tokens.js';
import type { Problems } from './problems.js';
import { isDigit, quote } from './text.js';

export class JsonLexer {
  protected readonly scanner: JSONScanner;
  protected tok: number = T.EOF;
  protected tokStart = 0;
  protected tokEnd = 0;
  private commentSeen = false;
  protected eofInString = false;

  constructor(
    protected readonly text: string,
    start: number,
    protected readonly maxDepth: number,
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
          this.problems.add(
            'error',
            'truncated',
            "unexpected end of file inside a comment: expected '*/'",
            this.tokStart,
          );
        } else if (!this.commentSeen) {
          this.problems.add(
            'warning',
            'comment',
            'comment ignored: JSON does not allow comments',
            this.tokStart,
          );
        }
        this.commentSeen = true;
        continue;
      }
      this.tok = t;
      return t;
    }
  }

  protected stringValue(): string {
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
        this.problems.add(
          'error',
          'unterminated-string',
          () =>
            `string is not closed: expected '"' before the end of ${this.problems.lineMode ? 'the line' : this.problems.where(start)}`,
          start,
        );
      }
    } else if (decoded.badEscape >= 0) {
      this.problems.add(
        'warning',
        'invalid-escape',
        () =>
          `invalid escape sequence in a string, kept as written: expected one of \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX`,
        start + 1 + decoded.badEscape,
      );
    } else if (decoded.control >= 0) {
      this.problems.add(
        'warning',
        'control-character',
        'raw control character inside a string, kept as written: expected it escaped',
        start + 1 + decoded.control,
      );
    }
    return decoded.value;
  }

  protected numberValue(): { value: number | null; plainInteger: boolean } {
    const text = this.text;
    const start = this.tokStart;
    const raw = this.scanner.getTokenValue();
    if (/^-?0$/.test(raw) && isDigit(text.charCodeAt(this.tokEnd))) {
      // `084`: the scanner splits it; read the whole run and refuse it.
      const m = /-?[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
      m.lastIndex = start;
      const whole = m.exec(text)?.[0] ?? raw;
      this.problems.add(
        'error',
        'syntax',
        () => `invalid number ${whole}: leading zeros are not allowed`,
        start,
      );
      this.scanner.setPosition(start + whole.length);
      this.tokEnd = start + whole.length;
      return { value: Number(whole), plainInteger: false };
    }
    if (this.scanner.getTokenError() === E.EndOfNumber) {
      this.problems.add(
        'error',
        'syntax',
        () => `invalid number ${quote(text.slice(start, this.tokEnd + 1))}: expected digits`,
        start,
      );
      const n = Number.parseFloat(raw);
      return { value: Number.isFinite(n) ? n : null, plainInteger: false };
    }
    return { value: Number(raw), plainInteger: /^-?[0-9]+$/.test(raw) };
  }
  protected describe(): string {
    return describeToken(this.tok, this.text.slice(this.tokStart, this.tokEnd), () =>
      this.scanner.getTokenValue(),
    );
  }
}
