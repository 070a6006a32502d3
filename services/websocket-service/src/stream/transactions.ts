/**
 * Transactions, released whole (guarantee 7 of docs/architecture.md: a Postgres transaction reaches a client
 * as one unit, one frame per subscription and one diff per window, whatever its size). Pure: records
 * of the table's topic and markers of the transaction topic go in, in the order each topic has them;
 * units come out, in commit order, each a whole transaction; the clock is passed in.
 *
 * The two topics are separate partitions, so neither waits for the other: a transaction's END may
 * be read before its events or after them. A transaction of the table's topic is whole when
 *
 *   1. its END has been read and as many of its events as END counts for this table
 *      (distinct data_collection_order values, so a replayed event never counts twice), or
 *   2. an event of a later transaction follows it in the table's topic: pgoutput sends each
 *      transaction whole at its commit, in commit order, and one partition keeps that order, so
 *      nothing of it can come after (events of a transaction already released, replayed by
 *      Debezium after a restart, are not "later"), or
 *   3. its END will not come, or not all it counts: the table's topic is read to its end, an END
 *      committed after it has been read (so its own END, if any, was read before), and
 *      END_MISSING_SETTLE_MS (EVENTS_MISSING_SETTLE_MS when its END counts more than came) have
 *      passed since its last event. Its END fell out of the transaction topic's window (an old
 *      transaction at start-up), or one of its events did not decode (that gap is reported,
 *      degraded-state.ts).
 *
 * Records without transaction metadata (the snapshot's reads, records from before the connector gave
 * metadata) are grouped by source.txId and are whole once something else follows them or the topic
 * is read to its end. A tombstone joins the unit of the delete it follows.
 *
 * The watermark (guarantee 8 of docs/architecture.md). Every END carries its commit time T; once no transaction
 * committed at or before T is still held (here, or known from its END but not yet seen), every
 * commit up to T has reached the service: T is the watermark. The connector's heartbeat row is
 * stamped every second, so an END arrives every second while every hop works.
 */
import type { Position } from '@orders-live/protocol';
import type { DecodedRecord } from '../ingest/debezium/decoder.js';
import type { TransactionMarker } from '../ingest/debezium/transaction-marker.js';
import type { TableChange } from '../table/table-view.js';

/** Time for a late event to cross from its partition before a transaction is called whole without its END (rule 3). */
export const END_MISSING_SETTLE_MS = 1_000;
/** Longer when END is read but counts more events than came: one did not decode, or crosses very late. */
export const EVENTS_MISSING_SETTLE_MS = 5_000;
/** Transactions remembered as released, to recognise Debezium's replays of them after a restart. */
const RELEASED_REMEMBERED = 100_000;
/** An END of this table whose events never came (compacted away before start-up) is dropped after this, once the topic is read to its end. */
const ORPHAN_END_MS = 10_000;
/** Watermark candidates kept while something older is held: one a second, so minutes of them. */
const MAX_CANDIDATES = 1_000;

/** A decoded record of the table's topic with where it was read. */
export interface HeldRecord {
  readonly record: DecodedRecord;
  readonly position: Position;
  /** The Kafka record's timestamp, epoch ms. */
  readonly kafkaTime: number;
}

/** How a unit was known to be whole (rules 1–3 above; `no-metadata`: records without transaction metadata). */
export type WholeBy = 'end' | 'next' | 'end-missing' | 'no-metadata';

export interface ReleasedUnit {
  /** Postgres' txId; null for a lone tombstone. */
  readonly txId: number | null;
  readonly records: readonly HeldRecord[];
  readonly by: WholeBy;
  /** ms from its first event read to its release. */
  readonly heldMs: number;
}

/** One transaction's changes as the view applied them, for the ring, the windows and the hub. */
export interface TransactionBatch {
  readonly txId: number | null;
  /** The commit time of the transaction (of its last change here). */
  readonly commitTime: number;
  /** When its last change here was written to Kafka, epoch ms. */
  readonly kafkaTime: number;
  readonly changes: readonly TableChange[];
}

/** A transaction still arriving: the head of the queue, not yet whole. */
export interface Receiving {
  readonly txId: number | null;
  /** Its events read so far. */
  readonly events: number;
  /** What END counts for this table, once END is read. */
  readonly expected: number | null;
  /** ms since its first event was read. */
  readonly heldForMs: number;
  /** ms since its last event was read: small while it is still coming in. */
  readonly quietForMs: number;
}

interface Unit {
  readonly txId: number | null;
  readonly metadata: boolean;
  readonly records: HeldRecord[];
  readonly orders: Set<number>;
  commitTime: number;
  readonly firstAt: number;
  lastAt: number;
  /** Something of a later unit followed it in the table's topic (rule 2). */
  followed: boolean;
}

export class TransactionAssembler {
  /** The data collection this table's events count under in END ("public.orders"). */
  readonly #collection: string;
  readonly #queue: Unit[] = [];
  readonly #pendingIds = new Set<number>();
  /** ENDs of transactions of this table not yet released: txId → what END counts and its commit time. */
  readonly #ends = new Map<number, { readonly count: number; readonly timeMs: number; readonly readAt: number }>();
  readonly #released = new Set<number>();
  #latestEndTime = -Infinity;
  #atEnd = false;
  readonly #candidates: number[] = [];
  #watermark: number | null = null;
  readonly #releasedBy: Record<WholeBy, number> = { end: 0, next: 0, 'end-missing': 0, 'no-metadata': 0 };

  constructor(collection: string) {
    this.#collection = collection;
  }

  /** Every commit up to this time (epoch ms, Postgres' clock) has been released; null until known. */
  /** Nothing is held: every record added has been released (a whole-transaction boundary, for a checkpoint). */
  get idle(): boolean {
    return this.#queue.length === 0;
  }

  get watermark(): number | null {
    return this.#watermark;
  }

  /** How many units were released by each rule, since start. */
  get releasedBy(): Readonly<Record<WholeBy, number>> {
    return this.#releasedBy;
  }

  /** The transaction the service is still receiving (the oldest held), or null. */
  receiving(now: number): Receiving | null {
    const head = this.#queue[0];
    if (!head) return null;
    const end = head.txId === null ? undefined : this.#ends.get(head.txId);
    return {
      txId: head.txId,
      // As END counts them: each event once (a tombstone or a replay is not one more).
      events: head.metadata ? head.orders.size : head.records.length,
      expected: end?.count ?? null,
      heldForMs: now - head.firstAt,
      quietForMs: now - head.lastAt,
    };
  }

  /** A record of the table's topic, in topic order. */
  addRecord(held: HeldRecord, now: number): void {
    const record = held.record;
    const tail = this.#queue[this.#queue.length - 1];
    if (record.kind === 'tombstone') {
      if (tail) this.#append(tail, held, now);
      else this.#push({ txId: null, metadata: false, held, now, followed: true });
      return;
    }
    const place = record.transaction;
    const commitTime = record.source.commitTimeMs;
    if (place) {
      if (tail?.metadata && tail.txId === place.txId) {
        this.#append(tail, held, now);
        tail.orders.add(place.order);
        return;
      }
      if (this.#released.has(place.txId) || this.#pendingIds.has(place.txId)) {
        // Debezium replaying what it had sent before a restart: it goes with the tail, in topic
        // order, and the view drops it (its LSN is not new), or released alone when nothing is held.
        if (tail) this.#append(tail, held, now);
        else this.#push({ txId: place.txId, metadata: false, held, now, followed: true });
        return;
      }
      this.#followAll(commitTime);
      const unit = this.#push({ txId: place.txId, metadata: true, held, now, followed: false });
      unit.orders.add(place.order);
      return;
    }
    const txId = record.source.txId;
    if (tail && !tail.metadata && txId !== null && tail.txId === txId) {
      this.#append(tail, held, now);
      return;
    }
    this.#followAll(commitTime);
    this.#push({ txId, metadata: false, held, now, followed: false });
  }

  /** After each fetch of the table's topic: `atEnd`, the partition held nothing more. */
  fetched(atEnd: boolean): void {
    this.#atEnd = atEnd;
    if (!atEnd) return;
    // Without metadata nothing says where a transaction ends but what follows it: at the end of the
    // topic, what was read is all there is (as before transaction metadata).
    for (const unit of this.#queue) if (!unit.metadata) unit.followed = true;
  }

  /** A marker of the transaction topic, in topic order. */
  addMarker(marker: TransactionMarker, now: number): void {
    if (marker.status !== 'END') return;
    if (marker.timeMs > this.#latestEndTime) this.#latestEndTime = marker.timeMs;
    const count = marker.eventCounts.get(this.#collection) ?? 0;
    if (count > 0 && !this.#released.has(marker.txId)) this.#ends.set(marker.txId, { count, timeMs: marker.timeMs, readAt: now });
    this.#candidates.push(marker.timeMs);
    if (this.#candidates.length > MAX_CANDIDATES) this.#candidates.shift();
  }

  /** The units now whole, in order, forgotten here once returned. */
  release(now: number): ReleasedUnit[] {
    const out: ReleasedUnit[] = [];
    for (;;) {
      const head = this.#queue[0];
      if (!head) break;
      const by = this.#wholeBy(head, now);
      if (by === undefined) break;
      this.#queue.shift();
      if (head.txId !== null) {
        this.#pendingIds.delete(head.txId);
        this.#ends.delete(head.txId);
        if (head.metadata) this.#remember(head.txId);
      }
      this.#releasedBy[by] += 1;
      out.push({ txId: head.txId, records: head.records, by, heldMs: now - head.firstAt });
    }
    this.#dropOrphanEnds(now);
    this.#advanceWatermark();
    return out;
  }

  #wholeBy(unit: Unit, now: number): WholeBy | undefined {
    if (!unit.metadata) return unit.followed ? 'no-metadata' : undefined;
    if (unit.followed) return 'next';
    const end = unit.txId === null ? undefined : this.#ends.get(unit.txId);
    if (end && unit.orders.size >= end.count) return 'end';
    const settleMs = end ? EVENTS_MISSING_SETTLE_MS : END_MISSING_SETTLE_MS;
    if (this.#atEnd && this.#latestEndTime > unit.commitTime && now - unit.lastAt >= settleMs) return 'end-missing';
    return undefined;
  }

  #advanceWatermark(): void {
    let oldestHeld = Infinity;
    for (const unit of this.#queue) oldestHeld = Math.min(oldestHeld, unit.commitTime);
    for (const end of this.#ends.values()) oldestHeld = Math.min(oldestHeld, end.timeMs);
    while (this.#candidates.length > 0 && this.#candidates[0]! < oldestHeld) {
      const time = this.#candidates.shift()!;
      if (this.#watermark === null || time > this.#watermark) this.#watermark = time;
    }
  }

  /** ENDs whose events are not in the table's topic any more: its end is read and they never came. */
  #dropOrphanEnds(now: number): void {
    if (!this.#atEnd) return;
    for (const [txId, end] of this.#ends) {
      if (!this.#pendingIds.has(txId) && now - end.readAt >= ORPHAN_END_MS) this.#ends.delete(txId);
    }
  }

  #followAll(commitTime: number): void {
    // Every unit before the tail was followed when the one after it came: only the tail is news.
    const tail = this.#queue[this.#queue.length - 1];
    if (tail) tail.followed = true;
    // An END older than a transaction now arriving, of one never seen: its events are gone from the
    // topic. ENDs are kept in the transaction topic's order, which is commit order: the first END at
    // or after this commit ends the look (one per new transaction, so it must not be a scan of all).
    for (const [txId, end] of this.#ends) {
      if (end.timeMs >= commitTime) break;
      if (!this.#pendingIds.has(txId)) this.#ends.delete(txId);
    }
  }

  #push(o: { txId: number | null; metadata: boolean; held: HeldRecord; now: number; followed: boolean }): Unit {
    const commitTime = o.held.record.kind === 'row' ? o.held.record.source.commitTimeMs : o.held.kafkaTime;
    const unit: Unit = {
      txId: o.txId,
      metadata: o.metadata,
      records: [o.held],
      orders: new Set(),
      commitTime,
      firstAt: o.now,
      lastAt: o.now,
      followed: o.followed,
    };
    this.#queue.push(unit);
    if (o.txId !== null && o.metadata) this.#pendingIds.add(o.txId);
    return unit;
  }

  #append(unit: Unit, held: HeldRecord, now: number): void {
    unit.records.push(held);
    unit.lastAt = now;
  }

  #remember(txId: number): void {
    this.#released.add(txId);
    if (this.#released.size > RELEASED_REMEMBERED) {
      const oldest = this.#released.values().next().value;
      if (oldest !== undefined) this.#released.delete(oldest);
    }
  }
}

/**
 * The ring's changes (in log order) back into transactions, for a resume's replay: runs of one txId.
 * Every transaction entered the ring whole and alone, so a run is exactly one. Pure.
 */
export function groupTransactions(changes: readonly TableChange[]): TransactionBatch[] {
  const groups: TransactionBatch[] = [];
  let current: TableChange[] = [];
  const close = () => {
    if (current.length === 0) return;
    const last = current[current.length - 1]!;
    groups.push({ txId: last.txId, commitTime: last.commitTime, kafkaTime: last.kafkaTime, changes: current });
    current = [];
  };
  for (const change of changes) {
    const previous = current[current.length - 1];
    // A change without txId (a tombstone) stands alone: nothing says which transaction it closed.
    if (previous && (change.txId === null || previous.txId !== change.txId)) close();
    current.push(change);
  }
  close();
  return groups;
}
