// Events in, batches out. A burst of file events (an editor's save, a script rewriting
// 2,000 status files) becomes one de-duplicated set of keys: flushed after a quiet period,
// or at the latest `maxWaitMs` after the batch began, so a steady trickle of changes
// cannot postpone a redraw forever. Pure timing logic: timers are injectable for tests.

export interface BatcherTimers {
  setTimeout: typeof setTimeout;
  clearTimeout: typeof clearTimeout;
}

export interface BatcherOptions {
  /** Flush once no key has been added for this long. */
  quietMs: number;
  /** Flush at most this long after the first add of a batch, however busy it stays. */
  maxWaitMs: number;
  timers?: BatcherTimers;
}

type Handle = ReturnType<typeof setTimeout>;

export class Batcher<K> {
  readonly #onFlush: (keys: Set<K>) => void;
  readonly #quietMs: number;
  readonly #maxWaitMs: number;
  readonly #timers: BatcherTimers;
  #keys = new Set<K>();
  #quiet: Handle | undefined;
  #max: Handle | undefined;
  #closed = false;

  constructor(onFlush: (keys: Set<K>) => void, opts: BatcherOptions) {
    this.#onFlush = onFlush;
    this.#quietMs = Math.max(0, opts.quietMs);
    this.#maxWaitMs = Math.max(0, opts.maxWaitMs);
    // Bound to globalThis: Node's timers do not care, but a browser-like `this` would.
    this.#timers = opts.timers ?? {
      setTimeout: globalThis.setTimeout.bind(globalThis) as typeof setTimeout,
      clearTimeout: globalThis.clearTimeout.bind(globalThis) as typeof clearTimeout,
    };
  }

  /** Number of distinct keys waiting for the next flush. */
  get pending(): number {
    return this.#keys.size;
  }

  /** Add a key to the current batch. A no-op once the batcher is closed. */
  add(key: K): void {
    if (this.#closed) return;
    this.#keys.add(key);
    if (this.#max === undefined) this.#max = this.#timers.setTimeout(() => this.flush(), this.#maxWaitMs);
    if (this.#quiet !== undefined) this.#timers.clearTimeout(this.#quiet);
    this.#quiet = this.#timers.setTimeout(() => this.flush(), this.#quietMs);
  }

  /** Flush now if anything is pending. */
  flush(): void {
    this.#cancel();
    if (this.#keys.size === 0) return;
    const keys = this.#keys;
    // Reset before calling out: the callback may add keys (they start a new batch), and a
    // throwing callback must not leave the batcher wedged.
    this.#keys = new Set();
    this.#onFlush(keys);
  }

  /** Flush what is pending, cancel the timers and ignore later adds. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.flush();
  }

  #cancel(): void {
    if (this.#quiet !== undefined) this.#timers.clearTimeout(this.#quiet);
    if (this.#max !== undefined) this.#timers.clearTimeout(this.#max);
    this.#quiet = undefined;
    this.#max = undefined;
  }
}
