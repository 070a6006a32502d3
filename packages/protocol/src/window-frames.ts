/** A window subscription's frames: the window's whole state, then a diff per transaction that alters it. */
import * as z from 'zod';
import { rowIdSchema } from './row-id.js';
import { lsnSchema } from './lsn.js';
import { cursorSchema, subscriptionFields, transactionFields, wireRowSchema } from './frame-fields.js';

/** Rows matching the window's filter, per value of its count column (the query's countBy; orders: status). */
const countsSchema = z.record(z.string(), z.number().int().nonnegative());

const windowStateFields = {
  ...subscriptionFields,
  /** Rank of the window's first row among all rows matching the filter, in the window's order. */
  offset: z.number().int().nonnegative(),
  /** Rows matching the filter (the window shows `rows.length` of them). */
  total: z.number().int().nonnegative(),
  counts: countsSchema,
  cursor: cursorSchema,
};

/** A window's whole state: sent at subscribe, and again after a resume. */
export const windowFrameSchema = z.strictObject({
  type: z.literal('window'),
  ...windowStateFields,
  rows: z.array(wireRowSchema),
});
export type WindowFrame = z.infer<typeof windowFrameSchema>;

/**
 * One step of a diff, applied in order to the window's row list:
 *   leave  {key, reason?}     remove the row (reason: deleted, filtered or moved)
 *   enter  {row, index}       insert the row at index
 *   move   {key, row, index, changed?}  remove the row, insert it (as `row`) at index
 *   change {row, changed}     replace the row where it is
 * `changed` (change, and a move of a row the transaction changed): the columns whose value the
 * transaction changed in the row — the service's list, over every column the table has (added
 * ones included), the same a table subscriber's change carries. A move without it is a row other
 * rows' changes pushed to a new place, unchanged itself.
 * Indexes are positions in the list as it is when the step applies; after the last step the list
 * is the window's new rows. `lsn` (every step): the WAL position of the transaction's last change of
 * that row, as in a transaction frame's change; absent on a step no change of the row caused (a row
 * pushed in or out at the window's edge by others) and where the change has none (a tombstone).
 */
/** The row a leave or move names: its id (row-id.ts). */
const opKeySchema = z.strictObject({ id: rowIdSchema });

export const windowOpSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('leave'),
    key: opKeySchema,
    /**
     * Why (the service always says; diffWindows alone cannot): `deleted`, `filtered` (the row no
     * longer matches the filter), `moved` (other rows pushed it past the window's edge, or its sort
     * value took it there).
     */
    reason: z.enum(['deleted', 'filtered', 'moved']).optional(),
    lsn: lsnSchema.optional(),
  }),
  z.strictObject({ op: z.literal('enter'), row: wireRowSchema, index: z.number().int().nonnegative(), lsn: lsnSchema.optional() }),
  z.strictObject({
    op: z.literal('move'),
    key: opKeySchema,
    row: wireRowSchema,
    index: z.number().int().nonnegative(),
    changed: z.array(z.string()).optional(),
    lsn: lsnSchema.optional(),
  }),
  z.strictObject({ op: z.literal('change'), row: wireRowSchema, changed: z.array(z.string()), lsn: lsnSchema.optional() }),
]);
export type WindowOp = z.infer<typeof windowOpSchema>;

/**
 * What the whole transaction did to the rows matching the window's filter, wherever they rank (the
 * ops say only what it did to the window's rows): its inserts, updates and deletes of such rows (an
 * update counts when the row matched before or after). A transaction the service sends in several
 * diff frames (same txId: it spanned two fetches) has each part's own on its frame: a client adds them.
 */
export const transactionSummarySchema = z.strictObject({
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  deleted: z.number().int().nonnegative(),
});
export type TransactionSummary = z.infer<typeof transactionSummarySchema>;

/** What one transaction did to a window (ops may be empty when only total or counts moved). */
export const diffFrameSchema = z.strictObject({
  type: z.literal('diff'),
  ...windowStateFields,
  ...transactionFields,
  ops: z.array(windowOpSchema),
  /** Absent from a service before it was added: a client then has only the ops. */
  summary: transactionSummarySchema.optional(),
});
export type DiffFrame = z.infer<typeof diffFrameSchema>;
