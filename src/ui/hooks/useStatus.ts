// The status line's writers: `say` for a message, `runAction` for an engine call that shows
// "label …" while it runs and its result (src/ui/describe-result.ts) when done. A token per
// action keeps a late result from overwriting a newer one.
import { useCallback, useRef } from 'react';
import type { StatusEntry, StatusTone, UiAction } from '../../core/tui/ui-state.js';
import type { ActionResult, EngineLike } from '../../shell/engine-types.js';
import { describeResult, errorText } from '../describe-result.js';

export type Say = (text: string, tone?: StatusTone) => void;
export type RunAction = (label: string, act: () => Promise<ActionResult>, again?: string) => Promise<void>;

export function useStatus(
  dispatch: (a: UiAction) => void,
  engine: EngineLike,
  /** The key that plans afresh, for "press R again" (the configured resolve-many key). */
  againKey = 'R',
): { say: Say; runAction: RunAction } {
  const tokenRef = useRef(0);
  const say = useCallback<Say>(
    (text, tone = 'info') => dispatch({ type: 'status', status: { text, tone, token: tokenRef.current } }),
    [dispatch],
  );
  const runAction = useCallback<RunAction>(
    (label, act, again = againKey) => {
      const token = ++tokenRef.current;
      dispatch({
        type: 'status',
        status: { text: `${label} …`, tone: 'busy', token, startedAtSeq: engine.getSnapshot().seq },
      });
      return act().then(
        (r) => {
          const d = describeResult(r, again);
          const status: StatusEntry = { text: d.text, tone: d.tone, token, startedAtSeq: r.startedAtSeq };
          dispatch({ type: 'status', status });
        },
        (e: unknown) =>
          dispatch({
            type: 'status',
            status: { text: `${label} failed: ${errorText(e)}`, tone: 'error', token },
          }),
      );
    },
    [dispatch, engine, againKey],
  );
  return { say, runAction };
}
