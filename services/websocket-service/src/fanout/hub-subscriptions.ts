/**
 * What the hub keeps per subscription (a table or a window subscription), and the one delivered
 * transaction it routes: the shapes hub.ts and broadcast-frames.ts share.
 */
import type { Position, SubscribeFrame, SubscriptionFilter, WindowQuery } from '@orders-live/protocol';
import type { Connection } from '../edge/connection.js';
import type { LiveWindow, WindowChange } from '../windows/live-window.js';
import type { TransactionBatch } from '../stream/transactions.js';
import type { PinnedFilter, SubscriberFilter } from './subscriber-filter.js';
import type { SubscriptionState } from './subscription-state.js';

/** One fetch's transaction, with what it did to each window it altered. */
export interface DeliveredTransaction {
  readonly batch: TransactionBatch;
  readonly windows: ReadonlyMap<LiveWindow, WindowChange>;
}

interface BaseSubscription {
  readonly id: string;
  /** The table it follows (its frames name it). */
  readonly table: string;
  /** The token's pinned filter AND the client's: every row sent matches all of them (rebuilt on a column change). */
  filters: SubscriberFilter;
  /** The token's filter on this table alone. */
  readonly pinned: PinnedFilter | undefined;
  /** What the client asked for, checked again against the new columns after a schema change. */
  readonly request: { readonly filter: SubscriptionFilter | undefined; readonly window: WindowQuery | undefined };
  after: Position;
  /**
   * Where it is in its lifecycle (subscription-state.ts): waiting for the replica to catch up, held
   * until the view reaches the client's cursor, live, or ended. Only the state machine's transitions
   * set it.
   */
  state: SubscriptionState;
}

export interface TableSubscription extends BaseSubscription {
  readonly kind: 'table';
  /** Frames are cached under this key: same id, pinned and requested filter → same bytes. */
  readonly frameKey: string;
}

export interface WindowSubscription extends BaseSubscription {
  readonly kind: 'window';
  readonly query: WindowQuery;
  /** Acquired once the subscription is live (not while held). */
  window: LiveWindow | undefined;
}

export type Subscription = TableSubscription | WindowSubscription;
export type HubConnection = Connection<Subscription>;

/** A new subscription of a subscribe frame, positioned at `after` (the view's, or a held client's, position), in its first state. */
export function newSubscription(
  frame: Pick<SubscribeFrame, 'id' | 'table' | 'filter' | 'window'>,
  pinned: PinnedFilter | undefined,
  filters: SubscriberFilter,
  after: Position,
  state: SubscriptionState,
): Subscription {
  const request = { filter: frame.filter, window: frame.window };
  const base = { id: frame.id, table: frame.table, filters, pinned, request, after, state };
  return frame.window
    ? { ...base, kind: 'window', query: frame.window, window: undefined }
    : {
        ...base,
        kind: 'table',
        frameKey: `${frame.id}\u0000${frame.table}\u0000${JSON.stringify([pinned ?? null, frame.filter ?? null])}`,
      };
}
