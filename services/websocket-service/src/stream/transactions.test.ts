import { describe, expect, it } from 'vitest';
import { orderRow } from '@orders-live/testkit/rows';
import { TransactionAssembler, END_MISSING_SETTLE_MS, EVENTS_MISSING_SETTLE_MS, type HeldRecord } from './transactions.js';
import type { TransactionMarker } from '../ingest/debezium/transaction-marker.js';
import { LEGACY_COLUMNS } from '../ingest/debezium/legacy-columns.js';

const TABLE = 'public.orders';
let offset = 0;

/** An insert of row `id` in transaction `txId` (its `order`-th event of the table; null: no metadata). */
function event(id: number, txId: number, order: number | null, commitTimeMs = txId * 10): HeldRecord {
  offset += 1;
  return {
    record: {
      kind: 'row',
      op: 'insert',
      key: { id },
      before: null,
      after: orderRow(id),
      source: { commitTimeMs, lsn: offset * 10, commitLsn: null, txId, snapshot: order === null },
      transaction: order === null ? null : { txId, order },
      columns: LEGACY_COLUMNS,
    },
    position: { partition: 0, offset: BigInt(offset) },
    kafkaTime: 0,
  };
}
const tombstone = (id: number): HeldRecord => ({
  record: { kind: 'tombstone', key: { id } },
  position: { partition: 0, offset: BigInt(++offset) },
  kafkaTime: 0,
});
const end = (txId: number, counts: Record<string, number>, timeMs = txId * 10): TransactionMarker => ({
  status: 'END',
  txId,
  timeMs,
  eventCounts: new Map(Object.entries(counts)),
});
/** What was released: each unit's txId, rule and row ids. */
const units = (a: TransactionAssembler, now: number) => a.release(now).map((u) => [u.txId, u.by, u.records.map((r) => r.record.key.id)]);

describe('TransactionAssembler: a transaction is released whole', () => {
  it('holds its events until its END is read and as many of them as END counts (rule 1)', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1), 0);
    a.addRecord(event(2, 7, 2), 0);
    a.fetched(true);
    expect(units(a, 0)).toEqual([]);
    a.addMarker(end(7, { [TABLE]: 3 }), 0);
    expect(units(a, 0)).toEqual([]);
    a.addRecord(event(3, 7, 3), 0);
    expect(units(a, 0)).toEqual([[7, 'end', [1, 2, 3]]]);
  });

  it('counts an event Debezium replays after a restart once (by its order in the transaction)', () => {
    const a = new TransactionAssembler(TABLE);
    a.addMarker(end(7, { [TABLE]: 3 }), 0);
    a.addRecord(event(1, 7, 1), 0);
    a.addRecord(event(2, 7, 2), 0);
    // Connect restarted: events 1 and 2 again, then the rest.
    a.addRecord(event(1, 7, 1), 0);
    a.addRecord(event(2, 7, 2), 0);
    expect(units(a, 0)).toEqual([]);
    a.addRecord(event(3, 7, 3), 0);
    expect(units(a, 0)).toEqual([[7, 'end', [1, 2, 1, 2, 3]]]);
  });

  it('releases it without its END once a later transaction begins in the topic (rule 2), in commit order', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1), 0);
    a.addRecord(event(2, 8, 1), 0);
    expect(units(a, 0)).toEqual([[7, 'next', [1]]]);
    a.addMarker(end(8, { [TABLE]: 1 }), 0);
    expect(units(a, 0)).toEqual([[8, 'end', [2]]]);
  });

  it('does not take a replay of a released transaction for a later one', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1), 0);
    a.addMarker(end(7, { [TABLE]: 1 }), 0);
    expect(units(a, 0)).toEqual([[7, 'end', [1]]]);
    a.addRecord(event(2, 8, 1), 0);
    a.addRecord(event(1, 7, 1), 0); // a replay of 7 after a restart, in the middle of 8
    expect(units(a, 0)).toEqual([]);
    a.addMarker(end(8, { [TABLE]: 2 }), 0);
    a.addRecord(event(3, 8, 2), 0);
    expect(units(a, 0)).toEqual([[8, 'end', [2, 1, 3]]]);
  });

  it('releases it when its END will not come: the topic read to its end and a later END read (rule 3)', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1, 70), 0);
    a.fetched(true);
    a.addMarker(end(9, { 'public.orders_heartbeat': 1 }, 90), 0);
    expect(units(a, END_MISSING_SETTLE_MS - 1)).toEqual([]);
    expect(units(a, END_MISSING_SETTLE_MS)).toEqual([[7, 'end-missing', [1]]]);
  });

  it('waits longer when its END counts more events than came (one did not decode)', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1, 70), 0);
    a.addMarker(end(7, { [TABLE]: 2 }, 70), 0);
    a.addMarker(end(9, { 'public.orders_heartbeat': 1 }, 90), 0);
    a.fetched(true);
    expect(units(a, END_MISSING_SETTLE_MS)).toEqual([]);
    expect(units(a, EVENTS_MISSING_SETTLE_MS)).toEqual([[7, 'end-missing', [1]]]);
  });

  it('never calls it whole by rule 3 while the topic still has records to read', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1, 70), 0);
    a.fetched(false);
    a.addMarker(end(9, {}, 90), 0);
    expect(units(a, 60_000)).toEqual([]);
  });

  it('groups records without metadata (a snapshot) by txId, released when something follows or the topic is read', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 5, null), 0);
    a.addRecord(event(2, 5, null), 0);
    a.fetched(false);
    expect(units(a, 0)).toEqual([]);
    a.addRecord(event(3, 5, null), 0);
    a.fetched(true);
    expect(units(a, 0)).toEqual([[5, 'no-metadata', [1, 2, 3]]]);
  });

  it('puts a tombstone with the delete it follows', () => {
    const a = new TransactionAssembler(TABLE);
    a.addRecord(event(1, 7, 1), 0);
    a.addRecord(tombstone(1), 0);
    a.addMarker(end(7, { [TABLE]: 1 }), 0);
    expect(units(a, 0)).toEqual([[7, 'end', [1, 1]]]);
  });

  it('tells what it is still receiving', () => {
    const a = new TransactionAssembler(TABLE);
    expect(a.receiving(0)).toBeNull();
    a.addRecord(event(1, 7, 1), 100);
    a.addRecord(event(2, 7, 2), 150);
    expect(a.receiving(400)).toEqual({ txId: 7, events: 2, expected: null, heldForMs: 300, quietForMs: 250 });
    a.addMarker(end(7, { [TABLE]: 5 }), 400);
    expect(a.receiving(400)).toMatchObject({ expected: 5 });
  });
});

describe('TransactionAssembler: the watermark', () => {
  it('is the commit time of the last END once nothing committed before it is held', () => {
    const a = new TransactionAssembler(TABLE);
    expect(a.watermark).toBeNull();
    a.addMarker(end(3, { 'public.orders_heartbeat': 1 }, 1_000), 0);
    a.release(0);
    expect(a.watermark).toBe(1_000);
    // A transaction of the table committed at 1_500 is being received; a heartbeat at 2_000 is read.
    a.addRecord(event(1, 7, 1, 1_500), 0);
    a.addMarker(end(7, { [TABLE]: 2 }, 1_500), 0);
    a.addMarker(end(8, { 'public.orders_heartbeat': 1 }, 2_000), 0);
    a.release(0);
    expect(a.watermark).toBe(1_000);
    a.addRecord(event(2, 7, 2, 1_500), 0);
    a.release(0);
    expect(a.watermark).toBe(2_000);
  });

  it('waits for a transaction whose END was read before any of its events', () => {
    const a = new TransactionAssembler(TABLE);
    a.addMarker(end(7, { [TABLE]: 1 }, 1_500), 0);
    a.addMarker(end(8, {}, 2_000), 0);
    a.release(0);
    expect(a.watermark).toBeNull();
    a.addRecord(event(1, 7, 1, 1_500), 0);
    a.release(0);
    expect(a.watermark).toBe(2_000);
  });
});
