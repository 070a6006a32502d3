/**
 * The recent changes a replica keeps for resuming clients: a bounded ring, oldest evicted first.
 * `floor` is the position up to which changes may be missing: every change after it is here.
 */
import { ORIGIN, isAfter, type Position } from '@orders-live/protocol';
import type { TableChange } from '../table/table-view.js';

export class ChangeRing {
  readonly #capacity: number;
  readonly #items: TableChange[] = [];
  /** Index of the oldest change in #items (a queue without shifting the array on every push). */
  #head = 0;
  #floor: Position = ORIGIN;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, not ${capacity}`);
    this.#capacity = capacity;
  }

  get floor(): Position {
    return this.#floor;
  }

  get size(): number {
    return this.#items.length - this.#head;
  }

  /**
   * An empty ring whose changes start after `position`: a replica that started from a checkpoint has
   * none of the changes before it, so a cursor older than that gets a reset, never a silent gap.
   */
  startAfter(position: Position): void {
    if (this.size > 0) throw new Error('only an empty ring starts after a position');
    this.#floor = position;
  }

  push(change: TableChange): void {
    this.#items.push(change);
    if (this.size > this.#capacity) {
      this.#floor = this.#items[this.#head]!.position;
      this.#head += 1;
      // Compact once the dead prefix is as long as the live part: amortised O(1) per push.
      if (this.#head >= this.#capacity) {
        this.#items.splice(0, this.#head);
        this.#head = 0;
      }
    }
  }

  /** The changes after `position`, oldest first; undefined when some of them were already evicted. */
  since(position: Position): TableChange[] | undefined {
    if (isAfter(this.#floor, position)) return undefined;
    // Binary search for the first change after `position`.
    let low = this.#head;
    let high = this.#items.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (isAfter(this.#items[mid]!.position, position)) high = mid;
      else low = mid + 1;
    }
    return this.#items.slice(low);
  }
}
