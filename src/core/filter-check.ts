// The filter language (core/filter.ts) is forgiving as the live view's `/` is typed: an
// unknown `name:` is plain text, a bad regular expression is matched as text. A script
// (`sync-tui wait --filter`) wants the opposite: a typo must not select nothing and let
// the pipeline through. filterProblem finds, with its 1-based column, a term that would be
// read other than as written: a regex that is not closed or does not compile, an unknown
// field, a verdict no verdict starts with, a source the config does not have.
import type { Config } from './types.js';
import { VERDICTS } from './types.js';

export interface FilterProblem {
  message: string;
  column: number;
}

/** Words with their columns, split as core/filter.ts splits them. */
function words(text: string): { word: string; column: number; closed: boolean }[] {
  const out: { word: string; column: number; closed: boolean }[] = [];
  let cur = '';
  let start = 0;
  let closed = true;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '/' && (cur === '' || cur === '!' || cur.endsWith(':'))) {
      if (cur === '') start = i;
      let j = i + 1;
      while (j < text.length && text[j] !== '/') j += text[j] === '\\' ? 2 : 1;
      if (j >= text.length) closed = false;
      cur += text.slice(i, j + 1);
      i = j;
      continue;
    }
    if (/\s/u.test(ch)) {
      if (cur !== '') out.push({ word: cur, column: start + 1, closed });
      cur = '';
      closed = true;
      continue;
    }
    if (cur === '') start = i;
    cur += ch;
  }
  if (cur !== '') out.push({ word: cur, column: start + 1, closed });
  return out;
}

export function filterProblem(
  text: string,
  config: Pick<Config, 'fields' | 'sources'>,
): FilterProblem | null {
  const fields = config.fields.map((f) => f.name);
  const sources = config.sources.map((s) => s.name);
  for (const { word, column, closed } of words(text)) {
    let rest = word;
    let col = column;
    if (rest.startsWith('!') && rest.length > 1) {
      rest = rest.slice(1);
      col++;
    }
    let field: string | null = null;
    const colon = rest.indexOf(':');
    if (colon > 0 && !rest.startsWith('/')) {
      field = rest.slice(0, colon).toLowerCase();
      rest = rest.slice(colon + 1);
      col += colon + 1;
    }
    if (!closed) return { message: "a regular expression is not closed with '/'", column: col };
    const isRe = rest.length >= 2 && rest.startsWith('/') && rest.endsWith('/');
    if (isRe) {
      try {
        new RegExp(rest.slice(1, -1), 'iu');
      } catch (e) {
        return {
          message: `not a regular expression: ${e instanceof Error ? e.message : String(e)}`,
          column: col,
        };
      }
    }
    if (field === null) continue;
    if (rest === '') return { message: `expected a value after '${field}:'`, column: col };
    if (field === 'verdict') {
      if (!isRe && !VERDICTS.some((v) => v.startsWith(rest.toLowerCase())))
        return { message: `unknown verdict '${rest}' (expected one of ${VERDICTS.join(', ')})`, column: col };
    } else if (field === 'source') {
      if (!isRe && !sources.some((s) => s.toLowerCase().includes(rest.toLowerCase())))
        return {
          message: `unknown source '${rest}' (sources: ${sources.join(', ') || 'none'})`,
          column: col,
        };
    } else if (field !== 'id' && !fields.some((f) => f.toLowerCase() === field)) {
      return {
        message: `unknown field '${field}' (fields: ${fields.join(', ') || 'none'}; also verdict, source, id)`,
        column: column + (word.startsWith('!') ? 1 : 0),
      };
    }
  }
  return null;
}
