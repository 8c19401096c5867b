// Reading status files, registries and event-log lines as structured data.
//
// Pure and synchronous: no fs, no clock. Never throws: every problem is a Diagnostic.
// What people and scripts really write (real-world/README.md) is read where it can be
// read - trailing and missing commas, duplicate keys, `}{` appended objects, pasted chat
// after the JSON, BOM, CRLF, emoji, `1,084` - and each repair is reported as a warning.
// What cannot be read (conflict markers, chat only, empty, cut off mid-write) is an error
// with the line and column and what was expected there.
//
// Positions, decided once for every format:
// - `line` and `column` are 1-based. CRLF counts as one line break; a lone CR or LF is one.
// - `column` counts Unicode code points, not UTF-16 units: an emoji is one column, as a
//   reader counts it on screen in most terminals (wide glyphs aside).
// - A leading byte order mark is stripped (an `info` diagnostic says so) and positions
//   refer to the text without it: the first character after the BOM is line 1, column 1.
//
// JSON: a valid file takes the fast path (JSON.parse after one cheap character scan that
// bounds the nesting and counts property separators, to notice duplicate keys). Anything
// else goes through an iterative, recovering reader built on jsonc-parser's scanner, so
// nesting costs heap, not stack, and is cut at `maxDepth`.
//
// YAML: parsed by the `yaml` library after a conservative nesting pre-scan (its composer
// recurses), then turned into plain JS by an iterative converter of our own rather than
// `toJS`, which would be quadratic on collection keys and unbounded on aliases: here
// duplicate keys are reported (last wins), alias expansion has a budget, `__proto__` is
// dropped.
//
// The readers live in src/core/read/parse/: document.ts (JSON or YAML by format); json.ts
// (the fast path of json-fast.ts, else the recovering reader of json-reader.ts, which
// reads the tokens of json-lexer.ts in the vocabulary of json-tokens.ts); yaml.ts;
// json-lines.ts; conflict-markers.ts; positions.ts; problems.ts (diagnostics, limits);
// text.ts. This module is their public surface.

export { detectFormat, parseDocument, parseJsonLoose, parseYamlLoose } from './parse/document.js';
export { parseJsonLine } from './parse/json-lines.js';
export { lineColumn } from './parse/positions.js';
export { DEFAULT_MAX_BYTES } from './parse/problems.js';
