// An external store with immutable snapshots, shaped for React's useSyncExternalStore.

export type Listener = () => void;

export class Store<T> {
  private snapshot: T;
  private readonly listeners = new Set<Listener>();

  constructor(initial: T) {
    this.snapshot = initial;
  }

  getSnapshot = (): T => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  };

  /** Publish a new snapshot; the same object again notifies nobody. */
  set(next: T): void {
    if (Object.is(next, this.snapshot)) return;
    this.snapshot = next;
    for (const listener of [...this.listeners]) {
      try {
        listener();
      } catch {
        // A failing subscriber must not stop the others or the engine.
      }
    }
  }
}
