import { describe, expect, it } from 'vitest';
import { MAX_LINES_PER_ORDER, MAX_OPERATIONS_PER_TRANSACTION, nextOperation, nextTransaction, type KnownOrder } from './plan.js';

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
  it('only inserts (orders, and now and then a customer) while it knows no orders', () => {
    const random = seeded(1);
    const kinds = new Set<string>();
    for (let i = 0; i < 200; i++) kinds.add(nextOperation([], random).kind);
    expect(kinds).toEqual(new Set(['insert', 'customer']));
  });

  it("inserts valid orders with their lines: amount the lines' total as a 2-decimal string, quantities positive", () => {
    const random = seeded(2);
    const lineCounts = new Set<number>();
    for (let i = 0; i < 200; i++) {
      const op = nextOperation([], random);
      if (op.kind === 'customer') continue;
      if (op.kind !== 'insert') throw new Error('expected insert');
      expect(op.amount).toMatch(/^\d{1,10}\.\d{2}$/);
      expect(op.quantity).toBeGreaterThan(0);
      lineCounts.add(op.lines.length);
      expect(op.lines[0]!.product).toBe(op.product);
      expect(op.lines.reduce((sum, line) => sum + line.quantity, 0)).toBe(op.quantity);
      const cents = op.lines.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0);
      expect(Math.round(Number(op.amount) * 100)).toBe(cents);
      for (const line of op.lines) expect(line.unitPrice).toMatch(/^\d+\.\d{2}$/);
    }
    expect([...lineCounts].sort()).toEqual(Array.from({ length: MAX_LINES_PER_ORDER }, (_, i) => i + 1));
  });

  it('signs up customers now and then, with a tier of the few the table allows and an email', () => {
    const random = seeded(5);
    const tiers = new Set<string>();
    let customers = 0;
    for (let i = 0; i < 2_000; i++) {
      const op = nextOperation([{ id: 1, status: 'pending' }], random);
      if (op.kind !== 'customer') continue;
      customers += 1;
      tiers.add(op.tier);
      expect(op.email).toMatch(/^[a-z.]+\.\d+@example\.com$/);
    }
    expect(customers).toBeGreaterThan(40);
    expect(customers).toBeLessThan(200);
    expect(tiers).toEqual(new Set(['free', 'pro', 'enterprise']));
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
    expect(kinds).toEqual(new Set(['insert', 'advance', 'delete', 'customer']));
  });

  it('builds transactions of 1 to 5 operations that touch an order at most once', () => {
    const random = seeded(4);
    const known: KnownOrder[] = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, status: 'pending' as const }));
    const sizes = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const tx = nextTransaction(known, random);
      sizes.add(tx.length);
      const ids = tx.flatMap((op) => (op.kind === 'advance' || op.kind === 'delete' ? [op.id] : []));
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_OPERATIONS_PER_TRANSACTION);
    expect(sizes.has(1) && [...sizes].some((n) => n > 1)).toBe(true);
  });
});
