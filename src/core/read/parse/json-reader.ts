// The recovering JSON reader: iterative (nesting costs heap, not stack, and is cut at
// maxDepth), on the tokens of json-lexer.ts; every repair and failure is a Problem.

import { JsonLexer } from './json-lexer.js';
import { A, expectation, isValueStart, O, T, type Frame, type ReadValue } from './json-tokens.js';
import { findLast, isBlankCode, isDigit, isNumberPart, quote } from './text.js';

export class JsonReader extends JsonLexer {
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
          p.add(
            'error',
            'too-deep',
            () => `nesting deeper than ${this.maxDepth} levels; the document is not read`,
            this.tokStart,
          );
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
        const what = this.eofInString ? `inside a string, expected '"'` : expectation(top);
        p.add(
          'error',
          'truncated',
          () =>
            `unexpected end of ${p.lineMode ? 'line' : 'file'}: ${what}; the ${p.lineMode ? 'record' : 'file'} looks cut off mid-write`,
          this.tokStart,
        );
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
          fail(() => `${expectation(top)}; found ${this.describe()}`);
        } else {
          fail(
            () =>
              `expected '${top.object ? '}' : ']'}' to close the ${top.object ? 'object' : 'array'} opened at ${p.where(top.open)}; found ${this.describe()}`,
          );
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
              if (top.state === O.Key)
                p.add(
                  'warning',
                  'trailing-comma',
                  () => `trailing ',' before '}' ignored (after property ${quote(top.key)})`,
                  top.comma,
                );
              close();
              recovering = false;
            } else {
              fail(
                () =>
                  `expected a property name in double quotes${top.state === O.Key ? " after ','" : " or '}'"}; found ${this.describe()}`,
              );
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
              p.add(
                'warning',
                'missing-comma',
                () =>
                  `expected ',' or '}' after property ${quote(top.key)}; found ${this.describe()} at ${p.where(this.tokStart)}, read as the next property`,
                top.valueEnd,
              );
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
              p.add(
                'warning',
                'missing-comma',
                () =>
                  `expected ',' or ']' after array element ${top.count}; found ${this.describe()} at ${p.where(this.tokStart)}, read as the next element`,
                top.valueEnd,
              );
              top.state = A.Value;
              continue;
            } else {
              fail(() => `expected ',' or ']' after array element ${top.count}; found ${this.describe()}`);
            }
            break;
          default: {
            // A.First, A.Value
            if (t === T.CloseBracket) {
              if (top.state === A.Value)
                p.add('warning', 'trailing-comma', "trailing ',' before ']' ignored", top.comma);
              close();
              recovering = false;
              break;
            }
            const begun = beginValue();
            if (begun === 'abort') return { value: undefined, complete: false };
            if (begun) recovering = false;
            else
              fail(
                () =>
                  `expected a value${top.state === A.Value ? " after ','" : " or ']'"}; found ${this.describe()}`,
              );
          }
        }
      }

      if (rootDone) return { value: root, complete: true };
      this.next();
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
      this.problems.add(
        'warning',
        'unsafe-key',
        'property "__proto__" ignored: it could change an object\'s prototype',
        at,
      );
      return;
    }
    top.keys ??= new Map();
    const earlier = top.keys.get(key);
    if (earlier !== undefined) {
      this.problems.add(
        'warning',
        'duplicate-key',
        () => `duplicate key ${quote(key)} (also at ${this.problems.where(earlier)}); the last value is used`,
        at,
      );
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
    this.problems.add(
      'warning',
      'number-with-thousands-separator',
      () => `value of ${quote(key)} is written ${written} with a thousands separator; read as ${value}`,
      top.numberStart,
    );
    top.valueEnd = pos;
    top.numberStart = -1;
    this.scanner.setPosition(pos);
    return true;
  }
}
