// `sync-tui watch`: the live engine, headless and long-running. One line per state change
// (JSON with --json: see core/watch-events.ts for the shape), the verdict history for
// `sync-tui report`, the --on-drift hook, and --auto-resolve with backoff and flap
// detection (core/autoresolve.ts). SIGINT/SIGTERM stop it cleanly: no new events, the
// in-flight resolve and running hooks are waited for (5 s at most), the history is
// flushed, the engine closed, exit 0. Nothing the engine or a hook does ends it.
//
// Memory stays flat over days: one previous snapshot, auto-resolve state only for agents
// in trouble, bounded hook queue and history buffer, the last 64 action ids of our own.
import * as path from 'node:path';
import {
  DEFAULT_AUTO_PARAMS,
  initialAutoState,
  type AutoEvent,
  type AutoResolveParams,
  type AutoState,
} from '../core/plan/autoresolve.js';
import { stringifyForTerminal } from '../core/sanitize.js';
import { workspaceEvent, type WatchEvent } from '../core/report/watch-events.js';
import {
  autoEventsOut,
  autoPlan,
  hookEvent,
  operatorActions,
  resolveOutcome,
  resolveThrew,
  watchSettings,
} from '../core/report/watch-session.js';
export { PER_AGENT_CAP } from '../core/report/watch-session.js';
import { formatEventLine } from './watch-format.js';
// The engine and prom-client are loaded when `watch` runs: other commands do not pay for them.
import type { Engine, ActionResult, EngineSnapshot } from '../shell/engine.js';
import { HookRunner } from '../shell/hooks.js';
import { JsonlTail } from '../shell/history.js';
import { HistoryRecorder } from '../shell/history-recorder.js';
import { JOURNAL_FILE } from '../shell/journal.js';
import { NO_REGISTRY_LINE } from '../core/config/discover/describe.js';
import { loadConfig, UsageError } from '../shell/probe.js';
import { colorWanted, painter } from './ansi.js';

export interface WatchOptions {
  root: string;
  config?: string;
  autoResolve?: boolean;
  onDrift?: string;
  json?: boolean;
  interval?: string;
  hookTimeout?: string;
  color?: boolean;
  metrics?: string;
  metricsPerAgent?: string | boolean;
}

export interface WatchIo {
  out?: NodeJS.WritableStream & { isTTY?: boolean };
  err?: NodeJS.WritableStream;
  /** Resolves when watch should stop; default: the first SIGINT or SIGTERM. */
  stop?: Promise<unknown>;
  /** Called once watching has begun (the initial events are out). */
  onReady?: () => void;
  clock?: () => number;
  autoParams?: Partial<AutoResolveParams>;
  /** How long shutdown waits for the in-flight resolve, hooks and the history (default 5 s). */
  shutdownMs?: number;
}

/** Hook limits (see shell/hooks.ts). */
export const HOOK_CONCURRENCY = 4;
export const HOOK_MAX_QUEUE = 100;
/** While an agent is flapping, the journal is looked at this often for a manual resolve. */
export const JOURNAL_POLL_MS = 2000;

const OUR_ACTIONS_KEPT = 64;

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p,
    new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
    }),
  ]).finally(() => clearTimeout(timer));
}

export async function runWatch(opts: WatchOptions, io: WatchIo = {}): Promise<number> {
  const out = io.out ?? process.stdout;
  const err = io.err ?? process.stderr;
  const clock = io.clock ?? Date.now;
  const settings = watchSettings(opts);
  if (typeof settings === 'string') throw new UsageError(settings);
  const { interval, hookTimeout, perAgentCap } = settings;
  const metricsAddr = settings.metrics;
  const root = path.resolve(opts.root);
  const config = loadConfig(root, opts.config);
  const params: AutoResolveParams = { ...DEFAULT_AUTO_PARAMS, ...io.autoParams };
  const paint = painter(opts.json ? false : colorWanted(opts.color, out as NodeJS.WriteStream));
  const stateDir = path.resolve(root, config.stateDir);
  const target = config.policy.target;
  if (opts.autoResolve && !config.sources.some((s) => s.name === target)) {
    throw new UsageError(
      `--auto-resolve: ${root} has no registry, so there is nothing to write to; ${NO_REGISTRY_LINE} (or set policy.target)`,
    );
  }

  // Signals first: a SIGTERM during start-up still ends cleanly.
  let signalled: ((why: string) => void) | null = null;
  const stopRequested = new Promise<string>((resolve) => (signalled = resolve));
  let signals = 0;
  const onSignal = (sig: NodeJS.Signals) => {
    signals++;
    if (signals > 1) {
      err.write(`sync-tui: ${sig} again: stopping now\n`);
      process.exit(130);
    }
    signalled?.(sig);
  };
  if (!io.stop) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  } else void io.stop.then(() => signalled?.('stop'));
  try {
    return await watchLoop();
  } finally {
    if (!io.stop) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }

  async function watchLoop(): Promise<number> {
    const { Engine } = await import('../shell/engine.js');
    const metrics =
      metricsAddr === null
        ? null
        : new (await import('../shell/metrics.js')).Metrics({
            perAgentCap,
            clock,
            onCapped: (m) => err.write(`sync-tui: ${m}\n`),
          });
    if (metrics && metricsAddr) {
      try {
        const at = await metrics.listen(metricsAddr);
        const host = at.host.includes(':') ? `[${at.host}]` : at.host;
        err.write(`sync-tui: metrics at http://${host}:${at.port}/metrics\n`);
      } catch (e) {
        throw new UsageError(
          `--metrics: cannot listen on ${opts.metrics}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    let engine: Engine;
    try {
      engine = await Engine.open(root, config, { watch: true, observer: metrics?.observer });
    } catch (e) {
      await metrics?.close();
      throw e;
    }
    metrics?.watch(() => engine.getSnapshot());
    let stopping = false;

    const write = (line: string) => {
      try {
        out.write(line + '\n');
      } catch {
        // a closed stdout is handled by the binary's EPIPE handler
      }
    };
    const history = new HistoryRecorder(stateDir, {
      root,
      clock,
      onError: (m) => emit(workspaceEvent('error', clock(), `history not written: ${m}`)),
    });
    let hooks: HookRunner | null = null;
    const emit = (e: WatchEvent): void => {
      write(opts.json ? stringifyForTerminal(e) : formatEventLine(e, paint));
      if (hooks && !stopping && (e.alert !== undefined || e.type === 'flapping')) hooks.enqueue(e);
    };
    if (opts.onDrift !== undefined) {
      hooks = new HookRunner({
        command: opts.onDrift,
        concurrency: HOOK_CONCURRENCY,
        timeoutMs: hookTimeout,
        maxQueue: HOOK_MAX_QUEUE,
        cwd: root,
        env: { ...process.env, SYNC_TUI_ROOT: root },
        envFor: (e) => ({
          SYNC_TUI_EVENT: e.type,
          SYNC_TUI_AGENT: e.agent ?? '',
          SYNC_TUI_VERDICT: e.verdict.after ?? '',
        }),
        onFailure: (r) => emit(hookEvent(r, clock())),
      });
    }

    let auto: AutoState = initialAutoState();
    let inFlight: Promise<void> | null = null;
    const ourActions: string[] = [];
    const journal = new JsonlTail(path.join(stateDir, JOURNAL_FILE));
    // Said once per distinct problem (the journal is polled while an agent is flapping).
    let journalProblem: string | null = null;
    const journalFailed = (e: unknown): void => {
      const message = `the journal cannot be read, so resolves by hand are not noticed: ${e instanceof Error ? e.message : String(e)}`;
      if (message === journalProblem) return;
      journalProblem = message;
      emit(workspaceEvent('error', clock(), message));
    };
    try {
      await journal.read(); // start at its end: only what happens from now on
    } catch (e) {
      if (opts.autoResolve) journalFailed(e); // only auto-resolve reads it
    }
    let journalBusy = false;
    let wakeTimer: NodeJS.Timeout | null = null;
    let pollTimer: NodeJS.Timeout | null = null;
    let intervalTimer: NodeJS.Timeout | null = null;
    let scheduled = false;

    const schedule = (): void => {
      if (scheduled || stopping) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        step();
      });
    };

    const autoEvents = (events: AutoEvent[], snap: EngineSnapshot): void => {
      const out = autoEventsOut(events, snap.recon, clock());
      for (const e of out.events) emit(e);
      history.append(out.history);
    };

    const checkJournal = async (): Promise<void> => {
      if (journalBusy || inFlight || stopping || !opts.autoResolve) return;
      journalBusy = true;
      try {
        const values = await journal.read();
        journalProblem = null;
        const r = operatorActions(auto, values, ourActions);
        auto = r.state;
        const events = r.events;
        if (events.length > 0) {
          autoEvents(events, engine.getSnapshot());
          schedule();
        }
      } catch (e) {
        journalFailed(e);
      } finally {
        journalBusy = false;
      }
    };

    const startResolve = (snap: EngineSnapshot, due: string[]): void => {
      const before = new Map(
        due.map((id) => [id, snap.recon.agents.find((a) => a.id === id)?.verdict ?? null]),
      );
      inFlight = (async () => {
        let r: ActionResult;
        try {
          r = await engine.resolve(due);
        } catch (e) {
          const message = `resolve failed: ${e instanceof Error ? e.message : String(e)}`;
          metrics?.resolved(due.map(() => ({ cause: 'error' })));
          for (const ev of resolveThrew(due, before, engine.getSnapshot().recon, message, clock())) emit(ev);
          return;
        }
        if (r.action) {
          ourActions.push(r.action);
          if (ourActions.length > OUR_ACTIONS_KEPT) ourActions.shift();
        }
        metrics?.resolved(r.agents.filter((o) => due.includes(o.agent)));
        const done = resolveOutcome(auto, due, before, r, engine.getSnapshot().recon, clock());
        auto = done.state;
        for (const ev of done.events) emit(ev);
      })()
        .catch((e: unknown) =>
          emit(
            workspaceEvent('error', clock(), `auto-resolve: ${e instanceof Error ? e.message : String(e)}`),
          ),
        )
        .finally(() => {
          inFlight = null;
          schedule();
        });
    };

    const autoStep = (snap: EngineSnapshot): void => {
      if (!opts.autoResolve || stopping) return;
      const now = clock();
      const plan = autoPlan(auto, snap, target, now, params, inFlight !== null);
      auto = plan.state;
      autoEvents(plan.events, snap);
      if (plan.due.length > 0) startResolve(snap, plan.due);
      if (wakeTimer) clearTimeout(wakeTimer);
      wakeTimer = null;
      const wake = plan.wakeAt;
      if (wake !== null) wakeTimer = setTimeout(step, Math.min(2 ** 31 - 1, Math.max(10, wake - now + 5)));
      const flapping = plan.flapping;
      if (flapping && !pollTimer) pollTimer = setInterval(() => void checkJournal(), JOURNAL_POLL_MS);
      else if (!flapping && pollTimer) {
        clearInterval(pollTimer);
        pollTimer = null;
      }
    };

    function step(): void {
      if (stopping) return;
      try {
        const snap = engine.getSnapshot();
        for (const e of history.observe(snap)) emit(e);
        autoStep(snap);
        if (opts.autoResolve) void checkJournal();
      } catch (e) {
        emit(workspaceEvent('error', clock(), `watch: ${e instanceof Error ? e.message : String(e)}`));
      }
    }

    const unsubscribe = engine.subscribe(schedule);
    step();
    if (interval !== null) {
      intervalTimer = setInterval(() => {
        try {
          engine.reload();
        } catch (e) {
          emit(
            workspaceEvent('error', clock(), `re-read failed: ${e instanceof Error ? e.message : String(e)}`),
          );
        }
      }, interval);
    }
    io.onReady?.();

    await stopRequested;

    // Shutdown: no new events or resolves; wait (bounded) for what is under way.
    stopping = true;
    unsubscribe();
    for (const t of [wakeTimer, intervalTimer]) if (t) clearTimeout(t);
    if (pollTimer) clearInterval(pollTimer);
    const deadline = performance.now() + (io.shutdownMs ?? 5000);
    const left = () => Math.max(0, deadline - performance.now());
    if (inFlight) await withTimeout(inFlight, left());
    if (hooks) await hooks.drain(left());
    await withTimeout(history.close(), left());
    await withTimeout(engine.close(), left());
    await withTimeout(metrics?.close() ?? Promise.resolve(), left());
    return 0;
  }
}
