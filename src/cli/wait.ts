// `sync-tui wait`: block until every agent (or the selected ones) is in sync, like Argo
// CD's `app wait`. The live engine watches the sources; each new snapshot is judged by
// core/wait.ts. Exit 0 settled, 1 the timeout passed first (the agents not settled and
// why are printed), 2 usage, config or root error (README.md "Exit codes").
import * as path from 'node:path';
import { EMPTY_FILTER, filterProblem, parseFilter, type Filter } from '../core/view/filter.js';
import { sanitizeText, stringifyForTerminal } from '../core/sanitize.js';
import { parseDuration } from '../core/time.js';
import { waitState, type WaitState } from '../core/report/wait.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { onTerminate } from './signals.js';

export interface WaitOptions {
  root: string;
  config?: string;
  filter?: string;
  timeout?: string;
  strict?: boolean;
  json?: boolean;
}

/** At most this many agents are listed in the text output (all of them in --json). */
const LISTED = 20;

function selection(text: string | undefined): Filter {
  if (text === undefined) return EMPTY_FILTER;
  const r = parseFilter(text);
  if (!r.ok) throw new UsageError(`--filter: ${r.message} at column ${r.column} of '${sanitizeText(text)}'`);
  return r.filter;
}

export async function runWait(
  agents: string[],
  opts: WaitOptions,
  out: NodeJS.WritableStream = process.stdout,
): Promise<number> {
  const filter = selection(opts.filter);
  let timeoutMs: number | null = null;
  if (opts.timeout !== undefined) {
    timeoutMs = parseDuration(opts.timeout);
    if (timeoutMs === null)
      throw new UsageError(
        `--timeout: expected a duration like 30s, 5m or 1h, found '${sanitizeText(opts.timeout)}'`,
      );
  }
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const problem = filterProblem(filter, config);
  if (problem) throw new UsageError(`--filter: ${problem.message} at column ${problem.column}`);
  const sel = { filter, ids: agents, strict: opts.strict === true };
  const started = performance.now();
  // The engine is loaded when `wait` runs: other commands do not pay for it.
  const { Engine } = await import('../shell/engine.js');
  const engine = await Engine.open(root, config, { watch: true });
  const forget = onTerminate(() => void engine.close());
  let last!: WaitState;
  try {
    const result = await new Promise<{ state: WaitState; timedOut: boolean }>((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const check = (): void => {
        const snap = engine.getSnapshot();
        last = waitState(snap.recon, config, sel, snap.pending);
        if (!last.settled) return;
        unsubscribe();
        clearTimeout(timer);
        resolve({ state: last, timedOut: false });
      };
      const unsubscribe = engine.subscribe(check);
      if (timeoutMs !== null) {
        timer = setTimeout(() => {
          unsubscribe();
          resolve({ state: last, timedOut: true });
        }, timeoutMs);
      }
      check();
    });
    const waitedMs = Math.round(performance.now() - started);
    const s = result.state;
    if (opts.json) {
      out.write(
        stringifyForTerminal({
          settled: s.settled,
          timedOut: result.timedOut,
          waitedMs,
          selected: s.selected,
          strict: sel.strict,
          unsettled: s.unsettled,
        }) + '\n',
      );
    } else if (s.settled) {
      out.write(`settled: ${s.selected} agent(s) in sync after ${(waitedMs / 1000).toFixed(1)} s\n`);
    } else {
      out.write(
        `timed out after ${opts.timeout}: ${s.unsettled.length} of ${s.selected} agent(s) not settled\n`,
      );
      for (const u of s.unsettled.slice(0, LISTED))
        out.write(`  ${sanitizeText(u.agent)}  ${u.verdict ?? 'absent'}  ${sanitizeText(u.reason)}\n`);
      if (s.unsettled.length > LISTED)
        out.write(`  ... and ${s.unsettled.length - LISTED} more (--json lists all)\n`);
    }
    return s.settled ? 0 : 1;
  } finally {
    forget();
    await engine.close();
  }
}
