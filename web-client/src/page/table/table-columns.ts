/**
 * The columns the table shows: the table's own, in table order, as the last `columns` frame gives
 * them (the table as created until one came). The original columns keep their labels and their
 * look (numbers right-aligned, the status pill, timestamps read in the reader's zone); a column a
 * DDL added shows under its own name, its values formatted by its kind (cell-text.ts); a dropped one
 * is gone, a renamed one shows where it was under its new name. Pure.
 */
import { ORDERS_COLUMNS, sortable, TEXT_KINDS, type ColumnInfo } from '@orders-live/protocol';

export const COLUMN_LABELS: Readonly<Record<string, string>> = {
  id: 'ID',
  customer_name: 'Customer',
  product_name: 'Product',
  status: 'Status',
  quantity: 'Qty',
  amount: 'Amount',
  created_at: 'Created',
  updated_at: 'Updated',
};

/** Kinds whose values read right-aligned, as numbers do. */
const NUMERIC_KINDS: ReadonlySet<string> = new Set(['int', 'bigint', 'float', 'decimal']);

export interface DisplayColumn {
  readonly name: string;
  readonly info: ColumnInfo;
  readonly label: string;
  /** One of the table's original columns (its label and look are fixed). */
  readonly known: boolean;
  readonly numeric: boolean;
  /** Windows may sort by it (not an array). */
  readonly sortable: boolean;
}

export function displayColumns(columns: readonly ColumnInfo[] = ORDERS_COLUMNS): DisplayColumn[] {
  return columns.map((info) => {
    const known = Object.hasOwn(COLUMN_LABELS, info.name);
    return {
      name: info.name,
      info,
      label: known ? COLUMN_LABELS[info.name]! : info.name,
      known,
      numeric: NUMERIC_KINDS.has(info.kind),
      sortable: sortable(info),
    };
  });
}

/** The columns a search may look in (text kinds), with the label the search box shows. */
export function searchableColumns(columns: readonly ColumnInfo[]): { readonly name: string; readonly label: string }[] {
  return columns
    .filter((column) => TEXT_KINDS.includes(column.kind) && column.name !== 'status')
    .map((column) => ({ name: column.name, label: SEARCH_LABELS[column.name] ?? column.name }));
}

const SEARCH_LABELS: Readonly<Record<string, string>> = { customer_name: 'customer', product_name: 'product' };
