/**
 * The create form's input, checked before it is sent: the same rules the orders API and the table's
 * CHECK constraints apply, so most mistakes are explained next to the field without a round trip.
 * The API stays the judge: its E_VALIDATION field errors are mapped back to the form (fieldOfPath).
 */
import type { OrderDraft } from './api-client.js';

export const ORDER_FORM_FIELDS = ['customer_name', 'product_name', 'quantity', 'amount'] as const;
export type OrderFormField = (typeof ORDER_FORM_FIELDS)[number];

export type OrderFormValues = Readonly<Record<OrderFormField, string>>;
export type FieldMessages = Partial<Record<OrderFormField, string>>;

/** customer_name and product_name: length BETWEEN 1 AND 200 in the table. */
export const MAX_NAME_LENGTH = 200;
/** quantity is a Postgres integer (int4). */
export const MAX_QUANTITY = 2_147_483_647;
/** numeric(12,2): up to 10 digits before the point, 2 after; the API takes it as a string of this form. */
export const AMOUNT_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;

export type OrderFormResult = { readonly ok: true; readonly draft: OrderDraft } | { readonly ok: false; readonly errors: FieldMessages };

export function validateOrderForm(values: OrderFormValues): OrderFormResult {
  const errors: FieldMessages = {};
  const customer = values.customer_name.trim();
  const product = values.product_name.trim();
  const quantityText = values.quantity.trim();
  const amount = values.amount.trim();

  // Said, not cut: the inputs have no maxlength, so a long paste is kept and the reader told by how much.
  const nameError = (name: string) =>
    name === '' ? 'Required.' : name.length > MAX_NAME_LENGTH ? `At most ${MAX_NAME_LENGTH} characters; this has ${name.length}.` : undefined;
  const customerError = nameError(customer);
  if (customerError) errors.customer_name = customerError;
  const productError = nameError(product);
  if (productError) errors.product_name = productError;

  const quantity = Number(quantityText);
  if (quantityText === '') errors.quantity = 'Required.';
  else if (!/^\d+$/.test(quantityText) || quantity < 1) errors.quantity = 'A whole number, 1 or more.';
  else if (quantity > MAX_QUANTITY) errors.quantity = `At most ${MAX_QUANTITY}.`;

  if (amount === '') errors.amount = 'Required.';
  else if (!AMOUNT_PATTERN.test(amount)) errors.amount = 'An amount such as 19.90 (at most 2 decimals).';

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, draft: { customer_name: customer, product_name: product, quantity, amount } };
}

/**
 * The form field an API field error is about: its path's last segment ("amount", "body.amount",
 * "/body/amount"), or undefined when the form has no such field.
 */
export function fieldOfPath(path: string): OrderFormField | undefined {
  const last = path.split(/[./]/).filter((segment) => segment !== '').at(-1);
  return ORDER_FORM_FIELDS.find((field) => field === last);
}
