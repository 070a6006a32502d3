/**
 * The frames one fetch's transactions make for a subscription, and their sending: a table
 * subscription gets a transaction frame per transaction it sees, a window subscription a diff frame
 * per transaction that altered its window. Each is serialised once per distinct subscription (the
 * cache, one per broadcast) and the same bytes go to every socket that shares it. Also the window
 * frame that opens a window subscription, its rows serialised once per window state.
 */
import { isAfter, type DiffFrame, type WindowFrame } from '@orders-live/protocol';
import type { LiveWindow } from '../windows/live-window.js';
import { transactionFrame } from './subscriber-filter.js';
import type { DeliveredTransaction, HubConnection, TableSubscription, WindowSubscription } from './hub-subscriptions.js';

/** Encoded frames of one broadcast, per distinct subscription: one per transaction, null where it sees none. */
export type FrameCache = Map<string, (Buffer | null)[]>;

export function sendTable(
  connection: HubConnection,
  subscription: TableSubscription,
  transactions: readonly DeliveredTransaction[],
  cache: FrameCache,
  now: () => number,
): void {
  let encoded = cache.get(subscription.frameKey);
  if (!encoded) {
    const sentAt = now();
    encoded = transactions.map(({ batch }) => {
      const frame = transactionFrame(subscription.id, subscription.table, batch, subscription.filters, subscription.pinned, sentAt);
      return frame ? Buffer.from(JSON.stringify(frame)) : null;
    });
    cache.set(subscription.frameKey, encoded);
  }
  for (let i = 0; i < transactions.length; i++) {
    const { batch } = transactions[i]!;
    const last = batch.changes[batch.changes.length - 1]!;
    if (!isAfter(last.position, subscription.after)) continue;
    const first = batch.changes[0]!;
    let frame = encoded[i];
    // Part of this transaction is already the client's (a resume released mid-fetch): send the rest.
    if (!isAfter(first.position, subscription.after)) {
      const rest = transactionFrame(
        subscription.id,
        subscription.table,
        batch,
        subscription.filters,
        subscription.pinned,
        now(),
        subscription.after,
      );
      frame = rest ? Buffer.from(JSON.stringify(rest)) : null;
    }
    subscription.after = last.position;
    if (frame) connection.sendLive(frame);
  }
}

export function sendWindow(
  connection: HubConnection,
  subscription: WindowSubscription,
  transactions: readonly DeliveredTransaction[],
  cache: FrameCache,
  now: () => number,
): void {
  const window = subscription.window;
  if (!window) return;
  const key = `${subscription.id}\u0000${window.key}`;
  let encoded = cache.get(key);
  if (!encoded) {
    const sentAt = now();
    encoded = transactions.map(({ batch, windows }) => {
      const change = windows.get(window);
      if (!change) return null;
      const last = batch.changes[batch.changes.length - 1]!;
      const frame: DiffFrame = {
        type: 'diff',
        id: subscription.id,
        table: subscription.table,
        offset: change.offset,
        total: change.total,
        counts: change.counts,
        cursor: last.cursor,
        txId: batch.txId,
        commitTime: batch.commitTime,
        kafkaTime: batch.kafkaTime,
        sentAt,
        ops: change.ops,
        ...(change.summary ? { summary: change.summary } : {}),
      };
      return Buffer.from(JSON.stringify(frame));
    });
    cache.set(key, encoded);
  }
  for (let i = 0; i < transactions.length; i++) {
    const { batch } = transactions[i]!;
    const last = batch.changes[batch.changes.length - 1]!;
    if (!isAfter(last.position, subscription.after)) continue;
    subscription.after = last.position;
    const frame = encoded[i];
    if (frame) connection.sendLive(frame);
  }
}

/** The window frame's text: its rows' JSON is the window's own, serialised once per state. */
export function windowFrameText(id: string, table: string, window: LiveWindow, cursor: string): string {
  const { offset, total, counts } = window.state;
  const head: Omit<WindowFrame, 'rows'> = { type: 'window', id, table, offset, total, counts, cursor };
  return `${JSON.stringify(head).slice(0, -1)},"rows":${window.rowsJson}}`;
}
