/**
 * Stable error codes, shared by the websocket protocol's `error` frames and the orders API's error
 * bodies ({ "error": { "code", "message", "fields"? } }). Codes never change meaning; new ones are
 * added. README.md lists them.
 */
export const ERROR_CODES = {
  /** The frame (or request body) was not valid JSON. */
  BAD_JSON: 'E_BAD_JSON',
  /** Valid JSON, but not a frame of this protocol version (unknown type, missing or wrong fields). */
  BAD_FRAME: 'E_BAD_FRAME',
  /** The frame exceeded the size limit; the connection is closed with CLOSE_CODES.TOO_BIG. */
  FRAME_TOO_LARGE: 'E_FRAME_TOO_LARGE',
  /** subscribe named a table this service does not stream. */
  UNKNOWN_TABLE: 'E_UNKNOWN_TABLE',
  /**
   * The access token does not grant this table (its `tables` claim does not name it, or it carries
   * only orders_filter, which grants orders alone): a subscribe to it, or the orders API (HTTP 403)
   * for a token without orders. A table the service does not stream is E_UNKNOWN_TABLE, granted or not.
   */
  TABLE_NOT_GRANTED: 'E_TABLE_NOT_GRANTED',
  /** subscribe carried a cursor this service did not produce. */
  BAD_CURSOR: 'E_BAD_CURSOR',
  /**
   * The WebSocket was opened without the subprotocol of this protocol version (`orders-live.v3`):
   * a v1 or unversioned client. The server sends one error frame with this code and closes with
   * CLOSE_CODES.UNSUPPORTED_PROTOCOL; nothing else is sent.
   */
  UNSUPPORTED_PROTOCOL: 'E_UNSUPPORTED_PROTOCOL',
  /** subscribe carried a window whose orderBy, limit or position is not valid (a sort key value of the wrong type). */
  BAD_WINDOW: 'E_BAD_WINDOW',
  /** subscribe carried a filter with a value of the wrong type for its column, or too many values. */
  BAD_FILTER: 'E_BAD_FILTER',
  /** A filter or a window's orderBy names a column the table does not have (as the table is when the subscribe arrives; a later DDL that drops it ends the subscription with this code). */
  UNKNOWN_COLUMN: 'E_UNKNOWN_COLUMN',
  /** The connection already holds the maximum number of subscriptions. */
  TOO_MANY_SUBSCRIPTIONS: 'E_TOO_MANY_SUBSCRIPTIONS',
  /** subscribe reused the id of a live subscription on this connection. */
  DUPLICATE_SUBSCRIPTION: 'E_DUPLICATE_SUBSCRIPTION',
  /** unsubscribe named no live subscription. */
  UNKNOWN_SUBSCRIPTION: 'E_UNKNOWN_SUBSCRIPTION',
  /** REST: the body, query or path failed validation; `fields` says which and why. HTTP 400. */
  VALIDATION: 'E_VALIDATION',
  /** REST: no order with that id. HTTP 404. */
  NOT_FOUND: 'E_NOT_FOUND',
  /** REST: the body is larger than the limit. HTTP 413. */
  BODY_TOO_LARGE: 'E_BODY_TOO_LARGE',
  /** REST: the body is not application/json. HTTP 415. */
  UNSUPPORTED_MEDIA_TYPE: 'E_UNSUPPORTED_MEDIA_TYPE',
  /** REST: the database cannot be reached right now; retry later. HTTP 503. */
  DATABASE_UNAVAILABLE: 'E_DATABASE_UNAVAILABLE',
  /** REST: an unexpected failure, logged with the request id. HTTP 500. */
  INTERNAL: 'E_INTERNAL',
  /**
   * Access control is on and the access token is missing, malformed, badly signed, expired, or for
   * another issuer/audience. HTTP 401 (with WWW-Authenticate on the API; the WebSocket upgrade is
   * refused before the socket opens).
   */
  UNAUTHORIZED: 'E_UNAUTHORIZED',
  /** REST: the token's row filter on orders (tables.orders or orders_filter) does not allow this order, before or after the change, or names a column the API cannot apply. HTTP 403. */
  FORBIDDEN: 'E_FORBIDDEN',
  /** WebSocket: WS_ALLOWED_ORIGINS is set and the upgrade's Origin is not in it (or is absent while access control is off). HTTP 403. */
  ORIGIN_NOT_ALLOWED: 'E_ORIGIN_NOT_ALLOWED',
} as const;
export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES];

/** WebSocket close codes this protocol uses (4000–4999 is the application range). */
export const CLOSE_CODES = {
  /** Normal close. */
  NORMAL: 1000,
  /** The server is shutting down or restarting: reconnect (to any replica) and resume from your cursor. */
  GOING_AWAY: 1001,
  /** The client sent frames far faster than any client of this protocol needs (RFC 6455 "policy violation"). */
  POLICY_VIOLATION: 1008,
  /** A frame over the size limit (RFC 6455 "message too big"). */
  TOO_BIG: 1009,
  /** The client did not read fast enough: its send buffer passed the bound. Reconnect and resume. */
  SLOW_CONSUMER: 4008,
  /** The access token the connection was opened with has expired: reconnect with a fresh token and resume. */
  TOKEN_EXPIRED: 4001,
  /** The client did not ask for this protocol version (subprotocol `orders-live.v3`): upgrade the client. Do not retry as is. */
  UNSUPPORTED_PROTOCOL: 4002,
} as const;
