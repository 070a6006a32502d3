/**
 * The orders API's REST contract, shared by the API (which validates every request with it) and the
 * page (which checks its form with the same rules before sending): what the API accepts, as zod
 * schemas — bodies, query strings and path parameters — and the error body it answers with. Pure.
 * The rules mirror the orders table's CHECKs (database/sql/01-schema.sql) so a bad value is refused
 * here with a field-level message, before Postgres sees it. Objects are strict: an unknown field is
 * an error, not silently dropped.
 */
import * as z from 'zod';
import { ERROR_CODES } from './error-codes.js';
import { ORDER_STATUSES } from './orders.js';

/** GET /api/orders page size when the client names none. */
export const DEFAULT_PAGE_LIMIT = 50;
/** Largest page: about 150 KB of JSON, one indexed range scan. */
export const MAX_PAGE_LIMIT = 500;
/** customer_name and product_name: CHECK (length(...) BETWEEN 1 AND 200), in characters. */
export const MAX_NAME_CHARS = 200;
/** quantity is a Postgres integer. */
export const MAX_QUANTITY = 2_147_483_647;

/**
 * numeric(12,2) >= 0: up to 10 digits before the point and 2 after, as a JSON string. A JSON number
 * is refused: JSON parsers turn 0.1 or 12345678.99 into binary floats, and an amount must be exact.
 */
export const AMOUNT_PATTERN = /^\d{1,10}(\.\d{1,2})?$/;

const required = (expected: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : expected);

/** Unpaired UTF-16 surrogates (a well-formed pair is one code point under the u flag, so it does not match). */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/** Characters as Postgres' length() counts them (code points), not UTF-16 units. */
export function codePointLength(text: string): number {
  let count = 0;
  for (const _ of text) count += 1;
  return count;
}

const name = z
  .string({ error: required('expected a string') })
  .refine((text) => codePointLength(text) >= 1, { error: 'must not be empty' })
  .refine((text) => codePointLength(text) <= MAX_NAME_CHARS, { error: `must be at most ${MAX_NAME_CHARS} characters` })
  .refine((text) => !text.includes('\u0000'), { error: 'must not contain the NUL character (Postgres text cannot hold it)' })
  .refine((text) => !LONE_SURROGATE.test(text), { error: 'must be valid Unicode (an unpaired surrogate)' });

const status = z.enum(ORDER_STATUSES, { error: required(`expected one of ${ORDER_STATUSES.join(', ')}`) });

const quantity = z
  .number({ error: required('expected an integer') })
  .int({ error: 'expected an integer' })
  .min(1, { error: 'must be at least 1' })
  .max(MAX_QUANTITY, { error: `must be at most ${MAX_QUANTITY}` });

const amount = z
  .string({ error: required('expected a decimal string such as "12.50" (a JSON number is refused: it may not be exact)') })
  .regex(AMOUNT_PATTERN, { error: 'expected a decimal string such as "12.50": up to 10 digits, optionally 1 or 2 decimals, not negative' });

const object = {
  error: (issue: { code?: string; input?: unknown }) => (issue.code === 'invalid_type' ? 'expected a JSON object' : undefined),
};

/** POST /api/orders. status defaults to the table's default, pending. */
export const createOrderSchema = z.strictObject(
  { customer_name: name, product_name: name, quantity, amount, status: status.optional() },
  object,
);
export type CreateOrder = z.infer<typeof createOrderSchema>;

/** PATCH /api/orders/:id: any non-empty subset of the writable fields. */
export const updateOrderSchema = z
  .strictObject(
    {
      customer_name: name.optional(),
      product_name: name.optional(),
      status: status.optional(),
      quantity: quantity.optional(),
      amount: amount.optional(),
    },
    object,
  )
  .refine((patch) => Object.keys(patch).length > 0, {
    error: 'expected at least one of customer_name, product_name, status, quantity, amount',
    // Only for an otherwise valid object: `{ "colour": 1 }` is an unknown field, not an empty update.
    when: (payload) => payload.issues.length === 0,
  });
export type UpdateOrder = z.infer<typeof updateOrderSchema>;

/** An id in a path or query: decimal digits of a positive integer that a JS number holds exactly. */
const idText = z
  .string({ error: required('expected a positive integer') })
  .regex(/^[1-9][0-9]*$/, { error: 'expected a positive integer' })
  .transform(Number)
  .refine((id) => Number.isSafeInteger(id), { error: `must be at most ${Number.MAX_SAFE_INTEGER}` });

export const orderParamsSchema = z.strictObject({ id: idText });
export type OrderParams = z.infer<typeof orderParamsSchema>;

const limitText = z
  .string({ error: 'expected an integer' })
  .regex(/^[0-9]+$/, { error: 'expected an integer' })
  .transform(Number)
  .pipe(
    z
      .number()
      .min(1, { error: 'must be at least 1' })
      .max(MAX_PAGE_LIMIT, { error: `must be at most ${MAX_PAGE_LIMIT}` }),
  );

/** GET /api/orders?status=&limit=&after=. `after` is the last id of the previous page (its `next`). */
export const listQuerySchema = z.strictObject(
  {
    status: z.enum(ORDER_STATUSES, { error: `expected one of ${ORDER_STATUSES.join(', ')}` }).optional(),
    limit: limitText.default(DEFAULT_PAGE_LIMIT),
    after: idText.optional(),
  },
  object,
);
export type ListQuery = z.infer<typeof listQuerySchema>;

/** The error body of every non-2xx answer. */
export const fieldErrorSchema = z.strictObject({ path: z.string(), message: z.string() });
export type FieldError = z.infer<typeof fieldErrorSchema>;

export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    fields: z.array(fieldErrorSchema).min(1).optional(),
  }),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
