import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { fieldsFromIssues } from './errors.js';
import {
  createOrderSchema,
  DEFAULT_PAGE_LIMIT,
  listQuerySchema,
  MAX_PAGE_LIMIT,
  orderParamsSchema,
  updateOrderSchema,
} from '@orders-live/protocol';

const valid = { customer_name: 'Ada', product_name: 'Keyboard', quantity: 1, amount: '129.99' };

/** The { path, message } list a 400 would carry, or [] when the input is accepted. */
function problems(schema: z.ZodType, input: unknown) {
  const result = schema.safeParse(input);
  return result.success ? [] : fieldsFromIssues(result.error.issues, 'body');
}

const paths = (list: { path: string }[]) => list.map((p) => p.path);

describe('amount', () => {
  it.each(['0', '0.5', '0.05', '12.50', '9999999999.99', '0000000001'])('accepts %j', (amount) => {
    expect(createOrderSchema.parse({ ...valid, amount }).amount).toBe(amount);
  });

  it.each(['', '-1', '1.', '.5', '1.234', '12345678901', '1e3', ' 1', '1 ', '1,5', '+1', 'NaN', '0x10', '１'])('refuses %j', (amount) => {
    expect(paths(problems(createOrderSchema, { ...valid, amount }))).toEqual(['amount']);
  });

  it('refuses a JSON number, saying why', () => {
    const [problem] = problems(createOrderSchema, { ...valid, amount: 12.5 });
    expect(problem).toEqual({ path: 'amount', message: expect.stringMatching(/decimal string.*JSON number is refused/) });
  });

  it('is required on create, optional on update', () => {
    expect(problems(createOrderSchema, { ...valid, amount: undefined })).toEqual([{ path: 'amount', message: 'required' }]);
    expect(updateOrderSchema.parse({ status: 'shipped' })).toEqual({ status: 'shipped' });
  });
});

describe('names', () => {
  it('counts characters as Postgres does (code points), 1 to 200', () => {
    expect(createOrderSchema.safeParse({ ...valid, customer_name: '😀'.repeat(200) }).success).toBe(true);
    expect(paths(problems(createOrderSchema, { ...valid, customer_name: '😀'.repeat(201) }))).toEqual(['customer_name']);
    expect(paths(problems(createOrderSchema, { ...valid, product_name: '' }))).toEqual(['product_name']);
  });

  it('keeps text literally, SQL metacharacters and whitespace included', () => {
    const name = `Robert'); DROP TABLE orders;-- \\ "x" `;
    expect(createOrderSchema.parse({ ...valid, customer_name: name }).customer_name).toBe(name);
  });

  it('refuses what Postgres text cannot store', () => {
    expect(paths(problems(createOrderSchema, { ...valid, customer_name: 'a\u0000b' }))).toEqual(['customer_name']);
    expect(paths(problems(createOrderSchema, { ...valid, customer_name: 'a\uD800b' }))).toEqual(['customer_name']);
  });
});

describe('strict objects', () => {
  it('refuse unknown fields, naming each', () => {
    expect(problems(createOrderSchema, { ...valid, id: 7, discount: '1' })).toEqual([
      { path: 'id', message: 'unknown field' },
      { path: 'discount', message: 'unknown field' },
    ]);
    expect(paths(problems(updateOrderSchema, { created_at: '2024-01-01T00:00:00Z' }))).toEqual(['created_at']);
  });

  it('name every failing field at once', () => {
    expect(paths(problems(createOrderSchema, { quantity: 0, status: 'lost' }))).toEqual([
      'customer_name',
      'product_name',
      'quantity',
      'amount',
      'status',
    ]);
  });

  it('refuse a body that is not an object', () => {
    for (const body of [null, [], 'text', 3]) {
      expect(problems(createOrderSchema, body)).toEqual([{ path: 'body', message: 'expected a JSON object' }]);
    }
  });

  it('take an integer quantity within Postgres integer', () => {
    expect(paths(problems(createOrderSchema, { ...valid, quantity: 1.5 }))).toEqual(['quantity']);
    expect(paths(problems(createOrderSchema, { ...valid, quantity: '3' }))).toEqual(['quantity']);
    expect(paths(problems(createOrderSchema, { ...valid, quantity: 2 ** 31 }))).toEqual(['quantity']);
    expect(createOrderSchema.parse({ ...valid, quantity: 2 ** 31 - 1 }).quantity).toBe(2 ** 31 - 1);
  });

  it('need at least one field to update', () => {
    expect(problems(updateOrderSchema, {})).toEqual([{ path: 'body', message: expect.stringContaining('at least one') }]);
    expect(paths(problems(updateOrderSchema, { status: null }))).toEqual(['status']);
  });
});

describe('path id', () => {
  it.each([
    ['1', 1],
    ['42', 42],
    [String(Number.MAX_SAFE_INTEGER), Number.MAX_SAFE_INTEGER],
  ])('accepts %j', (id, expected) => {
    expect(orderParamsSchema.parse({ id })).toEqual({ id: expected });
  });

  it.each(['0', '-1', '1.5', '01', 'abc', '1e3', '', ' 1', String(Number.MAX_SAFE_INTEGER + 1), '99999999999999999999'])(
    'refuses %j',
    (id) => {
      expect(orderParamsSchema.safeParse({ id }).success).toBe(false);
    },
  );
});

describe('pagination parameters', () => {
  it('default to the first page of DEFAULT_PAGE_LIMIT rows', () => {
    expect(listQuerySchema.parse({})).toEqual({ limit: DEFAULT_PAGE_LIMIT });
  });

  it('take status, limit and after', () => {
    expect(listQuerySchema.parse({ status: 'shipped', limit: '10', after: '42' })).toEqual({ status: 'shipped', limit: 10, after: 42 });
    expect(listQuerySchema.parse({ limit: String(MAX_PAGE_LIMIT) }).limit).toBe(MAX_PAGE_LIMIT);
  });

  it('refuse out-of-range, malformed, repeated and unknown parameters', () => {
    const query = (input: unknown) => paths(problems(listQuerySchema, input));
    expect(query({ limit: '0' })).toEqual(['limit']);
    expect(query({ limit: String(MAX_PAGE_LIMIT + 1) })).toEqual(['limit']);
    expect(query({ limit: '-5' })).toEqual(['limit']);
    expect(query({ limit: 'ten' })).toEqual(['limit']);
    expect(query({ limit: ['1', '2'] })).toEqual(['limit']);
    expect(query({ after: '0' })).toEqual(['after']);
    expect(query({ after: '' })).toEqual(['after']);
    expect(query({ status: 'lost' })).toEqual(['status']);
    expect(query({ stauts: 'shipped' })).toEqual(['stauts']);
  });

  it('accept the null-prototype object fastify parses a query string into', () => {
    const query = Object.assign(Object.create(null) as object, { limit: '2' });
    expect(listQuerySchema.parse(query)).toEqual({ limit: 2 });
  });
});
