// A small XML well-formedness checker for snapshot tests (no dependency): one root
// element, balanced tags, quoted and unique attributes, only the five predefined or
// numeric entity references, no raw `<` or `&` in text, only characters XML 1.0 allows.
// Also `xmllint --noout` when it is installed, as a second opinion.
import { spawnSync } from 'node:child_process';

const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const XML_CHARS = /^[\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;

function checkText(text: string, where: number): void {
  if (text.includes('<')) throw new Error(`raw '<' in text at ${where}`);
  for (const m of text.matchAll(/&/g)) {
    const rest = text.slice(m.index);
    if (!/^&(?:amp|lt|gt|quot|apos|#[0-9]+|#x[0-9A-Fa-f]+);/.test(rest))
      throw new Error(`bad entity reference at ${where + m.index}: ${rest.slice(0, 12)}`);
  }
}

/** Throws with the offset of the first problem; returns the names of all elements. */
export function checkWellFormed(xml: string): string[] {
  if (!XML_CHARS.test(xml)) throw new Error('characters XML does not allow');
  const stack: string[] = [];
  const names: string[] = [];
  let sawRoot = false;
  let i = 0;
  if (xml.startsWith('<?xml')) i = xml.indexOf('?>') + 2;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const text = xml.slice(i, lt < 0 ? xml.length : lt);
    checkText(text, i);
    if (stack.length === 0 && text.trim() !== '') throw new Error(`text outside the root element at ${i}`);
    if (lt < 0) break;
    i = lt;
    if (xml.startsWith('<!--', i)) {
      const end = xml.indexOf('-->', i + 4);
      if (end < 0) throw new Error(`unclosed comment at ${i}`);
      i = end + 3;
      continue;
    }
    if (xml.startsWith('</', i)) {
      const m = NAME.exec(xml.slice(i + 2));
      const name = m?.[0] ?? '';
      if (stack.pop() !== name) throw new Error(`unexpected </${name}> at ${i}`);
      const close = xml.indexOf('>', i);
      if (xml.slice(i + 2 + name.length, close).trim() !== '') throw new Error(`junk in </${name}> at ${i}`);
      i = close + 1;
      continue;
    }
    const m = NAME.exec(xml.slice(i + 1));
    if (!m) throw new Error(`bad tag at ${i}`);
    const name = m[0];
    if (stack.length === 0 && sawRoot) throw new Error(`a second root element <${name}> at ${i}`);
    sawRoot = true;
    names.push(name);
    let j = i + 1 + name.length;
    const seen = new Set<string>();
    for (;;) {
      while (/\s/.test(xml[j] ?? '')) j++;
      if (xml.startsWith('/>', j)) {
        j += 2;
        break;
      }
      if (xml[j] === '>') {
        stack.push(name);
        j += 1;
        break;
      }
      const a = NAME.exec(xml.slice(j));
      if (!a || !/\s/.test(xml[j - 1] ?? '')) throw new Error(`bad attribute in <${name}> at ${j}`);
      if (seen.has(a[0])) throw new Error(`duplicate attribute ${a[0]} at ${j}`);
      seen.add(a[0]);
      j += a[0].length;
      if (xml[j] !== '=') throw new Error(`attribute without a value at ${j}`);
      const q = xml[j + 1];
      if (q !== '"' && q !== "'") throw new Error(`unquoted attribute at ${j}`);
      const end = xml.indexOf(q, j + 2);
      if (end < 0) throw new Error(`unterminated attribute at ${j}`);
      checkText(xml.slice(j + 2, end), j + 2);
      j = end + 1;
    }
    i = j;
  }
  if (stack.length > 0) throw new Error(`unclosed <${stack[stack.length - 1]}>`);
  if (!sawRoot) throw new Error('no root element');
  return names;
}

/** `xmllint --noout` on the text: null when xmllint is not installed, else its complaint ('' = fine). */
export function xmllint(xml: string): string | null {
  const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  if (r.error) return null;
  return r.status === 0 ? '' : r.stderr;
}
