// Teaching sync-tui a word of the swarm (README.md "Vocabulary"): add an alias under
// `fields.<field>.values.<CANONICAL>` of sync-tui.config.yaml, keeping its comments and
// layout. yaml's Document API finds the place (with its offsets); the text is then changed
// only there, so every other line stays byte for byte as the operator wrote it.
import { isMap, isScalar, isSeq, parseDocument, type YAMLSeq } from 'yaml';
import { yamlString } from './config-writer.js';

export type AliasEdit = { ok: true; text: string; changed: boolean } | { ok: false; message: string };

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

export function addAlias(text: string, field: string, canonical: string, alias: string): AliasEdit {
  const doc = parseDocument(text);
  if (doc.errors.length > 0)
    return { ok: false, message: `the config is not valid YAML: ${doc.errors[0]!.message.split('\n')[0]}` };
  if (doc.contents !== null && !isMap(doc.contents))
    return { ok: false, message: 'the config is not a mapping of keys' };
  const path = ['fields', field, 'values', canonical];
  const existing = doc.getIn(path, true);
  const item = yamlString(alias);

  if (isSeq(existing)) {
    const seq = existing as YAMLSeq;
    if (seq.items.some((n) => isScalar(n) && String(n.value) === alias))
      return { ok: true, text, changed: false };
    const range = seq.range;
    if (range) {
      if (seq.flow) {
        // `[A, B]`: before the closing bracket.
        const close = text.lastIndexOf(']', range[1]);
        if (close > range[0]) {
          const sep = seq.items.length > 0 ? ', ' : '';
          return { ok: true, text: text.slice(0, close) + sep + item + text.slice(close), changed: true };
        }
      } else {
        // A block list: a new `- item` line after the last one, at its indentation.
        const last = seq.items[seq.items.length - 1] as { range?: [number, number, number] } | undefined;
        const first = lineStart(text, range[0]);
        const indent = /^[ ]*/.exec(text.slice(first))![0];
        const end = last?.range ? text.indexOf('\n', last.range[1] - 1) : -1;
        const at = end < 0 ? text.length : end + 1;
        const nl = at === text.length && !text.endsWith('\n') ? '\n' : '';
        return {
          ok: true,
          text: text.slice(0, at) + nl + `${indent}- ${item}\n` + text.slice(at),
          changed: true,
        };
      }
    }
  }
  if (doc.getIn(['fields'], true) === undefined) {
    // No fields at all: a block at the end of the file.
    const nl = text === '' || text.endsWith('\n') ? '' : '\n';
    return {
      ok: true,
      text: `${text}${nl}fields:\n  ${yamlString(field)}:\n    values:\n      ${yamlString(canonical)}: [${item}]\n`,
      changed: true,
    };
  }
  // Anything else (a scalar, a missing level): through the Document, comments kept.
  for (let i = 1; i < path.length; i++) {
    const node = doc.getIn(path.slice(0, i), true);
    if (node === undefined || node === null || (isScalar(node) && node.value === null))
      doc.setIn(path.slice(0, i), doc.createNode({}));
    else if (!isMap(node))
      return {
        ok: false,
        message: `${path.slice(0, i).join('.')} is not a mapping; cannot add the alias there`,
      };
  }
  const cur = doc.getIn(path, true);
  const values = isSeq(cur)
    ? []
    : isScalar(cur) && cur.value !== null && cur.value !== ''
      ? [String(cur.value)]
      : [];
  if (cur !== undefined && !isScalar(cur) && !isSeq(cur))
    return { ok: false, message: `${path.join('.')} is not a list of aliases` };
  const seq = doc.createNode([...values, alias]) as YAMLSeq;
  seq.flow = true;
  doc.setIn(path, seq);
  return { ok: true, text: doc.toString({ flowCollectionPadding: false, lineWidth: 0 }), changed: true };
}
