// Editing YAML text from the `yaml` library's source ranges, never by re-printing the
// document (see src/core/write/edit.ts).

import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  type Document,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
} from 'yaml';
import { lineColumn } from '../../read/parse.js';
import { mayRepeatKeys, pairsFor, pathInFlow } from '../yaml-keys.js';
import {
  eolOf,
  fail,
  modelApply,
  sameValue,
  showPath,
  spliceAll,
  toModel,
  batchReplacements,
  type EditResult,
  type EditValue,
  type EditWrite,
  type SetWrite,
} from './shared.js';
import {
  blockLines,
  flowEntry,
  insertIntoEmptyDocument,
  lineStartOf,
  sameScalar,
  yamlScalarSource,
  yamlStep,
} from './yaml-source.js';

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
  // Parsed once without the library's quadratic repeated-key check (src/core/write/yaml-keys.ts);
  // parsed again with it only when the document has an error or may repeat a key, so that
  // the message is the library's.
  const all = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: false });
  if (Array.isArray(all) && all.length > 1)
    return {
      ok: false,
      message: `file holds ${all.length} YAML documents; only single-document files are edited`,
    };
  let doc = Array.isArray(all) && all.length === 1 ? all[0]! : null;
  if (doc === null || doc.errors.length > 0 || mayRepeatKeys(doc))
    doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const err = yamlErrors(doc, text);
  if (err) return { ok: false, message: err };
  const c = doc.contents;
  if (c !== null && !isMap(c))
    return { ok: false, message: `top level is ${describeYaml(c)}, not a mapping; not edited` };
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

export function editYaml(text: string, writes: readonly EditWrite[]): EditResult {
  const first = parseYamlStrict(text);
  if (!first.ok) return fail(first.message);
  let before: unknown;
  try {
    before = yamlValue(first.doc);
  } catch (e) {
    return fail(
      `YAML cannot be read as plain data (${e instanceof Error ? e.message : String(e)}); not edited`,
    );
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
    if (
      scalar.anchor ||
      scalar.type === 'BLOCK_LITERAL' ||
      scalar.type === 'BLOCK_FOLDED' ||
      scalar.range![0] === scalar.range![1]
    )
      return null;
    const [start, end] = scalar.range!;
    if (sameScalar(scalar.value, w.after as EditValue))
      return { offset: start, length: end - start, content: null };
    return {
      offset: start,
      length: end - start,
      content: yamlScalarSource(w.after as EditValue, scalar.type, pathInFlow(doc.contents, w.path)),
    };
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
  if (!sameValue(after, modelApply(before, toModel(writes))))
    return fail('the edited YAML would not hold exactly the planned values; not edited');
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
    if (matches.length > 1)
      return fail(
        `cannot remove ${showPath(w.path)}: key ${JSON.stringify(w.path[i])} appears ${matches.length} times in its mapping`,
      );
    pair = matches[0];
    if (!pair) return { ok: true, text };
    if (i < w.path.length - 1) {
      parentPair = pair;
      map = pair.value;
    }
  }
  if (!pair || !isMap(map)) return { ok: true, text };
  const value = pair.value;
  if (isMap(value) || isSeq(value) || isAlias(value))
    return fail(`cannot remove ${showPath(w.path)}: it holds ${describeYaml(value)}, not a single value`);
  if (isScalar(value) && (value.type === 'BLOCK_LITERAL' || value.type === 'BLOCK_FOLDED' || value.anchor)) {
    return fail(`cannot remove ${showPath(w.path)}: its value is a block scalar or anchored`);
  }
  const key = pair.key as YamlNode | null;
  const end = pairEnd(pair);
  if (!key?.range || end === null || !map.range)
    return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
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
  if (text.slice(lineStart, key.range[0]).trim() !== '')
    return fail(`cannot remove ${showPath(w.path)}: its key does not start a line`);
  let stop = end;
  if (!(stop > 0 && text[stop - 1] === '\n')) {
    const nl = text.indexOf('\n', stop);
    stop = nl < 0 ? text.length : nl + 1;
  }
  if (items.length > 1 || !parentPair) {
    // (The only entry at the top level: the document is left with its comments only.)
    let from = lineStart;
    // The last line of a file without a final line break: take the break before it instead.
    if (stop === text.length && !text.endsWith('\n') && from > 0)
      from = text[from - 2] === '\r' ? from - 2 : from - 1;
    return { ok: true, text: text.slice(0, from) + text.slice(stop) };
  }
  const parentKey = parentPair.key as YamlNode | null;
  if (!parentKey?.range) return fail(`cannot remove ${showPath(w.path)}: it has no position in the text`);
  const between = text.slice(parentKey.range[1], lineStart);
  if (!/^[ \t]*:[ \t]*\r?\n[ \t]*$/.test(between))
    return fail(
      `cannot remove ${showPath(w.path)}: it is the only entry of its mapping and a comment or other text sits before it`,
    );
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
      return fail(
        `cannot write ${showPath(w.path)}: ${showPath(w.path.slice(0, i))} holds ${describeYaml(node)}, not a mapping`,
      );
    }
    const matches = pairsFor(node, seg);
    if (matches.length > 1)
      return fail(
        `cannot write ${showPath(w.path)}: key ${JSON.stringify(seg)} appears ${matches.length} times in its mapping`,
      );
    const pair = matches[0];
    if (!pair) return insertIntoMap(text, doc, node, w, i, eol);
    node = pair.value;
  }
  // The key exists: replace its value's characters.
  if (isAlias(node))
    return fail(`cannot write ${showPath(w.path)}: it is an alias (*${node.source}) of another value`);
  if (isMap(node) || isSeq(node))
    return fail(`cannot write ${showPath(w.path)}: it holds ${describeYaml(node)}, not a single value`);
  const range = isScalar(node) ? node.range : null;
  if (!isScalar(node) || !range) {
    // `key:` followed by nothing at all has no value node.
    return fail(`cannot write ${showPath(w.path)}: its value has no position in the text`);
  }
  const scalar = node as Scalar;
  if (sameScalar(scalar.value, w.after)) return { ok: true, text };
  if (scalar.anchor)
    return fail(
      `cannot write ${showPath(w.path)}: the value is anchored (&${scalar.anchor}) and may be shared`,
    );
  if (scalar.type === 'BLOCK_LITERAL' || scalar.type === 'BLOCK_FOLDED') {
    return fail(
      `cannot write ${showPath(w.path)}: it is a multi-line block scalar (${scalar.type === 'BLOCK_LITERAL' ? '|' : '>'})`,
    );
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

function insertIntoMap(
  text: string,
  doc: YamlDoc,
  map: YAMLMap,
  w: SetWrite,
  at: number,
  eol: string,
): EditResult {
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
    if (end === null)
      return fail(`cannot write ${showPath(w.path)}: its mapping's last entry has no position in the text`);
    return { ok: true, text: text.slice(0, end) + ', ' + entry + text.slice(end) };
  }
  const firstKey = map.items[0]?.key as YamlNode | undefined;
  const last = map.items[map.items.length - 1];
  if (!firstKey?.range || !last)
    return fail(`cannot write ${showPath(w.path)}: its mapping has no position in the text`);
  const indent = firstKey.range[0] - lineStartOf(text, firstKey.range[0]);
  let end = pairEnd(last);
  if (end === null)
    return fail(`cannot write ${showPath(w.path)}: its mapping's last entry has no position in the text`);
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
