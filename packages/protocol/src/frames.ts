/**
 * Wire protocol, version 1: JSON text frames. Client → server frames are validated by the server with
 * these schemas; server → client frames are validated by clients with theirs.
 *
 *   client                                   server
 *     │ ── (connect /ws) ───────────────────▶ │
 *     │ ◀──────────────────────────── welcome │
 *     │ ── subscribe {id, table} ───────────▶ │
 *     │ ◀──── snapshot {rows, cursor, done}… │  rows of the view as of cursor C
 *     │ ◀──────────── change {cursor > C} … │  every change after C, in commit order
 *     │ ◀───────────── heartbeat {cursor}    │  while idle
 */
import * as z from 'zod';
import { orderKeySchema, orderRowSchema, TABLES } from './orders.js';

export const PROTOCOL_VERSION = 1;

const subscriptionIdSchema = z.string().min(1).max(64);
const cursorSchema = z.string().min(1).max(64);

// ── client → server ────────────────────────────────────────────────────────────────────────────
export const subscribeFrameSchema = z.strictObject({
  type: z.literal('subscribe'),
  /** Chosen by the client; echoed on every frame of this subscription. */
  id: subscriptionIdSchema,
  table: z.string().max(64),
  /** Resume after this cursor instead of starting from a snapshot (reserved; see README). */
  cursor: cursorSchema.optional(),
});
export type SubscribeFrame = z.infer<typeof subscribeFrameSchema>;

export const unsubscribeFrameSchema = z.strictObject({
  type: z.literal('unsubscribe'),
  id: subscriptionIdSchema,
});
export type UnsubscribeFrame = z.infer<typeof unsubscribeFrameSchema>;

export const clientFrameSchema = z.discriminatedUnion('type', [subscribeFrameSchema, unsubscribeFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

// ── server → client ────────────────────────────────────────────────────────────────────────────
const tableSchema = z.enum(TABLES);

export const welcomeFrameSchema = z.strictObject({
  type: z.literal('welcome'),
  protocol: z.literal(PROTOCOL_VERSION),
  /** Which replica answered (for logs and the page's status line). */
  server: z.string(),
  /** The latest cursor this replica has applied. */
  cursor: cursorSchema,
});
export type WelcomeFrame = z.infer<typeof welcomeFrameSchema>;

export const snapshotFrameSchema = z.strictObject({
  type: z.literal('snapshot'),
  id: subscriptionIdSchema,
  table: tableSchema,
  rows: z.array(orderRowSchema),
  /** The rows are the view as of this cursor; changes that follow are all after it. */
  cursor: cursorSchema,
  /** false on all but the last chunk of a large snapshot. */
  done: z.boolean(),
});
export type SnapshotFrame = z.infer<typeof snapshotFrameSchema>;

export const CHANGE_OPS = ['insert', 'update', 'delete'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export const changeFrameSchema = z.strictObject({
  type: z.literal('change'),
  id: subscriptionIdSchema,
  table: tableSchema,
  op: z.enum(CHANGE_OPS),
  key: orderKeySchema,
  /** The row after the change; null for a delete. */
  row: orderRowSchema.nullable(),
  /** The row before the change; null for an insert. */
  oldRow: orderRowSchema.nullable(),
  /** Columns whose value differs between oldRow and row (all columns for insert and delete). */
  changed: z.array(z.string()),
  /** When Postgres committed the change, epoch milliseconds. */
  commitTime: z.number(),
  cursor: cursorSchema,
});
export type ChangeFrame = z.infer<typeof changeFrameSchema>;

export const errorFrameSchema = z.strictObject({
  type: z.literal('error'),
  code: z.string(),
  message: z.string(),
  /** The subscription the error concerns, when there is one. */
  id: subscriptionIdSchema.optional(),
});
export type ErrorFrame = z.infer<typeof errorFrameSchema>;

export const heartbeatFrameSchema = z.strictObject({
  type: z.literal('heartbeat'),
  cursor: cursorSchema,
});
export type HeartbeatFrame = z.infer<typeof heartbeatFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  welcomeFrameSchema,
  snapshotFrameSchema,
  changeFrameSchema,
  errorFrameSchema,
  heartbeatFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
