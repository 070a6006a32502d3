/**
 * A tiny typed event emitter. `on` returns the function that removes the listener.
 * A listener that throws does not stop the others or the caller: its error is rethrown on a
 * microtask, where it surfaces as an uncaught error (the console in a browser, a failed test in vitest).
 */
export type Listener<T> = (payload: T) => void;
export type Unsubscribe = () => void;

export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(event: K, listener: Listener<Events[K]>): Unsubscribe {
    let listeners = this.#listeners.get(event);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(event, listeners);
    }
    // Wrapped so that adding the same function twice gives two independent subscriptions.
    const entry: Listener<Events[K]> = (payload) => listener(payload);
    listeners.add(entry);
    return () => {
      listeners.delete(entry);
    };
  }

  emit<K extends keyof Events>(event: K, payload: Events[K]): void {
    const listeners = this.#listeners.get(event) as Set<Listener<Events[K]>> | undefined;
    if (!listeners) return;
    for (const listener of [...listeners]) {
      try {
        listener(payload);
      } catch (error) {
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}
