/** A table subscription's frames: the snapshot in chunks, then a frame per transaction of row changes. */
import * as z from 'zod';
import { columnNameSchema } from './columns.js';
import { lsnSchema } from './lsn.js';
import { cursorSchema, subscriptionFields, transactionFields, wireRowSchema } from './frame-fields.js';

export const snapshotFrameSchema = z.strictObject({
  type: z.literal('snapshot'),
  ...subscriptionFields,
  rows: z.array(wireRowSchema),
  /** The rows are the view as of this cursor; changes that follow are all after it. */
  cursor: cursorSchema,
  /** false on all but the last chunk of a large snapshot. */
  done: z.boolean(),
});
export type SnapshotFrame = z.infer<typeof snapshotFrameSchema>;

/**
 * What happens to a table subscription's rows: insert, update, delete; for a filtered subscription
 * also enter (an update made the row match: add it) and leave (an update made it stop matching).
 */
export const CHANGE_OPS = ['insert', 'update', 'delete', 'enter', 'leave'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

/** A row's primary key: each key column's value (orders: {id}; order_lines: {order_id, line_no}). */
export const rowKeySchema = z.record(columnNameSchema, z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type RowKey = z.infer<typeof rowKeySchema>;

export const rowChangeSchema = z.strictObject({
  op: z.enum(CHANGE_OPS),
  key: rowKeySchema,
  /**
   * The row after the change; null for a delete (a leave carries the row that no longer matches),
   * and null when the subscriber's access token does not cover it (a leave out of its pinned filter).
   */
  row: wireRowSchema.nullable(),
  /** The row before the change; null for an insert, and for an enter into a token's pinned filter. */
  oldRow: wireRowSchema.nullable(),
  /** Columns whose value differs between oldRow and row (all columns for insert and delete). */
  changed: z.array(z.string()),
  /** This change's own cursor (the frame's cursor is its last change's). */
  cursor: cursorSchema,
  /**
   * The change's WAL position (Debezium's source.lsn, a number; formatLsn prints it as Postgres
   * does). Absent where the change has none: a delete known only from a Kafka tombstone.
   */
  lsn: lsnSchema.optional(),
});
export type RowChange = z.infer<typeof rowChangeSchema>;

/**
 * The changes of one Postgres transaction that the subscription sees, in commit order. A frame never
 * holds changes of two transactions; a transaction larger than what the service reads from Kafka at
 * once arrives as consecutive frames with the same txId (docs/protocol.md).
 */
export const transactionFrameSchema = z.strictObject({
  type: z.literal('transaction'),
  ...subscriptionFields,
  ...transactionFields,
  changes: z.array(rowChangeSchema).min(1),
  /** The cursor of the last change: resume from here. */
  cursor: cursorSchema,
});
export type TransactionFrame = z.infer<typeof transactionFrameSchema>;
