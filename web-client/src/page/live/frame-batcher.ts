/**
 * Changes applied per animation frame: whatever arrived since the last frame is handed over at once,
 * before the next paint, so a burst of a thousand diffs (or one 10,000-row transaction) costs one
 * render, not one per change. The frame request is injected (requestAnimationFrame in the page).
 *
 *   add(a) add(b) add(c) ──▶ [next frame] flush([a, b, c], frameTime) ──▶ add(d) ──▶ [frame] flush([d])
 */
export interface FrameBatcherDeps<T> {
  /** Runs `run` before the next paint, with the frame's time (epoch ms). */
  readonly requestFrame: (run: () => void) => void;
  readonly now: () => number;
  /** Everything added since the last frame, in arrival order (never empty). */
  readonly flush: (items: readonly T[], frameTime: number) => void;
}

export class FrameBatcher<T> {
  readonly #deps: FrameBatcherDeps<T>;
  #pending: T[] = [];
  #requested = false;

  constructor(deps: FrameBatcherDeps<T>) {
    this.#deps = deps;
  }

  /** How many items wait for the next frame. */
  get pending(): number {
    return this.#pending.length;
  }

  add(item: T): void {
    this.#pending.push(item);
    this.#request();
  }

  #request(): void {
    if (this.#requested) return;
    this.#requested = true;
    this.#deps.requestFrame(() => {
      this.#requested = false;
      const items = this.#pending;
      this.#pending = [];
      if (items.length > 0) this.#deps.flush(items, this.#deps.now());
    });
  }

  /** Drops what is pending (the subscription it came from is gone). */
  clear(): void {
    this.#pending = [];
  }
}
