/**
 * A transaction that touches several served tables reaches clients as one unit: each table's
 * pipeline releases its part when that part is whole (transactions.ts), and this gate holds the
 * part until every other served table's part of the same transaction is released too, then hands
 * all of them to their pipelines in one synchronous step. A client subscribed to orders and to
 * order_lines gets both parts' frames back to back (same txId), before any frame of a later
 * transaction; neither view, index or window shows one part without the other. Pure: released units
 * and END markers go in, deliveries come out through `deliver`; the clock and the tables' progress
 * are passed in.
 *
 * Which tables a transaction touched its END says (data_collections). Per table the gate keeps the
 * released units in order (commit order), and a unit waits at the head of its table's queue:
 *
 *   - for its END, when it was released before it was read (rule 2 of transactions.ts) — until an
 *     END of a later commit is read: ENDs come in commit order, so its own is then not coming (the
 *     heartbeat commits every second, so that is about a second at most);
 *   - for the other tables' parts, each at the head of its own queue. A table still reading its
 *     topic to catch up is waited for as long as it takes (its part is coming). A table that has
 *     read its topic to the end and still has no part after PART_MISSING_SETTLE_MS will not bring
 *     it (it did not decode: a gap the service reports) — the parts that came go on without it.
 *
 * Commit order per table is kept (a unit waits, so does everything after it in its table), and there
 * is no deadlock: parts of one transaction are released in commit order in every table, so the
 * oldest waiting transaction's parts are all at their heads once released.
 */
import type { TransactionMarker } from '../ingest/debezium/transaction-marker.js';
import type { ReleasedUnit } from './transactions.js';
import { EVENTS_MISSING_SETTLE_MS } from './transactions.js';

/** How long a part may be missing, once its table has read its topic to the end, before the others go on without it. */
export const PART_MISSING_SETTLE_MS = EVENTS_MISSING_SETTLE_MS;
/** ENDs of several served tables remembered until their parts are delivered (a bound, not a target). */
const MAX_ENDS = 100_000;

export interface GateTable {
  /** The table's name and the collection its events count under in END ("public.orders"). */
  readonly name: string;
  readonly collection: string;
  /** The table's topic is read to its end (the change feed caught up and the last fetch found nothing more). */
  readonly atEnd: () => boolean;
  /** Applies and broadcasts the units, in order (pipeline.ts). */
  readonly deliver: (units: readonly ReleasedUnit[]) => void;
}

/**
 * A FIFO whose shift is O(1) however long it gets: an array read from a moving head, compacted once
 * the head has passed half of it. A table catching up behind another may park a million units here.
 */
class Fifo<T> {
  #items: (T | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  push(item: T): void {
    this.#items.push(item);
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head >= FIFO_COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return item;
  }

  toArray(): T[] {
    return this.#items.slice(this.#head) as T[];
  }
}

/** Shifted slots a FIFO keeps before it compacts (and only once they are half of it). */
const FIFO_COMPACT_AFTER = 1_024;

interface Held {
  readonly unit: ReleasedUnit;
  /** Commit time of the unit (its last record's). */
  readonly commitTime: number;
  readonly offeredAt: number;
  /** When a partner it waits for was first seen at its topic's end without the part; undefined while not. */
  missingSince: number | undefined;
}

export class CrossTableGate {
  readonly #tables = new Map<string, GateTable>();
  readonly #queues = new Map<string, Fifo<Held>>();
  /** txId → the served tables its END counts events of, for transactions of more than one. */
  readonly #multi = new Map<number, readonly string[]>();
  /** txIds whose END was read (any number of tables), recent ones. */
  readonly #ended = new Set<number>();
  #latestEndTime = -Infinity;
  #delivering = false;
  #joined = 0;
  #partial = 0;
  readonly #onDelivered: ((outcome: 'joined' | 'partial') => void) | undefined;

  /** `onDelivered`: told of each transaction of several tables delivered (for a metric). */
  constructor(onDelivered?: (outcome: 'joined' | 'partial') => void) {
    this.#onDelivered = onDelivered;
  }

  /** Serves one more table (a table added while running); its queue starts empty. */
  addTable(table: GateTable): void {
    this.#tables.set(table.name, table);
    this.#queues.set(table.name, new Fifo<Held>());
  }

  /** Stops serving a table: what it held is delivered first. */
  removeTable(name: string, now: number): void {
    const queue = this.#queues.get(name);
    const table = this.#tables.get(name);
    this.#tables.delete(name);
    this.#queues.delete(name);
    if (table && queue && queue.size > 0) table.deliver(queue.toArray().map((held) => held.unit));
    this.drain(now);
  }

  /** Transactions delivered across several tables at once, and those whose parts went on without a missing one. */
  get stats(): { readonly joined: number; readonly partial: number } {
    return { joined: this.#joined, partial: this.#partial };
  }

  /** How many units of `table` are held here, waiting for a partner (pipeline.idle counts them). O(1). */
  heldCount(table: string): number {
    return this.#queues.get(table)?.size ?? 0;
  }

  /** The first unit of `table` held here, or undefined. */
  firstHeld(table: string): ReleasedUnit | undefined {
    return this.#queues.get(table)?.peek()?.unit;
  }

  /** The oldest commit time held for `table`, or undefined. */
  oldestHeld(table: string): number | undefined {
    return this.#queues.get(table)?.peek()?.commitTime;
  }

  /** A marker of the transaction topic, in topic order. */
  addMarker(marker: TransactionMarker): void {
    if (marker.status !== 'END') return;
    if (marker.timeMs > this.#latestEndTime) this.#latestEndTime = marker.timeMs;
    this.#remember(this.#ended, marker.txId);
    const names: string[] = [];
    for (const table of this.#tables.values()) if ((marker.eventCounts.get(table.collection) ?? 0) > 0) names.push(table.name);
    if (names.length > 1) {
      this.#multi.set(marker.txId, names);
      if (this.#multi.size > MAX_ENDS) this.#multi.delete(this.#multi.keys().next().value!);
    }
  }

  /** A table's pipeline released these units (whole for that table), in order. */
  offer(table: string, units: readonly ReleasedUnit[], now: number): void {
    const queue = this.#queues.get(table);
    if (!queue) return;
    for (const unit of units) {
      const last = unit.records[unit.records.length - 1];
      const commitTime = last?.record.kind === 'row' ? last.record.source.commitTimeMs : (last?.kafkaTime ?? now);
      queue.push({ unit, commitTime, offeredAt: now, missingSince: undefined });
    }
  }

  /** Delivers every unit that may go now, in order; call after offers, markers, and on a timer. */
  drain(now: number): void {
    // Delivering may feed the gate again (a pipeline releasing more): the outer drain carries on.
    if (this.#delivering) return;
    this.#delivering = true;
    try {
      let moved = true;
      while (moved) {
        moved = false;
        for (const [name, queue] of this.#queues) {
          // Single-table units at the head go at once, in one call per table.
          const alone: ReleasedUnit[] = [];
          for (let head = queue.peek(); head; head = queue.peek()) {
            if (this.#verdict(name, head, now).kind !== 'alone') break;
            alone.push(queue.shift()!.unit);
          }
          if (alone.length > 0) {
            this.#tables.get(name)!.deliver(alone);
            moved = true;
          }
          const head = queue.peek();
          if (!head) continue;
          const verdict = this.#verdict(name, head, now);
          if (verdict.kind !== 'together') continue;
          // Every part that came, in table order, in one synchronous step.
          for (const partner of verdict.tables) {
            const partnerQueue = this.#queues.get(partner)!;
            const part = partnerQueue.peek();
            if (part?.unit.txId !== head.unit.txId) continue;
            partnerQueue.shift();
            this.#tables.get(partner)!.deliver([part.unit]);
          }
          if (verdict.partial) this.#partial += 1;
          else this.#joined += 1;
          this.#onDelivered?.(verdict.partial ? 'partial' : 'joined');
          if (head.unit.txId !== null) this.#multi.delete(head.unit.txId);
          moved = true;
        }
      }
    } finally {
      this.#delivering = false;
    }
  }

  #verdict(
    name: string,
    held: Held,
    now: number,
  ): { kind: 'alone' } | { kind: 'wait' } | { kind: 'together'; tables: readonly string[]; partial: boolean } {
    const txId = held.unit.txId;
    // One table served, no transaction metadata (a snapshot's reads), or its END missing for good: nothing to join.
    if (txId === null || this.#tables.size < 2 || held.unit.by === 'no-metadata' || held.unit.by === 'end-missing')
      return { kind: 'alone' };
    const tables = this.#multi.get(txId);
    if (!tables?.includes(name)) {
      // Its END read, or one of a later commit (so its own is not coming): it touched this table alone.
      if (this.#ended.has(txId) || this.#latestEndTime > held.commitTime) return { kind: 'alone' };
      return { kind: 'wait' };
    }
    let partial = false;
    for (const partner of tables) {
      if (partner === name) continue;
      const head = this.#queues.get(partner)?.peek();
      if (head?.unit.txId === txId) continue;
      // The partner has released a later commit already: its part of this one is not coming.
      if (head !== undefined && head.commitTime > held.commitTime) {
        partial = true;
        continue;
      }
      const table = this.#tables.get(partner);
      // Removed meanwhile, or read to its end with nothing of it: the part is not coming once it settles.
      if (!table || (head === undefined && table.atEnd())) {
        held.missingSince ??= now;
        if (now - held.missingSince < PART_MISSING_SETTLE_MS) return { kind: 'wait' };
        partial = true;
        continue;
      }
      held.missingSince = undefined;
      return { kind: 'wait' };
    }
    return { kind: 'together', tables, partial };
  }

  #remember(set: Set<number>, txId: number): void {
    set.add(txId);
    if (set.size > MAX_ENDS) set.delete(set.values().next().value!);
  }
}
