// Editing JSON text: jsonc-parser's `modify` computes each edit, laid out as the file is
// (see src/core/write/edit.ts).

import {
  applyEdits,
  format as formatJson,
  modify,
  parseTree,
  printParseErrorCode,
  type FormattingOptions,
  type Node as JsonNode,
  type ParseError,
} from 'jsonc-parser';
import { lineColumn } from '../../read/parse.js';
import { isRecord } from '../../record.js';
import {
  batchReplacements,
  defineOwn,
  eolOf,
  fail,
  modelApply,
  sameValue,
  showPath,
  spliceAll,
  toModel,
  type EditResult,
  type EditWrite,
  type SetWrite,
} from './shared.js';

// ---------------------------------------------------------------------------------------
// JSON

const JSONC_OPTIONS = { allowTrailingComma: true, disallowComments: false, allowEmptyContent: false };

interface JsonLayout {
  multiline: boolean;
  formatting: FormattingOptions;
  /** Separators used on a one-line file. */
  itemSep: string;
  keySep: string;
}

function inferJsonLayout(text: string): JsonLayout {
  const eol = eolOf(text);
  const trimmed = text.trim();
  const multiline = /[\r\n]/.test(trimmed);
  let insertSpaces = true;
  let tabSize = 2;
  let best = Infinity;
  const lines = text.split('\n', 2000);
  for (const line of lines.slice(1)) {
    const m = /^[ \t]+(?=\S)/.exec(line);
    if (!m) continue;
    if (m[0].startsWith('\t')) {
      insertSpaces = false;
      tabSize = 4;
      break;
    }
    if (m[0].length < best) best = m[0].length;
  }
  if (insertSpaces && best !== Infinity) tabSize = best;
  return {
    multiline,
    formatting: { tabSize, insertSpaces, eol, insertFinalNewline: false, keepLines: false },
    ...inferSeparators(trimmed),
  };
}

/** The value of a parsed JSON tree (duplicate keys: last wins, as JSON.parse). */
function jsonValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const p of node.children ?? []) {
        const k = p.children?.[0];
        const v = p.children?.[1];
        if (k && v) defineOwn(out, String(k.value), jsonValue(v));
      }
      return out;
    }
    case 'array':
      return (node.children ?? []).map(jsonValue);
    default:
      return node.value as unknown;
  }
}

function describeJson(node: JsonNode): string {
  switch (node.type) {
    case 'object':
      return 'an object';
    case 'array':
      return 'a list';
    case 'null':
      return 'null';
    default:
      return `a ${node.type}`;
  }
}

/**
 * The value of clean JSON text by the native parser (fast), or undefined when the text
 * needs the tolerant reader (trailing commas, comments) or repeats a key (where
 * JSON.parse and the tree could disagree about which one counts).
 */
function plainJson(text: string): unknown {
  try {
    const v: unknown = JSON.parse(text);
    return hasProtoKey(v) ? undefined : v;
  } catch {
    return undefined;
  }
}

/** JSON.parse makes an own `__proto__` key; the tree path treats keys as plain data too, but keep to one reader. */
function hasProtoKey(v: unknown): boolean {
  const stack = [v];
  while (stack.length > 0) {
    const x = stack.pop();
    if (typeof x !== 'object' || x === null) continue;
    if (!Array.isArray(x) && Object.prototype.hasOwnProperty.call(x, '__proto__')) return true;
    for (const c of Object.values(x as object)) if (typeof c === 'object' && c !== null) stack.push(c);
  }
  return false;
}

function parseJsonStrict(text: string): { ok: true; root: JsonNode } | { ok: false; message: string } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, JSONC_OPTIONS);
  if (errors.length > 0) {
    const e = errors[0]!;
    // Counted as the parser counts (parse.ts: code points, CR/CRLF/LF breaks), so a refusal and a diagnostic agree.
    const { line, column } = lineColumn(text, e.offset);
    return {
      ok: false,
      message: `not clean JSON at line ${line}, column ${column} (${printParseErrorCode(e.error)}); not edited`,
    };
  }
  if (!root || root.type !== 'object')
    return {
      ok: false,
      message: `top level is ${root ? describeJson(root) : 'empty'}, not an object; not edited`,
    };
  return { ok: true, root };
}

export function editJson(text: string, writes: readonly EditWrite[]): EditResult {
  if (text.trim() === '') {
    // A new (or empty) file: nothing to keep, so lay it out plainly.
    return { ok: true, text: JSON.stringify(modelApply({}, toModel(writes)), null, 2) + '\n' };
  }
  const first = parseJsonStrict(text);
  if (!first.ok) return fail(first.message);
  const layout = inferJsonLayout(text);
  let cur = text;
  let root = first.root;
  // Fast path: replacing values that already exist needs one parse for all of them, not
  // one per write (a resolve of thousands of agents would otherwise be quadratic).
  const batch = batchReplacements(writes, (w) => {
    const node = findJson(root, w.path);
    if (node === null || typeof node === 'string' || node.type === 'object' || node.type === 'array')
      return null;
    return node.value === w.after
      ? { offset: node.offset, length: node.length, content: null }
      : { offset: node.offset, length: node.length, content: JSON.stringify(w.after) };
  });
  if (batch.edits.length > 0) {
    const next = spliceAll(cur, batch.edits);
    if (batch.rest.length === 0) {
      // Nothing left that needs node offsets: check the whole result once and finish.
      const value =
        plainJson(next) ??
        (parseJsonStrict(next).ok
          ? jsonValue((parseJsonStrict(next) as { root: JsonNode }).root)
          : undefined);
      if (value === undefined) return fail('editing would not give clean JSON; not edited');
      const expected = modelApply(plainJson(text) ?? jsonValue(first.root), toModel(writes));
      if (!sameValue(value, expected))
        return fail('the edited JSON would not hold exactly the planned values; not edited');
      return { ok: true, text: next };
    }
    const again = parseJsonStrict(next);
    if (!again.ok) return fail('editing would not give clean JSON; not edited');
    cur = next;
    root = again.root;
  }
  for (const w of batch.rest) {
    const r =
      w.after === undefined ? removeJson(cur, root, w) : editJsonOnce(cur, root, w as SetWrite, layout);
    if (!r.ok) return r;
    if (r.text !== cur) {
      const again = parseJsonStrict(r.text);
      if (!again.ok) return fail(`editing ${showPath(w.path)} would not give clean JSON; not edited`);
      cur = r.text;
      root = again.root;
    }
  }
  const expected = modelApply(plainJson(text) ?? jsonValue(first.root), toModel(writes));
  if (!sameValue(plainJson(cur) ?? jsonValue(root), expected))
    return fail('the edited JSON would not hold exactly the planned values; not edited');
  return { ok: true, text: cur };
}

/** The value node at `path`, or null when the path does not lead to one (duplicates: error text). */
function findJson(root: JsonNode, path: readonly string[]): JsonNode | null | string {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (node.type !== 'object') return null;
    const matches = jsonProps(node, path[i]!);
    if (matches.length > 1)
      return `cannot write ${showPath(path)}: key ${JSON.stringify(path[i])} appears ${matches.length} times in its object`;
    const value = matches[0]?.children?.[1];
    if (!value) return null;
    node = value;
  }
  return node;
}

/** Removes the key at `w.path` with its separator; nothing to do when it is absent. */
function removeJson(text: string, root: JsonNode, w: EditWrite): EditResult {
  const node = findJson(root, w.path);
  if (typeof node === 'string') return fail(node);
  if (node === null) return { ok: true, text };
  if (node.type === 'object' || node.type === 'array')
    return fail(`cannot remove ${showPath(w.path)}: it holds ${describeJson(node)}, not a single value`);
  const prop = node.parent;
  const obj = prop?.parent;
  const siblings = obj?.children ?? [];
  const i = prop ? siblings.indexOf(prop) : -1;
  if (!prop || !obj || i < 0) return fail(`cannot remove ${showPath(w.path)}: unexpected document shape`);
  let start: number;
  let end: number;
  if (siblings.length === 1) {
    // The only key: `{ "a": 1 }` becomes `{}`.
    start = obj.offset + 1;
    end = obj.offset + obj.length - 1;
  } else if (i > 0) {
    // From the end of the previous entry: `, "b": 2` goes, the line break after it stays.
    const prev = siblings[i - 1]!;
    start = prev.offset + prev.length;
    end = prop.offset + prop.length;
  } else {
    // The first of several: up to where the next entry starts.
    start = prop.offset;
    end = siblings[1]!.offset;
  }
  return { ok: true, text: text.slice(0, start) + text.slice(end) };
}

function editJsonOnce(text: string, root: JsonNode, w: SetWrite, layout: JsonLayout): EditResult {
  let node = root;
  let missingAt = -1;
  for (let i = 0; i < w.path.length; i++) {
    const seg = w.path[i]!;
    if (node.type !== 'object') {
      return fail(
        `cannot write ${showPath(w.path)}: ${showPath(w.path.slice(0, i))} holds ${describeJson(node)}, not an object`,
      );
    }
    const matches = jsonProps(node, seg);
    if (matches.length > 1)
      return fail(
        `cannot write ${showPath(w.path)}: key ${JSON.stringify(seg)} appears ${matches.length} times in its object`,
      );
    const value = matches[0]?.children?.[1];
    if (!value) {
      missingAt = i;
      break;
    }
    node = value;
  }
  if (missingAt < 0) {
    if (node.type === 'object' || node.type === 'array')
      return fail(`cannot write ${showPath(w.path)}: it holds ${describeJson(node)}, not a single value`);
    if (node.value === w.after) return { ok: true, text }; // unchanged: leave the bytes alone
    const edits = modify(text, [...w.path], w.after, {});
    return { ok: true, text: applyEdits(text, edits) };
  }
  // Insertion of w.path[missingAt] (and nested objects for the rest) into `node`.
  const edits = modify(text, [...w.path], w.after, {});
  if (edits.length !== 1) return fail(`cannot write ${showPath(w.path)}: unexpected edit shape`);
  let edit = edits[0]!;
  const parentEmpty = (node.children ?? []).length === 0;
  const parentText = text.slice(node.offset, node.offset + node.length);
  // A one-line file, or a one-line object in a multi-line file (`"a": {"x": 1}`), stays on one line.
  if (!layout.multiline || (!parentEmpty && !/[\r\n]/.test(parentText))) {
    const seps = !parentEmpty && layout.multiline ? inferSeparators(parentText) : layout;
    let nested: unknown = w.after;
    for (let i = w.path.length - 1; i > missingAt; i--) {
      const o: Record<string, unknown> = {};
      defineOwn(o, w.path[i]!, nested);
      nested = o;
    }
    const prop = JSON.stringify(w.path[missingAt]) + seps.keySep + compactJson(nested, seps);
    const content = parentEmpty
      ? prop
      : edit.content.startsWith(',')
        ? seps.itemSep + prop
        : prop + seps.itemSep;
    edit = { ...edit, content };
    return { ok: true, text: applyEdits(text, [edit]) };
  }
  const next = applyEdits(text, [edit]);
  // Lay out only the inserted text (and, for an empty object, its braces).
  const range = parentEmpty
    ? { offset: node.offset, length: node.length + edit.content.length }
    : { offset: edit.offset, length: edit.content.length };
  const fmt = formatJson(next, range, layout.formatting);
  return { ok: true, text: applyEdits(next, fmt) };
}

function inferSeparators(text: string): { itemSep: string; keySep: string } {
  const keySep = /":[ \t]/.test(text) ? ': ' : ':';
  // With no comma to learn from (one entry), follow the key separator: `{"a": 1, "b": 2}`, `{"a":1,"b":2}`.
  const itemSep = /,[ \t]+["{[\d\-tfn]/.test(text)
    ? ', '
    : text.includes(',')
      ? ','
      : keySep === ': '
        ? ', '
        : ',';
  return { itemSep, keySep };
}

function compactJson(v: unknown, layout: { itemSep: string; keySep: string }): string {
  if (isRecord(v)) {
    return (
      '{' +
      Object.keys(v)
        .map((k) => JSON.stringify(k) + layout.keySep + compactJson(v[k], layout))
        .join(layout.itemSep) +
      '}'
    );
  }
  return JSON.stringify(v);
}

const jsonIndex = new WeakMap<JsonNode, Map<unknown, JsonNode[]>>();
/** The property nodes of an object node with a given key (several when the key repeats). */
function jsonProps(node: JsonNode, key: string): JsonNode[] {
  let index = jsonIndex.get(node);
  if (!index) {
    index = new Map();
    for (const p of node.children ?? []) {
      const k = p.children?.[0]?.value;
      const list = index.get(k);
      if (list) list.push(p);
      else index.set(k, [p]);
    }
    jsonIndex.set(node, index);
  }
  return index.get(key) ?? [];
}
