/** Hand-written protocol frames for the client's tests (not exported by the package). */
import {
  ORDERS_COLUMNS,
  type ChangeOp,
  type OrderRow,
  type ResetFrame,
  type ResumedFrame,
  type RowChange,
  type SnapshotFrame,
  type TableInfo,
  type TransactionFrame,
} from '@orders-live/protocol';

export function order(id: number, overrides: Partial<OrderRow> = {}): OrderRow {
  return {
    id,
    customer_name: `Customer ${id}`,
    product_name: 'Widget',
    status: 'pending',
    quantity: 1,
    amount: '19.90',
    created_at: '2025-01-02T03:04:05.123456Z',
    updated_at: '2025-01-02T03:04:05.123456Z',
    ...overrides,
  };
}

export function snapshot(rows: OrderRow[], cursor: string, done = true, id = 'orders'): SnapshotFrame {
  return { type: 'snapshot', id, table: 'orders', rows, cursor, done };
}

export function rowChange(op: ChangeOp, row: OrderRow | null, oldRow: OrderRow | null, cursor: string): RowChange {
  const id = (row ?? oldRow)?.id ?? 0;
  const changed =
    row && oldRow
      ? Object.keys(row).filter((column) => row[column as keyof OrderRow] !== oldRow[column as keyof OrderRow])
      : Object.keys(row ?? oldRow ?? {});
  return { op, key: { id }, row, oldRow, changed, cursor };
}

/** A transaction frame of several changes (the frame's cursor is its last change's). */
export function transaction(changes: RowChange[], txId = 1, commitTime = 0, id = 'orders'): TransactionFrame {
  return {
    type: 'transaction',
    id,
    table: 'orders',
    txId,
    commitTime,
    kafkaTime: commitTime,
    sentAt: commitTime,
    changes,
    cursor: changes[changes.length - 1]!.cursor,
  };
}

/** A one-change transaction frame. */
function change(op: ChangeOp, row: OrderRow | null, oldRow: OrderRow | null, cursor: string, commitTime: number): TransactionFrame {
  return transaction([rowChange(op, row, oldRow, cursor)], Number(cursor.split(':')[1]), commitTime);
}

export const insert = (row: OrderRow, cursor: string, commitTime = 0) => change('insert', row, null, cursor, commitTime);
export const update = (oldRow: OrderRow, row: OrderRow, cursor: string, commitTime = 0) =>
  change('update', row, oldRow, cursor, commitTime);
export const remove = (oldRow: OrderRow, cursor: string, commitTime = 0) => change('delete', null, oldRow, cursor, commitTime);
/** An update made the row match the subscription's filter. */
export const enter = (oldRow: OrderRow, row: OrderRow, cursor: string, commitTime = 0) => change('enter', row, oldRow, cursor, commitTime);
/** An update made the row stop matching: the frame carries the row that no longer matches. */
export const leave = (oldRow: OrderRow, row: OrderRow, cursor: string, commitTime = 0) => change('leave', row, oldRow, cursor, commitTime);

export function resumed(from: string, replayed: number, id = 'orders'): ResumedFrame {
  return { type: 'resumed', id, from, replayed };
}

export function reset(cursor: string, reason: ResetFrame['reason'] = 'cursor-too-old', id = 'orders'): ResetFrame {
  return { type: 'reset', id, cursor, reason };
}

/** Welcome's entry for orders as created, as of `cursor`. */
export function ordersInfo(cursor: string): TableInfo {
  return { name: 'orders', key: ['id'], columns: [...ORDERS_COLUMNS], countBy: 'status', cursor };
}
