// One pass over every source with plain fs: what `check` and `resolve` read. The live
// watcher (engine) reuses readStatusFile / readRegistry per file.
import * as path from 'node:path';
import { agentFile, agentFromEntry, splitAgentPattern, unsafeAgentId } from '../core/ids.js';
import { detectFormat, parseDocument, parseJsonLine } from '../core/read/parse.js';
import type { Diagnostic, SourceDocument, SourceRead, SourceSpec } from '../core/types.js';
import { listDir, MAX_FILE_BYTES, MAX_REGISTRY_BYTES, readBounded } from './fsread.js';

/** At most this many bad event lines are reported one by one; the rest are counted. */
export const MAX_LINE_DIAGNOSTICS = 50;

export function readSource(root: string, spec: SourceSpec): SourceRead {
  switch (spec.kind) {
    case 'status-files':
      return readStatusFiles(root, spec);
    case 'registry':
      return readRegistry(root, spec);
    case 'event-log':
      return readEventLog(root, spec);
  }
}

export function readAll(root: string, specs: readonly SourceSpec[]): SourceRead[] {
  return specs.map((s) => readSource(root, s));
}

/** Read and parse one document (a status file or a registry). `listed`: see readBounded. */
export function readDocument(
  root: string,
  rel: string,
  spec: SourceSpec,
  agent?: string,
  listed?: string,
): SourceDocument & { missing: boolean } {
  const maxBytes = spec.kind === 'registry' ? MAX_REGISTRY_BYTES : MAX_FILE_BYTES;
  const got = readBounded(root, rel, maxBytes, listed);
  const doc = (parse: SourceDocument['parse'], mtimeMs: number | null, missing: boolean) => {
    const d: SourceDocument & { missing: boolean } = { file: rel, parse, mtimeMs, missing };
    if (agent !== undefined) d.agent = agent;
    return d;
  };
  if (!got.ok) return doc({ ok: false, value: undefined, diagnostics: [got.diagnostic] }, null, got.missing);
  const format = spec.format ?? detectFormat(rel, got.text);
  return doc(parseDocument(got.text, format, { file: rel, maxBytes }), got.mtimeMs, false);
}

function readStatusFiles(root: string, spec: SourceSpec): SourceRead {
  const read: SourceRead = { source: spec.name, documents: [], diagnostics: [], healthy: true };
  const pattern = splitAgentPattern(spec.path);
  if (!pattern) {
    read.healthy = false;
    read.diagnostics.push({
      severity: 'error',
      code: 'bad-pattern',
      message: `${spec.path}: expected one {agent} segment`,
    });
    return read;
  }
  const entries = listDir(root, pattern.dir);
  if (entries === null) {
    read.healthy = false;
    read.diagnostics.push({
      severity: 'error',
      code: 'not-found',
      message: `folder ${pattern.dir || '.'} cannot be read`,
      file: pattern.dir || '.',
    });
    return read;
  }
  // listDir found the folder inside the root: below it, each file's folders are checked
  // one by one (readBounded), not its whole path.
  const listed = path.resolve(root, pattern.dir);
  for (const entry of entries) {
    const agent = agentFromEntry(pattern, entry.name);
    if (agent === null) continue;
    if (pattern.rest !== '' && !entry.isDirectory() && !entry.isSymbolicLink()) continue;
    if (pattern.rest === '' && entry.isDirectory()) continue;
    const unsafe = unsafeAgentId(agent);
    if (unsafe) {
      read.diagnostics.push({
        severity: 'warning',
        code: 'unsafe-id',
        message: `${unsafe}; entry skipped`,
        file: path.posix.join(pattern.dir, entry.name),
      });
      continue;
    }
    const doc = readDocument(root, agentFile(pattern, agent), spec, agent, listed);
    // A folder without its status file is not an agent of this source (yet).
    if (doc.missing) continue;
    read.documents.push(doc);
  }
  return read;
}

function readRegistry(root: string, spec: SourceSpec): SourceRead {
  const doc = readDocument(root, spec.path, spec);
  const read: SourceRead = { source: spec.name, documents: [doc], diagnostics: [], healthy: true };
  if (doc.missing) {
    read.healthy = false;
    read.documents = [];
    read.diagnostics.push({
      severity: 'error',
      code: 'not-found',
      message: 'registry file not found',
      file: spec.path,
    });
  }
  return read;
}

/** Every complete line of the log; a last line without its newline is still being written. */
export function eventDocuments(
  text: string,
  file: string,
  firstLine = 1,
): { documents: SourceDocument[]; diagnostics: Diagnostic[] } {
  const documents: SourceDocument[] = [];
  const diagnostics: Diagnostic[] = [];
  let bad = 0;
  let lineNo = firstLine;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) break;
    const line = text.slice(start, nl);
    if (line.trim() !== '') {
      const parse = parseJsonLine(line, lineNo, { file });
      if (parse.ok) documents.push({ file, parse, mtimeMs: null });
      else if (++bad <= MAX_LINE_DIAGNOSTICS) diagnostics.push(...parse.diagnostics);
    }
    start = nl + 1;
    lineNo++;
  }
  if (bad > MAX_LINE_DIAGNOSTICS) {
    diagnostics.push({
      severity: 'warning',
      code: 'bad-lines',
      message: `${bad - MAX_LINE_DIAGNOSTICS} more lines could not be read`,
      file,
    });
  }
  return { documents, diagnostics };
}

/** The agents' files of a per-agent event log (`logs/{agent}.jsonl`), or null for one shared log. */
export function agentLogFiles(root: string, spec: SourceSpec): { agent: string; file: string }[] | null {
  if (!spec.path.includes('{agent}')) return null;
  const pattern = splitAgentPattern(spec.path);
  if (!pattern) return [];
  const out: { agent: string; file: string }[] = [];
  for (const entry of listDir(root, pattern.dir) ?? []) {
    const agent = agentFromEntry(pattern, entry.name);
    if (agent === null || unsafeAgentId(agent) !== null) continue;
    if (pattern.rest === '' ? entry.isDirectory() : !entry.isDirectory() && !entry.isSymbolicLink()) continue;
    out.push({ agent, file: agentFile(pattern, agent) });
  }
  return out;
}

function readEventLog(root: string, spec: SourceSpec): SourceRead {
  const perAgent = agentLogFiles(root, spec);
  if (perAgent !== null) {
    const read: SourceRead = { source: spec.name, documents: [], diagnostics: [], healthy: true };
    for (const { agent, file } of perAgent) {
      const one = readEventLog(root, { ...spec, path: file });
      for (const d of one.documents) read.documents.push({ ...d, agent });
      read.diagnostics.push(...one.diagnostics);
    }
    return read;
  }
  const read: SourceRead = { source: spec.name, documents: [], diagnostics: [], healthy: true };
  const got = readBounded(root, spec.path, 256 * 1024 * 1024);
  if (!got.ok) {
    // An absent log is an empty log: agents may simply not have reported yet.
    if (!got.missing) {
      read.healthy = false;
      read.diagnostics.push(got.diagnostic);
    }
    return read;
  }
  const { documents, diagnostics } = eventDocuments(got.text, spec.path);
  read.documents = documents;
  read.diagnostics = diagnostics;
  return read;
}
