import { describe, expect, it } from 'vitest';
import { MAX_OPERATIONS_PER_TRANSACTION, nextOperation, nextTransaction, type KnownOrder } from './plan.js';

/** A deterministic random source (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('the simulator plan', () => {
  it('only inserts while it knows no orders', () => {
    const random = seeded(1);
    for (let i = 0; i < 100; i++) expect(nextOperation([], random).kind).toBe('insert');
  });

  it('inserts valid orders: amount a 2-decimal string, quantity positive', () => {
    const random = seeded(2);
    for (let i = 0; i < 200; i++) {
      const op = nextOperation([], random);
      if (op.kind !== 'insert') throw new Error('expected insert');
      expect(op.amount).toMatch(/^\d{1,10}\.\d{2}$/);
      expect(op.quantity).toBeGreaterThan(0);
    }
  });

  it('never advances a delivered order and mixes all three kinds', () => {
    const random = seeded(3);
    const known: KnownOrder[] = [
      { id: 1, status: 'pending' },
      { id: 2, status: 'shipped' },
      { id: 3, status: 'delivered' },
    ];
    const kinds = new Set<string>();
    for (let i = 0; i < 500; i++) {
      const op = nextOperation(known, random);
      kinds.add(op.kind);
      if (op.kind === 'advance') expect(op.id).not.toBe(3);
    }
    expect(kinds).toEqual(new Set(['insert', 'advance', 'delete']));
  });

  it('builds transactions of 1 to 5 operations that touch an order at most once', () => {
    const random = seeded(4);
    const known: KnownOrder[] = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, status: 'pending' as const }));
    const sizes = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const tx = nextTransaction(known, random);
      sizes.add(tx.length);
      const ids = tx.flatMap((op) => (op.kind === 'insert' ? [] : [op.id]));
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_OPERATIONS_PER_TRANSACTION);
    expect(sizes.has(1) && [...sizes].some((n) => n > 1)).toBe(true);
  });
});
