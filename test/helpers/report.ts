// What a test prints beyond pass/fail. Timings are noise on a shared machine and belong to
// the benchmark (npm run bench), so they print only on request: SYNC_TUI_TEST_TIMING=1.
// Tallies of what a suite tried (faults injected, cases skipped here) always print.

export const TIMING_REQUESTED = process.env['SYNC_TUI_TEST_TIMING'] === '1';

/** Print a timing line when asked for (SYNC_TUI_TEST_TIMING=1); nothing otherwise. */
export function timing(line: string): void {
  if (TIMING_REQUESTED) console.info(line);
}
