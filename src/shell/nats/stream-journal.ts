// The journal in the store (README.md "Several hosts"): where several operators share a
// NATS store, `journal: { stream: NAME }` keeps the journal in a JetStream stream on the
// policy target's servers, so `log` and `undo` see every host's actions. One message per
// append holds its entries as JSON lines (they land together, as the file's one write);
// `read` returns them in stream order. Same contract as shell/journal.ts.
import * as os from 'node:os';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/nats-core';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { Diagnostic, SourceSpec } from '../../core/types.js';
import type { JournalEntry } from '../../core/write/journal-model.js';
import { entryProblem, JournalError } from '../journal.js';
import { connectionOptions, describeStoreError, StoreError } from './connect.js';

/** Past this many messages `read` stops and says so (bounded, as the file's size cap). */
const MAX_MESSAGES = 100_000;

export class StreamJournal {
  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly stream: string,
    readonly label: string,
  ) {}

  private readonly by = `${safeUser()}@${os.hostname()}`;

  private get subject(): string {
    return `${this.stream}.entries`;
  }

  /** Connect with the target source's settings; the stream is created when absent. */
  static async open(root: string, target: SourceSpec, stream: string): Promise<StreamJournal> {
    const store = target.store!;
    const label = `journal stream ${stream} on ${store.servers.join(',')}`;
    let nc: NatsConnection;
    try {
      nc = await connect({ ...connectionOptions(root, target.name, store), name: 'sync-tui journal' });
    } catch (e) {
      if (e instanceof StoreError) throw e;
      throw new StoreError(`${label}: ${describeStoreError(e)}`);
    }
    try {
      const jsm = await jetstreamManager(nc, { timeout: 5000 });
      try {
        await jsm.streams.info(stream);
      } catch {
        await jsm.streams.add({
          name: stream,
          subjects: [`${stream}.entries`],
          num_replicas: store.replicas,
        });
      }
      return new StreamJournal(nc, jetstream(nc, { timeout: 5000 }), jsm, stream, label);
    } catch (e) {
      await nc.close().catch(() => undefined);
      throw new StoreError(`${label}: ${describeStoreError(e)}`);
    }
  }

  async append(entries: readonly JournalEntry[]): Promise<void> {
    if (entries.length === 0) return;
    // Who wrote it, as several operators share the stream: user@host, on every entry.
    const body = entries.map((e) => JSON.stringify({ ...e, by: this.by })).join('\n') + '\n';
    try {
      await this.js.publish(this.subject, body);
    } catch (e) {
      throw new JournalError('ESTORE', `${describeStoreError(e)} while appending to the ${this.label}`);
    }
  }

  async read(): Promise<{ entries: JournalEntry[]; diagnostics: Diagnostic[] }> {
    const entries: JournalEntry[] = [];
    const diagnostics: Diagnostic[] = [];
    const fail = (message: string, code = 'journal-unreadable') =>
      diagnostics.push({ severity: 'error', code, message, file: this.label });
    try {
      const info = await this.jsm.streams.info(this.stream);
      const first = info.state.first_seq;
      const last = Math.min(info.state.last_seq, first + MAX_MESSAGES - 1);
      if (info.state.last_seq > last)
        fail(`the journal holds more than ${MAX_MESSAGES} appends; the newest are not read`);
      for (let seq = first; seq <= last && info.state.messages > 0; seq += 64) {
        const batch = await Promise.all(
          Array.from({ length: Math.min(64, last - seq + 1) }, (_, i) =>
            this.jsm.streams.getMessage(this.stream, { seq: seq + i }).catch(() => null),
          ),
        );
        for (const m of batch) {
          if (m === null) continue;
          for (const line of m.string().split('\n')) {
            if (line.trim() === '') continue;
            let v: unknown;
            try {
              v = JSON.parse(line);
            } catch {
              fail(`append ${m.seq}: a line is not JSON; skipped`, 'journal-bad-line');
              continue;
            }
            // Anyone with access to the stream can publish to it: entries are checked as the file's are.
            const problem = entryProblem(v);
            if (problem)
              fail(`append ${m.seq}: not a journal entry (${problem}); skipped`, 'journal-bad-line');
            else entries.push(v as JournalEntry);
          }
        }
      }
    } catch (e) {
      fail(`the ${this.label} cannot be read: ${describeStoreError(e)}`);
    }
    return { entries, diagnostics };
  }

  async close(): Promise<void> {
    await this.nc.close().catch(() => undefined);
  }
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}
