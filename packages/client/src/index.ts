/**
 * @orders-live/client: a typed client of the websocket-service for browsers and Node (with `ws`).
 * Protocol v2: the whole table or a live window of it; transactions applied at once. Reconnects with
 * backoff, resumes from its cursor, drops duplicates, keeps a local view of the rows, follows the
 * table's columns and checks every row against them.
 */
export { OrdersLiveClient } from './client.js';
export {
  CONNECT_TIMEOUT_MS,
  DEFAULT_SUBSCRIPTION_ID,
  IDLE_TIMEOUT_MS,
  defaultDeps,
  type OrdersLiveClientDeps,
  type OrdersLiveClientOptions,
} from './client-options.js';
export { CONNECTION_STATES, type ConnectionState, type ConnectionStateName } from './connection-state.js';
export type { ClientEvents, ClientStats, ColumnsEvent, InvalidFrameEvent, WindowEvent } from './client-events.js';
export { INVALID_FRAME_CODES, type InvalidFrameCode } from './common-outcome.js';
export { columnsChange, isColumnsChange, type ColumnsChange } from './columns-change.js';
export { DEFAULT_BACKOFF, backoffDelayMs, type BackoffSettings } from './backoff.js';
export { Emitter, type Listener, type Unsubscribe } from './emitter.js';
export { SERVICE_SILENT_AFTER_MS, freshnessNow, type HeardFreshness } from './freshness.js';
export { parseServerFrame, type ParsedFrame } from './parse-frame.js';
export {
  TableState,
  type AppliedChange,
  type AppliedTransaction,
  type FrameOutcome,
  type TableFrame,
  type TablePhase,
} from './table-state.js';
export { WindowState, type WindowFrameIn, type WindowOutcome, type WindowPhase, type WindowSnapshot } from './window-state.js';
export type { CreateSocket, SocketCloseEvent, SocketLike, SocketMessageEvent } from './socket.js';
