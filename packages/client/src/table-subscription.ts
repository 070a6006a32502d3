/** The table subscription (every matching row) as the client drives it: table-state.ts behind ClientSubscription. */
import type { LiveRow, RowId, SubscriptionFilter } from '@orders-live/protocol';
import { INVALID_FRAME_CODES } from './common-outcome.js';
import { StateSubscription, applyCommon, type FrameSink, type SubscriptionFrame } from './client-subscription.js';
import { TableState } from './table-state.js';

export class TableSubscription extends StateSubscription<TableState> {
  constructor(subscriptionId: string, filter: SubscriptionFilter | undefined, table: string) {
    super(new TableState(subscriptionId, filter, table));
  }
  get size(): number {
    return this.state.size;
  }
  rows(): readonly LiveRow[] {
    return this.state.rows();
  }
  get(id: RowId): LiveRow | undefined {
    return this.state.get(id);
  }

  apply(frame: SubscriptionFrame, sink: FrameSink): void {
    if (frame.type === 'window' || frame.type === 'diff') {
      sink.invalid(INVALID_FRAME_CODES.OUT_OF_PLACE, `${frame.type}: not subscribed to a window`);
      return;
    }
    const outcome = this.state.apply(frame);
    switch (outcome.kind) {
      case 'snapshot':
        sink.emit('snapshot', { rows: outcome.rows, cursor: outcome.cursor });
        sink.live();
        return;
      case 'transaction':
        sink.stats.changesApplied += outcome.transaction.changes.length;
        sink.stats.transactionsApplied += 1;
        for (const change of outcome.transaction.changes) sink.emit('change', change);
        sink.emit('transaction', outcome.transaction);
        return;
      case 'resumed':
        sink.stats.resumes += 1;
        sink.emit('resumed', { from: outcome.from, replayed: outcome.replayed });
        sink.live();
        return;
      case 'snapshot-chunk':
        return;
      default:
        applyCommon(outcome, sink);
    }
  }
}
