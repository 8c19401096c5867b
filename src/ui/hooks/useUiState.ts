// The screen's own state: the pure reducer of src/core/tui/ui-state.ts, held in a ref as well so
// keys arriving faster than renders see the latest.
import { useCallback, useRef, useState } from 'react';
import { reduce, type UiAction, type UiState } from '../../core/tui/ui-state.js';

export function useUiState(init: () => UiState): {
  state: UiState;
  stateRef: React.RefObject<UiState>;
  dispatch: (action: UiAction) => void;
} {
  const [state, setState] = useState<UiState>(init);
  const stateRef = useRef(state);
  const dispatch = useCallback((action: UiAction) => {
    const next = reduce(stateRef.current, action);
    if (next !== stateRef.current) {
      stateRef.current = next;
      setState(next);
    }
  }, []);
  return { state, stateRef, dispatch };
}
