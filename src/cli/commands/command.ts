// What every sub-command module in src/cli/commands/ exports (see src/cli/main.ts).
import type { Command } from 'commander';

/** Ends the command with an exit code: 0 returns, any other throws an ExitError. */
export type Run = (code: number) => void;

/** Adds one sub-command (its options, help and action) to the program. */
export type Register = (program: Command, run: Run) => void;
