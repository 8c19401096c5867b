// What a NATS key-value source holds in memory (README.md "Several hosts"): each agent's
// last value with its revision, the revisions of deleted keys, and the source read built
// from them. Fed by the watch and by read-backs (kv-adapter.ts); no I/O here.
import { parseDocument } from '../../core/read/parse.js';
import { isRecord } from '../../core/record.js';
import type { Diagnostic, ParseResult, SourceDocument, SourceRead, SourceSpec } from '../../core/types.js';
import { MAX_FILE_BYTES } from '../fsread.js';

export interface Entry {
  key: string;
  revision: number;
  at: number;
  text: string;
  parse: ParseResult;
}

export class KvEntries {
  readonly values = new Map<string, Entry>();
  /** Agents whose key was deleted: the revision of the deletion (a create guards on it). */
  readonly deleted = new Map<string, number>();
  private cached: SourceRead | null = null;

  constructor(private readonly spec: SourceSpec) {}

  /** How the source's documents are named: `nats:<bucket>`, then `/<key>` per agent. */
  get file(): string {
    return `nats:${this.spec.store!.bucket}`;
  }

  get size(): number {
    return this.values.size;
  }

  clear(): void {
    this.values.clear();
    this.deleted.clear();
    this.cached = null;
  }

  /** Health or values changed: build the read again next time. */
  invalidate(): void {
    this.cached = null;
  }

  /** The revision an agent's key was read at (0: never written). */
  revision(agent: string): number {
    return this.values.get(agent)?.revision ?? this.deleted.get(agent) ?? 0;
  }

  /** Take one revision of an agent's key in; the agent when it was news, else null. */
  take(agent: string, key: string, revision: number, at: number, op: string, text: string): string | null {
    if (revision <= this.revision(agent)) return null; // seen already (a resumed watch repeats nothing new)
    this.cached = null;
    if (op !== 'PUT') {
      this.values.delete(agent);
      this.deleted.set(agent, revision);
      return agent;
    }
    this.deleted.delete(agent);
    const format = this.spec.format ?? 'json';
    const parse = parseDocument(text, format, { file: `${this.file}/${key}`, maxBytes: MAX_FILE_BYTES });
    this.values.set(agent, { key, revision, at, text, parse });
    return agent;
  }

  read(): SourceRead {
    if (this.cached) return this.cached;
    const diagnostics: Diagnostic[] = [];
    // A lost connection leaves the last values standing: it is the source's health (the
    // header, `health()`), not every agent turned invalid.
    const read: SourceRead = { source: this.spec.name, documents: [], diagnostics, healthy: true };
    if (this.spec.kind === 'registry') {
      // One document `{ <agent>: <value> }`; its field paths start with `{agent}` (config.ts).
      const value: Record<string, unknown> = {};
      let at = 0;
      for (const [agent, e] of this.values) {
        if (!e.parse.ok || !isRecord(e.parse.value)) {
          diagnostics.push({
            severity: 'warning',
            code: 'invalid-value',
            message: `${e.key}: ${e.parse.diagnostics[0]?.message ?? 'expected an object of fields'}`,
            file: `${this.file}/${e.key}`,
          });
          continue;
        }
        value[agent] = e.parse.value;
        at = Math.max(at, e.at);
      }
      read.documents.push({
        file: this.file,
        parse: { ok: true, value, diagnostics: [] },
        mtimeMs: at || null,
      });
    } else {
      for (const [agent, e] of this.values) {
        const doc: SourceDocument = { agent, file: `${this.file}/${e.key}`, parse: e.parse, mtimeMs: e.at };
        read.documents.push(doc);
      }
    }
    this.cached = read;
    return read;
  }
}
