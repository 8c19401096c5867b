// How a command ends with a non-zero exit code: it throws an ExitError, which
// src/cli/main.ts turns into the message on standard error and the exit code. Exit codes
// (docs/DESIGN.md): 0 ok, 1 findings, 2 usage, config or root errors, 70 a bug in sync-tui.

/** Ends the command with `code`; `message`, when not empty, is printed as `sync-tui: message`. */
export class ExitError extends Error {
  constructor(
    readonly code: number,
    message = '',
  ) {
    super(message);
  }
}

/** EX_SOFTWARE (sysexits.h): an internal error, a bug in sync-tui rather than in its input. */
export const EXIT_INTERNAL = 70;

/** The one line printed for an internal error (the stack only with SYNC_TUI_DEBUG=1). */
export function internalErrorText(e: unknown): string {
  const what = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  return `sync-tui: internal error: ${what}\nThis is a bug in sync-tui; please report it with the command you ran (SYNC_TUI_DEBUG=1 shows the stack).\n`;
}
