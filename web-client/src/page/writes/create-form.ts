/**
 * The "new order" form. Checks the input first (order-input.ts) and explains mistakes next to each
 * field; then POSTs it. The API's own field errors (E_VALIDATION) go next to the fields too, any other
 * failure to the API error message. On success the form is cleared and says the order was written:
 * the row itself appears in the table when its change arrives on the stream, not from this response
 * (the page then scrolls to it and highlights it: onCreated).
 */
import type { ApiError, OrderDraft, OrdersApi } from './api-client.js';
import type { ApiErrorMessage } from './api-error.js';
import {
  fieldOfPath,
  ORDER_FORM_FIELDS,
  validateOrderForm,
  type FieldMessages,
  type OrderFormField,
  type OrderFormValues,
} from './order-input.js';
import { orderStatusSchema } from '@orders-live/protocol';

interface CreateFormDeps {
  readonly api: Pick<OrdersApi, 'create'>;
  readonly errors: ApiErrorMessage;
  /** The order was written: the page scrolls to it when it arrives; returns what to tell the reader. */
  readonly onCreated: (id: number, draft: OrderDraft) => string;
}

export class CreateForm {
  readonly #form: HTMLFormElement;
  readonly #status: HTMLElement;
  readonly #submit: HTMLButtonElement;
  readonly #deps: CreateFormDeps;
  #busy = false;

  /** `status` is the line under the form that says what happened. */
  constructor(form: HTMLFormElement, status: HTMLElement, deps: CreateFormDeps) {
    this.#form = form;
    this.#status = status;
    this.#deps = deps;
    const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
    if (!submit) throw new Error('the create form lacks a submit button');
    this.#submit = submit;
    // The browser's own bubbles would say less, and differently from the API's messages.
    form.noValidate = true;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.#send();
    });
    for (const field of ORDER_FORM_FIELDS) {
      this.#input(field).addEventListener('input', () => this.#showFieldError(field, undefined));
    }
  }

  async #send(): Promise<void> {
    if (this.#busy) return;
    this.#showStatus('', undefined);
    const checked = validateOrderForm(this.#values());
    this.#showFieldErrors(checked.ok ? {} : checked.errors);
    if (!checked.ok) {
      this.#focusFirstError(checked.errors);
      this.#showStatus('Check the highlighted fields.', 'invalid');
      return;
    }
    const statusSelect = this.#form.elements.namedItem('status');
    const status = orderStatusSchema.safeParse(statusSelect instanceof HTMLSelectElement ? statusSelect.value : undefined);
    const draft = status.success ? { ...checked.draft, status: status.data } : checked.draft;

    this.#setBusy(true);
    this.#showStatus('Creating…', 'busy');
    const result = await this.#deps.api.create(draft);
    this.#setBusy(false);
    if (result.ok) {
      this.#form.reset();
      this.#showStatus(this.#deps.onCreated(Number(result.value.id), draft), 'created');
      this.#input('customer_name').focus();
      return;
    }
    this.#failed(result.error);
  }

  #failed(error: ApiError): void {
    const messages: FieldMessages = {};
    const elsewhere: string[] = [];
    for (const { path, message } of error.fields) {
      const field = fieldOfPath(path);
      if (field && messages[field] === undefined) messages[field] = message;
      else if (!field) elsewhere.push(`${path || 'body'}: ${message}`);
    }
    this.#showFieldErrors(messages);
    this.#focusFirstError(messages);
    const detail = elsewhere.length > 0 ? { ...error, message: `${error.message} (${elsewhere.join('; ')})` } : error;
    this.#deps.errors.show('Could not create the order', detail);
    this.#showStatus(`Not created: ${error.code}.`, 'failed');
  }

  #values(): OrderFormValues {
    const value = (field: OrderFormField) => this.#input(field).value;
    return {
      customer_name: value('customer_name'),
      product_name: value('product_name'),
      quantity: value('quantity'),
      amount: value('amount'),
    };
  }

  #input(field: OrderFormField): HTMLInputElement {
    const input = this.#form.elements.namedItem(field);
    if (!(input instanceof HTMLInputElement)) throw new Error(`the create form lacks <input name=${field}>`);
    return input;
  }

  #showFieldErrors(messages: FieldMessages): void {
    for (const field of ORDER_FORM_FIELDS) this.#showFieldError(field, messages[field]);
  }

  /** The message goes in the field's [data-field-error] element, which the input names in aria-describedby. */
  #showFieldError(field: OrderFormField, message: string | undefined): void {
    const input = this.#input(field);
    const slot = this.#form.querySelector<HTMLElement>(`[data-field-error="${field}"]`);
    if (message === undefined) input.removeAttribute('aria-invalid');
    else input.setAttribute('aria-invalid', 'true');
    if (slot) {
      slot.textContent = message ?? '';
      slot.hidden = message === undefined;
    }
  }

  #focusFirstError(messages: FieldMessages): void {
    const first = ORDER_FORM_FIELDS.find((field) => messages[field] !== undefined);
    if (first) this.#input(first).focus();
  }

  #setBusy(busy: boolean): void {
    this.#busy = busy;
    this.#submit.disabled = busy;
    this.#form.setAttribute('aria-busy', String(busy));
  }

  #showStatus(text: string, kind: 'invalid' | 'busy' | 'created' | 'failed' | undefined): void {
    this.#status.textContent = text;
    if (kind === undefined) delete this.#status.dataset['result'];
    else this.#status.dataset['result'] = kind;
  }
}
