/**
 * What one transaction did to each row, as a window needs it to say what caused each step of its
 * diff (the window is handed these with the transaction: window-registry.ts → live-window.ts). Built
 * lazily, once per transaction, shared by every window it touched.
 */
import type { ChangedColumnsOf, LiveRow, RowId, WindowOp } from '@orders-live/protocol';
import type { TransactionBatch } from '../stream/transactions.js';
import { matchesSubscriberFilter, type SubscriberFilter } from '../fanout/subscriber-filter.js';
import type { TableChange } from '../table/table-view.js';

export interface TransactionCauses {
  /** Which columns a row's new version changed, as the view computed it (TableChange.changed). */
  readonly changedOf: ChangedColumnsOf;
  /** The steps, each with what caused it (for a window under these filters). */
  annotate(ops: readonly WindowOp[], filters: SubscriberFilter): WindowOp[];
}

interface BatchRows {
  /** The batch's last change of each row it touched. */
  readonly last: ReadonlyMap<RowId, TableChange>;
  readonly repeated: ReadonlySet<RowId>;
}

/** `idOf`: a row's id in the batch's table. */
export function transactionCauses(batch: TransactionBatch, idOf: (row: LiveRow) => RowId): TransactionCauses {
  let rows: BatchRows | undefined;
  const get = () => (rows ??= batchRows(batch));
  return {
    /**
     * A row the transaction changed once from the window's version (the usual case) changed exactly
     * that change's `changed`, over every column the table has. A row it changed more than once is
     * answered undefined: diffWindows compares the window's version with the last one (the same
     * comparison, over every column the rows hold), as the changes between may cancel out.
     */
    changedOf: (before, after) => {
      const { last, repeated } = get();
      const id = idOf(after);
      const change = repeated.has(id) ? undefined : last.get(id);
      return change && change.oldRow === before && change.row === after ? change.changed : undefined;
    },
    /**
     * From the transaction's last change of each step's row: the change's LSN on every step a change
     * of the row made (none on a row others pushed in or out at the window's edge), and why each row
     * left the window, so a page shows a deleted row differently from one that no longer matches the
     * filter or was pushed past the window's edge. A row only the token's pinned filter hides also
     * reads `filtered` (nothing more is revealed).
     */
    annotate: (ops, filters) =>
      ops.map((op): WindowOp => {
        const cause = get().last.get(op.op === 'leave' || op.op === 'move' ? op.key.id : idOf(op.row));
        const lsn = cause?.lsn ?? undefined;
        if (op.op !== 'leave') return lsn === undefined ? op : { ...op, lsn };
        const reason = cause?.row === null ? 'deleted' : cause?.row && !matchesSubscriberFilter(filters, cause.row) ? 'filtered' : 'moved';
        return lsn === undefined ? { ...op, reason } : { ...op, reason, lsn };
      }),
  };
}

function batchRows(batch: TransactionBatch): BatchRows {
  const last = new Map<RowId, TableChange>();
  const repeated = new Set<RowId>();
  for (const change of batch.changes) {
    if (last.has(change.id)) repeated.add(change.id);
    last.set(change.id, change);
  }
  return { last, repeated };
}
