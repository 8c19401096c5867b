// sync-tui watch: the live engine headless, one line (or JSON object) per change.
import type { Command } from 'commander';
import { DEFAULT_AUTO_PARAMS } from '../../core/plan/autoresolve.js';
import { configOption, rootOption } from '../options.js';
import { HOOK_CONCURRENCY, PER_AGENT_CAP, runWatch, type WatchOptions } from '../watch.js';
import type { Run } from './command.js';

export function register(program: Command, run: Run): void {
  program
    .command('watch')
    .description(
      'run the live engine headless: one line (or JSON object) per change, alert hooks, optional auto-resolve',
    )
    .addOption(rootOption())
    .addOption(configOption())
    .option('--json', 'one JSON object per line per event')
    .option(
      '--auto-resolve',
      'resolve drifted agents as they drift, with backoff; stops on agents another writer keeps changing back',
    )
    .option(
      '--on-drift <cmd>',
      'run CMD (via /bin/sh -c) with the event as JSON on stdin when an agent enters drift, conflict, missing or invalid, or flaps',
    )
    .option(
      '--interval <duration>',
      're-read every source this often as a safety net (e.g. 5m; default: off)',
    )
    .option('--hook-timeout <duration>', 'kill a hook that runs longer than this', '10s')
    .option('--no-color', 'no colours (NO_COLOR is honoured too)')
    .option(
      '--metrics <addr>',
      'serve Prometheus metrics at http://ADDR/metrics (PORT alone listens on 127.0.0.1; see docs/metrics.md)',
    )
    .option(
      '--metrics-per-agent [max]',
      `also one series per agent, at most max of them (default ${PER_AGENT_CAP})`,
    )
    .addHelpText(
      'after',
      `
Events: initial, change, resolved, resolve-failed, flapping, resumed, hook-failed, source, error.
With --json every line is one object: { type, at, agent, verdict: {before, after}, differences,
truth, reasons, action?, writes?, message?, alert? }. Hooks run at most ${HOOK_CONCURRENCY} at a time, each for
at most --hook-timeout; failures are reported as hook-failed events, never fatal. The hook's
environment has SYNC_TUI_EVENT, SYNC_TUI_AGENT and SYNC_TUI_VERDICT.

Auto-resolve backs off per agent (1 s, 2 s, 4 s ... 5 min) and stops for an agent whose
registry value is changed back ${DEFAULT_AUTO_PARAMS.flapThreshold} times within 10 min (a flapping event says so); it
resumes after a manual resolve, 60 s back in sync, or 30 min without a revert.
Verdict changes are kept in <state dir>/history.jsonl for 'sync-tui report'.

Examples:
  sync-tui watch --json | jq -c 'select(.type == "change")'
  sync-tui watch --on-drift 'notify-send "sync-tui: $SYNC_TUI_AGENT is $SYNC_TUI_VERDICT"'
  sync-tui watch --auto-resolve --interval 5m

SIGINT/SIGTERM end it cleanly (exit 0). Exit 2 on a usage, config or root error.`,
    )
    .action(async (opts: WatchOptions) => run(await runWatch(opts)));
}
