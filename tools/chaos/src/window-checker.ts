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
  comparatorFor,
  matchesFilter,
  type OrderColumn,
  type LiveRow,
  type OrderRow,
  type RowFilter,
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

export function checkWindowStates(states: readonly WindowObservation[], verdict: Verdict, compare: (a: string, b: string) => number): void {
  let previous: WindowObservation | undefined;
  const versions = new Map<number, number>();
  for (const state of states) {
    if (previous && compare(state.cursor, previous.cursor) < 0)
      note(verdict, 'outOfOrder', `window at ${state.cursor} after ${previous.cursor}`);
    const ids = new Set<number>();
    for (const row of state.rows) {
      // Chaos watches orders, whose row id is its numeric id.
      const id = Number(row.id);
      if (ids.has(id)) note(verdict, 'duplicated', `row ${id} twice in the window at ${state.cursor}`);
      ids.add(id);
      const seen = versions.get(id);
      const quantity = Number(row['quantity']);
      if (seen !== undefined && quantity < seen) note(verdict, 'outOfOrder', `row ${id} version ${seen} → ${quantity} in the window`);
      versions.set(id, quantity);
    }
    previous = state;
  }
}

/** The window over `rows` as the protocol defines it (filter, orderBy then id, position, limit). */
export function expectedWindow(rows: readonly OrderRow[], filter: RowFilter | undefined, query: WindowQuery): OrderRow[] {
  const column = query.orderBy.column as OrderColumn;
  const compare = comparatorFor(columnInfo(column)!);
  const sign = query.orderBy.direction === 'asc' ? 1 : -1;
  const sorted = rows
    .filter((row) => matchesFilter(filter, row))
    .sort((a, b) => sign * (compare(a[column], b[column]) || Number(a.id) - Number(b.id)));
  const offset = query.offset ?? 0;
  return sorted.slice(offset, offset + query.limit);
}
