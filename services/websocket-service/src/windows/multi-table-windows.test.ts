/**
 * Windows over several tables against the obvious definition. Three tables shaped like the streamed
 * ones — orders (bigint id), customers (uuid id), order_lines (composite key order_id, line_no) — each
 * with its own WindowRegistry given that table's row ids, take random transactions of inserts,
 * updates and deletes. After every transaction each window's rows equal filter → sort (column, then
 * the key, in the window's direction) → slice, its diff replays to them with the table's idOf, and its
 * total and counts equal a fresh count. The key tie-break is computed here from the key's values,
 * not from the encoded row id, so a composite id that did not sort in key order would fail it.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  ORDERS_COLUMNS,
  ORDER_STATUSES,
  applyWindowOps,
  changedColumns,
  columnLookup,
  comparatorFor,
  formatCursor,
  matchesFilter,
  rowIdFunction,
  type ColumnInfo,
  type ColumnLookup,
  type ColumnValue,
  type LiveRow,
  type SubscriptionFilter,
  type WindowQuery,
} from '@orders-live/protocol';
import { subscriberFilter } from '../fanout/subscriber-filter.js';
import type { TableChange } from '../table/table-view.js';
import { WindowRegistry, type WindowTable } from './window-registry.js';
import type { LiveWindow } from './live-window.js';

/** One table of the test: its columns, key, default count column, rows and the windows' choices over it. */
interface TestTable {
  readonly name: string;
  readonly columns: readonly ColumnInfo[];
  readonly key: readonly string[];
  readonly countBy: string;
  readonly countSeed: readonly string[];
  /** The key values of row slot i (a small pool, so rows come back after a delete and ties are common). */
  readonly keys: readonly Record<string, ColumnValue>[];
  /** A row's other columns. */
  readonly body: fc.Arbitrary<Record<string, ColumnValue>>;
  readonly sortColumns: readonly string[];
  readonly countColumns: readonly (string | undefined)[];
  readonly filters: readonly (SubscriptionFilter | undefined)[];
}

const col = (name: string, kind: ColumnInfo['kind'], sourceType: string): ColumnInfo => ({ name, kind, sourceType, nullable: false });

const INSTANTS = ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000001Z', '2025-06-01T10:00:00+02:00'];

const ORDERS: TestTable = {
  name: 'orders',
  columns: ORDERS_COLUMNS,
  key: ['id'],
  countBy: 'status',
  countSeed: ORDER_STATUSES,
  keys: [1, 2, 3, 9, 10, 11, 100, 2 ** 40].map((id) => ({ id })),
  body: fc.record({
    customer_name: fc.constantFrom('Ada', 'Alan', 'Bob', 'bob'),
    product_name: fc.constant('Pen'),
    status: fc.constantFrom(...ORDER_STATUSES),
    quantity: fc.integer({ min: 1, max: 3 }),
    amount: fc.constantFrom('1.00', '9.5', '10.25', '-2.00'),
    created_at: fc.constantFrom(...INSTANTS),
    updated_at: fc.constant(INSTANTS[0]!),
  }),
  sortColumns: ['id', 'customer_name', 'status', 'quantity', 'amount', 'created_at'],
  countColumns: [undefined, 'status', 'customer_name', 'quantity'],
  filters: [undefined, { status: { in: ['pending', 'shipped'] } }, { amount: { gt: '9.50' } }, { customer_name: { prefix: 'A' } }],
};

const CUSTOMERS: TestTable = {
  name: 'customers',
  columns: [
    col('id', 'uuid', 'UUID'),
    col('name', 'text', 'TEXT'),
    col('email', 'text', 'TEXT'),
    col('tier', 'text', 'TEXT'),
    col('created_at', 'timestamptz', 'TIMESTAMPTZ'),
  ],
  key: ['id'],
  countBy: 'tier',
  countSeed: [],
  // uuids whose text order is not their insertion order, one a prefix-sharing neighbour of another.
  keys: [
    'ffffffff-0000-4000-8000-000000000001',
    '00000000-0000-4000-8000-000000000002',
    '0a000000-0000-4000-8000-000000000003',
    '0a000000-0000-4000-8000-000000000030',
    '9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d',
    'a0000000-0000-4000-8000-000000000000',
  ].map((id) => ({ id })),
  body: fc.record({
    name: fc.constantFrom('Ada', 'Grace', 'grace', 'Zed'),
    email: fc.constantFrom('a@x.io', 'b@x.io', 'Z@x.io'),
    tier: fc.constantFrom('free', 'pro', 'enterprise'),
    created_at: fc.constantFrom(...INSTANTS),
  }),
  sortColumns: ['id', 'name', 'tier', 'created_at'],
  countColumns: [undefined, 'tier', 'name'],
  filters: [undefined, { tier: { in: ['pro', 'enterprise'] } }, { name: { gte: 'B' } }, { created_at: { lte: '2026-01-01T00:00:00Z' } }],
};

const ORDER_LINES: TestTable = {
  name: 'order_lines',
  columns: [
    col('order_id', 'bigint', 'INT8'),
    col('line_no', 'int', 'INT4'),
    col('product_name', 'text', 'TEXT'),
    col('quantity', 'int', 'INT4'),
    col('unit_price', 'decimal', 'NUMERIC'),
  ],
  key: ['order_id', 'line_no'],
  countBy: 'product_name',
  countSeed: [],
  // Orders and line numbers of different digit counts: a key compared as plain text would sort 10 before 9.
  keys: [9, 10, 100, 2 ** 40].flatMap((order_id) => [1, 2, 10].map((line_no) => ({ order_id, line_no }))),
  body: fc.record({
    product_name: fc.constantFrom('Pen', 'Ink', 'Pad'),
    quantity: fc.integer({ min: 1, max: 3 }),
    unit_price: fc.constantFrom('0.50', '0.5', '2', '10.00'),
  }),
  sortColumns: ['order_id', 'line_no', 'product_name', 'quantity', 'unit_price'],
  countColumns: [undefined, 'product_name', 'quantity'],
  filters: [undefined, { product_name: { in: ['Pen', 'Pad'] } }, { quantity: { gte: 2 } }, { order_id: { lt: 100 } }],
};

const TABLES = [ORDERS, CUSTOMERS, ORDER_LINES] as const;

/** A table's key order from its key's values (never from the encoded id): what Postgres' ORDER BY gives. */
function keyOrder(table: TestTable): (a: LiveRow, b: LiveRow) => number {
  const lookup = columnLookup(table.columns);
  const comparators = table.key.map((name) => [name, comparatorFor(lookup(name)!)] as const);
  return (a, b) => {
    for (const [name, compare] of comparators) {
      const order = compare(a[name] as ColumnValue, b[name] as ColumnValue);
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** The window computed afresh: filter, sort by the column then the key, position, limit. */
function expectedRows(
  table: TestTable,
  rows: readonly LiveRow[],
  filter: SubscriptionFilter | undefined,
  query: WindowQuery,
  probe: LiveRow,
) {
  const lookup = columnLookup(table.columns);
  const column = query.orderBy.column;
  const compare = comparatorFor(lookup(column)!);
  const byKey = keyOrder(table);
  const sign = query.orderBy.direction === 'asc' ? 1 : -1;
  const order = (a: LiveRow, b: LiveRow) => sign * (compare(a[column] as ColumnValue, b[column] as ColumnValue) || byKey(a, b));
  const sorted = rows.filter((row) => matchesFilter(filter, row, lookup)).sort(order);
  if (query.after) return sorted.filter((row) => order(row, probe) > 0).slice(0, query.limit);
  if (query.before) {
    const before = sorted.filter((row) => order(row, probe) < 0);
    return before.slice(Math.max(0, before.length - query.limit));
  }
  const offset = query.offset ?? 0;
  return sorted.slice(offset, offset + query.limit);
}

/** Rows per value of `column` among those matching the filter (the index keeps values at 0 once seen: those are left out). */
function freshCounts(rows: readonly LiveRow[], filter: SubscriptionFilter | undefined, column: string, lookup: ColumnLookup) {
  const counts: Record<string, number> = {};
  for (const row of rows) {
    if (!matchesFilter(filter, row, lookup)) continue;
    const value = row[column];
    const key = typeof value === 'string' ? value : JSON.stringify(value ?? null);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const nonZero = (counts: Record<string, number>) => Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));

/** Where a window starts: its first rows (neither), an offset, or after/before the probe's sort key. */
interface WindowPosition {
  readonly at?: 'after' | 'before';
  readonly offset?: number;
}

const windowArb = (table: TestTable) =>
  fc.record({
    column: fc.constantFrom(...table.sortColumns),
    direction: fc.constantFrom('asc' as const, 'desc' as const),
    filter: fc.constantFrom(...table.filters),
    limit: fc.integer({ min: 1, max: 4 }),
    countBy: fc.constantFrom(...table.countColumns),
    position: fc.oneof(
      fc.constant<WindowPosition>({}),
      fc.integer({ min: 0, max: 5 }).map((offset): WindowPosition => ({ offset })),
      fc.constantFrom('after' as const, 'before' as const).map((at): WindowPosition => ({ at })),
    ),
    // The keyset anchor's row (its sort value and its id); any row of the table's shape.
    probe: fc
      .tuple(fc.integer({ min: 0, max: table.keys.length - 1 }), table.body)
      .map(([slot, body]) => ({ ...body, ...table.keys[slot]! })),
    // Acquired before the first transaction (0) or later, over an index that already holds rows.
    acquireAt: fc.integer({ min: 0, max: 6 }),
  });

/** One change: which table, which row slot, and its next version (or a delete). */
const stepArb = fc.integer({ min: 0, max: TABLES.length - 1 }).chain((t) =>
  fc.record({
    table: fc.constant(t),
    slot: fc.integer({ min: 0, max: TABLES[t]!.keys.length - 1 }),
    remove: fc.boolean(),
    body: TABLES[t]!.body,
  }),
);

interface Watched {
  readonly table: number;
  readonly window: LiveWindow;
  readonly filter: SubscriptionFilter | undefined;
  readonly probe: LiveRow;
  shown: readonly LiveRow[];
}

describe('windows over several tables', () => {
  it('equal filter → sort by column then key → slice after every transaction, replay their diffs, and count afresh', () => {
    fc.assert(
      fc.property(
        fc.array(stepArb, { minLength: 1, maxLength: 40 }),
        // How many changes each transaction takes from the steps, in turn (one table per transaction, as a topic carries it).
        fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 10 }),
        fc.tuple(...TABLES.map((table) => fc.array(windowArb(table), { minLength: 1, maxLength: 3 }))),
        (steps, sizes, windowSpecs) => {
          const states = TABLES.map((table) => ({
            rows: new Map<string, LiveRow>(),
            idOf: rowIdFunction(table.key),
            lookup: columnLookup(table.columns),
          }));
          const registries = TABLES.map((table, t) => {
            const windowTable: WindowTable = {
              idOf: states[t]!.idOf,
              countBy: table.countBy,
              countSeed: (column) => (column === table.countBy ? table.countSeed : []),
            };
            return new WindowRegistry(() => states[t]!.rows.values(), windowTable);
          });
          const watched: Watched[] = [];
          const acquire = (transaction: number) => {
            windowSpecs.forEach((specs, t) => {
              for (const spec of specs) {
                if (spec.acquireAt !== transaction) continue;
                const table = TABLES[t]!;
                const query: WindowQuery = {
                  orderBy: { column: spec.column, direction: spec.direction },
                  limit: spec.limit,
                  ...(spec.position.offset !== undefined ? { offset: spec.position.offset } : {}),
                  ...(spec.position.at
                    ? { [spec.position.at]: { value: spec.probe[spec.column] as ColumnValue, id: states[t]!.idOf(spec.probe) } }
                    : {}),
                  ...(spec.countBy ? { countBy: spec.countBy } : {}),
                };
                const window = registries[t]!.acquire(subscriberFilter(undefined, spec.filter, states[t]!.lookup), query);
                watched.push({ table: t, window, filter: spec.filter, probe: spec.probe, shown: window.state.rows });
                check(watched.at(-1)!, table);
              }
            });
          };
          const check = (w: Watched, table: TestTable) => {
            const rows = [...states[w.table]!.rows.values()];
            const { state, query } = w.window;
            const want = expectedRows(table, rows, w.filter, query, w.probe);
            const idOf = states[w.table]!.idOf;
            expect(state.rows.map(idOf)).toEqual(want.map(idOf));
            expect(state.rows).toEqual(want);
            expect(w.shown).toEqual(want);
            expect(state.total).toBe(rows.filter((row) => matchesFilter(w.filter, row, states[w.table]!.lookup)).length);
            const countBy = query.countBy ?? table.countBy;
            expect(nonZero(state.counts)).toEqual(freshCounts(rows, w.filter, countBy, states[w.table]!.lookup));
          };

          let offset = 0;
          let next = 0;
          for (let transaction = 0; next < steps.length; transaction++) {
            acquire(transaction);
            const size = sizes[transaction % sizes.length]!;
            // A transaction's changes are of one table: the first step's.
            const t = steps[next]!.table;
            const table = TABLES[t]!;
            const state = states[t]!;
            const changes: TableChange[] = [];
            for (const step of steps.slice(next, next + size)) {
              if (step.table !== t) continue;
              const keyValues = table.keys[step.slot]!;
              const id = state.idOf(keyValues);
              const mapKey = JSON.stringify(id);
              const previous = state.rows.get(mapKey) ?? null;
              const row = step.remove ? null : { ...step.body, ...keyValues };
              if (!previous && !row) continue;
              if (row) state.rows.set(mapKey, row);
              else state.rows.delete(mapKey);
              const names = table.columns.map((c) => c.name);
              const position = { partition: 0, offset: BigInt((offset += 1)) };
              changes.push({
                op: row ? (previous ? 'update' : 'insert') : 'delete',
                key: keyValues,
                id,
                row,
                oldRow: previous,
                changed: previous && row ? changedColumns(names, previous, row) : names,
                commitTime: 0,
                kafkaTime: 0,
                txId: transaction,
                lsn: offset * 8,
                position,
                cursor: formatCursor(position),
              });
            }
            next += size;
            if (changes.length === 0) continue;
            const altered = registries[t]!.apply({ txId: transaction, commitTime: 0, kafkaTime: 0, changes });
            for (const w of watched) {
              if (w.table !== t) continue;
              const diff = altered.get(w.window);
              if (diff) {
                const replayed = applyWindowOps(w.shown, diff.ops, state.idOf);
                if (replayed instanceof Error) throw replayed;
                w.shown = replayed;
              }
              check(w, table);
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });
});
