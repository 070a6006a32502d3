/**
 * The client's one subscription behind one face, whichever kind it is: the table (table-state.ts) or
 * a window (window-state.ts). A frame for it goes in; what it means comes out through a FrameSink
 * (events, counts, "live now", "subscribe afresh"), which the client implements. The outcomes both
 * kinds share are handled once, here.
 */
import type { ColumnInfo, ColumnsFrame, LiveRow, RowId, ServerFrame, SubscribeFrame } from '@orders-live/protocol';
import { columnsChange } from './columns-change.js';
import type { ClientEvents, MutableStats } from './client-events.js';
import type { CommonOutcome, InvalidFrameCode } from './common-outcome.js';

export interface FrameSink {
  emit<K extends keyof ClientEvents>(event: K, payload: ClientEvents[K]): void;
  readonly stats: MutableStats;
  /** The subscription is current (the snapshot or window is whole, or the resume answered). */
  live(): void;
  /** The message broke the protocol (counted and reported by the client). */
  invalid(code: InvalidFrameCode, reason: string): void;
  /** The local copy no longer follows the server's: drop the socket, subscribe afresh (and resume). */
  resubscribe(): void;
}

/** The frames a subscription applies (the rest the client handles itself). */
export type SubscriptionFrame = Extract<ServerFrame, { type: 'snapshot' | 'transaction' | 'resumed' | 'reset' | 'window' | 'diff' }>;

export interface ClientSubscription {
  readonly subscriptionId: string;
  readonly cursor: string | undefined;
  readonly size: number;
  readonly columns: readonly ColumnInfo[] | undefined;
  setColumns(columns: readonly ColumnInfo[], key: readonly string[]): void;
  rows(): readonly LiveRow[];
  get(id: RowId): LiveRow | undefined;
  /** A row's id under the table's key (row-id.ts). */
  idOf(row: LiveRow): RowId;
  subscribe(): SubscribeFrame;
  apply(frame: SubscriptionFrame, sink: FrameSink): void;
}

/** What both states offer alike, forwarded once for both adapters. */
interface StateLike {
  readonly subscriptionId: string;
  readonly cursor: string | undefined;
  readonly columns: readonly ColumnInfo[] | undefined;
  setColumns(columns: readonly ColumnInfo[], key: readonly string[]): void;
  idOf(row: LiveRow): RowId;
  subscribe(): SubscribeFrame;
}

export abstract class StateSubscription<State extends StateLike> implements ClientSubscription {
  protected readonly state: State;
  protected constructor(state: State) {
    this.state = state;
  }
  get subscriptionId(): string {
    return this.state.subscriptionId;
  }
  get cursor(): string | undefined {
    return this.state.cursor;
  }
  get columns(): readonly ColumnInfo[] | undefined {
    return this.state.columns;
  }
  setColumns(columns: readonly ColumnInfo[], key: readonly string[]): void {
    this.state.setColumns(columns, key);
  }
  idOf(row: LiveRow): RowId {
    return this.state.idOf(row);
  }
  subscribe(): SubscribeFrame {
    return this.state.subscribe();
  }
  abstract readonly size: number;
  abstract rows(): readonly LiveRow[];
  abstract get(id: RowId): LiveRow | undefined;
  abstract apply(frame: SubscriptionFrame, sink: FrameSink): void;
}

export function applyCommon(outcome: CommonOutcome, sink: FrameSink): void {
  switch (outcome.kind) {
    case 'duplicate':
      sink.stats.duplicatesDropped += 1;
      return;
    case 'reset':
      sink.stats.resets += 1;
      sink.emit('reset', { cursor: outcome.cursor, reason: outcome.reason });
      return;
    case 'invalid':
      sink.invalid(outcome.code, outcome.reason);
      sink.resubscribe();
      return;
    case 'ignored':
      return;
  }
}

/** A columns frame: the subscription's rows have these columns from now on (another, older subscription's are not its). */
export function takeColumns(subscription: ClientSubscription, frame: ColumnsFrame, sink: FrameSink): void {
  if (frame.id !== subscription.subscriptionId) return;
  const change = columnsChange(subscription.columns, frame.columns);
  subscription.setColumns(frame.columns, frame.key);
  sink.emit('columns', { columns: frame.columns, key: frame.key, change, cursor: frame.cursor });
}
