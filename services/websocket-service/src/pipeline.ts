/**
 * What happens to each fetch from the topic, in this order, named:
 *
 *   apply (the change feed has applied it to the view) → ring (kept for resumes) → transactions
 *   (grouped by txId) → windows (indexes and live windows updated) → broadcast → metrics
 *
 * The steps run in one synchronous call, so no subscribe can fall between them.
 *
 * A transaction larger than one fetch: when a fetch ends while the partition already holds more
 * records (`more`), its last transaction may go on in the next fetch, so that group is held back and
 * joined with the next fetch's first one (no latency is added: the next fetch is already there). It
 * is delivered with the next fetch, at HOLD_MAX_MS at the latest, and at once whenever a client
 * subscribes (flush(): a snapshot or a new index must see exactly what was delivered).
 */
import type { ChangeRing } from './ring.js';
import type { TableChange } from './orders-table.js';
import type { WindowRegistry } from './window-registry.js';
import type { DeliveredTransaction, Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import { groupTransactions } from './transactions.js';
import { ORIGIN, type Position } from '@orders-live/protocol';

/** Longest a transaction's first part waits for the rest (the next fetch normally comes within ms). */
const HOLD_MAX_MS = 100;

export interface Pipeline {
  /** One fetch's changes, applied to the view already; `more`: records after them are already in Kafka. */
  readonly onBatch: (changes: readonly TableChange[], more: boolean) => void;
  /** Delivers whatever is held back now. */
  readonly flush: () => void;
}

interface PipelineDeps {
  readonly ring: ChangeRing;
  readonly windows: WindowRegistry;
  readonly hub: Hub;
  readonly metrics: Metrics;
  readonly now: () => number;
  /** False while catching up at start-up: commit → sent would only measure how old the topic is. */
  readonly live: () => boolean;
}

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { ring, windows, hub, metrics, now, live } = deps;
  let held: TableChange[] = [];
  let holdTimer: NodeJS.Timeout | undefined;
  /** The position of the last change delivered (ring, windows, clients); undefined before any. */
  let delivered: Position | undefined;

  /** `holding`: some of the view's changes are held back, so clients are only up to `delivered`. */
  const deliver = (changes: readonly TableChange[], holding: boolean) => {
    for (const change of changes) ring.push(change);
    const transactions: DeliveredTransaction[] = groupTransactions(changes).map((batch) => ({ batch, windows: windows.apply(batch) }));
    if (changes.length > 0) delivered = changes[changes.length - 1]!.position;
    hub.broadcast(transactions, holding ? (delivered ?? ORIGIN) : undefined);
    if (live()) {
      const sentAt = now();
      for (const change of changes) metrics.commitToSentMs.observe(Math.max(0, sentAt - change.commitTime));
    }
  };

  const flush = () => {
    clearTimeout(holdTimer);
    holdTimer = undefined;
    if (held.length === 0) return;
    const changes = held;
    held = [];
    deliver(changes, false);
  };

  const onBatch = (changes: readonly TableChange[], more: boolean) => {
    clearTimeout(holdTimer);
    holdTimer = undefined;
    const last = changes.length > 0 ? changes[changes.length - 1]! : held[held.length - 1];
    if (!more || !last || last.txId === null) {
      const ready = held.length > 0 ? held.concat(changes) : changes;
      held = [];
      deliver(ready, false);
      return;
    }
    // The trailing run of the last transaction is held. Only this fetch's changes are walked, and a
    // run that goes on from the held part is appended to it: a transaction (or a snapshot, one txId)
    // spread over thousands of fetches costs linear time, not a copy of all it held per fetch.
    let start = changes.length;
    while (start > 0 && changes[start - 1]!.txId === last.txId) start -= 1;
    let ready: readonly TableChange[];
    if (start === 0 && held.length > 0 && held[0]!.txId === last.txId) {
      ready = [];
      for (const change of changes) held.push(change);
    } else {
      ready = held.length > 0 ? held.concat(changes.slice(0, start)) : changes.slice(0, start);
      held = changes.slice(start);
    }
    holdTimer = setTimeout(flush, HOLD_MAX_MS);
    holdTimer.unref();
    deliver(ready, true);
  };

  return { onBatch, flush };
}
