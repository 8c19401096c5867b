// A source held in a NATS JetStream key-value bucket, one key per agent (README.md
// "Several hosts"). The bucket is read and watched through one ordered consumer on the
// bucket's stream: a key's revision is its stream sequence, so a watch that lost its
// connection resumes after the last revision it saw and misses nothing. Writes are the
// server's compare-and-swap (`update(key, value, revision)`), read back before they count.
// This file connects, reads, watches and reports health; what is held in memory is
// kv-entries.ts, the guarded writes kv-write.ts.
import { jetstream, DeliverPolicy, type ConsumerMessages, type JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import type { KV } from '@nats-io/kv';
import { agentOfKey, keyFilter, keyOf, splitKeyPattern, type KeyPattern } from '../../core/key-token.js';
import type { SourceRead, SourceSpec } from '../../core/types.js';
import type {
  AdapterHealth,
  AdapterOptions,
  GuardedWrite,
  HistoryItem,
  SourceAdapter,
  WriteResult,
} from '../sources/adapter.js';
import { describeStoreError, openStore, StoreError } from './connect.js';
import { KvEntries } from './kv-entries.js';
import { casWrite } from './kv-write.js';

/** Attempts at the first read when the server times out. */
const OPEN_ATTEMPTS = 3;
/** A watch shows what it received after at most this long (see consume). */
const FLUSH_MS = 50;

export class NatsKvAdapter implements SourceAdapter {
  private readonly entries: KvEntries;
  /** Agents a refused write found changed: read again before the next plan. */
  private readonly stale = new Set<string>();
  private readonly pattern: KeyPattern;
  private readonly prefix: string;
  private lastSeq = 0;
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
    this.entries = new KvEntries(spec);
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

  /** Take one message of the bucket's stream in; the agent it touched, if any. */
  private ingest(m: JsMsg): string | null {
    this.lastSeq = Math.max(this.lastSeq, m.seq);
    if (!m.subject.startsWith(this.prefix)) return null;
    const key = m.subject.slice(this.prefix.length);
    const agent = agentOfKey(this.pattern, key);
    if (agent === null) return null;
    const op = m.headers?.get('KV-Operation') || 'PUT';
    return this.entries.take(
      agent,
      key,
      m.seq,
      Math.floor(m.info.timestampNanos / 1e6),
      op,
      op === 'PUT' ? m.string() : '',
    );
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
    let batch: string[] = [];
    let flushTimer: NodeJS.Timeout | null = null;
    const flush = (): void => {
      if (flushTimer !== null) clearTimeout(flushTimer);
      flushTimer = null;
      if (batch.length > 0 && this.notify && !this.closed) {
        this.lastEventAt = this.opts.clock();
        this.notify(batch);
      }
      batch = [];
    };
    const loop = (async () => {
      for await (const m of messages) {
        const agent = this.ingest(m);
        if (agent !== null) batch.push(agent);
        if (m.info.pending === 0) {
          caughtUp();
          if (!follow) break;
          flush();
        } else if (follow && (batch.length >= 512 || flushTimer === null)) {
          // The pending count a message carries is a hint, not a promise: after a server
          // restart it was seen to stay at 1 past the last message. What arrived is shown
          // within FLUSH_MS even when the count never reaches 0.
          if (batch.length >= 512) flush();
          else
            flushTimer = setTimeout(() => {
              caughtUp();
              flush();
            }, FLUSH_MS);
        }
      }
      if (flushTimer !== null) clearTimeout(flushTimer);
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
        this.entries.invalidate();
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
    this.entries.invalidate();
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
    return this.entries.read();
  }

  revision(agent: string): number | null {
    return this.entries.revision(agent);
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
    this.entries.take(
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

  write(writes: readonly GuardedWrite[], expect?: ReadonlyMap<string, number>): Promise<WriteResult> {
    return casWrite(
      {
        kv: this.kv,
        pattern: this.pattern,
        entries: this.entries,
        readBack: (agent) => this.readBack(agent),
        markStale: (agent) => this.stale.add(agent),
      },
      writes,
      expect,
    );
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
