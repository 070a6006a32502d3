import { describe, expect, it } from 'vitest';
import type { TransactionMarker } from '../ingest/debezium/transaction-marker.js';
import type { DecodedRecord } from '../ingest/debezium/decoder.js';
import { CrossTableGate, PART_MISSING_SETTLE_MS } from './cross-table-gate.js';
import type { ReleasedUnit, WholeBy } from './transactions.js';

/** A released unit of one record committed at `commitTime`. */
function unit(txId: number, commitTime: number, by: WholeBy = 'end'): ReleasedUnit {
  const record = { kind: 'row', source: { commitTimeMs: commitTime } } as unknown as DecodedRecord;
  return { txId, records: [{ record, position: { partition: 0, offset: BigInt(txId) }, kafkaTime: commitTime }], by, heldMs: 0 };
}

function end(txId: number, timeMs: number, counts: Record<string, number>): TransactionMarker {
  return { status: 'END', txId, timeMs, eventCounts: new Map(Object.entries(counts)) };
}

/** A gate over orders and order_lines, recording what each table was handed, in order. */
function setup(atEnd: { orders: boolean; order_lines: boolean } = { orders: true, order_lines: true }) {
  const delivered: string[] = [];
  const outcomes: string[] = [];
  const gate = new CrossTableGate((outcome) => outcomes.push(outcome));
  for (const name of ['orders', 'order_lines'] as const) {
    gate.addTable({
      name,
      collection: `public.${name}`,
      atEnd: () => atEnd[name],
      deliver: (units) => delivered.push(...units.map((u) => `${name}:${u.txId}`)),
    });
  }
  return { gate, delivered, atEnd, outcomes };
}

describe('CrossTableGate', () => {
  it('delivers a transaction of one table as soon as its END says so', () => {
    const { gate, delivered } = setup();
    gate.addMarker(end(1, 100, { 'public.orders': 1 }));
    gate.offer('orders', [unit(1, 100)], 0);
    gate.drain(0);
    expect(delivered).toEqual(['orders:1']);
  });

  it('holds a part released before its END until the END, or an END of a later commit, is read', () => {
    const { gate, delivered } = setup();
    gate.offer('orders', [unit(1, 100, 'next')], 0);
    gate.drain(0);
    expect(delivered).toEqual([]);
    expect(gate.heldCount('orders')).toBe(1);
    gate.addMarker(end(2, 101, { 'public.orders': 1 }));
    gate.drain(1);
    expect(delivered).toEqual(['orders:1']);
  });

  it('delivers the parts of a transaction of two tables together, and what follows in each table after them', () => {
    const { gate, delivered, outcomes } = setup();
    gate.addMarker(end(1, 100, { 'public.orders': 1, 'public.order_lines': 2 }));
    gate.addMarker(end(2, 101, { 'public.orders': 1 }));
    gate.offer('orders', [unit(1, 100), unit(2, 101)], 0);
    gate.drain(0);
    // Neither the order nor the transaction after it while the lines are not in.
    expect(delivered).toEqual([]);
    expect(gate.oldestHeld('orders')).toBe(100);
    gate.offer('order_lines', [unit(1, 100)], 1);
    gate.drain(1);
    expect(delivered).toEqual(['orders:1', 'order_lines:1', 'orders:2']);
    expect(gate.stats).toEqual({ joined: 1, partial: 0 });
    expect(outcomes).toEqual(['joined']);
  });

  it('waits for a table still catching up however long it takes, and goes on without a part that will not come', () => {
    const { gate, delivered, atEnd } = setup({ orders: true, order_lines: false });
    gate.addMarker(end(1, 100, { 'public.orders': 1, 'public.order_lines': 1 }));
    gate.offer('orders', [unit(1, 100)], 0);
    gate.drain(10 * PART_MISSING_SETTLE_MS);
    expect(delivered).toEqual([]);
    // Read to its end without the part: it did not decode (a reported gap); the order goes on once that settles.
    atEnd.order_lines = true;
    gate.drain(10 * PART_MISSING_SETTLE_MS + 1);
    expect(delivered).toEqual([]);
    gate.drain(11 * PART_MISSING_SETTLE_MS + 1);
    expect(delivered).toEqual(['orders:1']);
    expect(gate.stats).toEqual({ joined: 0, partial: 1 });
  });

  it('does not wait for a part whose table has released a later commit already', () => {
    const { gate, delivered } = setup({ orders: true, order_lines: false });
    gate.addMarker(end(1, 100, { 'public.orders': 1, 'public.order_lines': 1 }));
    gate.addMarker(end(2, 200, { 'public.order_lines': 1 }));
    gate.offer('order_lines', [unit(2, 200)], 0);
    gate.offer('orders', [unit(1, 100)], 0);
    gate.drain(0);
    expect(delivered).toEqual(['orders:1', 'order_lines:2']);
    expect(gate.stats).toEqual({ joined: 0, partial: 1 });
  });

  it('lets everything through at once when one table is served, and units without transaction metadata always', () => {
    const gate = new CrossTableGate();
    const delivered: (number | null)[] = [];
    gate.addTable({
      name: 'orders',
      collection: 'public.orders',
      atEnd: () => true,
      deliver: (units) => delivered.push(...units.map((u) => u.txId)),
    });
    gate.offer('orders', [unit(1, 100, 'next')], 0);
    gate.drain(0);
    expect(delivered).toEqual([1]);
    const { gate: two, delivered: handed } = setup();
    two.offer('orders', [unit(7, 100, 'no-metadata')], 0);
    two.drain(0);
    expect(handed).toEqual(['orders:7']);
  });
});
