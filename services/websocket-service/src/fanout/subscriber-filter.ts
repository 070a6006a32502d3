/**
 * What one subscription sees of a table change. Pure.
 *
 * A subscription's view is defined by a list of row filters that must ALL match (a conjunction):
 * the filter its access token pins on the table (its `tables` claim, or orders_filter), if any, and the filter the client asked for, if
 * any. So a client can narrow what its token allows, never widen it: a column named in both must
 * satisfy both (pinned customer "Ada" and asked customer "Bob" is an empty view, not Bob's orders).
 *
 * The view is evaluated on both the old and the new row:
 *
 *   old row matches │ new row matches │ the subscriber sees
 *   ────────────────┼─────────────────┼─────────────────────────────
 *        yes        │       yes       │ the change as it is
 *        no         │       yes       │ enter  (add the row)
 *        yes        │       no        │ leave  (remove the row)
 *        no         │       no        │ nothing
 *
 * An insert has no old row and a delete no new row, so the delete of a matching row always arrives.
 * The same list decides the snapshot and every replayed change of a resume.
 *
 * A token-pinned subscriber is never shown a row its token does not cover: the new row of a leave
 * that took the row out of the pinned filter (given to another customer, say) and the old row of an
 * enter that brought it in are sent as null. The key and the op are enough to keep the view right.
 */
import {
  compileFilter,
  isAfter,
  matchesFilter,
  type ChangeOp,
  type ColumnLookup,
  type LiveRow,
  type Position,
  type RowChange,
  type RowFilter,
  type SubscriptionFilter,
  type TransactionFrame,
} from '@orders-live/protocol';
import type { TableChange } from '../table/table-view.js';
import type { TransactionBatch } from '../stream/transactions.js';

/**
 * Row filters that must all match (empty: every row), and the table's columns they compare by (the
 * columns as of the subscribe; a schema change rebuilds every subscription's).
 */
export interface SubscriberFilter {
  readonly parts: readonly PinnedFilter[];
  readonly lookup: ColumnLookup;
}

/** A filter the access token pins on a table: orders_filter's (orders columns), or a `tables` claim's (any table's). */
export type PinnedFilter = RowFilter | SubscriptionFilter;

/** The view of a subscription: the token's pinned filter AND the client's own (either may be absent). */
export function subscriberFilter(
  pinned: PinnedFilter | undefined,
  requested: SubscriptionFilter | undefined,
  lookup: ColumnLookup,
): SubscriberFilter {
  return {
    parts: [pinned, requested].filter((filter) => filter !== undefined && Object.keys(filter).length > 0) as PinnedFilter[],
    lookup,
  };
}

/** Each filter's predicate, compiled on its first use (an index build checks it against every row). */
const compiled = new WeakMap<SubscriberFilter, (row: LiveRow) => boolean>();

export function matchesSubscriberFilter(view: SubscriberFilter, row: LiveRow): boolean {
  let matches = compiled.get(view);
  if (!matches) {
    const checks = view.parts.map((filter) => compileFilter(filter, view.lookup));
    matches = (candidate) => checks.every((check) => check(candidate));
    compiled.set(view, matches);
  }
  return matches(row);
}

export function opForSubscriber(change: TableChange, view: SubscriberFilter): ChangeOp | undefined {
  if (view.parts.length === 0) return change.op;
  const oldMatches = change.oldRow !== null && matchesSubscriberFilter(view, change.oldRow);
  const newMatches = change.row !== null && matchesSubscriberFilter(view, change.row);
  switch (change.op) {
    case 'insert':
      return newMatches ? 'insert' : undefined;
    case 'delete':
      return oldMatches ? 'delete' : undefined;
    case 'update':
      if (oldMatches && newMatches) return 'update';
      if (newMatches) return 'enter';
      if (oldMatches) return 'leave';
      return undefined;
  }
}

/**
 * One change as one subscriber sees it; `pinned` is its token's filter, whose uncovered rows are
 * withheld, compared by the table's columns (`lookup`; the orders table as created, unless given).
 */
export function rowChange(change: TableChange, op: ChangeOp, pinned?: PinnedFilter, lookup?: ColumnLookup): RowChange {
  const shown = (row: LiveRow | null): LiveRow | null =>
    row !== null && (pinned === undefined || matchesFilter(pinned, row, lookup)) ? row : null;
  return {
    op,
    key: change.key,
    row: shown(change.row),
    oldRow: shown(change.oldRow),
    changed: [...change.changed],
    cursor: change.cursor,
    ...(change.lsn === null ? {} : { lsn: change.lsn }),
  };
}

/**
 * The transaction frame of one table subscription: the batch's changes it sees that lie after
 * `after` (all of them, but right after a held resume is released); undefined when there are none.
 * `sentAt`: when the service sends it (epoch ms), the page's service → screen hop starts there.
 */
export function transactionFrame(
  id: string,
  table: string,
  batch: TransactionBatch,
  filters: SubscriberFilter,
  pinned: PinnedFilter | undefined,
  sentAt: number,
  after?: Position,
): TransactionFrame | undefined {
  const changes: RowChange[] = [];
  for (const change of batch.changes) {
    if (after !== undefined && !isAfter(change.position, after)) continue;
    const op = opForSubscriber(change, filters);
    if (op) changes.push(rowChange(change, op, pinned, filters.lookup));
  }
  if (changes.length === 0) return undefined;
  return {
    type: 'transaction',
    id,
    table,
    txId: batch.txId,
    commitTime: batch.commitTime,
    kafkaTime: batch.kafkaTime,
    sentAt,
    changes,
    cursor: changes[changes.length - 1]!.cursor,
  };
}
