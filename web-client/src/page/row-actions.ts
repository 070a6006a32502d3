/**
 * The buttons in each row (orders-table.ts draws them): advance the status one step (PATCH) or delete
 * the order (DELETE). One listener on the table body serves every row. A button is disabled while its
 * request runs; the table changes only when the change comes back on the stream. Failures (the order
 * is already gone, the API is down…) go to the API error message.
 */
import { orderStatusSchema } from '@orders-live/protocol';
import type { OrdersApi } from './api-client.js';
import type { ApiErrorMessage } from './api-error.js';
import { ACTION_ADVANCE, ACTION_DELETE, FADE_OUT } from './orders-table.js';

export interface RowActionsDeps {
  readonly api: Pick<OrdersApi, 'update' | 'remove'>;
  readonly errors: ApiErrorMessage;
}

export function bindRowActions(body: HTMLTableSectionElement, deps: RowActionsDeps): void {
  body.addEventListener('click', (event) => {
    const target = event.target;
    if (!(target instanceof Element)) return;
    const button = target.closest<HTMLButtonElement>('button[data-action]');
    const tr = button?.closest<HTMLTableRowElement>('tr[data-order-id]');
    if (!button || !tr || button.disabled) return;
    const id = Number(tr.dataset['orderId']);
    if (!Number.isSafeInteger(id)) return;
    void run(button, id, deps);
  });
}

async function run(button: HTMLButtonElement, id: number, { api, errors }: RowActionsDeps): Promise<void> {
  const action = button.dataset['action'];
  button.dataset['busy'] = 'true';
  button.disabled = true;
  try {
    if (action === ACTION_ADVANCE) {
      const next = orderStatusSchema.safeParse(button.dataset['nextStatus']);
      if (!next.success) return;
      const result = await api.update(id, { status: next.data });
      if (!result.ok) errors.show(`Could not mark order ${id} ${next.data}`, result.error);
    } else if (action === ACTION_DELETE) {
      const result = await api.remove(id);
      if (!result.ok) errors.show(`Could not delete order ${id}`, result.error);
    }
  } finally {
    delete button.dataset['busy'];
    // Hidden means there is nothing to do (a delivered order); a fading row is on its way out.
    button.disabled = button.hidden || button.closest(`.${FADE_OUT}`) !== null;
  }
}
