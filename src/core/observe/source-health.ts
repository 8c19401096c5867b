// Whether a source as a whole can be relied on in a read, and what is wrong with it.
import { inert } from '../sanitize.js';
import { isRecord } from '../record.js';
import type { Diagnostic, SourceRead, SourceSpec } from '../types.js';
import { describeRaw } from './vocab.js';

/** A diagnostic with the file it is about (unless it already names one). */
export function withFile(d: Diagnostic, file: string | undefined): Diagnostic {
  return file === undefined || d.file !== undefined ? d : { ...d, file };
}

/** Diagnostics about a source as a whole (unreadable registry, bad event lines). */
export function sourceProblems(read: SourceRead, spec: SourceSpec): Diagnostic[] {
  const problems = [...read.diagnostics];
  if (spec.kind === 'registry') {
    const doc = read.documents[0];
    if (doc && !doc.parse.ok) problems.push(...doc.parse.diagnostics.map((d) => withFile(d, doc.file)));
    else if (doc && !isRecord(doc.parse.value)) {
      problems.push({
        severity: 'error',
        code: 'not-an-object',
        message: inert(`expected an object, found ${describeRaw(doc.parse.value)}`),
        file: doc.file,
      });
    }
  }
  if (spec.kind === 'event-log') {
    for (const doc of read.documents)
      if (!doc.parse.ok) problems.push(...doc.parse.diagnostics.map((d) => withFile(d, doc.file)));
  }
  return problems;
}

/** Whether a source can be relied on at all in this read. */
export function sourceReadable(read: SourceRead, spec: SourceSpec): boolean {
  if (!read.healthy) return false;
  if (spec.kind === 'registry') {
    const doc = read.documents[0];
    return doc !== undefined && doc.parse.ok && isRecord(doc.parse.value);
  }
  return true;
}
