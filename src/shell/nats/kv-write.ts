// Writes to a NATS key-value source (README.md "Several hosts"): each agent's key with the
// server's compare-and-swap on the revision planned from (`create` where the key is absent
// or deleted, `update(key, value, revision)` otherwise), read back before it counts. A key
// that changed meanwhile is reported `changed` (the engine re-reads, re-plans, retries),
// never overwritten.
import type { KV } from '@nats-io/kv';
import { keyOf, type KeyPattern } from '../../core/key-token.js';
import { setAt } from '../../core/plan/plan.js';
import { isRecord } from '../../core/record.js';
import type { GuardedWrite, Revisions, WriteResult } from '../sources/adapter.js';
import { describeStoreError } from './connect.js';
import type { KvEntries } from './kv-entries.js';

/** How many compare-and-swap writes are in flight at once. */
const WRITE_CONCURRENCY = 64;

export interface KvWriteTarget {
  kv: KV;
  pattern: KeyPattern;
  entries: KvEntries;
  /** Read one agent's key from the server now (into `entries`). */
  readBack(agent: string): Promise<void>;
  /** A swap found the key changed: read it again before the next plan. */
  markStale(agent: string): void;
}

function isWrongRevision(e: unknown): boolean {
  const text = e instanceof Error ? e.message : String(e);
  return (
    /wrong last sequence|key exists|10071|10164/i.test(text) ||
    (e as { code?: number } | null)?.code === 10071
  );
}

function removeAt(doc: Record<string, unknown>, path: readonly string[]): void {
  let cur: unknown = doc;
  for (const k of path.slice(0, -1)) cur = isRecord(cur) ? cur[k] : undefined;
  if (isRecord(cur)) delete cur[path[path.length - 1]!];
}

export async function casWrite(
  t: KvWriteTarget,
  writes: readonly GuardedWrite[],
  expect?: ReadonlyMap<string, number>,
): Promise<WriteResult> {
  const byAgent = new Map<string, GuardedWrite[]>();
  for (const w of writes) byAgent.set(w.agent, [...(byAgent.get(w.agent) ?? []), w]);
  const revisions = new Map<string, Revisions>();
  const changed: string[] = [];
  const failed: string[] = [];
  const one = async (agent: string, list: GuardedWrite[]): Promise<void> => {
    const cur = t.entries.values.get(agent);
    const before = expect?.get(agent) ?? t.entries.revision(agent);
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
    const key = keyOf(t.pattern, agent);
    const text = JSON.stringify(value, null, 2) + '\n';
    try {
      const after =
        before === 0 || (!cur && t.entries.deleted.get(agent) === before)
          ? await t.kv.create(key, text)
          : await t.kv.update(key, text, before);
      revisions.set(agent, { before, after });
      await t.readBack(agent);
    } catch (e) {
      if (isWrongRevision(e)) {
        changed.push(agent);
        t.markStale(agent);
      } else failed.push(`${key}: ${describeStoreError(e)}`);
    }
  };
  const queue = [...byAgent];
  const workers = Array.from({ length: Math.min(WRITE_CONCURRENCY, queue.length) }, async () => {
    for (let next = queue.shift(); next; next = queue.shift()) await one(next[0], next[1]);
  });
  await Promise.all(workers);
  t.entries.invalidate();
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
