// The contract every Diagnostic and every parse result keeps, whatever the input: shared by
// the parse property tests (test/core/parse.property.test.ts) and the fuzz targets
// (test/fuzz/), so the two check one oracle.
import { expect } from 'vitest';
import type { Diagnostic, ParseResult } from '../../src/core/types.js';

const SEVERITIES = new Set(['error', 'warning', 'info']);
// Raw C0/C1 controls and bidi overrides: a message must be safe to print as it is.

export const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

/** The contract of one Diagnostic. `lines` bounds the line number where known. */
export function checkDiagnostic(d: Diagnostic, lines?: number): void {
  expect(SEVERITIES.has(d.severity), `severity ${d.severity}`).toBe(true);
  expect(d.code).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  expect(typeof d.message).toBe('string');
  expect(d.message.length).toBeGreaterThan(0);
  expect(d.message, `${d.code}: ${JSON.stringify(d.message)}`).not.toMatch(CONTROL);
  expect(d.message).not.toMatch(/\n/);
  expect(d.code).not.toBe('internal-error');
  if (d.line !== undefined) {
    expect(Number.isInteger(d.line) && d.line >= 1).toBe(true);
    if (lines !== undefined) expect(d.line).toBeLessThanOrEqual(lines);
  }
  if (d.column !== undefined) expect(Number.isInteger(d.column) && d.column >= 1).toBe(true);
}

export function lineCount(text: string): number {
  return text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).length;
}

/**
 * The contract of a parse result: `ok` exactly when no error was reported, a value when ok,
 * every diagnostic well formed (checkDiagnostic) with a parse code made of words, a message
 * free of any control character, the given file, and a place that is a line and a column
 * (a JSON-lines record: `text` is its line number, and every diagnostic names that line).
 * Returns whether anything was reported.
 */
export function checkParseResult(r: ParseResult, text: string | number, file?: string): boolean {
  expect(typeof r.ok).toBe('boolean');
  expect(Array.isArray(r.diagnostics)).toBe(true);
  const errors = r.diagnostics.filter((d) => d.severity === 'error');
  if (r.ok) {
    expect(errors).toEqual([]);
    expect(r.value).not.toBeUndefined();
  } else {
    // What cannot be read is said, with a reason.
    expect(errors.length).toBeGreaterThan(0);
  }
  const lines = typeof text === 'number' ? text : lineCount(text);
  for (const d of r.diagnostics) {
    checkDiagnostic(d, lines);
    expect(d.code).toMatch(/^[a-z]+(-[a-z]+)*$/);
    expect(d.message).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
    if (file !== undefined) expect(d.file).toBe(file);
    if (typeof text === 'number') expect(d.line).toBe(text);
    else expect(d.line === undefined).toBe(d.column === undefined);
  }
  return r.diagnostics.length > 0;
}
