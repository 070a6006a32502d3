// Over 300 lines: every route and every error code of the API, on one running API and one table.
/**
 * The orders API over real HTTP against the real Postgres of the stack, connected as the
 * least-privileged orders_api role. Every route and every error code; after each refused request the
 * table is exactly as before. Rows this file creates are deleted at the end.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ERROR_CODES, orderRowSchema, type OrderRow, errorBodySchema, type ErrorBody } from '@orders-live/protocol';
import { comparable, freePort, isoToMicros, rowDifferences, selectOrders, stackEndpoints, superuserPool } from '@orders-live/testkit';
import { describeError } from './errors.js';
import { startApi, type RunningApi } from './test-support.js';

const stack = stackEndpoints();
let api: RunningApi;
let db: pg.Pool;
const created = new Set<number>();

beforeAll(async () => {
  api = await startApi(stack);
  db = superuserPool(stack);
});

afterAll(async () => {
  if (db && created.size > 0) await db.query('DELETE FROM public.orders WHERE id = ANY($1::bigint[])', [[...created]]);
  await api?.close();
  await db?.end();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

interface Send {
  /** Sent as JSON with content-type application/json. */
  readonly json?: unknown;
  /** Sent as is (with `headers` deciding the content-type). */
  readonly raw?: string;
  readonly headers?: Record<string, string>;
}

async function call(method: string, path: string, send: Send = {}, base = api.url): Promise<Answer> {
  const headers: Record<string, string> = { ...(send.json !== undefined ? { 'content-type': 'application/json' } : {}), ...send.headers };
  const body = send.json !== undefined ? JSON.stringify(send.json) : send.raw;
  const response = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

function expectError(answer: Answer, status: number, code: string): ErrorBody['error'] {
  expect({ status: answer.status, code: (answer.body as ErrorBody | undefined)?.error?.code }).toEqual({ status, code });
  return errorBodySchema.parse(answer.body).error;
}

/** Runs a request the API must refuse, and checks the table is exactly as it was. */
async function refused(method: string, path: string, send: Send, status: number, code: string, base?: string): Promise<ErrorBody['error']> {
  const before = await selectOrders(db);
  const error = expectError(await call(method, path, send, base), status, code);
  expect(rowDifferences(await selectOrders(db), before)).toEqual([]);
  return error;
}

const newOrder = (overrides: Record<string, unknown> = {}) => ({
  customer_name: 'Integration Test',
  product_name: `orders-api test ${Date.now()}`,
  quantity: 2,
  amount: '19.90',
  ...overrides,
});

async function create(overrides: Record<string, unknown> = {}): Promise<OrderRow> {
  const answer = await call('POST', '/api/orders', { json: newOrder(overrides) });
  expect(answer.status).toBe(201);
  const row = orderRowSchema.parse(answer.body);
  created.add(row.id);
  return row;
}

async function dbRow(id: number): Promise<OrderRow | undefined> {
  return (await selectOrders(db, 'id = $1', [id]))[0];
}

/** An id no row has: far beyond the identity sequence, still a safe integer. */
const MISSING_ID = Number.MAX_SAFE_INTEGER;

describe('probes', () => {
  it('healthz and readyz answer 200', async () => {
    expect(await call('GET', '/healthz')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect(await call('GET', '/readyz')).toMatchObject({ status: 200, body: { status: 'ok' } });
  });
});

describe('POST /api/orders', () => {
  it('creates the row, answers 201 with it and its Location, exactly as the database holds it', async () => {
    const answer = await call('POST', '/api/orders', {
      json: { customer_name: 'Zoë "quoted" Ünïcode 😀', product_name: 'Widget', quantity: 3, amount: '9999999999.99' },
    });
    expect(answer.status).toBe(201);
    const row = orderRowSchema.parse(answer.body);
    created.add(row.id);
    expect(answer.headers.get('location')).toBe(`/api/orders/${row.id}`);
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(row).toMatchObject({ customer_name: 'Zoë "quoted" Ünïcode 😀', status: 'pending', quantity: 3, amount: '9999999999.99' });
    expect(comparable(row)).toEqual(comparable((await dbRow(row.id))!));
  });

  it('takes a status and answers the amount in numeric(12,2) form', async () => {
    const row = await create({ status: 'shipped', amount: '0' });
    expect(row).toMatchObject({ status: 'shipped', amount: '0.00' });
    expect(row.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
  });

  it("stores SQL metacharacters literally: Robert'); DROP TABLE orders;--", async () => {
    const name = "Robert'); DROP TABLE orders;--";
    const row = await create({ customer_name: name, product_name: `'; DELETE FROM orders WHERE ''='` });
    expect(row.customer_name).toBe(name);
    expect(orderRowSchema.parse((await call('GET', `/api/orders/${row.id}`)).body).customer_name).toBe(name);
    expect((await dbRow(row.id))?.customer_name).toBe(name);
    // The table is still there, with more than this row in it.
    expect((await selectOrders(db)).length).toBeGreaterThan(1);
  });
});

describe('GET /api/orders/:id', () => {
  it('answers the row', async () => {
    const row = await create();
    const answer = await call('GET', `/api/orders/${row.id}`);
    expect(answer.status).toBe(200);
    expect(comparable(orderRowSchema.parse(answer.body))).toEqual(comparable((await dbRow(row.id))!));
  });
});

describe('PATCH /api/orders/:id', () => {
  it('changes only the given fields, and the database moves updated_at', async () => {
    const before = await create();
    const answer = await call('PATCH', `/api/orders/${before.id}`, { json: { status: 'delivered', amount: '1.5' } });
    expect(answer.status).toBe(200);
    const after = orderRowSchema.parse(answer.body);
    expect(after).toMatchObject({ ...before, status: 'delivered', amount: '1.50', updated_at: expect.any(String) });
    expect(isoToMicros(after.updated_at)).toBeGreaterThan(isoToMicros(before.updated_at));
    expect(isoToMicros(after.created_at)).toBe(isoToMicros(before.created_at));
    expect(comparable(after)).toEqual(comparable((await dbRow(before.id))!));
  });
});

describe('DELETE /api/orders/:id', () => {
  it('answers 204, after which the order is 404 everywhere', async () => {
    const row = await create();
    const answer = await call('DELETE', `/api/orders/${row.id}`);
    expect(answer).toMatchObject({ status: 204, body: undefined });
    expect(await dbRow(row.id)).toBeUndefined();
    await refused('GET', `/api/orders/${row.id}`, {}, 404, ERROR_CODES.NOT_FOUND);
    await refused('DELETE', `/api/orders/${row.id}`, {}, 404, ERROR_CODES.NOT_FOUND);
    await refused('PATCH', `/api/orders/${row.id}`, { json: { status: 'shipped' } }, 404, ERROR_CODES.NOT_FOUND);
  });
});

describe('GET /api/orders', () => {
  /** Follows `next` from the first page to the last. */
  async function walk(query: string): Promise<OrderRow[][]> {
    const pages: OrderRow[][] = [];
    let after: number | null = null;
    for (;;) {
      const answer = await call('GET', `/api/orders?${query}${after === null ? '' : `&after=${after}`}`);
      expect(answer.status).toBe(200);
      const body = answer.body as { orders: unknown[]; next: number | null };
      expect(Object.keys(body).sort()).toEqual(['next', 'orders']);
      const page = body.orders.map((row) => orderRowSchema.parse(row));
      pages.push(page);
      if (body.next === null) return pages;
      expect(body.next).toBe(page[page.length - 1]!.id);
      after = body.next;
      expect(pages.length).toBeLessThan(10_000);
    }
  }

  it('walks every row, page by page, with no duplicate and no gap', async () => {
    for (let i = 0; i < 5; i += 1) await create({ status: i % 2 === 0 ? 'shipped' : 'pending' });
    const pages = await walk('limit=2');
    const rows = pages.flat();
    expect(pages.every((page) => page.length <= 2)).toBe(true);
    expect(pages.slice(0, -1).every((page) => page.length === 2)).toBe(true);
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(rowDifferences(rows, await selectOrders(db))).toEqual([]);
  });

  it('filters by status across pages', async () => {
    const rows = (await walk('status=shipped&limit=1')).flat();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    expect(rowDifferences(rows, await selectOrders(db, `status = 'shipped'`))).toEqual([]);
  });

  it('answers next = null on the last page, and an empty page after the last id', async () => {
    const ids = (await selectOrders(db)).map((row) => row.id).sort((a, b) => a - b);
    const last = ids[ids.length - 1]!;
    expect((await call('GET', `/api/orders?limit=500&after=${last}`)).body).toEqual({ orders: [], next: null });
    const answer = await call('GET', `/api/orders?limit=1&after=${ids[ids.length - 2]!}`);
    expect(answer.body).toMatchObject({ orders: [{ id: last }], next: null });
  });
});

describe('refused requests leave the table unchanged', () => {
  it('E_VALIDATION (400) names every failing field', async () => {
    const error = await refused(
      'POST',
      '/api/orders',
      { json: { ...newOrder(), amount: 12.5, quantity: 0, colour: 'red' } },
      400,
      ERROR_CODES.VALIDATION,
    );
    expect(error.fields?.map((field) => field.path)).toEqual(['quantity', 'amount', 'colour']);
    expect(error.fields?.find((field) => field.path === 'amount')?.message).toMatch(/JSON number is refused/);

    for (const amount of ['-1.00', '1.234', '12345678901', '1e3', '']) {
      await refused('POST', '/api/orders', { json: newOrder({ amount }) }, 400, ERROR_CODES.VALIDATION);
    }
    await refused('POST', '/api/orders', { json: newOrder({ customer_name: 'x'.repeat(201) }) }, 400, ERROR_CODES.VALIDATION);
    await refused('POST', '/api/orders', { json: newOrder({ customer_name: 'nul\u0000byte' }) }, 400, ERROR_CODES.VALIDATION);
    await refused('POST', '/api/orders', { json: newOrder({ status: 'lost' }) }, 400, ERROR_CODES.VALIDATION);
    await refused('POST', '/api/orders', { json: newOrder({ id: 1 }) }, 400, ERROR_CODES.VALIDATION);
    await refused('POST', '/api/orders', { json: [newOrder()] }, 400, ERROR_CODES.VALIDATION);

    const row = await create();
    await refused('PATCH', `/api/orders/${row.id}`, { json: {} }, 400, ERROR_CODES.VALIDATION);
    await refused('PATCH', `/api/orders/${row.id}`, { json: { updated_at: '2020-01-01T00:00:00Z' } }, 400, ERROR_CODES.VALIDATION);
    await refused('PATCH', `/api/orders/${row.id}`, { json: { quantity: -1 } }, 400, ERROR_CODES.VALIDATION);
    for (const id of ['abc', '0', '-1', '1.5', '9007199254740992', "1'%20OR%20'1'='1"]) {
      const pathError = await refused('GET', `/api/orders/${id}`, {}, 400, ERROR_CODES.VALIDATION);
      expect(pathError.fields).toEqual([{ path: 'id', message: expect.any(String) }]);
      await refused('DELETE', `/api/orders/${id}`, {}, 400, ERROR_CODES.VALIDATION);
    }
    for (const query of ['limit=0', 'limit=501', 'limit=ten', 'after=0', "status=pending'%20OR%20'1'='1", 'sort=id']) {
      await refused('GET', `/api/orders?${query}`, {}, 400, ERROR_CODES.VALIDATION);
    }
  });

  it('E_BAD_JSON (400) for a malformed body', async () => {
    const row = await create();
    const json = { 'content-type': 'application/json' };
    await refused('POST', '/api/orders', { raw: '{"customer_name": "Ada", ', headers: json }, 400, ERROR_CODES.BAD_JSON);
    await refused('POST', '/api/orders', { raw: '', headers: json }, 400, ERROR_CODES.BAD_JSON);
    await refused('PATCH', `/api/orders/${row.id}`, { raw: "{'status': 'shipped'}", headers: json }, 400, ERROR_CODES.BAD_JSON);
  });

  it('E_BODY_TOO_LARGE (413) for a body over the limit', async () => {
    const huge = newOrder({ customer_name: 'x'.repeat(20 * 1024) });
    await refused('POST', '/api/orders', { json: huge }, 413, ERROR_CODES.BODY_TOO_LARGE);
  });

  it('E_UNSUPPORTED_MEDIA_TYPE (415) for a body that is not JSON', async () => {
    const row = await create();
    await refused(
      'POST',
      '/api/orders',
      { raw: JSON.stringify(newOrder()), headers: { 'content-type': 'text/plain' } },
      415,
      ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
    );
    await refused(
      'POST',
      '/api/orders',
      { raw: 'customer_name=Ada', headers: { 'content-type': 'application/x-www-form-urlencoded' } },
      415,
      ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
    );
    await refused('PATCH', `/api/orders/${row.id}`, {}, 415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE);
  });

  it('E_NOT_FOUND (404) for an unknown id or route', async () => {
    await refused('GET', `/api/orders/${MISSING_ID}`, {}, 404, ERROR_CODES.NOT_FOUND);
    await refused('PATCH', `/api/orders/${MISSING_ID}`, { json: { status: 'shipped' } }, 404, ERROR_CODES.NOT_FOUND);
    await refused('DELETE', `/api/orders/${MISSING_ID}`, {}, 404, ERROR_CODES.NOT_FOUND);
    await refused('GET', '/api/customers', {}, 404, ERROR_CODES.NOT_FOUND);
  });

  it('E_DATABASE_UNAVAILABLE (503) when Postgres cannot be reached; readyz says so too', async () => {
    const nowhere = await startApi(stack, { PGPORT: String(await freePort()), LOG_LEVEL: 'silent' }, false);
    try {
      expect((await call('GET', '/healthz', {}, nowhere.url)).status).toBe(200);
      expect((await call('GET', '/readyz', {}, nowhere.url)).status).toBe(503);
      await refused('GET', '/api/orders', {}, 503, ERROR_CODES.DATABASE_UNAVAILABLE, nowhere.url);
      await refused('POST', '/api/orders', { json: newOrder() }, 503, ERROR_CODES.DATABASE_UNAVAILABLE, nowhere.url);
    } finally {
      await nowhere.close();
    }
  });

  it('E_INTERNAL (500) for any other database error, without its details', async () => {
    // The connector's role may read orders but not write them: a real Postgres error the API does not expect.
    const readOnly = await startApi(stack, { PGUSER: 'debezium', PGPASSWORD: stack.debeziumPassword, LOG_LEVEL: 'silent' });
    try {
      expect((await call('GET', '/api/orders?limit=1', {}, readOnly.url)).status).toBe(200);
      const error = await refused('POST', '/api/orders', { json: newOrder() }, 500, ERROR_CODES.INTERNAL, readOnly.url);
      expect(error.message).not.toMatch(/permission|orders/);
      expect(error.message).toMatch(/request id req-/);
    } finally {
      await readOnly.close();
    }
  });

  it('maps a real CHECK violation from Postgres to E_VALIDATION (400) on its column', async () => {
    const err = await db.query(`INSERT INTO public.orders (customer_name, product_name, quantity, amount) VALUES ('a', 'b', 0, 1)`).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(describeError(err, 'req-x')).toMatchObject({
      statusCode: 400,
      body: { error: { code: 'E_VALIDATION', fields: [{ path: 'quantity' }] } },
    });
  });
});

describe('CORS', () => {
  it('answers the preflight of the configured origin, not of others', async () => {
    const preflight = (origin: string) =>
      call('OPTIONS', '/api/orders', {
        headers: { origin, 'access-control-request-method': 'PATCH', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.status).toBe(204);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect((await preflight('http://attacker.example')).headers.get('access-control-allow-origin')).toBeNull();
  });
});
