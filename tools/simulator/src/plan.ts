/**
 * What the simulator does next: pure, driven by an injected random source, so tests can pin it.
 *
 * Each tick commits one transaction of one operation, or sometimes several (as real writers do):
 * inserts of new orders with their lines (order_lines, in the order's transaction: a transaction
 * that touches two tables), status advances (pending → shipped → delivered), deletes (delivered
 * orders first, as an archive job would; their lines go with them, ON DELETE CASCADE) and, now and
 * then, a new customer.
 */

/** One line of a new order: its product, how many, at what unit price (a 2-decimal string). */
export interface LinePlan {
  readonly product: string;
  readonly quantity: number;
  readonly unitPrice: string;
}

export type Operation =
  | {
      readonly kind: 'insert';
      readonly customer: string;
      /** The first line's product; quantity and amount are the lines' totals. */
      readonly product: string;
      readonly quantity: number;
      readonly amount: string;
      readonly lines: readonly LinePlan[];
    }
  | { readonly kind: 'advance'; readonly id: number }
  | { readonly kind: 'delete'; readonly id: number }
  | { readonly kind: 'customer'; readonly name: string; readonly email: string; readonly tier: CustomerTier };

export type CustomerTier = 'free' | 'pro' | 'enterprise';

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
/** Share of operations that sign up a new customer: now and then, beside the orders' traffic. */
const CUSTOMER_SHARE = 0.05;
/** Most lines a new order has. */
export const MAX_LINES_PER_ORDER = 3;

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

/** Most sign-ups are free; one in ten pro, one in fifty enterprise (as the seed has them). */
function tier(random: () => number): CustomerTier {
  const roll = random();
  return roll < 0.02 ? 'enterprise' : roll < 0.12 ? 'pro' : 'free';
}

function newCustomer(random: () => number): Operation {
  const name = pick(CUSTOMERS, random);
  // Unique enough for a demo; the simulator skips a sign-up whose email is taken (ON CONFLICT).
  const email = `${name.toLowerCase().replace(/\W+/g, '.')}.${Math.floor(random() * 1e9)}@example.com`;
  return { kind: 'customer', name, email, tier: tier(random) };
}

function newOrder(random: () => number): Operation {
  const count = 1 + Math.floor(random() * MAX_LINES_PER_ORDER);
  const lines = Array.from({ length: count }, (): LinePlan => {
    const [product, price] = pick(PRODUCTS, random);
    return { product, quantity: 1 + Math.floor(random() * 3), unitPrice: price.toFixed(2) };
  });
  const cents = lines.reduce((sum, line) => sum + Math.round(Number(line.unitPrice) * 100) * line.quantity, 0);
  return {
    kind: 'insert',
    customer: pick(CUSTOMERS, random),
    product: lines[0]!.product,
    quantity: lines.reduce((sum, line) => sum + line.quantity, 0),
    amount: (cents / 100).toFixed(2),
    lines,
  };
}

export function nextOperation(known: readonly KnownOrder[], random: () => number): Operation {
  if (random() < CUSTOMER_SHARE) return newCustomer(random);
  const advanceable = known.filter((order) => order.status !== 'delivered');
  const delivered = known.filter((order) => order.status === 'delivered');
  const deleteWeight = known.length >= STEADY_TABLE_SIZE ? 0.4 : 0.1;
  const roll = random();
  if (roll < deleteWeight && known.length > 0) return { kind: 'delete', id: pick(delivered.length > 0 ? delivered : known, random).id };
  if (roll < deleteWeight + 0.45 && advanceable.length > 0) return { kind: 'advance', id: pick(advanceable, random).id };
  return newOrder(random);
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
    if (operation.kind === 'advance' || operation.kind === 'delete') touched.add(operation.id);
    operations.push(operation);
  }
  return operations;
}
