// Applying planned writes to a document's TEXT, changing only the named values (pure).
//
// The model of a write is `applyWrites` in plan.ts (a parsed value in, a parsed value out).
// This module does the same to the text so that everything else stays byte for byte: the
// other keys and their order, indentation, line endings, a BOM, comments, quote styles.
// Every result is checked against the model before it is returned: the edited text is
// parsed again and must equal `applyWrites(parse(original), writes)`. Anything we cannot
// do precisely is refused with a message (ok:false); we never write over a file we cannot
// read precisely.
//
// Deliberately stricter than plan.ts's model (which replaces whatever is in the way):
// - a path that runs through something that is not an object/mapping (a list, a string,
//   null, an empty YAML value) is refused, not overwritten with a fresh object;
// - a path that ends at an object or a list is refused (a write sets a single value);
// - a path segment that matches two keys (duplicate keys) is refused;
// - numbers must be finite (NaN and Infinity have no JSON spelling).
// And one addition: `after: undefined` removes the key (undo of a resolve that created
// it). Objects on the way stay, even when they become empty (`{}`); removing an object or
// a list is refused; removing a key that is not there changes nothing.
//
// JSON: jsonc-parser's `modify` computes the edit; a changed value is replaced in place, a
// new key is appended to its object and only the inserted text is laid out, with the
// indentation (spaces/tabs and width) and line ending found in the file. On a one-line
// (minified) file, or into a one-line object, the insertion stays on that line, with the
// separators found there. A removed key takes its separator and its line with it.
// A comment after the last value of an object ends up after the inserted key.
//
// YAML: edited at the text level from the `yaml` library's source ranges, never by
// re-printing the document (`Document#toString` would re-flow it: it drops the spacing
// before inline comments, normalises flow-collection padding and indentation of
// sequences, may re-fold long strings, and loses `~` vs `null` and the like). So:
// - a changed value replaces exactly the characters of the old scalar; its quote style is
//   kept (plain stays plain when the new value is safe unquoted, else it becomes
//   double-quoted; single and double quotes stay as they were); booleans, numbers and
//   null are written plain;
// - a new key is added as a new line after the last entry of its block mapping (at that
//   mapping's indentation, before any comment lines that follow the entry), or as
//   `, key: value` at the end of a flow mapping `{...}`; missing intermediate mappings are
//   created as nested block mappings (the file's indentation step) or nested flow maps;
// - a removed key takes its whole line (block) or its `, key: value` (flow) with it; the
//   only entry of a nested block mapping becomes `key: {}`;
// - refused: block scalars (`|`, `>`) as the value to change, anchored values (`&a`) and
//   aliases (`*a`), streams of several documents, documents with errors.
// New plain strings are only written unquoted when no YAML reader (1.1 or 1.2) could read
// them as anything but that string (`yes`, `on`, `2025-09-14`, `1e3` are quoted).

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
import { isAlias, isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node as YamlNode, type Pair, type Scalar, type YAMLMap } from 'yaml';
import { mayRepeatKeys, pairsFor, pathInFlow } from './yaml-keys.js';
import type { DataFormat } from './types.js';
import { isRecord } from './record.js';
import { lineColumn } from './parse.js';

export type EditValue = string | number | boolean | null;
export interface EditWrite {
  path: readonly string[];
  /** The value to set; `undefined` removes the key (used by undo when a resolve created it). */
  after: EditValue | undefined;
}
type SetWrite = EditWrite & { after: EditValue };
export type EditResult = { ok: true; text: string } | { ok: false; message: string };

const BOM = '\uFEFF';

/** Applies `writes` (in order) to `text`, changing nothing else. Never throws. */
export function editDocument(text: string, format: DataFormat, writes: readonly EditWrite[]): EditResult {
  try {
    const bom = text.startsWith(BOM);
    const body = bom ? text.slice(1) : text;
    const clean: EditWrite[] = [];
    for (const w of writes) {
      const problem = checkWrite(w);
      if (problem) return { ok: false, message: problem };
      // -0 has no spelling of its own in JSON or YAML text; it is written (and compared) as 0.
      clean.push({ path: w.path, after: Object.is(w.after, -0) ? 0 : w.after });
    }
    const r = format === 'yaml' ? editYaml(body, clean) : editJson(body, clean);
    return r.ok && bom ? { ok: true, text: BOM + r.text } : r;
  } catch (e) {
    // Defensive: the libraries throw on states we believe unreachable. Never let it escape.
    const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
    return { ok: false, message: `internal error while editing (${why}); not edited` };
  }
}

interface Splice {
  offset: number;
  length: number;
  /** New text, or null when the value is already what the write asks for. */
  content: string | null;
}

/**
 * Split writes into replacements of values that exist (done together from one parse) and
 * the rest (insertions, removals: done one by one, as before). Only when every path is
 * written once, so that order cannot matter.
 */
function batchReplacements(writes: readonly EditWrite[], locate: (w: EditWrite) => Splice | null): { edits: Splice[]; rest: EditWrite[] } {
  const keys = new Set(writes.map((w) => w.path.join('\u0000')));
  if (keys.size !== writes.length || writes.length < 2) return { edits: [], rest: [...writes] };
  const edits: Splice[] = [];
  const rest: EditWrite[] = [];
  for (const w of writes) {
    const splice = w.after === undefined ? null : locate(w);
    if (splice === null) rest.push(w);
    else if (splice.content !== null) edits.push(splice);
  }
  return { edits, rest };
}

/** Apply non-overlapping splices in one pass. */
function spliceAll(text: string, edits: readonly Splice[]): string {
  const sorted = [...edits].sort((a, b) => a.offset - b.offset);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.offset < at) throw new Error('overlapping edits');
    out += text.slice(at, e.offset) + (e.content ?? text.slice(e.offset, e.offset + e.length));
    at = e.offset + e.length;
  }
  return out + text.slice(at);
}

function checkWrite(w: EditWrite): string | null {
  if (!Array.isArray(w.path) || w.path.length === 0) return 'a write needs a non-empty key path';
  if (w.path.some((s) => typeof s !== 'string')) return `key path ${showPath(w.path)} has a segment that is not a string`;
  const a: unknown = w.after;
  if (a === undefined) return null;
  if (typeof a === 'number' && !Number.isFinite(a)) return `cannot write ${String(a)} at ${showPath(w.path)}: not a finite number`;
  if (!(a === null || typeof a === 'string' || typeof a === 'number' || typeof a === 'boolean')) return `cannot write a ${typeof a} at ${showPath(w.path)}: only strings, numbers, booleans and null`;
  return null;
}

function showPath(path: readonly string[]): string {
  return path.map((s) => (/^[A-Za-z0-9_-]+$/.test(s) ? s : JSON.stringify(s))).join('.');
}

function fail(message: string): EditResult {
  return { ok: false, message };
}

function eolOf(text: string): '\n' | '\r\n' {
  const i = text.indexOf('\n');
  return i > 0 && text[i - 1] === '\r' ? '\r\n' : '\n';
}

function toModel(writes: readonly EditWrite[]): { path: string[]; after: EditValue | undefined }[] {
  return writes.map((w) => ({ path: [...w.path], after: w.after }));
}

// ---------------------------------------------------------------------------------------
// The model, restated here so this module stays independent of PlannedWrite's other fields
// and can express removals. For sets it is plan.ts's applyWrites (a property test checks
// that editDocument agrees with applyWrites itself).

function defineOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

function modelApply(doc: unknown, writes: readonly { path: string[]; after: EditValue | undefined }[]): unknown {
  const copy: unknown = structuredClone(doc);
  for (const w of writes) {
    if (!isRecord(copy)) throw new Error('top level is not an object');
    if (w.after === undefined) {
      // Removal: the key goes if it is there; objects on the way stay.
      let at: unknown = copy;
      for (const key of w.path.slice(0, -1)) at = isRecord(at) && Object.prototype.hasOwnProperty.call(at, key) ? at[key] : undefined;
      if (isRecord(at)) delete at[w.path[w.path.length - 1]!];
      continue;
    }
    let cur: Record<string, unknown> = copy;
    for (const key of w.path.slice(0, -1)) {
      const next = Object.prototype.hasOwnProperty.call(cur, key) ? cur[key] : undefined;
      if (isRecord(next)) cur = next;
      else {
        const created: Record<string, unknown> = {};
        defineOwn(cur, key, created);
        cur = created;
      }
    }
    defineOwn(cur, w.path[w.path.length - 1]!, w.after);
  }
  return copy;
}

/** Structural equality of parsed documents (0 and -0 equal; NaN equals NaN). */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => sameValue(x, b[i]));
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (!isRecord(a) || !isRecord(b)) return String(a) === String(b);
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameValue(a[k], b[k]));
}

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
    return { ok: false, message: `not clean JSON at line ${line}, column ${column} (${printParseErrorCode(e.error)}); not edited` };
  }
  if (!root || root.type !== 'object') return { ok: false, message: `top level is ${root ? describeJson(root) : 'empty'}, not an object; not edited` };
  return { ok: true, root };
}

function editJson(text: string, writes: readonly EditWrite[]): EditResult {
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
    if (node === null || typeof node === 'string' || node.type === 'object' || node.type === 'array') return null;
    return node.value === w.after ? { offset: node.offset, length: node.length, content: null } : { offset: node.offset, length: node.length, content: JSON.stringify(w.after) };
  });
  if (batch.edits.length > 0) {
    const next = spliceAll(cur, batch.edits);
    if (batch.rest.length === 0) {
      // Nothing left that needs node offsets: check the whole result once and finish.
      const value = plainJson(next) ?? (parseJsonStrict(next).ok ? jsonValue((parseJsonStrict(next) as { root: JsonNode }).root) : undefined);
      if (value === undefined) return fail('editing would not give clean JSON; not edited');
      const expected = modelApply(plainJson(text) ?? jsonValue(first.root), toModel(writes));
      if (!sameValue(value, expected)) return fail('the edited JSON would not hold exactly the planned values; not edited');
      return { ok: true, text: next };
    }
    const again = parseJsonStrict(next);
    if (!again.ok) return fail('editing would not give clean JSON; not edited');
    cur = next;
    root = again.root;
  }
  for (const w of batch.rest) {
    const r = w.after === undefined ? removeJson(cur, root, w) : editJsonOnce(cur, root, w as SetWrite, layout);
    if (!r.ok) return r;
    if (r.text !== cur) {
      const again = parseJsonStrict(r.text);
      if (!again.ok) return fail(`editing ${showPath(w.path)} would not give clean JSON; not edited`);
      cur = r.text;
      root = again.root;
    }
  }
  const expected = modelApply(plainJson(text) ?? jsonValue(first.root), toModel(writes));
  if (!sameValue(plainJson(cur) ?? jsonValue(root), expected)) return fail('the edited JSON would not hold exactly the planned values; not edited');
  return { ok: true, text: cur };
}

/** The value node at `path`, or null when the path does not lead to one (duplicates: error text). */
function findJson(root: JsonNode, path: readonly string[]): JsonNode | null | string {
  let node = root;
  for (let i = 0; i < path.length; i++) {
    if (node.type !== 'object') return null;
    const matches = jsonProps(node, path[i]!);
    if (matches.length > 1) return `cannot write ${showPath(path)}: key ${JSON.stringify(path[i])} appears ${matches.length} times in its object`;
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
  if (node.type === 'object' || node.type === 'array') return fail(`cannot remove ${showPath(w.path)}: it holds ${describeJson(node)}, not a single value`);
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
      return fail(`cannot write ${showPath(w.path)}: ${showPath(w.path.slice(0, i))} holds ${describeJson(node)}, not an object`);
    }
    const matches = jsonProps(node, seg);
    if (matches.length > 1) return fail(`cannot write ${showPath(w.path)}: key ${JSON.stringify(seg)} appears ${matches.length} times in its object`);
    const value = matches[0]?.children?.[1];
    if (!value) {
      missingAt = i;
      break;
    }
    node = value;
  }
  if (missingAt < 0) {
    if (node.type === 'object' || node.type === 'array') return fail(`cannot write ${showPath(w.path)}: it holds ${describeJson(node)}, not a single value`);
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
    const content = parentEmpty ? prop : edit.content.startsWith(',') ? seps.itemSep + prop : prop + seps.itemSep;
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
  const itemSep = /,[ \t]+["{[\d\-tfn]/.test(text) ? ', ' : text.includes(',') ? ',' : keySep === ': ' ? ', ' : ',';
  return { itemSep, keySep };
}

function compactJson(v: unknown, layout: { itemSep: string; keySep: string }): string {
  if (isRecord(v)) {
    return '{' + Object.keys(v).map((k) => JSON.stringify(k) + layout.keySep + compactJson(v[k], layout)).join(layout.itemSep) + '}';
  }
  return JSON.stringify(v);
}

// ---------------------------------------------------------------------------------------
// YAML

type YamlDoc = Document.Parsed;

function yamlErrors(doc: YamlDoc, text: string): string | null {
  const e = doc.errors[0];
  if (!e) return null;
  // yaml's own columns count UTF-16 units; say it as the parser does (parse.ts: code points).
  const at = e.pos?.[0] !== undefined ? lineColumn(text, e.pos[0]) : null;
  const where = at ? ` at line ${at.line}, column ${at.column}` : '';
  const what = e.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  return `not clean YAML${where} (${what}); not edited`;
}

function parseYamlStrict(text: string): { ok: true; doc: YamlDoc } | { ok: false; message: string } {
  // Parsed once without the library's quadratic repeated-key check (src/core/yaml-keys.ts);
  // parsed again with it only when the document has an error or may repeat a key, so that
  // the message is the library's.
  const all = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  if (Array.isArray(all) && all.length > 1) return { ok: false, message: `file holds ${all.length} YAML documents; only single-document files are edited` };
  let doc = Array.isArray(all) && all.length === 1 ? all[0]! : null;
  if (doc === null || doc.errors.length > 0 || mayRepeatKeys(doc)) doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = yamlErrors(doc, text);
  if (err) return { ok: false, message: err };
  const c = doc.contents;
  if (c !== null && !isMap(c)) return { ok: false, message: `top level is ${describeYaml(c)}, not a mapping; not edited` };
  return { ok: true, doc };
}

function yamlValue(doc: YamlDoc): unknown {
  const v: unknown = doc.toJS({ maxAliasCount: 1000 });
  return v === null || v === undefined ? {} : v;
}

function describeYaml(n: unknown): string {
  if (isMap(n)) return 'a mapping';
  if (isSeq(n)) return 'a list';
  if (isAlias(n)) return 'an alias';
  if (isScalar(n)) {
    if (n.value === null) return 'null (an empty value)';
    if (typeof n.value === 'string') return 'a string';
    return `a ${typeof n.value}`;
  }
  return 'nothing';
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

function editYaml(text: string, writes: readonly EditWrite[]): EditResult {
  const first = parseYamlStrict(text);
  if (!first.ok) return fail(first.message);
  let before: unknown;
  try {
    before = yamlValue(first.doc);
  } catch (e) {
    return fail(`YAML cannot be read as plain data (${e instanceof Error ? e.message : String(e)}); not edited`);
  }
  let cur = text;
  let doc = first.doc;
  const batch = batchReplacements(writes, (w) => {
    let node: unknown = doc.contents;
    for (const seg of w.path) {
      if (!isMap(node)) return null;
      const matches = pairsFor(node, seg);
      if (matches.length !== 1) return null;
      node = matches[0]!.value;
    }
    if (!isScalar(node) || !node.range || isAlias(node)) return null;
    const scalar = node as Scalar;
    if (scalar.anchor || scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED' || scalar.range![0] === scalar.range![1]) return null;
    const [start, end] = scalar.range!;
    if (sameScalar(scalar.value, w.after as EditValue)) return { offset: start, length: end - start, content: null };
    return { offset: start, length: end - start, content: yamlScalarSource(w.after as EditValue, scalar.type, pathInFlow(doc.contents, w.path)) };
  });
  if (batch.edits.length > 0) {
    const next = spliceAll(cur, batch.edits);
    const again = parseYamlStrict(next);
    if (!again.ok) return fail('editing would not give clean YAML; not edited');
    cur = next;
    doc = again.doc;
  }
  for (const w of batch.rest) {
    const r = w.after === undefined ? removeYaml(cur, doc, w) : editYamlOnce(cur, doc, w as SetWrite);
    if (!r.ok) return r;
    if (r.text !== cur) {
      const again = parseYamlStrict(r.text);
      if (!again.ok) return fail(`editing ${showPath(w.path)} would not give clean YAML; not edited`);
      cur = r.text;
      doc = again.doc;
    }
  }
  let after: unknown;
  try {
    after = yamlValue(doc);
  } catch {
    return fail('the edited YAML cannot be read back; not edited');
  }
  if (!sameValue(after, modelApply(before, toModel(writes)))) return fail('the edited YAML would not hold exactly the planned values; not edited');
  return { ok: true, text: cur };
}

/** Removes the key at `w.path` (its whole line in a block mapping); nothing to do when absent. */
function removeYaml(text: string, doc: YamlDoc, w: EditWrite): EditResult {
  let map: unknown = doc.contents;
  let pair: Pair | undefined;
  let parentPair: Pair | null = null;
  for (let i = 0; i < w.path.length; i++) {
    if (!isMap(map)) return { ok: true, text };
    const matches = pairsFor(map, w.path[i]!);
    if (matches.length > 1) return fail(`cannot remove ${showPath(w.path)}: key ${JSON.stringify(w.path[i])} appears ${matches.length} times in its mapping`);
    pair = matches[0];
    if (!pair) return { ok: true, text };
    if (i < w.path.length - 1) {
      parentPair = pair;
      map = pair.value;
    }
  }
  if (!pair || !isMap(map)) return { ok: true, text };
  const value = pair.value;
  if (isMap(value) || isSeq(value) || isAlias(value)) return fail(`cannot remove ${showPath(w.path)}: it holds ${describeYaml(value)}, not a single value`);
  if (isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED' || value.anchor)) {
    return fail(`cannot remove ${showPath(w.path)}: its value is a block scalar or anchored`);
  }
  const key = pair.key as YamlNode | null;
  const end = pairEnd(pair);
  if (!key?.range || end === null || !map.range) return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
  const items = map.items;
  const i = items.indexOf(pair);
  if (map.flow) {
    let start: number;
    let stop: number;
    if (items.length === 1) {
      start = key.range[0];
      stop = end;
    } else if (i > 0) {
      const prevEnd = pairEnd(items[i - 1]!);
      if (prevEnd === null) return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
      start = prevEnd;
      stop = end;
    } else {
      const nextKey = items[1]!.key as YamlNode | null;
      if (!nextKey?.range) return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
      start = key.range[0];
      stop = nextKey.range[0];
    }
    return { ok: true, text: text.slice(0, start) + text.slice(stop) };
  }
  // Block mapping: the entry's lines go (from its key's line start to the end of its value's line).
  const lineStart = lineStartOf(text, key.range[0]);
  if (text.slice(lineStart, key.range[0]).trim() !== '') return fail(`cannot remove ${showPath(w.path)}: its key does not start a line`);
  let stop = end;
  if (!(stop > 0 && text[stop - 1] === '\n')) {
    const nl = text.indexOf('\n', stop);
    stop = nl < 0 ? text.length : nl + 1;
  }
  if (items.length > 1 || !parentPair) {
    // (The only entry at the top level: the document is left with its comments only.)
    let from = lineStart;
    // The last line of a file without a final line break: take the break before it instead.
    if (stop === text.length && !text.endsWith('\n') && from > 0) from = text[from - 2] === '\r' ? from - 2 : from - 1;
    return { ok: true, text: text.slice(0, from) + text.slice(stop) };
  }
  const parentKey = parentPair.key as YamlNode | null;
  if (!parentKey?.range) return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
  const between = text.slice(parentKey.range[1], lineStart);
  if (!/^[ \t]*:[ \t]*\r?\n[ \t]*$/.test(between)) return fail(`cannot remove ${showPath(w.path)}: it is the only entry of its mapping and a comment or other text sits before it`);
  let lineEnd = stop;
  while (lineEnd > lineStart && (text[lineEnd - 1] === '\n' || text[lineEnd - 1] === '\r')) lineEnd--;
  const rest = text.slice(end, lineEnd); // e.g. an inline comment after the value
  return { ok: true, text: text.slice(0, parentKey.range[1]) + ': {}' + rest + text.slice(lineEnd) };
}

function editYamlOnce(text: string, doc: YamlDoc, w: SetWrite): EditResult {
  const eol = eolOf(text);
  let node: unknown = doc.contents;
  for (let i = 0; i < w.path.length; i++) {
    const seg = w.path[i]!;
    if (node === null && i === 0) return { ok: true, text: insertIntoEmptyDocument(text, w, eol) };
    if (!isMap(node)) {
      return fail(`cannot write ${showPath(w.path)}: ${showPath(w.path.slice(0, i))} holds ${describeYaml(node)}, not a mapping`);
    }
    const matches = pairsFor(node, seg);
    if (matches.length > 1) return fail(`cannot write ${showPath(w.path)}: key ${JSON.stringify(seg)} appears ${matches.length} times in its mapping`);
    const pair = matches[0];
    if (!pair) return insertIntoMap(text, doc, node, w, i, eol);
    node = pair.value;
  }
  // The key exists: replace its value's characters.
  if (isAlias(node)) return fail(`cannot write ${showPath(w.path)}: it is an alias (*${node.source}) of another value`);
  if (isMap(node) || isSeq(node)) return fail(`cannot write ${showPath(w.path)}: it holds ${describeYaml(node)}, not a single value`);
  const range = isScalar(node) ? node.range : null;
  if (!isScalar(node) || !range) {
    // `key:` followed by nothing at all has no value node.
    return fail(`cannot write ${showPath(w.path)}: its value has no position in the text`);
  }
  const scalar = node as Scalar;
  if (sameScalar(scalar.value, w.after)) return { ok: true, text };
  if (scalar.anchor) return fail(`cannot write ${showPath(w.path)}: the value is anchored (&${scalar.anchor}) and may be shared`);
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    return fail(`cannot write ${showPath(w.path)}: it is a multi-line block scalar (${scalar.type === 'BLOCK_LITERAL' ? '|' : '>'})`);
  }
  const [start, end] = range;
  const inFlow = pathInFlow(doc.contents, w.path);
  let src = yamlScalarSource(w.after, scalar.type, inFlow);
  // An empty value (`key:`) is a zero-width scalar right after the colon: keep words apart.
  if (start === end) {
    if (start > 0 && !/\s/.test(text[start - 1]!)) src = ' ' + src;
    if (end < text.length && !/[\s,\]}]/.test(text[end]!)) src = src + ' ';
  }
  return { ok: true, text: text.slice(0, start) + src + text.slice(end) };
}

function sameScalar(a: unknown, b: EditValue): boolean {
  return a === b && typeof a === typeof b;
}

const YAML11_WORDS = new Set(
  'y Y yes Yes YES n N no No NO true True TRUE false False FALSE on On ON off Off OFF null Null NULL'.split(' '),
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

function yamlScalarSource(v: EditValue, type: Scalar['type'], inFlow: boolean): string {
  if (v === null) return 'null';
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (type === 'QUOTE_SINGLE' && !/[\u0000-\u001f\u007f\u2028\u2029\uFEFF]/.test(v)) return `'${v.replace(/'/g, "''")}'`;
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
function yamlStep(text: string): number {
  let best = Infinity;
  for (const line of text.split('\n', 2000)) {
    const m = /^( +)[^\s#]/.exec(line);
    if (m && m[1]!.length < best) best = m[1]!.length;
  }
  return best === Infinity ? 2 : best;
}

function blockLines(keys: readonly string[], value: EditValue, indent: number, step: number, eol: string): string {
  let out = '';
  keys.forEach((k, i) => {
    const pad = ' '.repeat(indent + i * step);
    const last = i === keys.length - 1;
    out += pad + yamlKeySource(k, false) + ':' + (last ? ' ' + valueSource(value, false) : '') + eol;
  });
  return out;
}

function flowEntry(keys: readonly string[], value: EditValue, pad: string): string {
  let inner = valueSource(value, true);
  for (let i = keys.length - 1; i >= 1; i--) inner = `{${pad}${yamlKeySource(keys[i]!, true)}: ${inner}${pad}}`;
  return `${yamlKeySource(keys[0]!, true)}: ${inner}`;
}

function insertIntoEmptyDocument(text: string, w: SetWrite, eol: string): string {
  const lines = blockLines(w.path, w.after, 0, yamlStep(text), eol);
  if (text === '' || text.endsWith('\n')) return text + lines;
  return text + eol + lines.slice(0, -eol.length);
}

function lineStartOf(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function insertIntoMap(text: string, doc: YamlDoc, map: YAMLMap, w: SetWrite, at: number, eol: string): EditResult {
  const keys = w.path.slice(at);
  if (!map.range) return fail(`cannot write ${showPath(w.path)}: its mapping has no position in the text`);
  if (map.flow) {
    const open = map.range[0];
    if (text[open] !== '{') return fail(`cannot write ${showPath(w.path)}: unexpected flow mapping layout`);
    // Nested maps follow the padding of this one: `{a: 1}` or `{ a: 1 }`.
    const entry = flowEntry(keys, w.after, text[open + 1] === ' ' ? ' ' : '');
    const last = map.items[map.items.length - 1];
    if (!last) {
      // `{}` or `{ }`: put the entry inside the braces.
      return { ok: true, text: text.slice(0, open + 1) + entry + text.slice(open + 1) };
    }
    const end = pairEnd(last);
    if (end === null) return fail(`cannot write ${showPath(w.path)}: its mapping's last entry has no position in the text`);
    return { ok: true, text: text.slice(0, end) + ', ' + entry + text.slice(end) };
  }
  const firstKey = map.items[0]?.key as YamlNode | undefined;
  const last = map.items[map.items.length - 1];
  if (!firstKey?.range || !last) return fail(`cannot write ${showPath(w.path)}: its mapping has no position in the text`);
  const indent = firstKey.range[0] - lineStartOf(text, firstKey.range[0]);
  let end = pairEnd(last);
  if (end === null) return fail(`cannot write ${showPath(w.path)}: its mapping's last entry has no position in the text`);
  // Continue to the end of the line the last entry ends on (keeps its inline comment).
  let prefix = '';
  if (!(end > 0 && text[end - 1] === '\n')) {
    const nl = text.indexOf('\n', end);
    if (nl < 0) {
      end = text.length;
      prefix = eol;
    } else end = nl + 1;
  }
  const step = nestedStep(text, doc, map, indent);
  let lines = blockLines(keys, w.after, indent, step, eol);
  // A file that did not end with a line break still does not.
  if (prefix) lines = lines.slice(0, -eol.length);
  return { ok: true, text: text.slice(0, end) + prefix + lines + text.slice(end) };
}

/** Where a pair's text ends (its value's end, or its key's when the value is empty). */
function pairEnd(p: Pair): number | null {
  const v = p.value as YamlNode | null;
  if (v && v.range) return v.range[1];
  const k = p.key as YamlNode | null;
  return k?.range ? k.range[1] : null;
}

/** The indentation step used below `map` (a nested block mapping's offset), else the document's. */
function nestedStep(text: string, doc: YamlDoc, map: YAMLMap, indent: number): number {
  for (const p of map.items) {
    const v = p.value;
    if (isMap(v) && !v.flow) {
      const k = v.items[0]?.key as YamlNode | undefined;
      if (k?.range) {
        const col = k.range[0] - lineStartOf(text, k.range[0]);
        if (col > indent) return col - indent;
      }
    }
  }
  void doc;
  return yamlStep(text);
}
