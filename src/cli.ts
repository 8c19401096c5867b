#!/usr/bin/env node
// Entry point of the `sync-tui` binary.
import { main } from './cli/main.js';
import { EXIT_INTERNAL, internalErrorText } from './shell/exit-error.js';

// A reader that goes away (`sync-tui check | head`) is not an error worth a stack trace.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  });
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    // Last resort: one line, never a stack trace (set SYNC_TUI_DEBUG=1 to see it).
    process.stderr.write(internalErrorText(e));
    if (process.env['SYNC_TUI_DEBUG']) console.error(e);
    process.exitCode = EXIT_INTERNAL;
  },
);
