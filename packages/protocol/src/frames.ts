/**
 * Wire protocol, version 1: JSON text frames. Client → server frames are validated by the server with
 * these schemas; server → client frames are validated by clients with theirs.
 *
 *   client                                   server
 *     │ ── (connect /ws) ───────────────────▶ │
 *     │ ◀──────────────────────────── welcome │
 *     │ ── subscribe {id, table, filter?} ──▶ │
 *     │ ◀──── snapshot {rows, cursor, done}… │  rows of the view as of cursor C
 *     │ ◀──────────── change {cursor > C} … │  every change after C, in commit order
 *     │ ◀───────────── heartbeat {cursor}    │  while idle
 *
 *   resuming (after a reconnect, to this replica or any other):
 *     │ ── subscribe {…, cursor: C} ────────▶ │
 *     │ ◀──── resumed {from: C, replayed: n} │  C is recent enough: exactly the changes after C follow
 *     │ ◀──── reset {cursor: C} + snapshot…  │  or: C is older than this replica keeps, start over
 */
import * as z from 'zod';
import { orderKeySchema, orderRowSchema, TABLES } from './orders.js';
import { rowFilterSchema } from './filter.js';

export const PROTOCOL_VERSION = 1;

const subscriptionIdSchema = z.string().min(1).max(64);
const cursorSchema = z.string().min(1).max(64);

// ── client → server ────────────────────────────────────────────────────────────────────────────
export const subscribeFrameSchema = z.strictObject({
  type: z.literal('subscribe'),
  /** Chosen by the client; echoed on every frame of this subscription. */
  id: subscriptionIdSchema,
  table: z.string().max(64),
  /** Only rows matching this filter (see filter.ts). */
  filter: rowFilterSchema.optional(),
  /** Resume: the last cursor the client has; the server sends only what follows it. */
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

/**
 * What happens to the subscription's view: insert, update, delete; for a filtered subscription also
 * enter (an update made the row match: add it) and leave (an update made it stop matching: remove it).
 */
export const CHANGE_OPS = ['insert', 'update', 'delete', 'enter', 'leave'] as const;
export type ChangeOp = (typeof CHANGE_OPS)[number];

export const changeFrameSchema = z.strictObject({
  type: z.literal('change'),
  id: subscriptionIdSchema,
  table: tableSchema,
  op: z.enum(CHANGE_OPS),
  key: orderKeySchema,
  /**
   * The row after the change; null for a delete (a leave carries the row that no longer matches),
   * and null when the subscriber's access token does not cover it (a leave out of its pinned filter).
   */
  row: orderRowSchema.nullable(),
  /** The row before the change; null for an insert, and for an enter into a token's pinned filter. */
  oldRow: orderRowSchema.nullable(),
  /** Columns whose value differs between oldRow and row (all columns for insert and delete). */
  changed: z.array(z.string()),
  /** When Postgres committed the change, epoch milliseconds. */
  commitTime: z.number(),
  cursor: cursorSchema,
});
export type ChangeFrame = z.infer<typeof changeFrameSchema>;

export const resumedFrameSchema = z.strictObject({
  type: z.literal('resumed'),
  id: subscriptionIdSchema,
  /** The cursor the client resumed from; the changes that follow are exactly those after it. */
  from: cursorSchema,
  /** How many changes this replica replays at once from what it keeps. */
  replayed: z.number().int().min(0),
});
export type ResumedFrame = z.infer<typeof resumedFrameSchema>;

export const resetFrameSchema = z.strictObject({
  type: z.literal('reset'),
  id: subscriptionIdSchema,
  /** The cursor the client asked to resume from. */
  cursor: cursorSchema,
  reason: z.enum(['cursor-too-old', 'cursor-not-reached']),
});
export type ResetFrame = z.infer<typeof resetFrameSchema>;

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
  resumedFrameSchema,
  resetFrameSchema,
  errorFrameSchema,
  heartbeatFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
