import type { Subscription } from '../ohifTypes';

type Listener<T> = (state: T) => void;

/**
 * The panel's one event: "state changed", with a snapshot composed on demand from the parts that
 * own it. Owners call `changed()` after they change; the snapshot is rebuilt once per change, so
 * React sees a new object only when something did change.
 */
export class StateEvents<T> {
  private snapshot?: T;
  private readonly listeners = new Set<Listener<T>>();

  constructor(
    readonly eventName: string,
    private readonly compose: () => T,
  ) {}

  get(): T {
    this.snapshot ??= this.compose();
    return this.snapshot;
  }

  changed(): void {
    this.snapshot = undefined;
    const state = this.get();
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (error) {
        console.error('[chest-xray-ai] panel listener failed', error);
      }
    }
  }

  subscribe(event: string, listener: Listener<T>): Subscription {
    if (event !== this.eventName) throw new Error(`Unknown event ${event}`);
    this.listeners.add(listener);
    return { unsubscribe: () => this.listeners.delete(listener) };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
