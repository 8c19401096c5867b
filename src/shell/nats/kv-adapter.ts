// A source held in a NATS JetStream key-value bucket, one key per agent (README.md
// "Several hosts"). The bucket is read and watched through one ordered consumer on the
// bucket's stream: a key's revision is its stream sequence, so a watch that lost its
// connection resumes after the last revision it saw and misses nothing. Writes are the
// server's compare-and-swap (`update(key, value, revision)`), read back before they count.
import { jetstream, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { KV } from '@nats-io/kv';
import { agentOfKey, keyFilter, keyOf, splitKeyPattern, type KeyPattern } from '../../core/key-token.js';
import { parseDocument } from '../../core/read/parse.js';
import { setAt } from '../../core/plan/plan.js';
import { isRecord } from '../../core/record.js';
import type { Diagnostic, ParseResult, SourceDocument, SourceRead, SourceSpec } from '../../core/types.js';
import { MAX_FILE_BYTES } from '../fsread.js';
import type {
  AdapterHealth,
  AdapterOptions,
  GuardedWrite,
  HistoryItem,
  Revisions,
  SourceAdapter,
  WriteResult,
} from '../sources/adapter.js';
import { describeStoreError, openStore, StoreError } from './connect.js';

interface Entry {
  key: string;
  revision: number;
  at: number;
  text: string;
  parse: ParseResult;
}

/** Attempts at the first read when the server times out. */
const OPEN_ATTEMPTS = 3;

/** How many compare-and-swap writes are in flight at once. */
const WRITE_CONCURRENCY = 64;

function isWrongRevision(e: unknown): boolean {
  const text = e instanceof Error ? e.message : String(e);
  return (
    /wrong last sequence|key exists|10071|10164/i.test(text) ||
    (e as { code?: number } | null)?.code === 10071
  );
}

export class NatsKvAdapter implements SourceAdapter {
  private readonly entries = new Map<string, Entry>();
  /** Agents whose key was deleted: the revision of the deletion (a create guards on it). */
  private readonly deleted = new Map<string, number>();
  /** Agents a refused write found changed: read again before the next plan. */
  private readonly stale = new Set<string>();
  private readonly pattern: KeyPattern;
  private readonly prefix: string;
  private lastSeq = 0;
  private cached: SourceRead | null = null;
  private messages: ConsumerMessages | null = null;
  private watching = false;
  private lastError: string | null = null;
  private since: number | null = null;
  private lastEventAt: number | null = null;
  private notify: ((agents: string[]) => void) | null = null;
  private closed = false;

  private constructor(
    readonly spec: SourceSpec,
    private readonly nc: NatsConnection,
    private readonly kv: KV,
    private readonly opts: AdapterOptions,
  ) {
    this.pattern = splitKeyPattern(spec.store!.key)!;
    this.prefix = `$KV.${spec.store!.bucket}.`;
  }

  static async open(root: string, spec: SourceSpec, opts: AdapterOptions): Promise<NatsKvAdapter> {
    const { nc, kv } = await openStore(root, spec);
    const a = new NatsKvAdapter(spec, nc, kv, opts);
    void a.followStatus();
    // A cluster that just lost a node answers once it has elected new leaders: a read that
    // timed out is tried again (bounded).
    for (let attempt = 1; ; attempt++) {
      try {
        await a.loadAll();
        return a;
      } catch (e) {
        if (attempt < OPEN_ATTEMPTS && describeStoreError(e) === 'timed out') continue;
        await a.close();
        throw new StoreError(
          `source ${spec.name}: bucket ${spec.store!.bucket} cannot be read: ${describeStoreError(e)}`,
        );
      }
    }
  }

  private get file(): string {
    return `nats:${this.spec.store!.bucket}`;
  }

  /** Take one message of the bucket's stream in; the agent it touched, if any. */
  private ingest(m: JsMsg): string | null {
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    if (!m.subject.startsWith(this.prefix)) return null;
    const key = m.subject.slice(this.prefix.length);
    const agent = agentOfKey(this.pattern, key);
    if (agent === null) return null;
    const op = m.headers?.get('KV-Operation') || 'PUT';
    return this.take(
      agent,
      key,
      m.seq,
      Math.floor(m.info.timestampNanos / 1e6),
      op,
      op === 'PUT' ? m.string() : '',
    );
  }

  private take(
    agent: string,
    key: string,
    revision: number,
    at: number,
    op: string,
    text: string,
  ): string | null {
    const known = this.entries.get(agent)?.revision ?? this.deleted.get(agent) ?? 0;
    if (revision <= known) return null; // seen already (a resumed watch repeats nothing new)
    this.cached = null;
    if (op !== 'PUT') {
      this.entries.delete(agent);
      this.deleted.set(agent, revision);
      return agent;
    }
    this.deleted.delete(agent);
    const format = this.spec.format ?? 'json';
    const parse = parseDocument(text, format, { file: `${this.file}/${key}`, maxBytes: MAX_FILE_BYTES });
    this.entries.set(agent, { key, revision, at, text, parse });
    return agent;
  }

  /**
   * Consume the bucket's stream from `start` (0: the last value of every key). Resolves when
   * caught up; with `follow` the consumer stays and delivers changes to `notify`.
   */
  private async consume(start: number, follow: boolean): Promise<void> {
    const js = jetstream(this.nc);
    const filter = this.prefix + keyFilter(this.pattern);
    const consumer = await js.consumers.get(
      `KV_${this.spec.store!.bucket}`,
      // One filter subject (a string): servers before 2.10 take no list.
      start > 0
        ? { filter_subjects: filter, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start }
        : { filter_subjects: filter, deliver_policy: DeliverPolicy.LastPerSubject },
    );
    const info = await consumer.info();
    const messages = await consumer.consume({ max_messages: 1024 });
    let caughtUp!: () => void;
    const ready = new Promise<void>((r) => (caughtUp = r));
    if (info.num_pending === 0) caughtUp();
    if (follow) this.messages = messages;
    const loop = (async () => {
      let batch: string[] = [];
      for await (const m of messages) {
        const agent = this.ingest(m);
        if (agent !== null) batch.push(agent);
        if (m.info.pending === 0) {
          caughtUp();
          if (!follow) break;
          if (batch.length > 0 && this.notify) {
            this.lastEventAt = this.opts.clock();
            this.notify(batch);
          }
          batch = [];
        } else if (batch.length >= 512 && follow && this.notify) {
          this.notify(batch);
          batch = [];
        }
      }
    })();
    await Promise.race([ready, loop]);
    if (!follow) {
      messages.stop();
      await loop.catch(() => undefined);
    } else {
      loop.catch((e) => {
        if (this.closed) return;
        this.fail(`watch stopped: ${describeStoreError(e)}`);
      });
    }
  }

  private async loadAll(): Promise<void> {
    this.entries.clear();
    this.deleted.clear();
    this.cached = null;
    await this.consume(0, false);
  }

  /** Health from the connection's status events: a drop is shown with its reason and age. */
  private async followStatus(): Promise<void> {
    for await (const s of this.nc.status()) {
      if (this.closed) return;
      if (s.type === 'disconnect') {
        this.fail(`connection lost to ${s.server}`);
      } else if (s.type === 'reconnect') {
        this.lastError = null;
        this.since = null;
        this.cached = null;
        this.notify?.([]);
        // The ordered consumer starts again after the last sequence it delivered; a fresh
        // one from our own last revision makes sure nothing written meanwhile is missed.
        if (this.watching) void this.restartWatch();
      }
    }
  }

  private fail(message: string): void {
    if (this.since === null) this.since = this.opts.clock();
    this.lastError = message;
    this.cached = null;
    this.notify?.([]);
  }

  /** A new consumer from the revision after the last one seen; tried again until it works. */
  private async restartWatch(): Promise<void> {
    const old = this.messages;
    this.messages = null;
    old?.stop();
    for (let attempt = 1; !this.closed; attempt++) {
      try {
        await this.consume(this.lastSeq + 1, true);
        if (attempt > 1) {
          this.lastError = null;
          this.since = null;
          this.notify?.([]);
        }
        return;
      } catch (e) {
        this.fail(`watch could not resume: ${describeStoreError(e)}; trying again`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * attempt)));
      }
    }
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
      for (const [agent, e] of this.entries) {
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
      for (const [agent, e] of this.entries) {
        const doc: SourceDocument = { agent, file: `${this.file}/${e.key}`, parse: e.parse, mtimeMs: e.at };
        read.documents.push(doc);
      }
    }
    this.cached = read;
    return read;
  }

  revision(agent: string): number | null {
    return this.entries.get(agent)?.revision ?? this.deleted.get(agent) ?? 0;
  }

  async refresh(): Promise<void> {
    // Read at open (and kept current by a watch): only keys a refused write found changed
    // are read again; any other key that changed meanwhile is caught by its own swap.
    const agents = [...this.stale];
    this.stale.clear();
    await Promise.all(agents.map((a) => this.readBack(a)));
  }

  /** Read one agent's key from the server now. */
  private async readBack(agent: string): Promise<void> {
    const key = keyOf(this.pattern, agent);
    const e = await this.kv.get(key);
    if (!e) return;
    this.take(
      agent,
      key,
      e.revision,
      e.created.getTime(),
      e.operation,
      e.operation === 'PUT' ? e.string() : '',
    );
  }

  async watch(onChange: (agents: string[]) => void): Promise<void> {
    this.notify = onChange;
    this.watching = true;
    await this.consume(this.lastSeq + 1, true);
  }

  resumeToken(): string | null {
    return this.lastSeq > 0 ? String(this.lastSeq) : null;
  }

  async write(writes: readonly GuardedWrite[], expect?: ReadonlyMap<string, number>): Promise<WriteResult> {
    const byAgent = new Map<string, GuardedWrite[]>();
    for (const w of writes) byAgent.set(w.agent, [...(byAgent.get(w.agent) ?? []), w]);
    const revisions = new Map<string, Revisions>();
    const changed: string[] = [];
    const failed: string[] = [];
    const one = async (agent: string, list: GuardedWrite[]): Promise<void> => {
      const cur = this.entries.get(agent);
      const before = expect?.get(agent) ?? this.revision(agent) ?? 0;
      if (cur && (!cur.parse.ok || !isRecord(cur.parse.value))) {
        failed.push(`${cur.key} does not hold an object; not written`);
        return;
      }
      const value: Record<string, unknown> = cur
        ? structuredClone(cur.parse.value as Record<string, unknown>)
        : {};
      for (const w of list) {
        if (w.after === undefined) removeAt(value, w.path);
        else setAt(value, w.path, w.after);
      }
      const key = keyOf(this.pattern, agent);
      const text = JSON.stringify(value, null, 2) + '\n';
      try {
        const after =
          before === 0 || (!cur && this.deleted.get(agent) === before)
            ? await this.kv.create(key, text)
            : await this.kv.update(key, text, before);
        revisions.set(agent, { before, after });
        await this.readBack(agent);
      } catch (e) {
        if (isWrongRevision(e)) {
          changed.push(agent);
          this.stale.add(agent);
        } else failed.push(`${key}: ${describeStoreError(e)}`);
      }
    };
    const queue = [...byAgent];
    const workers = Array.from({ length: Math.min(WRITE_CONCURRENCY, queue.length) }, async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await one(next[0], next[1]);
    });
    await Promise.all(workers);
    this.cached = null;
    if (failed.length > 0) return { ok: false, reason: 'failed', message: failed[0]!, revisions, changed };
    if (changed.length > 0)
      return {
        ok: false,
        reason: 'changed',
        message: `${changed.length} key(s) changed since they were read (${changed.slice(0, 3).join(', ')})`,
        revisions,
        changed,
      };
    return { ok: true, revisions };
  }

  async history(agent: string, limit: number): Promise<HistoryItem[]> {
    const out: HistoryItem[] = [];
    const it = await this.kv.history({ key: keyOf(this.pattern, agent) });
    for await (const e of it)
      out.push({
        revision: e.revision,
        at: e.created.getTime(),
        operation: e.operation,
        text: e.operation === 'PUT' ? e.string() : '',
      });
    return out.slice(-limit);
  }

  health(): AdapterHealth {
    return {
      healthy: this.lastError === null,
      mode: this.watching ? 'events' : 'once',
      watched: this.entries.size,
      lastEventAt: this.lastEventAt,
      lastError:
        this.lastError === null
          ? null
          : `${this.lastError} (${Math.round((this.opts.clock() - (this.since ?? this.opts.clock())) / 1000)}s ago)`,
      since: this.since,
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    this.messages?.stop();
    await this.nc.close().catch(() => undefined);
  }
}

function removeAt(doc: Record<string, unknown>, path: readonly string[]): void {
  let cur: unknown = doc;
  for (const k of path.slice(0, -1)) cur = isRecord(cur) ? cur[k] : undefined;
  if (isRecord(cur)) delete cur[path[path.length - 1]!];
}
