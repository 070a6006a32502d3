/**
 * The cells of one order's row, for the shown columns: each value as its kind reads (cell-text.ts),
 * the status as a pill, a changed cell as "before → now" (the old value struck through) with its
 * flash, and the row's action buttons. Text only (textContent, never innerHTML).
 */
import { ORDER_STATUSES, type LiveRow, type OrderStatus } from '@orders-live/protocol';
import { cellText, exactText } from './cell-text.js';
import { nextStatus } from '../writes/status-flow.js';
import type { DisplayColumn } from './table-columns.js';

/** The actions cell's buttons, found by these (row-actions.ts handles their clicks). */
export const ACTION_ADVANCE = 'advance';
export const ACTION_DELETE = 'delete';

/** A changed cell's flash (styles.css; none with prefers-reduced-motion, the "was" text and marker stay). */
export const FLASH_A = 'flash-update';
export const FLASH_B = 'flash-update-again';

function statusOf(value: unknown): OrderStatus | undefined {
  return ORDER_STATUSES.find((status) => status === value);
}

/** A td per column (data-column, numeric alignment), then the actions cell. */
export function createCells(document: Document, columns: readonly DisplayColumn[], withActions: boolean): HTMLTableCellElement[] {
  const cells = columns.map((column) => {
    const td = document.createElement('td');
    td.dataset['column'] = column.name;
    td.classList.toggle('numeric', column.numeric);
    td.classList.toggle('extra-column', !column.known);
    return td;
  });
  if (!withActions) return cells;
  const actions = document.createElement('td');
  actions.dataset['column'] = 'actions';
  const group = document.createElement('div');
  group.className = 'row-actions';
  const button = (action: string, className: string) => {
    const element = document.createElement('button');
    element.type = 'button';
    element.className = className;
    element.dataset['action'] = action;
    return element;
  };
  const remove = button(ACTION_DELETE, 'action-button action-delete');
  remove.textContent = 'Delete';
  group.append(button(ACTION_ADVANCE, 'action-button'), remove);
  actions.append(group);
  return [...cells, actions];
}

/**
 * Fills a cell. With `before` it reads "before → now", marked with a class for the static marker;
 * `fresh` (a new version of a row already drawn) restarts the flash.
 */
export function fillCell(td: HTMLTableCellElement, column: DisplayColumn, row: LiveRow, before: string | undefined, fresh: boolean): void {
  const value = row[column.name];
  const shown = cellText(column.info, value);
  // The exact value as the database holds it (the text may be formatted): for tools and tests.
  const exact = exactText(value);
  if (exact === undefined) delete td.dataset['value'];
  else td.dataset['value'] = exact;
  td.classList.toggle('null-value', shown.null);
  const document = td.ownerDocument;
  const parts: Node[] = [];
  if (before !== undefined) {
    const was = document.createElement('s');
    was.className = 'was';
    was.textContent = cellText(column.info, before).text;
    const arrow = document.createElement('span');
    arrow.className = 'was-arrow';
    arrow.textContent = ' → ';
    parts.push(was, arrow);
    td.dataset['was'] = before;
  } else delete td.dataset['was'];
  const status = column.known && column.name === 'status' ? statusOf(value) : undefined;
  if (status) {
    const pill = document.createElement('span');
    pill.className = 'status-pill';
    pill.dataset['status'] = status;
    pill.textContent = status;
    parts.push(pill);
  } else parts.push(document.createTextNode(shown.text));
  td.replaceChildren(...parts);
  if (shown.title === undefined) td.removeAttribute('title');
  else td.title = shown.title;
  td.classList.toggle('changed', before !== undefined);
  if (before !== undefined && fresh) {
    // Two classes with the same keyframes under two names: swapping restarts the animation without
    // forcing a layout (which a 10,000-row transaction would pay per cell).
    const again = td.classList.contains(FLASH_A);
    td.classList.toggle(FLASH_A, !again);
    td.classList.toggle(FLASH_B, again);
  } else if (before === undefined) td.classList.remove(FLASH_A, FLASH_B);
}

/** "→ shipped" for a pending order; hidden and disabled for a delivered one, or one without a known status. `id`: the order's id as text. */
export function fillActions(tr: HTMLTableRowElement, row: LiveRow, id: string): void {
  const advance = tr.querySelector<HTMLButtonElement>(`button[data-action="${ACTION_ADVANCE}"]`);
  if (advance) {
    const status = statusOf(row['status']);
    const next = status === undefined ? undefined : nextStatus(status);
    advance.hidden = next === undefined;
    advance.disabled = next === undefined;
    if (next === undefined) {
      delete advance.dataset['nextStatus'];
      advance.textContent = 'Advance';
      advance.setAttribute('aria-label', `Order ${id} is ${status ?? 'not advanceable'}`);
    } else {
      advance.dataset['nextStatus'] = next;
      advance.textContent = `→ ${next}`;
      advance.setAttribute('aria-label', `Mark order ${id} ${next}`);
    }
  }
  tr.querySelector<HTMLButtonElement>(`button[data-action="${ACTION_DELETE}"]`)?.setAttribute('aria-label', `Delete order ${id}`);
}
