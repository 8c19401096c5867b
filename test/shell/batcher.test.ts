import { describe, expect, it } from 'vitest';
import { Batcher, type BatcherTimers } from '../../src/shell/batcher.js';

/** A hand-driven clock: timers fire only when the test advances time. */
function fakeTimers() {
  let now = 0;
  let nextId = 1;
  const timers = new Map<number, { at: number; fn: () => void }>();
  const api = {
    setTimeout: ((fn: () => void, ms?: number) => {
      const id = nextId++;
      timers.set(id, { at: now + (ms ?? 0), fn });
      return id as unknown as ReturnType<typeof setTimeout>;
    }) as unknown as typeof setTimeout,
    clearTimeout: ((id: unknown) => {
      timers.delete(id as number);
    }) as typeof clearTimeout,
  } satisfies BatcherTimers;
  return {
    timers: api,
    get now() {
      return now;
    },
    get active() {
      return timers.size;
    },
    /** Advance time, firing due timers in order (a timer may schedule others). */
    advance(ms: number) {
      const end = now + ms;
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined;
        for (const entry of timers) if (entry[1].at <= end && (!due || entry[1].at < due[1].at)) due = entry;
        if (!due) break;
        timers.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = end;
    },
  };
}

function setup(quietMs = 20, maxWaitMs = 100) {
  const clock = fakeTimers();
  const flushes: { at: number; keys: string[] }[] = [];
  const batcher = new Batcher<string>((keys) => flushes.push({ at: clock.now, keys: [...keys].sort() }), {
    quietMs,
    maxWaitMs,
    timers: clock.timers,
  });
  return { clock, flushes, batcher };
}

describe('Batcher', () => {
  it('turns a burst of adds into one flush after the quiet period', () => {
    const { clock, flushes, batcher } = setup();
    batcher.add('a');
    clock.advance(5);
    batcher.add('b');
    clock.advance(5);
    batcher.add('c');
    expect(batcher.pending).toBe(3);
    clock.advance(19);
    expect(flushes).toEqual([]);
    clock.advance(1);
    expect(flushes).toEqual([{ at: 30, keys: ['a', 'b', 'c'] }]);
    expect(batcher.pending).toBe(0);
    expect(clock.active).toBe(0);
  });

  it('de-duplicates keys within a batch', () => {
    const { clock, flushes, batcher } = setup();
    for (let i = 0; i < 1000; i++) batcher.add(i % 2 ? 'odd' : 'even');
    expect(batcher.pending).toBe(2);
    clock.advance(20);
    expect(flushes).toEqual([{ at: 20, keys: ['even', 'odd'] }]);
  });

  it('flushes at maxWaitMs however busy it stays', () => {
    const { clock, flushes, batcher } = setup(20, 100);
    // An add every quietMs/2: the quiet period never arrives.
    for (let t = 0; t < 250; t += 10) {
      batcher.add(`k${t}`);
      clock.advance(10);
    }
    clock.advance(20);
    expect(flushes.map((f) => f.at)).toEqual([100, 200, 260]);
    // Every key is delivered exactly once.
    const all = flushes.flatMap((f) => f.keys);
    expect(all).toHaveLength(25);
    expect(new Set(all).size).toBe(25);
    // The first batch holds the adds made before t=100.
    expect(flushes[0]!.keys).toHaveLength(10);
  });

  it('sets no timers and never flushes when nothing was added', () => {
    const { clock, flushes, batcher } = setup();
    clock.advance(10_000);
    batcher.flush();
    expect(flushes).toEqual([]);
    expect(clock.active).toBe(0);
  });

  it('flush() delivers now and cancels the timers', () => {
    const { clock, flushes, batcher } = setup();
    batcher.add('a');
    batcher.flush();
    expect(flushes).toEqual([{ at: 0, keys: ['a'] }]);
    expect(clock.active).toBe(0);
    clock.advance(1000);
    expect(flushes).toHaveLength(1);
  });

  it('close() flushes what is pending, then ignores adds', () => {
    const { clock, flushes, batcher } = setup();
    batcher.add('a');
    batcher.close();
    expect(flushes).toEqual([{ at: 0, keys: ['a'] }]);
    expect(clock.active).toBe(0);
    batcher.add('b');
    clock.advance(1000);
    expect(flushes).toHaveLength(1);
    expect(batcher.pending).toBe(0);
    batcher.close();
    expect(flushes).toHaveLength(1);
  });

  it('adds made from inside the callback start a new batch', () => {
    const clock = fakeTimers();
    const flushes: string[][] = [];
    const batcher: Batcher<string> = new Batcher<string>(
      (keys) => {
        flushes.push([...keys]);
        if (keys.has('a')) batcher.add('again');
      },
      { quietMs: 20, maxWaitMs: 100, timers: clock.timers },
    );
    batcher.add('a');
    clock.advance(20);
    clock.advance(20);
    expect(flushes).toEqual([['a'], ['again']]);
  });

  it('a throwing callback does not wedge the batcher', () => {
    const clock = fakeTimers();
    let calls = 0;
    const batcher = new Batcher<string>(
      () => {
        calls++;
        if (calls === 1) throw new Error('consumer failed');
      },
      { quietMs: 20, maxWaitMs: 100, timers: clock.timers },
    );
    batcher.add('a');
    expect(() => batcher.flush()).toThrow('consumer failed');
    expect(batcher.pending).toBe(0);
    batcher.add('b');
    clock.advance(20);
    expect(calls).toBe(2);
  });

  it('uses the real timers by default', async () => {
    const got = await new Promise<string[]>((resolve) => {
      const b = new Batcher<string>((keys) => resolve([...keys]), { quietMs: 1, maxWaitMs: 50 });
      b.add('x');
      b.add('x');
    });
    expect(got).toEqual(['x']);
  });
});
