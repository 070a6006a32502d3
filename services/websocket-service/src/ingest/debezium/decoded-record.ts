/** What the decoder makes of one Kafka record: a row change with its WAL position, or a tombstone. */
import type { RowKey } from '@orders-live/protocol';
import type { ColumnSet, WireValue } from '../../table/column-set.js';
import type { DecodeError } from './decode-error.js';

/** Where a change sits in Postgres' WAL, as Debezium reports it. */
export interface SourcePosition {
  /** Commit time in Postgres, epoch ms (source.ts_ms). */
  readonly commitTimeMs: number;
  /** LSN of this event (source.lsn). */
  readonly lsn: number;
  /** LSN of the last commit before this event (first element of source.sequence); null in snapshots. */
  readonly commitLsn: number | null;
  readonly txId: number | null;
  /** True for rows read by the connector's initial snapshot. */
  readonly snapshot: boolean;
}

/** A row in wire form, keyed by column name (the primary key's columns are the record key's). */
export type TableRow = Readonly<Record<string, WireValue>>;

export type RowOp = 'read' | 'insert' | 'update' | 'delete';

/**
 * The event's place in its Postgres transaction (provide.transaction.metadata): which transaction,
 * and its number among the transaction's events of this table (1, 2, …; continued, not restarted,
 * when the connector resumes mid-transaction since Debezium 3.7, dbz#633). Null for snapshot reads
 * and for records written before the connector gave metadata.
 */
export interface TransactionPlace {
  /** Postgres' transaction id: the part of Debezium's `transaction.id` ("764:26716840") before the colon. */
  readonly txId: number;
  /** transaction.data_collection_order. */
  readonly order: number;
}

export type DecodedRecord =
  | {
      readonly kind: 'row';
      readonly op: RowOp;
      readonly key: RowKey;
      readonly before: TableRow | null;
      readonly after: TableRow | null;
      readonly source: SourcePosition;
      readonly transaction: TransactionPlace | null;
      /** The table's columns as this record's schema describes them. */
      readonly columns: ColumnSet;
    }
  /** The delete's follow-up with a null value: it lets compaction drop the key. */
  | { readonly kind: 'tombstone'; readonly key: RowKey };

export type DecodeResult = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly error: DecodeError };
