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
//
// The editors live in src/core/write/edit/: json.ts, yaml.ts (with yaml-source.ts, how values
// are spelled) and shared.ts (write checks, splicing, the model). This module is their
// public surface.

import type { DataFormat } from '../types.js';
import { editJson } from './edit/json.js';
import { checkWrite, type EditResult, type EditWrite } from './edit/shared.js';
import { editYaml } from './edit/yaml.js';

export { type EditResult, type EditValue, type EditWrite } from './edit/shared.js';
export { safePlain } from './edit/yaml-source.js';

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
