/** What the decoder makes of one Kafka record: a row change with its WAL position, or a tombstone. */
import type { OrderKey } from '@orders-live/protocol';
import type { ColumnSet, WireValue } from '../column-set.js';
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

/** A row in wire form, keyed by column name; `id` is the primary key. */
export type TableRow = Readonly<Record<string, WireValue>> & { readonly id: number };

export type RowOp = 'read' | 'insert' | 'update' | 'delete';

export type DecodedRecord =
  | {
      readonly kind: 'row';
      readonly op: RowOp;
      readonly key: OrderKey;
      readonly before: TableRow | null;
      readonly after: TableRow | null;
      readonly source: SourcePosition;
      /** The table's columns as this record's schema describes them. */
      readonly columns: ColumnSet;
    }
  /** The delete's follow-up with a null value: it lets compaction drop the key. */
  | { readonly kind: 'tombstone'; readonly key: OrderKey };

export type DecodeResult = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly error: DecodeError };
