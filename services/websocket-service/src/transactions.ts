/**
 * Groups a batch of changes (in log order) into transactions: runs of consecutive changes with the
 * same Postgres txId. Pure.
 *
 * Where a transaction ends. Debezium 3.4 (the version pinned) can mark transaction ends
 * (provide.transaction.metadata), but loses events with it on restart before 3.7.0.Alpha2, and 3.7
 * cannot be had whole from Maven Central yet. So the service groups what the consumer fetched: a
 * Postgres transaction's events are consecutive in the topic (pgoutput sends a transaction at commit,
 * and one partition keeps the order), so a run of one txId within a fetch is one transaction or, when
 * the transaction spans two fetches, a part of one — the next part comes next, with the same txId.
 * A group never mixes two transactions.
 */
import type { TableChange } from './orders-table.js';

export interface TransactionBatch {
  readonly txId: number | null;
  /** The commit time of the transaction (of its last change here). */
  readonly commitTime: number;
  /** When its last change here was written to Kafka, epoch ms. */
  readonly kafkaTime: number;
  readonly changes: readonly TableChange[];
}

export function groupTransactions(changes: readonly TableChange[]): TransactionBatch[] {
  const groups: TransactionBatch[] = [];
  let current: TableChange[] = [];
  const close = () => {
    if (current.length === 0) return;
    const last = current[current.length - 1]!;
    groups.push({ txId: last.txId, commitTime: last.commitTime, kafkaTime: last.kafkaTime, changes: current });
    current = [];
  };
  for (const change of changes) {
    const previous = current[current.length - 1];
    // A change without txId (a tombstone) stands alone: nothing says which transaction it closed.
    if (previous && (change.txId === null || previous.txId !== change.txId)) close();
    current.push(change);
  }
  close();
  return groups;
}
