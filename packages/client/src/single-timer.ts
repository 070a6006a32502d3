/**
 * The one pending timer of a client (connect timeout, idle check or retry, by state): starting one
 * cancels the last. The platform's functions are called as plain functions: a browser's setTimeout
 * throws when called as a method of another object.
 */
export class SingleTimer {
  readonly #set: (callback: () => void, delayMs: number) => unknown;
  readonly #clear: (handle: unknown) => void;
  #handle: unknown;
  #pending = false;

  constructor(set: (callback: () => void, delayMs: number) => unknown, clear: (handle: unknown) => void) {
    this.#set = set;
    this.#clear = clear;
  }

  start(delayMs: number, run: () => void): void {
    this.cancel();
    const set = this.#set;
    this.#handle = set(() => {
      this.#pending = false;
      run();
    }, delayMs);
    this.#pending = true;
  }

  cancel(): void {
    if (!this.#pending) return;
    const clear = this.#clear;
    clear(this.#handle);
    this.#pending = false;
    this.#handle = undefined;
  }
}
