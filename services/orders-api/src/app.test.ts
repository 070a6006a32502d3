/**
 * The HTTP surface with fastify's inject and a fake pool: no network, no database. Covers what a fake
 * shows best (an unreachable database, limits, content types, malformed JSON, logging); the same
 * routes run against the real Postgres in orders-api.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { orderRowSchema, errorBodySchema } from '@orders-live/protocol';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import type { QueryResultLike, TransactionalDatabase } from './db.js';

interface Call {
  readonly text: string;
  readonly values: unknown[];
}

/** A pool whose every query is answered by `respond`; it records what it was asked. */
function fakePool(respond: (call: Call) => Record<string, unknown>[] | Error = () => []) {
  const calls: Call[] = [];
  const pool: TransactionalDatabase = {
    async query<R>(text: string, values: unknown[] = []): Promise<QueryResultLike<R>> {
      const call = { text, values };
      calls.push(call);
      const outcome = respond(call);
      if (outcome instanceof Error) throw outcome;
      return { rows: outcome as R[], rowCount: outcome.length };
    },
    // A transaction's connection answers like the pool (and is recorded in the same calls).
    async connect() {
      return { query: pool.query, release: () => undefined };
    },
  };
  return { pool, calls };
}

/** A row as Postgres returns it to the repository (id as text). */
function rawRow(id: number, overrides: Record<string, unknown> = {}) {
  return {
    id: String(id),
    customer_name: 'Ada Lovelace',
    product_name: 'Keyboard',
    status: 'pending',
    quantity: 1,
    amount: '129.99',
    created_at: '2024-05-01T10:00:00.123456Z',
    updated_at: '2024-05-01T10:00:00.123456Z',
    ...overrides,
  };
}

const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
const BODY_LIMIT = 1024;

function setup(respond?: Parameters<typeof fakePool>[0]) {
  const lines: Record<string, unknown>[] = [];
  const log = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line) as Record<string, unknown>) });
  const config = loadConfig({ PGPASSWORD: 'unused', BODY_LIMIT_BYTES: String(BODY_LIMIT), CORS_ORIGINS: 'http://localhost:3000' });
  const { pool, calls } = fakePool(respond);
  return { app: buildApp(config, { pool, log }), calls, lines };
}

const order = { customer_name: 'Ada', product_name: 'Keyboard', quantity: 1, amount: '129.99' };
const json = { 'content-type': 'application/json' };

function expectError(response: { statusCode: number; json(): unknown }, statusCode: number, code: string) {
  expect(response.statusCode).toBe(statusCode);
  const body = errorBodySchema.parse(response.json());
  expect(body.error.code).toBe(code);
  return body.error;
}

describe('probes', () => {
  it('healthz is up without asking the database', async () => {
    const { app, calls } = setup(() => refused);
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
    expect(calls).toEqual([]);
  });

  it('readyz is 200 when SELECT 1 answers and 503 when it does not', async () => {
    expect((await setup(() => [{ '?column?': 1 }]).app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    expect((await setup(() => refused).app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(503);
  });
});

describe('an unreachable database', () => {
  it.each([
    ['GET', '/api/orders', undefined],
    ['GET', '/api/orders/1', undefined],
    ['POST', '/api/orders', order],
    ['PATCH', '/api/orders/1', { status: 'shipped' }],
    ['DELETE', '/api/orders/1', undefined],
  ] as const)('%s %s → 503 E_DATABASE_UNAVAILABLE, logged at warn', async (method, url, payload) => {
    const { app, lines } = setup(() => refused);
    const response = await app.inject({ method, url, ...(payload ? { payload, headers: json } : {}) });
    expectError(response, 503, 'E_DATABASE_UNAVAILABLE');
    expect(lines.some((line) => line['level'] === 40 && (line['err'] as { code?: string } | undefined)?.code === 'ECONNREFUSED')).toBe(
      true,
    );
  });

  it('times out like it is unreachable', async () => {
    const { app } = setup(() => new Error('timeout exceeded when trying to connect'));
    expectError(await app.inject({ method: 'GET', url: '/api/orders' }), 503, 'E_DATABASE_UNAVAILABLE');
  });
});

describe('bodies', () => {
  it('over the limit → 413 E_BODY_TOO_LARGE, before any query', async () => {
    const { app, calls } = setup();
    const payload = JSON.stringify({ ...order, customer_name: 'x'.repeat(BODY_LIMIT) });
    expectError(await app.inject({ method: 'POST', url: '/api/orders', payload, headers: json }), 413, 'E_BODY_TOO_LARGE');
    expect(calls).toEqual([]);
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'multipart/form-data; boundary=x'])(
    'of type %s → 415 E_UNSUPPORTED_MEDIA_TYPE',
    async (type) => {
      const { app, calls } = setup();
      const response = await app.inject({
        method: 'POST',
        url: '/api/orders',
        payload: JSON.stringify(order),
        headers: { 'content-type': type },
      });
      expectError(response, 415, 'E_UNSUPPORTED_MEDIA_TYPE');
      expect(calls).toEqual([]);
    },
  );

  it('missing entirely on POST and PATCH → 415', async () => {
    const { app } = setup();
    expectError(await app.inject({ method: 'POST', url: '/api/orders' }), 415, 'E_UNSUPPORTED_MEDIA_TYPE');
    expectError(await app.inject({ method: 'PATCH', url: '/api/orders/1' }), 415, 'E_UNSUPPORTED_MEDIA_TYPE');
  });

  it('accepts application/json with a charset', async () => {
    const { app } = setup(() => [rawRow(9)]);
    const response = await app.inject({
      method: 'POST',
      url: '/api/orders',
      payload: JSON.stringify(order),
      headers: { 'content-type': 'application/json; charset=utf-8' },
    });
    expect(response.statusCode).toBe(201);
  });

  it.each(['{"customer_name": ', '{customer_name: "Ada"}', "{'a': 1}", '', '{"__proto__": {"x": 1}}'])(
    'malformed JSON %j → 400 E_BAD_JSON',
    async (payload) => {
      const { app, calls } = setup();
      expectError(await app.inject({ method: 'POST', url: '/api/orders', payload, headers: json }), 400, 'E_BAD_JSON');
      expect(calls).toEqual([]);
    },
  );

  it('that fail validation → 400 E_VALIDATION with every failing field, before any query', async () => {
    const { app, calls } = setup();
    const response = await app.inject({
      method: 'POST',
      url: '/api/orders',
      payload: { ...order, amount: 12.5, quantity: 0, extra: true },
      headers: json,
    });
    const error = expectError(response, 400, 'E_VALIDATION');
    expect(error.fields?.map((field) => field.path)).toEqual(['quantity', 'amount', 'extra']);
    expect(calls).toEqual([]);
  });
});

describe('routes', () => {
  it('GET /api/orders returns wire rows and the id to continue after', async () => {
    const { app, calls } = setup(() => [rawRow(3), rawRow(5), rawRow(8)]);
    const response = await app.inject({ method: 'GET', url: '/api/orders?limit=2&after=1&status=pending' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{ orders: unknown[]; next: number | null }>();
    expect(body.orders.map((row) => orderRowSchema.parse(row).id)).toEqual([3, 5]);
    expect(body.next).toBe(5);
    // one more than asked, to know whether a next page exists
    expect(calls[0]!.values).toEqual(['pending', 1, 3]);
  });

  it('GET /api/orders on the last page has next = null', async () => {
    const { app } = setup(() => [rawRow(3)]);
    expect((await app.inject({ method: 'GET', url: '/api/orders' })).json()).toMatchObject({ next: null });
  });

  it('POST passes values as bind parameters, never in the SQL text', async () => {
    const name = "Robert'); DROP TABLE orders;--";
    const { app, calls } = setup(() => [rawRow(9, { customer_name: name })]);
    const response = await app.inject({ method: 'POST', url: '/api/orders', payload: { ...order, customer_name: name }, headers: json });
    expect(response.statusCode).toBe(201);
    expect(response.headers['location']).toBe('/api/orders/9');
    expect(orderRowSchema.parse(response.json()).customer_name).toBe(name);
    expect(calls[0]!.text).not.toContain('Robert');
    expect(calls[0]!.values).toContain(name);
  });

  it('GET, PATCH and DELETE of an unknown id → 404 E_NOT_FOUND', async () => {
    const { app } = setup(() => []);
    expectError(await app.inject({ method: 'GET', url: '/api/orders/77' }), 404, 'E_NOT_FOUND');
    expectError(
      await app.inject({ method: 'PATCH', url: '/api/orders/77', payload: { status: 'shipped' }, headers: json }),
      404,
      'E_NOT_FOUND',
    );
    expectError(await app.inject({ method: 'DELETE', url: '/api/orders/77' }), 404, 'E_NOT_FOUND');
  });

  it('an id that is not a positive safe integer → 400 E_VALIDATION on path id', async () => {
    const { app, calls } = setup();
    for (const id of ['abc', '0', '-3', '1.5', '9007199254740992']) {
      const error = expectError(await app.inject({ method: 'GET', url: `/api/orders/${id}` }), 400, 'E_VALIDATION');
      expect(error.fields).toEqual([{ path: 'id', message: expect.any(String) }]);
    }
    expect(calls).toEqual([]);
  });

  it('an unknown route → 404 E_NOT_FOUND', async () => {
    const { app } = setup();
    expectError(await app.inject({ method: 'GET', url: '/api/customers' }), 404, 'E_NOT_FOUND');
    expectError(await app.inject({ method: 'PUT', url: '/api/orders/1', payload: order, headers: json }), 404, 'E_NOT_FOUND');
  });

  it('a CHECK violation from Postgres → 400 E_VALIDATION', async () => {
    const check = Object.assign(new Error('violates check constraint'), { code: '23514', constraint: 'orders_amount_check' });
    const { app } = setup(() => check);
    const error = expectError(
      await app.inject({ method: 'PATCH', url: '/api/orders/1', payload: { amount: '1.00' }, headers: json }),
      400,
      'E_VALIDATION',
    );
    expect(error.fields).toEqual([{ path: 'amount', message: 'refused by the database' }]);
  });

  it('anything else → 500 E_INTERNAL, generic, logged with err and the request id', async () => {
    const { app, lines } = setup(() => new Error('relation "orders" does not exist'));
    const response = await app.inject({ method: 'GET', url: '/api/orders/1' });
    const error = expectError(response, 500, 'E_INTERNAL');
    expect(error.message).not.toContain('relation');
    const logged = lines.find((line) => line['level'] === 50);
    expect(logged).toMatchObject({ reqId: expect.any(String), err: { message: 'relation "orders" does not exist' } });
    expect(error.message).toContain(logged!['reqId'] as string);
  });

  it('never logs request bodies', async () => {
    const { app, lines } = setup(() => [rawRow(9, { customer_name: 'Very Private Person' })]);
    await app.inject({ method: 'POST', url: '/api/orders', payload: { ...order, customer_name: 'Very Private Person' }, headers: json });
    expect(lines.length).toBeGreaterThan(0);
    expect(JSON.stringify(lines)).not.toContain('Very Private Person');
  });
});

describe('headers', () => {
  it('send nosniff on success and on errors', async () => {
    const { app } = setup(() => [rawRow(1)]);
    expect((await app.inject({ method: 'GET', url: '/api/orders/1' })).headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ method: 'GET', url: '/nope' })).headers['x-content-type-options']).toBe('nosniff');
  });

  it('allow CORS from the configured origins only', async () => {
    const { app } = setup();
    const preflight = (origin: string) =>
      app.inject({
        method: 'OPTIONS',
        url: '/api/orders',
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      });
    const allowed = await preflight('http://localhost:3000');
    expect(allowed.statusCode).toBe(204);
    expect(allowed.headers['access-control-allow-origin']).toBe('http://localhost:3000');
    expect(allowed.headers['access-control-allow-methods']).toBe('GET, POST, PATCH, DELETE');
    expect(allowed.headers['access-control-allow-headers']).toBe('content-type, authorization');
    expect((await preflight('http://evil.example')).headers['access-control-allow-origin']).toBeUndefined();
  });
});
