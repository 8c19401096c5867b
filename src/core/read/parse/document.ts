// Whole documents: JSON or YAML by format, and the format by file name.

import type { DataFormat, ParseResult } from '../../types.js';
import { readJsonText } from './json.js';
import { run, type ParseOptions } from './problems.js';
import { readYamlText } from './yaml.js';

/** Reads `text` as `format`. Never throws. */
export function parseDocument(text: string, format: DataFormat, opts?: ParseOptions): ParseResult {
  return format === 'yaml' ? parseYamlLoose(text, opts) : parseJsonLoose(text, opts);
}

/** Reads JSON, repairing what can be repaired (each repair a warning). Never throws. */
export function parseJsonLoose(text: string, opts: ParseOptions = {}): ParseResult {
  return run(text, opts, readJsonText);
}

/** Reads YAML (the last document of a stream). Never throws. */
export function parseYamlLoose(text: string, opts: ParseOptions = {}): ParseResult {
  return run(text, opts, readYamlText);
}

/** Format by file extension: `.yaml`/`.yml` are YAML; anything else is JSON, unless an
 * extension-less file starts with a YAML directive or document marker. */
export function detectFormat(path: string, text?: string): DataFormat {
  const name = String(path).split(/[\\/]/).pop()?.toLowerCase() ?? '';
  if (name.endsWith('.yaml') || name.endsWith('.yml')) return 'yaml';
  if (!name.includes('.') && typeof text === 'string') {
    const start = text.replace(/^\uFEFF/, '').trimStart();
    if (start.startsWith('%YAML') || /^---(\s|$)/.test(start)) return 'yaml';
  }
  return 'json';
}
