/**
 * What happens to each fetch from the topic, in this order, named:
 *
 *   apply (the change feed has applied it to the view) → ring (kept for resumes) → transactions
 *   (grouped by txId) → windows (indexes and live windows updated) → broadcast → metrics
 *
 * The steps run in one synchronous call, so no subscribe can fall between them.
 */
import type { ChangeRing } from './ring.js';
import type { TableChange } from './view.js';
import type { WindowRegistry } from './window-registry.js';
import type { DeliveredTransaction, Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import { groupTransactions } from './transactions.js';

export interface PipelineDeps {
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  readonly hub: Hub;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** False while catching up at start-up: commit → sent would only measure how old the topic is. */
  readonly live: () => boolean;
}

export function createPipeline(deps: PipelineDeps): (changes: readonly TableChange[]) => void {
  const { ring, windows, hub, metrics, now, live } = deps;
  return (changes) => {
    for (const change of changes) ring.push(change);
    const transactions: DeliveredTransaction[] = groupTransactions(changes).map((batch) => ({ batch, windows: windows.apply(batch) }));
    hub.broadcast(transactions);
    if (live()) {
      const sentAt = now();
      for (const change of changes) metrics.commitToSentMs.observe(Math.max(0, sentAt - change.commitTime));
    }
  };
}
