/**
 * Carries out subscribe plans (subscribe-planner.ts) on a connection, each in one synchronous step,
 * so nothing falls between a snapshot (or a window's first state) and the frames that follow it:
 * the snapshot in chunks, the window as of the view, a held resume (released by the hub's
 * broadcast, or reset when it times out), a replay of the ring, a reset. Every subscription gets a
 * `columns` frame before its first rows.
 *
 * Each subscription's lifecycle is a pure state machine (subscription-state.ts): the runner begins
 * it, feeds it events (step) and carries out the actions it returns (perform), keeping the hold
 * timers the machine arms and cancels.
 */
import { tableGrant } from '@orders-live/auth';
import {
  ERROR_CODES,
  filterProblem,
  formatCursor,
  columnLookup,
  type ColumnLookup,
  type ColumnsFrame,
  type ResetFrame,
  type ResumedFrame,
  type SnapshotFrame,
  type SubscribeFrame,
  type TableInfo,
} from '@orders-live/protocol';
import { planSubscribe } from './subscribe-planner.js';
import { matchesSubscriberFilter, transactionFrame, subscriberFilter } from './subscriber-filter.js';
import { groupTransactions } from '../stream/transactions.js';
import { windowFrameText } from './broadcast-frames.js';
import type { HubOptions, RunnerDeps } from './hub-deps.js';
import { begin, transition, type SubscriptionAction, type SubscriptionEvent, type SubscriptionStart } from './subscription-state.js';
import type { TableChange } from '../table/table-view.js';
import {
  newSubscription,
  type HubConnection,
  type Subscription,
  type TableSubscription,
  type WindowSubscription,
} from './hub-subscriptions.js';

/** What the runner carries out: every action but delivering a fetch, which is the broadcast's. */
export type RunnerAction = Exclude<SubscriptionAction, { type: 'deliver' }>;

export class SubscribeRunner {
  readonly #deps: RunnerDeps;
  readonly #options: HubOptions;
  /** Snapshot chunks by frameKey, all as of one view position and column set (#snapshotsAt); cleared when either moves. */
  readonly #snapshots = new Map<string, readonly Buffer[]>();
  #snapshotsAt = '';
  #lookup: { readonly fingerprint: string; readonly lookup: ColumnLookup } | undefined;
  /** The timers of held subscriptions (their deadlines are the state machine's). */
  readonly #holdTimers = new Map<Subscription, NodeJS.Timeout>();

  constructor(deps: RunnerDeps, options: HubOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** The table's name, key, columns, default count column and cursor, as welcome lists it. */
  info(): TableInfo {
    const { table, view, countBy } = this.#deps;
    return { name: table, key: [...(view.key ?? [])], columns: [...view.catalog.columns.columns], countBy: countBy(), cursor: view.cursor };
  }

  /** The table's view (for the hub's heartbeats and broadcasts). */
  get view(): RunnerDeps['view'] {
    return this.#deps.view;
  }

  /** The table's windows. */
  get windows(): RunnerDeps['windows'] {
    return this.#deps.windows;
  }

  /** Applies the table's held-back changes (HubTable.settle). */
  settle(): void {
    this.#deps.settle?.();
  }

  /** The table's columns as the view holds them, by name. */
  columns(): ColumnLookup {
    const set = this.#deps.view.catalog.columns;
    if (this.#lookup?.fingerprint !== set.fingerprint) this.#lookup = { fingerprint: set.fingerprint, lookup: columnLookup(set.columns) };
    return this.#lookup.lookup;
  }

  columnsFrame(id: string): string {
    const { catalog, cursor } = this.#deps.view;
    const frame: ColumnsFrame = {
      type: 'columns',
      id,
      table: this.#deps.table,
      columns: [...catalog.columns.columns],
      key: [...(this.#deps.view.key ?? ['id'])],
      cursor,
    };
    return JSON.stringify(frame);
  }

  subscribe(connection: HubConnection, frame: SubscribeFrame): void {
    this.#deps.settle?.();
    const { view, ring, metrics } = this.#deps;
    // What the token grants on this table comes first: a table it does not grant is refused whatever was asked.
    const grant = tableGrant(connection.access.tables, frame.table);
    if (!grant.granted) {
      connection.sendError(ERROR_CODES.TABLE_NOT_GRANTED, `your access token does not grant table "${frame.table}"`, frame.id);
      return;
    }
    const pinned = grant.filter;
    // A pinned filter the table's columns do not fit would match no row (or throw): refuse, saying whose filter it is.
    const pinnedProblem = filterProblem(pinned, this.columns());
    if (pinnedProblem) {
      connection.sendError(pinnedProblem.code, `your access token's filter on table "${frame.table}": ${pinnedProblem.message}`, frame.id);
      return;
    }
    const plan = planSubscribe({
      frame,
      viewPosition: view.position,
      since: (position) => ring.since(position),
      subscriptionIds: connection.subscriptions,
      maxSubscriptions: this.#options.maxSubscriptionsPerConnection,
      columns: this.columns(),
      columnsSince: view.catalog.position,
    });
    if (plan.action === 'refuse') {
      connection.sendError(plan.code, plan.message, frame.id);
      return;
    }
    // What shows the view as it is now waits while the view is still being filled from the topic.
    const caughtUp = this.#deps.caughtUp === undefined || this.#deps.caughtUp();
    let start: SubscriptionStart;
    switch (plan.action) {
      case 'snapshot':
        metrics.subscribes.inc({ outcome: 'snapshot' });
        start = { how: 'open', caughtUp };
        break;
      case 'window':
        metrics.subscribes.inc({ outcome: frame.cursor === undefined ? 'window' : 'window-resumed' });
        start = { how: 'open', caughtUp };
        break;
      case 'hold':
        metrics.subscribes.inc({ outcome: 'held' });
        start = { how: 'hold', from: plan.from, cursor: frame.cursor!, now: this.#now(), timeoutMs: this.#options.resumeHoldTimeoutMs };
        break;
      case 'reset':
        metrics.subscribes.inc({ outcome: 'reset' });
        start = { how: 'open', reset: { cursor: frame.cursor!, reason: plan.reason }, caughtUp };
        break;
      case 'replay':
        metrics.subscribes.inc({ outcome: 'resumed' });
        start = { how: 'replayed' };
        break;
    }
    const { state, actions } = begin(frame.window ? 'window' : 'table', start);
    if (state.phase === 'waiting') metrics.subscribes.inc({ outcome: 'waiting' });
    const after = plan.action === 'hold' ? plan.from : view.position;
    const subscription = newSubscription(frame, pinned, subscriberFilter(pinned, frame.filter, this.columns()), after, state);
    connection.subscriptions.set(frame.id, subscription);
    if (plan.action === 'replay' && subscription.kind === 'table') this.#replay(connection, subscription, frame.cursor!, plan.changes);
    this.#performAll(connection, subscription, actions);
  }

  /** A resume from the ring: `resumed`, then the changes after the client's cursor as the live stream sends them. */
  #replay(connection: HubConnection, table: TableSubscription, cursor: string, changes: readonly TableChange[]): void {
    // Replayed as the live stream sends them: a frame per transaction (runs of one txId).
    const replay: string[] = [];
    for (const batch of groupTransactions(changes)) {
      const frame = transactionFrame(table.id, table.table, batch, table.filters, table.pinned, this.#now());
      if (frame) replay.push(JSON.stringify(frame));
    }
    const resumed: ResumedFrame = { type: 'resumed', id: table.id, from: cursor, replayed: replay.length };
    connection.corked(() => {
      connection.sendBurst(this.columnsFrame(table.id));
      connection.sendBurst(JSON.stringify(resumed));
      for (const text of replay) connection.sendBurst(text);
    });
  }

  /**
   * Feeds an event to a subscription's state machine and carries out what it says (the broadcast
   * feeds view-advanced itself: delivering a fetch is its business).
   */
  step(connection: HubConnection, subscription: Subscription, event: Exclude<SubscriptionEvent, { type: 'view-advanced' }>): void {
    const { state, actions } = transition(subscription.kind, subscription.state, event);
    subscription.state = state;
    this.#performAll(connection, subscription, actions);
  }

  #performAll(connection: HubConnection, subscription: Subscription, actions: readonly SubscriptionAction[]): void {
    // Only view-advanced delivers a fetch (subscription-state.test.ts), and the broadcast feeds that.
    for (const action of actions) if (action.type !== 'deliver') this.perform(connection, subscription, action);
  }

  /** Carries out one action of a subscription's state machine (subscription-state.ts). */
  perform(connection: HubConnection, subscription: Subscription, action: RunnerAction): void {
    switch (action.type) {
      case 'send-snapshot':
        if (subscription.kind === 'table') this.sendSnapshot(connection, subscription);
        return;
      case 'open-window':
        if (subscription.kind === 'window') this.openWindow(connection, subscription);
        return;
      case 'send-reset': {
        if (action.reason === 'cursor-not-reached')
          this.#deps.log.warn(
            { cursor: action.cursor, view: this.#deps.view.cursor },
            'a resume cursor was not reached in time; resetting the subscription',
          );
        const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor: action.cursor, reason: action.reason };
        connection.sendBurst(JSON.stringify(reset));
        return;
      }
      case 'send-resumed': {
        const resumed: ResumedFrame = { type: 'resumed', id: subscription.id, from: formatCursor(action.from), replayed: 0 };
        connection.sendControl(this.columnsFrame(subscription.id));
        connection.sendControl(JSON.stringify(resumed));
        return;
      }
      case 'arm-hold-timer': {
        clearTimeout(this.#holdTimers.get(subscription));
        const timer = setTimeout(() => this.#holdExpired(connection, subscription), action.ms);
        timer.unref();
        this.#holdTimers.set(subscription, timer);
        return;
      }
      case 'cancel-hold-timer':
        clearTimeout(this.#holdTimers.get(subscription));
        this.#holdTimers.delete(subscription);
        return;
      case 'drop':
        connection.subscriptions.delete(subscription.id);
        if (subscription.kind === 'window' && subscription.window) this.#deps.windows.release(subscription.window);
        return;
      case 'send-error':
        connection.sendError(action.code, action.message, subscription.id);
        return;
    }
  }

  #holdExpired(connection: HubConnection, subscription: Subscription): void {
    this.#holdTimers.delete(subscription);
    if (subscription.state.phase !== 'held' || connection.subscriptions.get(subscription.id) !== subscription) return;
    // Settling may deliver what it waited for, and release it: the machine then ignores the timeout.
    this.#deps.settle?.();
    this.step(connection, subscription, { type: 'hold-timeout', now: this.#now() });
  }

  /** The window's state as of the view's position: the first frame of a window subscription. */
  openWindow(connection: HubConnection, subscription: WindowSubscription): void {
    const { view, windows } = this.#deps;
    subscription.window ??= windows.acquire(subscription.filters, subscription.query);
    subscription.after = view.position;
    connection.sendBurst(this.columnsFrame(subscription.id));
    connection.sendBurst(windowFrameText(subscription.id, subscription.table, subscription.window, view.cursor));
  }

  /**
   * The view's rows (those the subscription's filters all match) as of its position, in chunks.
   * Subscriptions alike (same id and filters) that subscribe at one position — a thousand pages
   * reconnecting after a deploy — share the chunks: filtered and serialised once.
   */
  sendSnapshot(connection: HubConnection, subscription: TableSubscription): void {
    const { view } = this.#deps;
    subscription.after = view.position;
    const chunks = this.#snapshotChunks(subscription);
    connection.corked(() => {
      connection.sendBurst(this.columnsFrame(subscription.id));
      for (const chunk of chunks) connection.sendBurst(chunk);
    });
  }

  #snapshotChunks(subscription: TableSubscription): readonly Buffer[] {
    const { view } = this.#deps;
    const cursor = view.cursor;
    const at = `${cursor}\u0000${view.catalog.columns.fingerprint}`;
    if (this.#snapshotsAt !== at) {
      this.#snapshots.clear();
      this.#snapshotsAt = at;
    }
    const cached = this.#snapshots.get(subscription.frameKey);
    if (cached) return cached;
    const rows =
      subscription.filters.parts.length > 0 ? view.rows().filter((row) => matchesSubscriberFilter(subscription.filters, row)) : view.rows();
    const chunk = this.#options.snapshotChunkRows;
    const chunks: Buffer[] = [];
    for (let start = 0; start === 0 || start < rows.length; start += chunk) {
      const snapshot: SnapshotFrame = {
        type: 'snapshot',
        id: subscription.id,
        table: this.#deps.table,
        rows: rows.slice(start, start + chunk),
        cursor,
        done: start + chunk >= rows.length,
      };
      chunks.push(Buffer.from(JSON.stringify(snapshot)));
    }
    this.#snapshots.set(subscription.frameKey, chunks);
    return chunks;
  }
}
