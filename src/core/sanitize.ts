// Making untrusted text safe to show in a terminal, and measuring it (docs/DESIGN.md,
// "Architecture"). The public surface for the whole program; each job lives in its own
// module under text/:
//
// - text/sanitize-text.ts: `sanitizeText`, which turns anything read from a file into
//   inert, single-line text (escape sequences removed, line breaks shown as `⏎`, bidi and
//   zero-width characters dropped, capped at SANITIZE_MAX_LENGTH).
// - text/width.ts: terminal columns (`displayWidth`), cutting and padding to a width.
// - text/show-value.ts: any value as short quoted text (`sanitizeValue`, `showRaw`).
// - text/terminal-json.ts: JSON and diagnostic messages safe to print.

export { SANITIZE_MAX_LENGTH, sanitizeText } from './text/sanitize-text.js';
export { displayWidth, padEnd, truncate } from './text/width.js';
export { hasHiddenChars, sanitizeValue, showRaw } from './text/show-value.js';
export { escapeJsonText, inert, stringifyForTerminal } from './text/terminal-json.js';
