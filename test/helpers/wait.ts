// Waiting on the real world (files, watchers, processes) without fixed sleeps: poll a
// condition until it holds or a deadline passes, then fail with a message that says what
// was awaited.

export interface WaitOptions {
  /** Give up after this long (default 5 s). */
  timeoutMs?: number;
  /** Look again this often (default 10 ms). */
  intervalMs?: number;
  /** What was awaited, for the failure message. */
  what?: string;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Resolve with the first truthy value of `cond` (which may be async); reject after
 * `timeoutMs`. A condition that throws counts as not yet true; its last error is reported.
 */
export async function waitFor<T>(
  cond: () => T | Promise<T>,
  opts: WaitOptions = {},
): Promise<NonNullable<T>> {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const intervalMs = opts.intervalMs ?? 10;
  const deadline = performance.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await cond();
      if (value) return value as NonNullable<T>;
    } catch (e) {
      lastError = e;
    }
    if (performance.now() >= deadline) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${opts.what ?? 'a condition'}${why}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Check that `cond` stays false for `forMs`: the one place a test has to let time pass,
 * because "nothing happened" can only be shown by waiting. Rejects as soon as it turns true.
 */
export async function staysFalse(cond: () => unknown, forMs: number, what = 'the condition'): Promise<void> {
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    if (cond()) throw new Error(`${what} became true`);
    await sleep(10);
  }
  if (cond()) throw new Error(`${what} became true`);
}
