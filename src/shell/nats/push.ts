// `sync-tui push` (README.md "Several hosts"): mirror this host's status files into a NATS
// bucket, one key per agent. Every write is create-or-compare-and-swap, and a value in the
// bucket that is newer than the local file (by the document's own time) is left alone:
// never a blind overwrite.
import type { KV } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/nats-core';
import { agentFile, splitAgentPattern, type AgentPattern } from '../../core/ids.js';
import { keyOf, splitKeyPattern, type KeyPattern } from '../../core/key-token.js';
import { observeSource } from '../../core/observe/normalize.js';
import { parseDocument } from '../../core/read/parse.js';
import type { Config, SourceSpec } from '../../core/types.js';
import { MAX_FILE_BYTES, readBounded } from '../fsread.js';
import { readSource } from '../sources.js';
import { describeStoreError, openStore } from './connect.js';

export type PushOutcome = 'created' | 'updated' | 'unchanged' | 'newer' | 'gone' | 'failed';

export interface PushReport {
  agent: string;
  outcome: PushOutcome;
  revision?: number;
  message?: string;
}

const MAX_ATTEMPTS = 5;

function isWrongRevision(e: unknown): boolean {
  return /wrong last sequence|key exists|10071/i.test(e instanceof Error ? e.message : String(e));
}

export class Pusher {
  private readonly pattern: AgentPattern;
  private readonly keys: KeyPattern;

  private constructor(
    private readonly root: string,
    private readonly config: Config,
    readonly from: SourceSpec,
    readonly to: SourceSpec,
    private readonly nc: NatsConnection,
    private readonly kv: KV,
    private readonly clock: () => number,
  ) {
    this.pattern = splitAgentPattern(from.path)!;
    this.keys = splitKeyPattern(to.store!.key)!;
  }

  static async open(
    root: string,
    config: Config,
    from: SourceSpec,
    to: SourceSpec,
    clock: () => number = Date.now,
  ): Promise<Pusher> {
    const { nc, kv } = await openStore(root, to);
    return new Pusher(root, config, from, to, nc, kv, clock);
  }

  /** The agents the local source lists now. */
  agents(): string[] {
    return readSource(this.root, this.from).documents.flatMap((d) =>
      d.agent === undefined ? [] : [d.agent],
    );
  }

  /** The agent a changed path (relative to the root) belongs to, if it is its status file. */
  agentOfPath(rel: string): string | null {
    const p = this.pattern;
    const prefix = p.dir === '' ? '' : p.dir + '/';
    if (!rel.startsWith(prefix)) return null;
    const entry = rel.slice(prefix.length).split('/')[0] ?? '';
    if (!entry.startsWith(p.prefix) || !entry.endsWith(p.suffix)) return null;
    const agent = entry.slice(p.prefix.length, entry.length - p.suffix.length);
    return agent !== '' && agentFile(p, agent) === rel ? agent : null;
  }

  private updatedAt(spec: SourceSpec, agent: string, file: string, text: string): number | null {
    const parse = parseDocument(text, spec.format ?? 'json', { file, maxBytes: MAX_FILE_BYTES });
    const o = observeSource(
      {
        source: spec.name,
        documents: [{ agent, file, parse, mtimeMs: null }],
        diagnostics: [],
        healthy: true,
      },
      spec,
      {
        fields: this.config.fields,
        timezone: this.config.timezone,
        now: this.clock(),
      },
    ).get(agent);
    return o?.updatedAtFrom === 'document' ? o.updatedAt : null;
  }

  /** Mirror one agent's status file into its key. */
  async push(agent: string): Promise<PushReport> {
    const file = agentFile(this.pattern, agent);
    const local = readBounded(this.root, file, MAX_FILE_BYTES);
    if (!local.ok)
      return { agent, outcome: local.missing ? 'gone' : 'failed', message: local.diagnostic.message };
    const key = keyOf(this.keys, agent);
    const localAt = this.updatedAt(this.from, agent, file, local.text);
    try {
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
        const cur = await this.kv.get(key);
        if (!cur || cur.operation !== 'PUT') {
          try {
            return { agent, outcome: 'created', revision: await this.kv.create(key, local.text) };
          } catch (e) {
            if (isWrongRevision(e)) continue; // someone created it first: decide again
            throw e;
          }
        }
        const text = cur.string();
        if (text === local.text) return { agent, outcome: 'unchanged', revision: cur.revision };
        const remoteAt = this.updatedAt(this.to, agent, `nats:${this.to.store!.bucket}/${key}`, text);
        if (remoteAt !== null && (localAt === null || remoteAt > localAt)) {
          return {
            agent,
            outcome: 'newer',
            revision: cur.revision,
            message: 'the bucket holds a newer value; left as it is',
          };
        }
        try {
          return { agent, outcome: 'updated', revision: await this.kv.update(key, local.text, cur.revision) };
        } catch (e) {
          if (isWrongRevision(e)) continue; // written meanwhile: read again, decide again
          throw e;
        }
      }
      return { agent, outcome: 'failed', message: `${key} kept changing (${MAX_ATTEMPTS} attempts)` };
    } catch (e) {
      return { agent, outcome: 'failed', message: `${key}: ${describeStoreError(e)}` };
    }
  }

  async pushAll(concurrency = 32): Promise<PushReport[]> {
    const queue = this.agents();
    const out: PushReport[] = [];
    await Promise.all(
      Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
        for (let a = queue.shift(); a !== undefined; a = queue.shift()) out.push(await this.push(a));
      }),
    );
    return out.sort((x, y) => (x.agent < y.agent ? -1 : x.agent > y.agent ? 1 : 0));
  }

  close(): Promise<void> {
    return this.nc.close().catch(() => undefined);
  }
}
