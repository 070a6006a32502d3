/**
 * Wire protocol, version 3: JSON text frames over a WebSocket opened with the subprotocol
 * `orders-live.v3` (PROTOCOL_SUBPROTOCOL). Client → server frames are validated by the server with
 * these schemas; server → client frames by clients with theirs. docs/protocol.md is the prose.
 * The frames live by concept: subscribe-frames.ts (client → server), table-frames.ts, window-frames.ts,
 * stream-status.ts; this file holds the connection's own frames and the union of what a server sends.
 *
 *   client                                   server
 *     │ ── (connect /ws, orders-live.v3) ───▶ │
 *     │ ◀─────────── welcome {tables: [{name, key, columns, countBy, cursor}]}
 *     │ ◀───────────── stream-status {degraded} │  at connect, and whenever it changes
 *     │ ◀──── freshness {upTo, state, stalled} │  at connect, then every second (freshness.ts)
 *   a table subscription (every matching row, for programs):
 *     │ ── subscribe {id, table, filter?} ──▶ │
 *     │ ◀───────── columns {id, columns, cursor} │  the table's columns, before any row
 *     │ ◀──── snapshot {rows, cursor, done}… │  rows of the view as of cursor C
 *     │ ◀── transaction {txId, changes…} …   │  every change after C, a frame per transaction
 *   a window (what a page shows):
 *     │ ── subscribe {…, window} ───────────▶ │
 *     │ ◀── window {rows, offset, total, counts, cursor}
 *     │ ◀── diff {ops, offset, total, counts, cursor} …   one per transaction that alters it
 *     │ ◀──────── heartbeat {table, cursor}  │  while idle, per table subscribed to
 *
 *   a schema change (a DDL), for every subscription:
 *     │ ◀───────── columns {id, columns, cursor} │  the new columns
 *     │ ◀──── snapshot… / window              │  every row afresh in the new shape, as of cursor
 *
 *   resuming (after a reconnect, to this replica or any other):
 *     │ ── subscribe {…, cursor: C} ────────▶ │
 *     │ ◀──── resumed {from: C, replayed: n} │  table: exactly the changes after C follow
 *     │ ◀──── reset {cursor: C} + snapshot…  │  table: C is older than this replica keeps
 *     │ ◀──── window {…, cursor ≥ C}         │  window: the window afresh, as of C or later
 */
import * as z from 'zod';
import { columnInfoSchema, columnNameSchema } from './columns.js';
import { tableNameSchema } from './orders.js';
import { cursorSchema, subscriptionFields, subscriptionIdSchema } from './frame-fields.js';
import { snapshotFrameSchema, transactionFrameSchema } from './table-frames.js';
import { diffFrameSchema, windowFrameSchema } from './window-frames.js';
import { streamStatusFrameSchema } from './stream-status.js';
import { freshnessFrameSchema } from './freshness.js';

export const PROTOCOL_VERSION = 3;
/** The Sec-WebSocket-Protocol item that asks for this version; the server selects it. */
export const PROTOCOL_SUBPROTOCOL = `orders-live.v${PROTOCOL_VERSION}`;

/** A streamed table: its name, primary key, columns (empty until its topic held a row), default counts and cursor. */
export const tableInfoSchema = z.strictObject({
  name: tableNameSchema,
  /** The primary-key columns, in key order: a row's id is rowIdOf(key, row) (row-id.ts). */
  key: z.array(columnNameSchema),
  columns: z.array(columnInfoSchema),
  /** The column a window counts by when it names none; null: no counts unless asked. */
  countBy: columnNameSchema.nullable(),
  /** The latest cursor this replica has applied of the table's topic. */
  cursor: cursorSchema,
});
export type TableInfo = z.infer<typeof tableInfoSchema>;

// ── server → client, beside the subscription frames of table-frames.ts and window-frames.ts ──────
export const welcomeFrameSchema = z.strictObject({
  type: z.literal('welcome'),
  protocol: z.literal(PROTOCOL_VERSION),
  /** Which replica answered (for logs and the page's status line). */
  server: z.string(),
  /** The tables this replica streams, as it knows them now (a DDL later comes as a columns frame). */
  tables: z.array(z.lazy(() => tableInfoSchema)),
});
export type WelcomeFrame = z.infer<typeof welcomeFrameSchema>;

export const resumedFrameSchema = z.strictObject({
  type: z.literal('resumed'),
  id: subscriptionIdSchema,
  /** The cursor the client resumed from; the changes that follow are exactly those after it. */
  from: cursorSchema,
  /** How many transaction frames this replica replays at once from what it keeps. */
  replayed: z.number().int().min(0),
});
export type ResumedFrame = z.infer<typeof resumedFrameSchema>;

export const resetFrameSchema = z.strictObject({
  type: z.literal('reset'),
  id: subscriptionIdSchema,
  /** The cursor the client asked to resume from. */
  cursor: cursorSchema,
  /** cursor-too-old: this replica no longer keeps what followed; columns-changed: the table's columns changed since. */
  reason: z.enum(['cursor-too-old', 'cursor-not-reached', 'columns-changed']),
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

/**
 * The table's columns, for one subscription: before its first snapshot or window frame, and after
 * each schema change (then a snapshot or window follows with every row in the new shape, as of the
 * same cursor). Rows in frames after it have exactly these columns.
 */
export const columnsFrameSchema = z.strictObject({
  type: z.literal('columns'),
  ...subscriptionFields,
  columns: z.array(columnInfoSchema).min(1),
  /** The table's primary-key columns, in key order: a row's id is rowIdOf(key, row) (row-id.ts). */
  key: z.array(columnNameSchema).min(1),
  /** The rows that follow are as of this cursor (the view's, when the frame was sent). */
  cursor: cursorSchema,
});
export type ColumnsFrame = z.infer<typeof columnsFrameSchema>;

/** While idle, per table the connection subscribes to: the table's latest cursor. */
export const heartbeatFrameSchema = z.strictObject({
  type: z.literal('heartbeat'),
  table: tableNameSchema,
  cursor: cursorSchema,
});
export type HeartbeatFrame = z.infer<typeof heartbeatFrameSchema>;

export const serverFrameSchema = z.discriminatedUnion('type', [
  welcomeFrameSchema,
  snapshotFrameSchema,
  transactionFrameSchema,
  windowFrameSchema,
  diffFrameSchema,
  resumedFrameSchema,
  resetFrameSchema,
  errorFrameSchema,
  heartbeatFrameSchema,
  columnsFrameSchema,
  streamStatusFrameSchema,
  freshnessFrameSchema,
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
