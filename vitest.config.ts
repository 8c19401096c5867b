import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    setupFiles: ['test/setup.ts'],
    // Zone-less timestamps are read in local time by default; pin the zone so the
    // suite means the same thing on every machine.
    env: { TZ: 'UTC' },
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // Shared 2-core machines: keep workers few so real-fs and chokidar tests stay honest.
    maxWorkers: 2,
    fakeTimers: { toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] },
  },
});
