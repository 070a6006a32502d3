/** A window subscription as the client drives it: window-state.ts behind ClientSubscription, and paging. */
import type { LiveRow, RowId, SubscriptionFilter, WindowQuery } from '@orders-live/protocol';
import { INVALID_FRAME_CODES } from './common-outcome.js';
import { StateSubscription, applyCommon, type FrameSink, type SubscriptionFrame } from './client-subscription.js';
import { WindowState, type WindowSnapshot } from './window-state.js';

const WHOLE = {
  ops: undefined,
  txId: undefined,
  commitTime: undefined,
  kafkaTime: undefined,
  sentAt: undefined,
  summary: undefined,
} as const;

export class WindowSubscription extends StateSubscription<WindowState> {
  constructor(subscriptionId: string, query: WindowQuery, filter: SubscriptionFilter | undefined, table: string) {
    super(new WindowState(subscriptionId, query, filter, table));
  }
  get size(): number {
    return this.state.window?.rows.length ?? 0;
  }
  get window(): WindowSnapshot | undefined {
    return this.state.window;
  }
  rows(): readonly LiveRow[] {
    return this.state.window?.rows ?? [];
  }
  get(id: RowId): LiveRow | undefined {
    return this.state.window?.rows.find((row) => this.state.idOf(row) === id);
  }
  /** A new query: returns the id to unsubscribe; subscribe() next. */
  setQuery(query: WindowQuery): string {
    return this.state.setQuery(query);
  }

  apply(frame: SubscriptionFrame, sink: FrameSink): void {
    if (frame.type !== 'window' && frame.type !== 'diff' && frame.type !== 'reset') {
      sink.invalid(INVALID_FRAME_CODES.OUT_OF_PLACE, `${frame.type}: not part of a window subscription`);
      return;
    }
    const outcome = this.state.apply(frame);
    switch (outcome.kind) {
      case 'window':
        sink.emit('window', { ...outcome.window, ...WHOLE });
        sink.live();
        return;
      case 'diff': {
        sink.stats.transactionsApplied += 1;
        const { window, ops, txId, commitTime, kafkaTime, sentAt, summary } = outcome;
        sink.emit('window', { ...window, ops, txId, commitTime, kafkaTime, sentAt, summary });
        return;
      }
      default:
        applyCommon(outcome, sink);
    }
  }
}
