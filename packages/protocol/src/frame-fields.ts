/** The fields many frames share: ids, cursors, the wire row, a transaction's id and times. */
import * as z from 'zod';
import { tableNameSchema } from './orders.js';
import type { LiveRow } from './live-row.js';

export const subscriptionIdSchema = z.string().min(1).max(64);
export const cursorSchema = z.string().min(1).max(64);
export const tableSchema = tableNameSchema;
/** What every frame of one subscription starts with: the client's id for it and its table. */
export const subscriptionFields = { id: subscriptionIdSchema, table: tableSchema };

/**
 * A row on the wire: the table's columns as the last `columns` frame lists them, each in its kind's
 * wire form (columns.ts). Its values are checked against the columns frame by the client
 * (rowProblem), not here; its id is rowIdOf(the table's key, row) (row-id.ts).
 */
export const wireRowSchema = z.record(z.string(), z.unknown()) as unknown as z.ZodType<LiveRow>;

/** Which transaction a frame carries and when it passed each hop (transaction and diff frames). */
export const transactionFields = {
  /** Postgres' transaction id of a change; null where Debezium gives none (a tombstone). */
  txId: z.number().int().nonnegative().nullable(),
  /** When Postgres committed the transaction, epoch milliseconds. */
  commitTime: z.number(),
  /**
   * When its (last) change was written to Kafka: the Kafka record's timestamp, epoch ms. With
   * commitTime and sentAt a client sees each hop: commit → Kafka → service → client (docs/protocol.md).
   */
  kafkaTime: z.number(),
  /** When the service serialised this frame to send it, epoch ms (the service's clock). */
  sentAt: z.number(),
};
