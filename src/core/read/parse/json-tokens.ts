// The recovering JSON reader's vocabulary: jsonc-parser's token kinds, the frame states,
// string decoding that keeps what jsonc-parser drops, and the words messages use.

import { quote } from './text.js';

/** jsonc-parser SyntaxKind and ScanError values (its const enums cannot be imported
 * under isolatedModules). */
export const T = {
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
export const E = { None: 0, EndOfComment: 1, EndOfString: 2, EndOfNumber: 3 } as const;

/** Object frame states. */
export const enum O {
  First, // after '{': a key or '}'
  Key, // after ',': a key (or '}' - trailing comma)
  Colon, // after a key
  Value, // after ':'
  After, // after a value: ',' or '}'
}
/** Array frame states. */
export const enum A {
  First, // after '[': a value or ']'
  Value, // after ',': a value (or ']' - trailing comma)
  After, // after a value: ',' or ']'
}

export interface Frame {
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

export interface ReadValue {
  value: unknown;
  /** The value ended normally (its closing bracket was read). */
  complete: boolean;
}

export function isValueStart(t: number): boolean {
  return (
    t === T.OpenBrace ||
    t === T.OpenBracket ||
    t === T.String ||
    t === T.Number ||
    t === T.True ||
    t === T.False ||
    t === T.Null
  );
}

/** Decodes a JSON string body, keeping invalid escapes and raw control characters as
 * written (jsonc-parser drops them); reports the first of each. */
export function decodeJsonString(body: string): { value: string; badEscape: number; control: number } {
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

/** What the frame expects next, for messages. */
export function expectation(top: Frame): string {
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

/** The token at hand, as messages name it (`found ...`). */
export function describeToken(t: number, raw: string, stringValue: () => string): string {
  switch (t) {
    case T.EOF:
      return 'the end of the file';
    case T.String:
      return `the string ${quote(stringValue(), 40)}`;
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
