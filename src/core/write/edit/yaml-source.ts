// How a value is spelled in YAML text: scalar and key sources that no YAML reader (1.1 or
// 1.2) could read as anything else, the file's indentation step, new block and flow
// entries (see src/core/write/edit.ts).

import type { Scalar } from 'yaml';
import type { EditValue, SetWrite } from './shared.js';

export function sameScalar(a: unknown, b: EditValue): boolean {
  return a === b && typeof a === typeof b;
}

const YAML11_WORDS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL'.split(
    ' ',
  ),
);

/** A string that every YAML reader (1.1 or 1.2) reads back as exactly this string when unquoted. */
export function safePlain(s: string, inFlow: boolean): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_.\-/ ]*$/.test(s)) return false;
  if (s.endsWith(' ') || s.includes('  ')) return false;
  if (YAML11_WORDS.has(s)) return false;
  if (inFlow && /[,[\]{}]/.test(s)) return false;
  return true;
}

function doubleQuoted(s: string): string {
  // A JSON string is a valid YAML double-quoted scalar with the same value.
  return JSON.stringify(s);
}

export function yamlScalarSource(v: EditValue, type: Scalar['type'], inFlow: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (type === 'QUOTE_SINGLE' && !/[\u0000-\u001f\u007f\u2028\u2029\uFEFF]/.test(v))
    return `'${v.replace(/'/g, "''")}'`;
  if (type === 'QUOTE_DOUBLE') return doubleQuoted(v);
  return safePlain(v, inFlow) ? v : doubleQuoted(v);
}

function yamlKeySource(k: string, inFlow: boolean): string {
  return safePlain(k, inFlow) ? k : doubleQuoted(k);
}

function valueSource(v: EditValue, inFlow: boolean): string {
  return yamlScalarSource(v, 'PLAIN', inFlow);
}

/** Indentation step of the document: the smallest indentation of a non-blank, non-comment line. */
export function yamlStep(text: string): number {
  let best = Infinity;
  for (const line of text.split('\n', 2000)) {
    const m = /^( +)[^\s#]/.exec(line);
    if (m && m[1]!.length < best) best = m[1]!.length;
  }
  return best === Infinity ? 2 : best;
}

export function blockLines(
  keys: readonly string[],
  value: EditValue,
  indent: number,
  step: number,
  eol: string,
): string {
  let out = '';
  keys.forEach((k, i) => {
    const pad = ' '.repeat(indent + i * step);
    const last = i === keys.length - 1;
    out += pad + yamlKeySource(k, false) + ':' + (last ? ' ' + valueSource(value, false) : '') + eol;
  });
  return out;
}

export function flowEntry(keys: readonly string[], value: EditValue, pad: string): string {
  let inner = valueSource(value, true);
  for (let i = keys.length - 1; i >= 1; i--)
    inner = `{${pad}${yamlKeySource(keys[i]!, true)}: ${inner}${pad}}`;
  return `${yamlKeySource(keys[0]!, true)}: ${inner}`;
}

export function insertIntoEmptyDocument(text: string, w: SetWrite, eol: string): string {
  const lines = blockLines(w.path, w.after, 0, yamlStep(text), eol);
  if (text === '' || text.endsWith('\n')) return text + lines;
  return text + eol + lines.slice(0, -eol.length);
}

export function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}
