/**
 * Checks one windowed client's history. Pure. A window is state, not a log, so the rules are about
 * the states it shows, one after another:
 *   duplicated    a row twice in one state
 *   out of order  a state older than the one before (its cursor is lower), or a row whose version
 *                 (quantity: the chaos writer bumps it by one per update) went down
 *   lost          at the end, the window differs from the same query over the database's rows
 */
import {
  columnInfo,
  compareRowIds,
  comparatorFor,
  matchesFilter,
  type ColumnLookup,
  type LiveRow,
  type RowId,
  type SubscriptionFilter,
  type WindowQuery,
} from '@orders-live/protocol';
import type { Verdict } from './checker.js';

export interface WindowObservation {
  readonly rows: readonly LiveRow[];
  readonly cursor: string;
}

const MAX_PROBLEMS_LISTED = 20;

function note(verdict: Verdict, kind: 'lost' | 'duplicated' | 'outOfOrder', problem: string): void {
  verdict[kind] += 1;
  if (verdict.problems.length < MAX_PROBLEMS_LISTED) verdict.problems.push(`${kind}: ${problem}`);
}

/** A table as the checks need it: a row's id (row-id.ts) and its columns (orders' as created when absent). */
export interface CheckedTable {
  readonly idOf: (row: LiveRow) => RowId;
  readonly lookup?: ColumnLookup;
}

/** Orders: a row's id is its numeric id. */
export const ORDERS_CHECKED: CheckedTable = { idOf: (row) => Number(row['id']) };

export function checkWindowStates(
  states: readonly WindowObservation[],
  verdict: Verdict,
  compare: (a: string, b: string) => number,
  table: CheckedTable = ORDERS_CHECKED,
): void {
  let previous: WindowObservation | undefined;
  const versions = new Map<RowId, number>();
  for (const state of states) {
    if (previous && compare(state.cursor, previous.cursor) < 0)
      note(verdict, 'outOfOrder', `window at ${state.cursor} after ${previous.cursor}`);
    const ids = new Set<RowId>();
    for (const row of state.rows) {
      const id = table.idOf(row);
      if (ids.has(id)) note(verdict, 'duplicated', `row ${String(id)} twice in the window at ${state.cursor}`);
      ids.add(id);
      const seen = versions.get(id);
      const quantity = Number(row['quantity']);
      if (seen !== undefined && quantity < seen)
        note(verdict, 'outOfOrder', `row ${String(id)} version ${seen} → ${quantity} in the window`);
      versions.set(id, quantity);
    }
    previous = state;
  }
}

/** The window over `rows` as the protocol defines it (filter, orderBy then row id, position, limit). */
export function expectedWindow<Row extends LiveRow>(
  rows: readonly Row[],
  filter: SubscriptionFilter | undefined,
  query: WindowQuery,
  table: CheckedTable = ORDERS_CHECKED,
): Row[] {
  const column = query.orderBy.column;
  const compare = comparatorFor(columnInfo(column, table.lookup)!);
  const sign = query.orderBy.direction === 'asc' ? 1 : -1;
  const value = (row: Row) => (row[column] ?? null) as Parameters<typeof compare>[0];
  const sorted = rows
    .filter((row) => matchesFilter(filter, row, table.lookup))
    .sort((a, b) => sign * (compare(value(a), value(b)) || compareRowIds(table.idOf(a), table.idOf(b))));
  const offset = query.offset ?? 0;
  return sorted.slice(offset, offset + query.limit);
}
