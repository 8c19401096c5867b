// Driving Ink apps in ink-testing-library without fixed sleeps: wait for a frame that
// satisfies a condition, with a deadline and a failure message that shows the last frame.
import type { render } from 'ink-testing-library';

export type Rendered = ReturnType<typeof render>;

const ANSI = /\u001B\[[0-9;?]*[ -/]*[@-~]|\u001B\][^\u0007\u001B]*(?:\u0007|\u001B\\)/g;

export function stripAnsi(s: string): string {
  return s.replace(ANSI, '');
}

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

/** Resolve with the first (ANSI-stripped) frame that satisfies `predicate`. */
export async function waitForFrame(
  getFrame: () => string | undefined,
  predicate: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  for (;;) {
    last = stripAnsi(getFrame() ?? '');
    if (predicate(last)) return last;
    if (performance.now() >= deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for a frame; last frame:\n${last}`);
    }
    await tick();
  }
}

/** Wait until the app listens for input (Ink attaches its stdin listener in an effect). */
export async function waitForInput(r: Rendered, timeoutMs = 3000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (r.stdin.listenerCount('readable') === 0) {
    if (performance.now() >= deadline) throw new Error('the app never started reading input');
    await tick();
  }
  // Let the first effects settle before the first key.
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The current frame without ANSI codes. */
export function frameOf(r: Rendered): string {
  return stripAnsi(r.lastFrame() ?? '');
}

/** Write one key and wait for a frame where `until` holds. */
export async function press(
  r: Rendered,
  key: string,
  until: (frame: string) => boolean,
  timeoutMs = 3000,
): Promise<string> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  r.stdin.write(key);
  return waitForFrame(r.lastFrame, until, timeoutMs);
}
