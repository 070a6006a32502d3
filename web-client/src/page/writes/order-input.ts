/**
 * The create form's input, checked before it is sent with the REST contract the orders API itself
 * validates with (@orders-live/protocol's rest.ts), so most mistakes are explained next to the field
 * without a round trip, in the page's own words for the common ones and in the contract's for the
 * rest. The API stays the judge: its E_VALIDATION field errors are mapped back to the form (fieldOfPath).
 */
import { AMOUNT_PATTERN, MAX_NAME_CHARS, MAX_QUANTITY, codePointLength, createOrderSchema } from '@orders-live/protocol';
import type { OrderDraft } from './api-client.js';

export const ORDER_FORM_FIELDS = ['customer_name', 'product_name', 'quantity', 'amount'] as const;
export type OrderFormField = (typeof ORDER_FORM_FIELDS)[number];

export type OrderFormValues = Readonly<Record<OrderFormField, string>>;
export type FieldMessages = Partial<Record<OrderFormField, string>>;

type OrderFormResult = { readonly ok: true; readonly draft: OrderDraft } | { readonly ok: false; readonly errors: FieldMessages };

export function validateOrderForm(values: OrderFormValues): OrderFormResult {
  const errors: FieldMessages = {};
  const customer = values.customer_name.trim();
  const product = values.product_name.trim();
  const quantityText = values.quantity.trim();
  const amount = values.amount.trim();

  // Characters as the API and Postgres count them: code points, not UTF-16 units (an emoji is one).
  // Said, not cut: the inputs have no maxlength, so a long paste is kept and the reader told by how much.
  const nameError = (name: string) => {
    if (name === '') return 'Required.';
    const length = codePointLength(name);
    return length > MAX_NAME_CHARS ? `At most ${MAX_NAME_CHARS} characters; this has ${length}.` : undefined;
  };
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
  const draft: OrderDraft = { customer_name: customer, product_name: product, quantity, amount };
  // What the friendly checks above do not cover (a NUL character, an unpaired surrogate) the contract does.
  const judged = createOrderSchema.safeParse(draft);
  if (judged.success) return { ok: true, draft: judged.data };
  for (const issue of judged.error.issues) {
    const field = fieldOfPath(issue.path.join('.'));
    if (field && errors[field] === undefined) errors[field] = `${issue.message.charAt(0).toUpperCase()}${issue.message.slice(1)}.`;
  }
  return { ok: false, errors };
}

/**
 * The form field an API field error is about: its path's last segment ("amount", "body.amount",
 * "/body/amount"), or undefined when the form has no such field.
 */
export function fieldOfPath(path: string): OrderFormField | undefined {
  const last = path
    .split(/[./]/)
    .filter((segment) => segment !== '')
    .at(-1);
  return ORDER_FORM_FIELDS.find((field) => field === last);
}
