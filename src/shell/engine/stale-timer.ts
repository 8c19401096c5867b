// Stale verdicts change with time alone (README.md "Verdicts"): one timer that wakes the
// engine at the next stale boundary, at most once per STALE_TICK_MS.
import type { AgentState, Config } from '../../core/types.js';

const MAX_TIMER_MS = 2 ** 31 - 1;
/** The stale check wakes at most this often. */
const STALE_TICK_MS = 5000;
/** Every agent is reconciled again this often on a stale wake-up (ages in reasons). */
export const FULL_STALE_REFRESH_MS = 10 * 60_000;

export class StaleTimer {
  private timer: NodeJS.Timeout | null = null;
  private due = Infinity;

  /** `wake` is told the largest stale threshold of the config the timer was armed for. */
  constructor(
    private readonly clock: () => number,
    private readonly wake: (maxStale: number) => void,
  ) {}

  /** Arm for the next stale boundary among `agents` (keeps an earlier timer already armed). */
  schedule(config: Config, agents: readonly AgentState[]): void {
    const now = this.clock();
    let next = Infinity;
    const thresholds = config.sources.filter((s) => s.kind !== 'registry').map((s) => s.staleAfterMs);
    const maxStale = Math.max(0, ...thresholds);
    for (const a of agents) {
      if (a.lastSeen === null || a.verdict === 'stale') continue;
      const due = a.lastSeen + maxStale + 1;
      if (due > now && due < next) next = due;
    }
    if (next === Infinity) return;
    // At most one wake-up per STALE_TICK_MS: a verdict may turn stale a few seconds late
    // (thresholds are minutes), and a big fleet whose agents cross their thresholds at
    // scattered moments does not keep the process busy.
    const delay = Math.min(MAX_TIMER_MS, Math.max(STALE_TICK_MS, next - now));
    // Armed already for no later than that: keep it. Re-arming on every snapshot would
    // leave an empty timer list behind per distinct delay (Node keeps a cleared unref'd
    // timer's list until its expiry): ~3 MB after 15 minutes of a busy fleet.
    if (this.timer && this.due <= now + delay) return;
    if (this.timer) clearTimeout(this.timer);
    this.due = now + delay;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.due = Infinity;
      this.wake(maxStale);
    }, delay);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.due = Infinity;
  }
}
