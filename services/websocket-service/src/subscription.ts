/**
 * What one subscription sees of a table change. Pure.
 *
 * A filter defines a view, so it is evaluated on both the old and the new row:
 *
 *   old row matches │ new row matches │ the subscriber sees
 *   ────────────────┼─────────────────┼─────────────────────────────
 *        yes        │       yes       │ the change as it is
 *        no         │       yes       │ enter  (add the row)
 *        yes        │       no        │ leave  (remove the row)
 *        no         │       no        │ nothing
 *
 * An insert has no old row and a delete no new row, so the delete of a matching row always arrives.
 */
import { matchesFilter, type ChangeFrame, type ChangeOp, type RowFilter } from '@orders-live/protocol';
import type { TableChange } from './view.js';

export function opForSubscriber(change: TableChange, filter: RowFilter | undefined): ChangeOp | undefined {
  if (!filter) return change.op;
  const oldMatches = change.oldRow !== null && matchesFilter(filter, change.oldRow);
  const newMatches = change.row !== null && matchesFilter(filter, change.row);
  switch (change.op) {
    case 'insert':
      return newMatches ? 'insert' : undefined;
    case 'delete':
      return oldMatches ? 'delete' : undefined;
    case 'update':
      if (oldMatches && newMatches) return 'update';
      if (newMatches) return 'enter';
      if (oldMatches) return 'leave';
      return undefined;
  }
}

export function changeFrame(id: string, change: TableChange, op: ChangeOp): ChangeFrame {
  return {
    type: 'change',
    id,
    table: 'orders',
    op,
    key: change.key,
    row: change.row,
    oldRow: change.oldRow,
    changed: [...change.changed],
    commitTime: change.commitTime,
    cursor: change.cursor,
  };
}
