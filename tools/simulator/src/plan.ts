/**
 * What the simulator does next: pure, driven by an injected random source, so tests can pin it.
 *
 * Each tick commits one transaction of one operation, or sometimes several (as real writers do):
 * inserts of new orders, status advances (pending → shipped → delivered) and deletes (delivered
 * orders first, as an archive job would).
 */

export type Operation =
  | { readonly kind: 'insert'; readonly customer: string; readonly product: string; readonly quantity: number; readonly amount: string }
  | { readonly kind: 'advance'; readonly id: number }
  | { readonly kind: 'delete'; readonly id: number };

export interface KnownOrder {
  readonly id: number;
  readonly status: 'pending' | 'shipped' | 'delivered';
}

/** Share of ticks that commit several operations in one transaction. */
const MULTI_ROW_SHARE = 0.2;
/** Most operations one transaction holds. */
export const MAX_OPERATIONS_PER_TRANSACTION = 5;
/** Above this many known orders, deletes become as likely as inserts, so the table stays bounded. */
const STEADY_TABLE_SIZE = 200;

const CUSTOMERS = [
  'Ada Lovelace',
  'Grace Hopper',
  'Alan Turing',
  'Katherine Johnson',
  'Edsger Dijkstra',
  'Barbara Liskov',
  'Donald Knuth',
  'Margaret Hamilton',
  'Ken Thompson',
  'Frances Allen',
];
const PRODUCTS: readonly [string, number][] = [
  ['Mechanical keyboard', 129.99],
  ['USB-C dock', 179],
  ['Noise-cancelling headphones', 249.5],
  ['27" monitor', 299],
  ['Fountain pen', 45.75],
  ['Standing desk', 489],
  ['Desk lamp', 39.9],
  ['Webcam', 89],
];

const pick = <T>(items: readonly T[], random: () => number): T => items[Math.floor(random() * items.length)]!;

export function nextOperation(known: readonly KnownOrder[], random: () => number): Operation {
  const advanceable = known.filter((order) => order.status !== 'delivered');
  const delivered = known.filter((order) => order.status === 'delivered');
  const deleteWeight = known.length >= STEADY_TABLE_SIZE ? 0.4 : 0.1;
  const roll = random();
  if (roll < deleteWeight && known.length > 0) return { kind: 'delete', id: pick(delivered.length > 0 ? delivered : known, random).id };
  if (roll < deleteWeight + 0.45 && advanceable.length > 0) return { kind: 'advance', id: pick(advanceable, random).id };
  const [product, price] = pick(PRODUCTS, random);
  const quantity = 1 + Math.floor(random() * 3);
  return { kind: 'insert', customer: pick(CUSTOMERS, random), product, quantity, amount: (price * quantity).toFixed(2) };
}

/** One transaction's operations, never touching the same order twice. */
export function nextTransaction(known: readonly KnownOrder[], random: () => number): Operation[] {
  const size = random() < MULTI_ROW_SHARE ? 2 + Math.floor(random() * (MAX_OPERATIONS_PER_TRANSACTION - 1)) : 1;
  const operations: Operation[] = [];
  const touched = new Set<number>();
  for (let i = 0; i < size; i++) {
    const operation = nextOperation(
      known.filter((order) => !touched.has(order.id)),
      random,
    );
    if (operation.kind !== 'insert') touched.add(operation.id);
    operations.push(operation);
  }
  return operations;
}
