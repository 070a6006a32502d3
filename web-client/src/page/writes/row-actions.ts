/**
 * The buttons in each row (virtual-table.ts draws them): advance the status one step (PATCH) or delete
 * the order (DELETE). One listener on the table body serves every row. A button is disabled while its
 * request runs; the table changes only when the change comes back on the stream.
 *
 * Delete asks first: the first press turns the button into "Confirm delete" for CONFIRM_DELETE_MS,
 * a second press deletes. Deleting an order someone else already deleted is the outcome the reader
 * wanted: said as a note, not as an error. Other failures go to the API error message.
 */
import { ERROR_CODES, orderStatusSchema } from '@orders-live/protocol';
import type { OrdersApi } from './api-client.js';
import type { ApiErrorMessage } from './api-error.js';
import { ACTION_ADVANCE, ACTION_DELETE } from '../table/table-cells.js';

/** Long enough to find the button again, short enough that a later stray press does not delete. */
const CONFIRM_DELETE_MS = 5_000;

interface RowActionsDeps {
  readonly api: Pick<OrdersApi, 'update' | 'remove'>;
  readonly errors: ApiErrorMessage;
  /** A short note for the reader (role=status). */
  readonly notice: (text: string) => void;
  readonly setTimeout: (run: () => void, delayMs: number) => unknown;
}

export function bindRowActions(body: HTMLTableSectionElement, deps: RowActionsDeps): void {
  body.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button[data-action]');
    const tr = button?.closest<HTMLTableRowElement>('tr[data-order-id]');
    if (!button || !tr || button.disabled || button.getAttribute('aria-disabled') === 'true') return;
    const id = Number(tr.dataset['orderId']);
    if (!Number.isSafeInteger(id)) return;
    if (button.dataset['action'] === ACTION_DELETE && button.dataset['confirm'] !== 'true') {
      armDelete(button, id, deps);
      return;
    }
    void run(button, id, deps);
  });
}

function armDelete(button: HTMLButtonElement, id: number, deps: RowActionsDeps): void {
  button.dataset['confirm'] = 'true';
  button.textContent = 'Confirm delete';
  button.setAttribute('aria-label', `Confirm: delete order ${id}`);
  deps.notice(`Press "Confirm delete" again to delete order ${id}.`);
  deps.setTimeout(() => disarm(button, id), CONFIRM_DELETE_MS);
}

function disarm(button: HTMLButtonElement, id: number): void {
  delete button.dataset['confirm'];
  button.textContent = 'Delete';
  button.setAttribute('aria-label', `Delete order ${id}`);
}

async function run(button: HTMLButtonElement, id: number, { api, errors, notice }: RowActionsDeps): Promise<void> {
  const action = button.dataset['action'];
  // aria-disabled, not disabled, while the request runs: a disabled button loses keyboard focus.
  button.dataset['busy'] = 'true';
  button.setAttribute('aria-disabled', 'true');
  try {
    if (action === ACTION_ADVANCE) {
      const next = orderStatusSchema.safeParse(button.dataset['nextStatus']);
      if (!next.success) return;
      const result = await api.update(id, { status: next.data });
      if (!result.ok) errors.show(`Could not mark order ${id} ${next.data}`, result.error);
    } else if (action === ACTION_DELETE) {
      disarm(button, id);
      const result = await api.remove(id);
      if (result.ok) notice(`Order ${id} deleted.`);
      else if (result.error.code === ERROR_CODES.NOT_FOUND) notice(`Order ${id} was already deleted.`);
      else errors.show(`Could not delete order ${id}`, result.error);
    }
  } finally {
    delete button.dataset['busy'];
    button.removeAttribute('aria-disabled');
  }
}
