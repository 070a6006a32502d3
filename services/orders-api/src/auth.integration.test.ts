/**
 * Access control on the orders API over real HTTP against the real Postgres, as the orders_api role,
 * with AUTH_JWT_SECRET set: every refusal (401 without a valid token, 403 for a row outside the
 * token's orders_filter), the table exactly as before after each, lists restricted to the filter,
 * and a customer's own orders readable and writable. Rows this file creates are deleted at the end.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@orders-live/auth';
import { orderRowSchema, type OrderRow, errorBodySchema } from '@orders-live/protocol';
import { accessFixture, rowDifferences, selectOrders, stackEndpoints, superuserPool } from '@orders-live/testkit';
import { startApi, type RunningApi } from './test-support.js';

const { secret: SECRET, key: secret, ada: ADA, bob: BOB, adaFilter } = accessFixture('orders-api');
const stack = stackEndpoints();

let api: RunningApi;
let db: pg.Pool;
let adaOrder: number;
let bobOrder: number;

beforeAll(async () => {
  db = superuserPool(stack);
  api = await startApi(stack, { AUTH_JWT_SECRET: SECRET });
  adaOrder = await insertOrder(ADA);
  await insertOrder(ADA);
  bobOrder = await insertOrder(BOB);
});

afterAll(async () => {
  await db?.query('DELETE FROM orders WHERE customer_name = ANY($1::text[])', [[ADA, BOB]]);
  await api?.close();
  await db?.end();
});

async function insertOrder(customer: string): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, 'Lamp', 1, 30) RETURNING id`,
    [customer],
  );
  return Number(rows[0]!.id);
}

const adaToken = (ttlSeconds = 300, nowMs = Date.now()) =>
  signAccessToken({ subject: 'ada', filter: adaFilter, ttlSeconds }, secret, nowMs);
const opsToken = () => signAccessToken({ subject: 'ops', ttlSeconds: 300 }, secret, Date.now());

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

async function call(
  method: string,
  path: string,
  token: string | undefined,
  json?: unknown,
  extra: Record<string, string> = {},
): Promise<Answer> {
  const headers: Record<string, string> = {
    ...(json !== undefined ? { 'content-type': 'application/json' } : {}),
    ...(token !== undefined ? { authorization: `Bearer ${token}` } : {}),
    ...extra,
  };
  const response = await fetch(`${api.url}${path}`, { method, headers, ...(json !== undefined ? { body: JSON.stringify(json) } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text === '' ? undefined : (JSON.parse(text) as unknown) };
}

/** A request the API must refuse with `status` and `code`; the table is exactly as it was. */
async function refused(
  method: string,
  path: string,
  token: string | undefined,
  json: unknown,
  status: number,
  code: string,
  extra?: Record<string, string>,
): Promise<Answer> {
  const before = await selectOrders(db);
  const answer = await call(method, path, token, json, extra);
  expect({ status: answer.status, code: errorBodySchema.parse(answer.body).error.code }, `${method} ${path}`).toEqual({ status, code });
  expect(rowDifferences(await selectOrders(db), before)).toEqual([]);
  return answer;
}

const ROUTES = [
  ['GET', '/api/orders', undefined],
  ['GET', () => `/api/orders/${adaOrder}`, undefined],
  ['POST', '/api/orders', { customer_name: ADA, product_name: 'Pen', quantity: 1, amount: '1.00' }],
  ['PATCH', () => `/api/orders/${adaOrder}`, { status: 'shipped' }],
  ['DELETE', () => `/api/orders/${adaOrder}`, undefined],
] as const;

describe('without a valid token', () => {
  it.each([
    ['no token', async () => undefined, undefined, 'Bearer realm="orders-live"'],
    ['another scheme', async () => undefined, { authorization: 'Basic YWRhOmFkYQ==' }, 'Bearer realm="orders-live"'],
    ['garbage', async () => 'garbage', undefined, 'error="invalid_token"'],
    [
      'a bad signature',
      async () => signAccessToken({ subject: 'ada', ttlSeconds: 300 }, new TextEncoder().encode('y'.repeat(40)), Date.now()),
      undefined,
      'error="invalid_token"',
    ],
    ['an expired token', async () => adaToken(60, Date.now() - 120_000), undefined, 'error_description="the access token has expired"'],
  ])('every route answers 401 E_UNAUTHORIZED with a challenge for %s, and changes nothing', async (_name, token, extra, challenge) => {
    for (const [method, path, json] of ROUTES) {
      const answer = await refused(method, typeof path === 'function' ? path() : path, await token(), json, 401, 'E_UNAUTHORIZED', extra);
      expect(answer.headers.get('www-authenticate')).toContain(challenge);
    }
  });

  it('the probes still answer', async () => {
    expect((await call('GET', '/healthz', undefined)).status).toBe(200);
    expect((await call('GET', '/readyz', undefined)).status).toBe(200);
  });
});

describe("a customer's token (orders_filter pins customer_name)", () => {
  it('lists only their orders, page by page, exactly as the database holds them', async () => {
    const token = await adaToken();
    const listed: OrderRow[] = [];
    let after: number | null | undefined;
    while (after !== null) {
      const answer = await call('GET', `/api/orders?limit=1${after === undefined ? '' : `&after=${after}`}`, token);
      expect(answer.status).toBe(200);
      const page = answer.body as { orders: unknown[]; next: number | null };
      listed.push(...page.orders.map((row) => orderRowSchema.parse(row)));
      after = page.next;
    }
    expect(listed.length).toBeGreaterThanOrEqual(2);
    expect(rowDifferences(listed, await selectOrders(db, 'customer_name = $1', [ADA]))).toEqual([]);
  });

  it('cannot widen the list with a query, while a token without filter sees everyone', async () => {
    const pending = (await call('GET', '/api/orders?status=pending&limit=500', await adaToken())).body as { orders: OrderRow[] };
    expect(new Set(pending.orders.map((row) => row.customer_name))).toEqual(new Set([ADA]));
    const all: OrderRow[] = [];
    let after: number | null | undefined;
    while (after !== null) {
      const page = (await call('GET', `/api/orders?limit=500${after === undefined ? '' : `&after=${after}`}`, await opsToken())).body as {
        orders: OrderRow[];
        next: number | null;
      };
      all.push(...page.orders);
      after = page.next;
    }
    expect(all.map((row) => row.id)).toContain(bobOrder);
  });

  it("reads their order; another customer's is 403 E_FORBIDDEN, a missing one 404", async () => {
    const token = await adaToken();
    expect((await call('GET', `/api/orders/${adaOrder}`, token)).status).toBe(200);
    await refused('GET', `/api/orders/${bobOrder}`, token, undefined, 403, 'E_FORBIDDEN');
    await refused('GET', `/api/orders/${Number.MAX_SAFE_INTEGER}`, token, undefined, 404, 'E_NOT_FOUND');
  });

  it("cannot create another customer's order", async () => {
    await refused(
      'POST',
      '/api/orders',
      await adaToken(),
      { customer_name: BOB, product_name: 'Pen', quantity: 1, amount: '1.00' },
      403,
      'E_FORBIDDEN',
    );
  });

  it("cannot modify another customer's order, nor give theirs away", async () => {
    const token = await adaToken();
    await refused('PATCH', `/api/orders/${bobOrder}`, token, { status: 'delivered' }, 403, 'E_FORBIDDEN');
    await refused('PATCH', `/api/orders/${bobOrder}`, token, { customer_name: ADA }, 403, 'E_FORBIDDEN');
    await refused('PATCH', `/api/orders/${adaOrder}`, token, { customer_name: BOB }, 403, 'E_FORBIDDEN');
  });

  it("cannot delete another customer's order", async () => {
    await refused('DELETE', `/api/orders/${bobOrder}`, await adaToken(), undefined, 403, 'E_FORBIDDEN');
    expect(await selectOrders(db, 'id = $1', [bobOrder])).toHaveLength(1);
  });

  it('creates, changes and deletes their own orders', async () => {
    const token = await adaToken();
    const created = await call('POST', '/api/orders', token, { customer_name: ADA, product_name: 'Own pen', quantity: 2, amount: '3.50' });
    expect(created.status).toBe(201);
    const row = orderRowSchema.parse(created.body);
    const patched = await call('PATCH', `/api/orders/${row.id}`, token, { status: 'shipped', quantity: 3 });
    expect(patched).toMatchObject({ status: 200, body: { id: row.id, status: 'shipped', quantity: 3, customer_name: ADA } });
    expect((await selectOrders(db, 'id = $1', [row.id]))[0]).toMatchObject({ status: 'shipped', quantity: 3 });
    expect((await call('DELETE', `/api/orders/${row.id}`, token)).status).toBe(204);
    expect(await selectOrders(db, 'id = $1', [row.id])).toEqual([]);
  });
});
