/**
 * The orders <table>: one <tr data-order-id> per order, in id order, one <td data-column> per
 * column. Replaced whole on a snapshot; changes are applied in place and flash what changed.
 * Text only (textContent, never innerHTML): row values come from the database and are not trusted as markup.
 */
import type { AppliedChange } from '@orders-live/client';
import { ORDER_COLUMNS, type OrderRow } from '@orders-live/protocol';
import { formatInstant } from './format.js';

type OrderColumn = keyof OrderRow;

/** Row classes/cell classes whose CSS animation marks a change; removed when the animation ends. */
export const FLASH_INSERT = 'flash-insert';
export const FLASH_UPDATE = 'flash-update';

const COLUMN_LABELS: Record<OrderColumn, string> = {
  id: 'ID',
  customer_name: 'Customer',
  product_name: 'Product',
  status: 'Status',
  quantity: 'Qty',
  amount: 'Amount',
  created_at: 'Created',
  updated_at: 'Updated',
};

const NUMERIC_COLUMNS: ReadonlySet<OrderColumn> = new Set(['id', 'quantity', 'amount']);

export class OrdersTable {
  readonly #body: HTMLTableSectionElement;
  readonly #rows = new Map<number, HTMLTableRowElement>();

  constructor(table: HTMLTableElement) {
    const head = table.tHead ?? table.createTHead();
    const header = document.createElement('tr');
    for (const column of ORDER_COLUMNS) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = COLUMN_LABELS[column];
      if (NUMERIC_COLUMNS.has(column)) th.className = 'numeric';
      header.append(th);
    }
    head.replaceChildren(header);

    this.#body = table.tBodies[0] ?? table.createTBody();
    this.#body.addEventListener('animationend', (event) => {
      if (event.target instanceof Element) event.target.classList.remove(FLASH_INSERT, FLASH_UPDATE);
    });
  }

  /** The whole view, in id order (a snapshot): no flashing, it is not news. */
  replaceRows(rows: readonly OrderRow[]): void {
    this.#rows.clear();
    const fragment = document.createDocumentFragment();
    for (const row of rows) fragment.append(this.#createRow(row));
    this.#body.replaceChildren(fragment);
  }

  /**
   * One change as the client applied it: by what the view held and holds now, not by op, so an
   * enter shows as an insert and a leave as a delete.
   */
  applyChange({ id, row, previous }: AppliedChange): void {
    const tr = this.#rows.get(id);
    if (!row) {
      tr?.remove();
      this.#rows.delete(id);
      return;
    }
    if (!tr) {
      const created = this.#createRow(row);
      this.#body.insertBefore(created, this.#rowAfter(id));
      flash(created, FLASH_INSERT);
      return;
    }
    for (const column of ORDER_COLUMNS) {
      if (previous && previous[column] === row[column]) continue;
      const td = cellOf(tr, column);
      if (!td) continue;
      fillCell(td, column, row);
      flash(td, FLASH_UPDATE);
    }
  }

  #createRow(row: OrderRow): HTMLTableRowElement {
    const tr = document.createElement('tr');
    tr.dataset['orderId'] = String(row.id);
    for (const column of ORDER_COLUMNS) {
      const td = document.createElement('td');
      td.dataset['column'] = column;
      fillCell(td, column, row);
      tr.append(td);
    }
    this.#rows.set(row.id, tr);
    return tr;
  }

  /** The first row whose id is greater than `id` (binary search; rows are kept in id order), or null. */
  #rowAfter(id: number): HTMLTableRowElement | null {
    const rows = this.#body.rows;
    let low = 0;
    let high = rows.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (Number(rows[middle]?.dataset['orderId']) < id) low = middle + 1;
      else high = middle;
    }
    return rows[low] ?? null;
  }
}

function cellOf(tr: HTMLTableRowElement, column: OrderColumn): HTMLTableCellElement | undefined {
  return tr.cells[ORDER_COLUMNS.indexOf(column)];
}

function fillCell(td: HTMLTableCellElement, column: OrderColumn, row: OrderRow): void {
  switch (column) {
    case 'status': {
      const pill = document.createElement('span');
      pill.className = 'status-pill';
      pill.dataset['status'] = row.status;
      pill.textContent = row.status;
      td.replaceChildren(pill);
      return;
    }
    case 'created_at':
    case 'updated_at':
      td.textContent = formatInstant(row[column]);
      td.title = row[column];
      return;
    default:
      // amount stays the exact decimal string from the database.
      td.textContent = String(row[column]);
  }
}

/** Adds an animation class, restarting the animation if it is still running. */
function flash(element: HTMLElement, className: string): void {
  if (element.classList.contains(className)) {
    element.classList.remove(className);
    void element.offsetWidth; // forces a style flush so re-adding the class starts the animation again
  }
  element.classList.add(className);
}
