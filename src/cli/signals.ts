// Ending on a signal sent from outside (`kill`, `timeout`, a supervisor, a closed terminal):
// every cleanup registered here runs, newest first, and the process exits with the
// shell's convention, 128 + the signal's number (README, "Exit codes").
import * as os from 'node:os';

export const TERMINATING = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
export type Terminating = (typeof TERMINATING)[number];

/** 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. */
export function signalExitCode(signal: Terminating): number {
  return 128 + os.constants.signals[signal];
}

const cleanups: (() => void)[] = [];
let installed = false;
let exiting = false;

function onSignal(signal: Terminating): void {
  if (exiting) return;
  exiting = true;
  for (const run of cleanups.splice(0).reverse()) {
    try {
      run();
    } catch {
      // One cleanup that fails must not keep the others (the terminal, the temp folder) from running.
    }
  }
  process.exit(signalExitCode(signal));
}

/**
 * Runs `cleanup` (synchronously) if a terminating signal arrives before the returned
 * function is called. The handlers stay installed only while some cleanup is registered.
 */
export function onTerminate(cleanup: () => void): () => void {
  cleanups.push(cleanup);
  if (!installed) {
    installed = true;
    for (const s of TERMINATING) process.on(s, onSignal);
  }
  return () => {
    const i = cleanups.lastIndexOf(cleanup);
    if (i >= 0) cleanups.splice(i, 1);
    if (cleanups.length === 0 && installed && !exiting) {
      installed = false;
      for (const s of TERMINATING) process.off(s, onSignal);
    }
  };
}
