// What every chooser of discovery reports beside its pick: the candidates that tie with it
// and the next best (README.md "Zero config": ties and runners-up are said, not guessed).
import type { RunnerUp } from './types.js';

/**
 * The rest of a sorted candidate list, split into those that tie with the first (`same`)
 * and up to three runners-up. `showRunnerUp` may say more about a runner-up than a tie.
 */
export function tiesAndRunnersUp<C>(
  rest: readonly C[],
  same: (c: C) => boolean,
  show: (c: C) => RunnerUp,
  showRunnerUp: (c: C) => RunnerUp = show,
): { ties: RunnerUp[]; runnersUp: RunnerUp[] } {
  return {
    ties: rest.filter(same).map(show),
    runnersUp: rest
      .filter((c) => !same(c))
      .slice(0, 3)
      .map(showRunnerUp),
  };
}
