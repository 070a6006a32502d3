/**
 * Wire protocol, version 2: JSON text frames over a WebSocket opened with the subprotocol
 * `orders-live.v2` (PROTOCOL_SUBPROTOCOL). Client → server frames are validated by the server with
 * these schemas; server → client frames by clients with theirs. docs/protocol.md is the prose.
 *
 *   client                                   server
 *     │ ── (connect /ws, orders-live.v2) ───▶ │
 *     │ ◀──────────────────────────── welcome │
 *     │ ◀───────────── stream-status {degraded} │  at connect, and whenever it changes
 *   a table subscription (every matching row, for programs):
 *     │ ── subscribe {id, table, filter?} ──▶ │
 *     │ ◀───────── columns {id, columns, cursor} │  the table's columns, before any row
 *     │ ◀──── snapshot {rows, cursor, done}… │  rows of the view as of cursor C
 *     │ ◀── transaction {txId, changes…} …   │  every change after C, a frame per transaction
 *   a window (what a page shows):
 *     │ ── subscribe {…, window} ───────────▶ │
 *     │ ◀── window {rows, offset, total, counts, cursor}
 *     │ ◀── diff {ops, offset, total, counts, cursor} …   one per transaction that alters it
 *     │ ◀───────────── heartbeat {cursor}    │  while idle
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
import { orderIdSchema, orderKeySchema, TABLES, type OrderRow } from './orders.js';
import { subscriptionFilterSchema } from './filter.js';
import { columnInfoSchema, columnNameSchema } from './columns.js';

export const PROTOCOL_VERSION = 2;
/** The Sec-WebSocket-Protocol item that asks for this version; the server selects it. */
export const PROTOCOL_SUBPROTOCOL = `orders-live.v${PROTOCOL_VERSION}`;

/** Rows one window may hold: a screenful many times over, and a frame of ≤ ~300 KB. */
export const MAX_WINDOW_LIMIT = 1_000;

const subscriptionIdSchema = z.string().min(1).max(64);
const cursorSchema = z.string().min(1).max(64);

/**
 * A row on the wire: the table's columns as the last `columns` frame lists them, each in its kind's
 * wire form (columns.ts). Only the id is checked here; the type names the table's original columns,
 * which a program must not assume survive a DDL (the columns frame says what exists).
 */
export const wireRowSchema = z.looseObject({ id: orderIdSchema }) as unknown as z.ZodType<OrderRow>;

// ── client → server ────────────────────────────────────────────────────────────────────────────
/**
 * A position in a sort order: the sort column's value and the id (the tie-breaker). It need not be
 * a row's: `{value: 5, id: 0}` sits before every row whose value is 5.
 */
export const sortKeySchema = z.strictObject({
  value: z.union([z.string().max(256), z.number(), z.boolean(), z.null()]),
  id: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
});
export type SortKey = z.infer<typeof sortKeySchema>;

export const orderBySchema = z.strictObject({
  column: columnNameSchema,
  direction: z.enum(['asc', 'desc']),
});
export type OrderBy = z.infer<typeof orderBySchema>;

/**
 * A window: the rows matching the filter, in `orderBy` order (then id, in the same direction),
 * `limit` of them, starting at
 *   offset: n      the n-th row (0-based), for scrolling to any place of `total`;
 *   after: key     the first rows after that sort key (the next page);
 *   before: key    the last rows before that sort key (the previous page), still in sort order;
 *   none of them   the first rows (offset 0).
 * The window is live: rows entering or leaving the filter, or moving past its edges, change it.
 */
export const windowQuerySchema = z
  .strictObject({
    orderBy: orderBySchema,
    limit: z.number().int().min(1).max(MAX_WINDOW_LIMIT),
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    after: sortKeySchema.optional(),
    before: sortKeySchema.optional(),
  })
  .refine((query) => [query.offset, query.after, query.before].filter((at) => at !== undefined).length <= 1, {
    message: 'at most one of offset, after, before',
  });
export type WindowQuery = z.infer<typeof windowQuerySchema>;

export const subscribeFrameSchema = z.strictObject({
  type: z.literal('subscribe'),
  /** Chosen by the client; echoed on every frame of this subscription. */
  id: subscriptionIdSchema,
  table: z.string().max(64),
  /** Only rows matching this filter (see filter.ts); every column it names must exist. */
  filter: subscriptionFilterSchema.optional(),
  /** A window of the table instead of all of it (what a page shows). */
  window: windowQuerySchema.optional(),
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
/** Postgres' transaction id of a change; null where Debezium gives none (a tombstone). */
const txIdSchema = z.number().int().nonnegative().nullable();
/** Rows matching the window's filter, per value of `status`. */
const countsSchema = z.record(z.string(), z.number().int().nonnegative());

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

export const rowChangeSchema = z.strictObject({
  op: z.enum(CHANGE_OPS),
  key: orderKeySchema,
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
});
export type RowChange = z.infer<typeof rowChangeSchema>;

/**
 * The changes of one Postgres transaction that the subscription sees, in commit order. A frame never
 * holds changes of two transactions; a transaction larger than what the service reads from Kafka at
 * once arrives as consecutive frames with the same txId (docs/protocol.md).
 */
export const transactionFrameSchema = z.strictObject({
  type: z.literal('transaction'),
  id: subscriptionIdSchema,
  table: tableSchema,
  txId: txIdSchema,
  /** When Postgres committed the transaction, epoch milliseconds. */
  commitTime: z.number(),
  /**
   * When its (last) change was written to Kafka: the Kafka record's timestamp, epoch ms. With
   * commitTime and sentAt a client sees each hop: commit → Kafka → service → client (docs/protocol.md).
   */
  kafkaTime: z.number(),
  /** When the service serialised this frame to send it, epoch ms (the service's clock). */
  sentAt: z.number(),
  changes: z.array(rowChangeSchema).min(1),
  /** The cursor of the last change: resume from here. */
  cursor: cursorSchema,
});
export type TransactionFrame = z.infer<typeof transactionFrameSchema>;

const windowStateFields = {
  id: subscriptionIdSchema,
  table: tableSchema,
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
 *   move   {key, row, index}  remove the row, insert it (as `row`) at index
 *   change {row, changed}     replace the row where it is
 * Indexes are positions in the list as it is when the step applies; after the last step the list
 * is the window's new rows.
 */
export const windowOpSchema = z.discriminatedUnion('op', [
  z.strictObject({
    op: z.literal('leave'),
    key: orderKeySchema,
    /**
     * Why (the service always says; diffWindows alone cannot): `deleted`, `filtered` (the row no
     * longer matches the filter), `moved` (other rows pushed it past the window's edge, or its sort
     * value took it there).
     */
    reason: z.enum(['deleted', 'filtered', 'moved']).optional(),
  }),
  z.strictObject({ op: z.literal('enter'), row: wireRowSchema, index: z.number().int().nonnegative() }),
  z.strictObject({ op: z.literal('move'), key: orderKeySchema, row: wireRowSchema, index: z.number().int().nonnegative() }),
  z.strictObject({ op: z.literal('change'), row: wireRowSchema, changed: z.array(z.string()) }),
]);
export type WindowOp = z.infer<typeof windowOpSchema>;

/** What one transaction did to a window (ops may be empty when only total or counts moved). */
export const diffFrameSchema = z.strictObject({
  type: z.literal('diff'),
  ...windowStateFields,
  txId: txIdSchema,
  /** When Postgres committed the transaction, epoch milliseconds. */
  commitTime: z.number(),
  /**
   * When its (last) change was written to Kafka: the Kafka record's timestamp, epoch ms. With
   * commitTime and sentAt a client sees each hop: commit → Kafka → service → client (docs/protocol.md).
   */
  kafkaTime: z.number(),
  /** When the service serialised this frame to send it, epoch ms (the service's clock). */
  sentAt: z.number(),
  ops: z.array(windowOpSchema),
});
export type DiffFrame = z.infer<typeof diffFrameSchema>;

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
  id: subscriptionIdSchema,
  table: tableSchema,
  columns: z.array(columnInfoSchema).min(1),
  /** The rows that follow are as of this cursor (the view's, when the frame was sent). */
  cursor: cursorSchema,
});
export type ColumnsFrame = z.infer<typeof columnsFrameSchema>;

/** A hole in the stream: a record of the topic that did not decode (docs/protocol.md). */
export const streamGapSchema = z.strictObject({
  partition: z.number().int().nonnegative(),
  offset: z.string(),
  /** The decoder's stable code (DBZ_*). */
  code: z.string(),
  reason: z.string(),
  /** The row the record was for ("id=42"), or a note that its key did not decode. */
  row: z.string(),
  /** When the record was read, epoch ms. */
  at: z.number(),
});

/** What /readyz reports as `degraded`: null while the stream has no hole. */
export const degradedReportSchema = z.strictObject({
  code: z.literal('STREAM_GAP'),
  reason: z.string(),
  openGaps: z.number().int().nonnegative(),
  /** The first gaps (all are counted in openGaps). */
  gaps: z.array(streamGapSchema).readonly(),
});
export type DegradedReport = z.infer<typeof degradedReportSchema>;

/**
 * Whether the stream this replica follows is whole: sent once a connection opens (after welcome)
 * and whenever that changes. While `degraded` is not null, the rows it names may be stale.
 */
export const streamStatusFrameSchema = z.strictObject({
  type: z.literal('stream-status'),
  degraded: degradedReportSchema.nullable(),
});
export type StreamStatusFrame = z.infer<typeof streamStatusFrameSchema>;

export const heartbeatFrameSchema = z.strictObject({
  type: z.literal('heartbeat'),
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
]);
export type ServerFrame = z.infer<typeof serverFrameSchema>;
