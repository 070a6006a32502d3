/**
 * Carries out subscribe plans (subscribe-planner.ts) on a connection, each in one synchronous step,
 * so nothing falls between a snapshot (or a window's first state) and the frames that follow it:
 * the snapshot in chunks, the window as of the view, a held resume (released by the hub's
 * broadcast, or reset when it times out), a replay of the ring, a reset. Every subscription gets a
 * `columns` frame before its first rows.
 */
import {
  formatCursor,
  columnLookup,
  type ColumnLookup,
  type ColumnsFrame,
  type ResetFrame,
  type ResumedFrame,
  type SnapshotFrame,
  type SubscribeFrame,
} from '@orders-live/protocol';
import { planSubscribe } from './subscribe-planner.js';
import { matchesSubscriberFilter, transactionFrame, subscriberFilter } from './subscriber-filter.js';
import { groupTransactions } from '../stream/transactions.js';
import { windowFrameText } from './broadcast-frames.js';
import type { HubDeps, HubOptions } from './hub-deps.js';
import {
  newSubscription,
  type HubConnection,
  type Subscription,
  type TableSubscription,
  type WindowSubscription,
} from './hub-subscriptions.js';

export class SubscribeRunner {
  readonly #deps: HubDeps;
  readonly #options: HubOptions;
  #lookup: { readonly fingerprint: string; readonly lookup: ColumnLookup } | undefined;

  constructor(deps: HubDeps, options: HubOptions) {
    this.#deps = deps;
    this.#options = options;
  }

  #now(): number {
    return (this.#deps.now ?? Date.now)();
  }

  /** The table's columns as the view holds them, by name. */
  columns(): ColumnLookup {
    const set = this.#deps.view.catalog.columns;
    if (this.#lookup?.fingerprint !== set.fingerprint) this.#lookup = { fingerprint: set.fingerprint, lookup: columnLookup(set.columns) };
    return this.#lookup.lookup;
  }

  columnsFrame(id: string): string {
    const { catalog, cursor } = this.#deps.view;
    const frame: ColumnsFrame = { type: 'columns', id, table: 'orders', columns: [...catalog.columns.columns], cursor };
    return JSON.stringify(frame);
  }

  subscribe(connection: HubConnection, frame: SubscribeFrame): void {
    this.#deps.settle?.();
    const { view, ring, metrics } = this.#deps;
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
    const pinned = connection.access.filter;
    const filters = subscriberFilter(pinned, frame.filter, this.columns());
    const subscription = newSubscription(frame, pinned, filters, view.position);
    connection.subscriptions.set(frame.id, subscription);
    const kind = subscription.kind;
    // What shows the view as it is now waits while the view is still being filled from the topic.
    const whenCaughtUp = (send: () => void) => {
      if (this.#deps.caughtUp === undefined || this.#deps.caughtUp()) send();
      else {
        metrics.subscribes.inc({ outcome: 'waiting' });
        subscription.waiting = send;
      }
    };

    switch (plan.action) {
      case 'snapshot':
        metrics.subscribes.inc({ outcome: 'snapshot' });
        whenCaughtUp(() => this.sendSnapshot(connection, subscription as TableSubscription));
        return;
      case 'window':
        metrics.subscribes.inc({ outcome: frame.cursor === undefined ? 'window' : 'window-resumed' });
        whenCaughtUp(() => this.openWindow(connection, subscription as WindowSubscription));
        return;
      case 'hold':
        metrics.subscribes.inc({ outcome: 'held' });
        subscription.after = plan.from;
        subscription.hold = setTimeout(() => this.#holdExpired(connection, subscription, frame.cursor!), this.#options.resumeHoldTimeoutMs);
        subscription.hold.unref();
        return;
      case 'reset':
        metrics.subscribes.inc({ outcome: 'reset' });
        whenCaughtUp(() => this.#reset(connection, subscription as TableSubscription, frame.cursor!, plan.reason));
        return;
      case 'replay': {
        if (kind !== 'table') return;
        metrics.subscribes.inc({ outcome: 'resumed' });
        const table = subscription;
        // Replayed as the live stream sends them: a frame per transaction (runs of one txId).
        const replay: string[] = [];
        for (const batch of groupTransactions(plan.changes)) {
          const frame = transactionFrame(table.id, batch, table.filters, table.pinned, this.#now());
          if (frame) replay.push(JSON.stringify(frame));
        }
        const resumed: ResumedFrame = { type: 'resumed', id: table.id, from: frame.cursor!, replayed: replay.length };
        connection.corked(() => {
          connection.sendBurst(this.columnsFrame(table.id));
          connection.sendBurst(JSON.stringify(resumed));
          for (const text of replay) connection.sendBurst(text);
        });
        return;
      }
    }
  }

  /** Sends what a subscription waited for while the replica caught up (see HubDeps.caughtUp). */
  sendWaiting(subscription: Subscription): void {
    const send = subscription.waiting;
    if (!send) return;
    subscription.waiting = undefined;
    send();
  }

  release(connection: HubConnection, subscription: TableSubscription): void {
    clearTimeout(subscription.hold);
    subscription.hold = undefined;
    const resumed: ResumedFrame = { type: 'resumed', id: subscription.id, from: formatCursor(subscription.after), replayed: 0 };
    connection.sendControl(this.columnsFrame(subscription.id));
    connection.sendControl(JSON.stringify(resumed));
  }

  #holdExpired(connection: HubConnection, subscription: Subscription, cursor: string): void {
    if (!subscription.hold || connection.subscriptions.get(subscription.id) !== subscription) return;
    this.#deps.settle?.();
    if (!subscription.hold) return; // settling delivered what it waited for
    subscription.hold = undefined;
    this.#deps.log.warn({ cursor, view: this.#deps.view.cursor }, 'a resume cursor was not reached in time; resetting the subscription');
    if (subscription.kind === 'window') {
      const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor, reason: 'cursor-not-reached' };
      connection.sendBurst(JSON.stringify(reset));
      this.openWindow(connection, subscription);
      return;
    }
    this.#reset(connection, subscription, cursor, 'cursor-not-reached');
  }

  #reset(connection: HubConnection, subscription: TableSubscription, cursor: string, reason: ResetFrame['reason']): void {
    const reset: ResetFrame = { type: 'reset', id: subscription.id, cursor, reason };
    connection.sendBurst(JSON.stringify(reset));
    this.sendSnapshot(connection, subscription);
  }

  /** The window's state as of the view's position: the first frame of a window subscription. */
  openWindow(connection: HubConnection, subscription: WindowSubscription): void {
    const { view, windows } = this.#deps;
    subscription.window ??= windows.acquire(subscription.filters, subscription.query);
    subscription.after = view.position;
    connection.sendBurst(this.columnsFrame(subscription.id));
    connection.sendBurst(windowFrameText(subscription.id, subscription.window, view.cursor));
  }

  /** The view's rows (those the subscription's filters all match) as of its position, in chunks. */
  sendSnapshot(connection: HubConnection, subscription: TableSubscription): void {
    const { view } = this.#deps;
    const rows =
      subscription.filters.parts.length > 0 ? view.rows().filter((row) => matchesSubscriberFilter(subscription.filters, row)) : view.rows();
    subscription.after = view.position;
    const cursor = view.cursor;
    const chunk = this.#options.snapshotChunkRows;
    connection.corked(() => {
      connection.sendBurst(this.columnsFrame(subscription.id));
      for (let start = 0; start === 0 || start < rows.length; start += chunk) {
        const snapshot: SnapshotFrame = {
          type: 'snapshot',
          id: subscription.id,
          table: 'orders',
          rows: rows.slice(start, start + chunk),
          cursor,
          done: start + chunk >= rows.length,
        };
        connection.sendBurst(JSON.stringify(snapshot));
      }
    });
  }

  drop(connection: HubConnection, subscription: Subscription): void {
    clearTimeout(subscription.hold);
    connection.subscriptions.delete(subscription.id);
    if (subscription.kind === 'window' && subscription.window) this.#deps.windows.release(subscription.window);
  }
}
