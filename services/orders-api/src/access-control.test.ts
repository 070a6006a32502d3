/**
 * Access control with fastify's inject, a fake pool and a fixed clock: every refusal (401 with its
 * challenge, 403 for another customer's row), the probes and CORS preflight left open, and the
 * statements a pinned token's requests run (a filtered list; writes in a transaction rolled back on
 * refusal). The same against the real Postgres: auth.integration.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { signAccessToken } from '@orders-live/auth';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import type { QueryResultLike, TransactionalDatabase } from './db.js';
import { errorBodySchema } from '@orders-live/protocol';

const SECRET = 'orders-api-unit-test-secret-of-32-bytes+';
const NOW = Date.UTC(2026, 0, 1);
const ADA = { customer_name: { eq: 'Ada Lovelace' } };

function rawRow(id: number, customer: string) {
  return {
    id: String(id),
    customer_name: customer,
    product_name: 'Keyboard',
    status: 'pending',
    quantity: 1,
    amount: '129.99',
    created_at: '2026-01-01T00:00:00.000000Z',
    updated_at: '2026-01-01T00:00:00.000000Z',
  };
}

/** Order 1 is Ada's, order 2 Bob's; an INSERT or UPDATE answers with the customer it was given. */
function setup() {
  const statements: { text: string; values: unknown[] }[] = [];
  const owners = new Map([
    [1, 'Ada Lovelace'],
    [2, 'Bob'],
  ]);
  const pool: TransactionalDatabase = {
    async query<R>(text: string, values: unknown[] = []): Promise<QueryResultLike<R>> {
      statements.push({ text, values });
      let rows: unknown[] = [];
      if (text.startsWith('INSERT')) rows = [rawRow(3, String(values[0]))];
      else if (text.startsWith('UPDATE'))
        rows = [rawRow(Number(values.at(-1)), text.includes('customer_name =') ? String(values[0]) : owners.get(Number(values.at(-1)))!)];
      else if (text.startsWith('DELETE')) return { rows: [], rowCount: 1 };
      else if (text.startsWith('SELECT') && text.includes('WHERE id = $1'))
        rows = owners.has(Number(values[0])) ? [rawRow(Number(values[0]), owners.get(Number(values[0]))!)] : [];
      else if (text.startsWith('SELECT')) rows = [rawRow(1, 'Ada Lovelace')];
      return { rows: rows as R[], rowCount: rows.length };
    },
    async connect() {
      return { query: pool.query, release: () => undefined };
    },
  };
  const config = loadConfig({ PGPASSWORD: 'unused', AUTH_JWT_SECRET: SECRET });
  const app = buildApp(config, { pool, log: pino({ level: 'silent' }), now: () => NOW });
  const sql = () => statements.map((s) => s.text.split(/\s/)[0]);
  return { app, statements, sql };
}

const token = (
  options: {
    filter?: typeof ADA;
    tables?: Record<string, Record<string, unknown>>;
    ttlSeconds?: number;
    issuedAt?: number;
    secret?: string;
  } = {},
) =>
  signAccessToken(
    { subject: 'ada', filter: options.filter, tables: options.tables as never, ttlSeconds: options.ttlSeconds ?? 60 },
    new TextEncoder().encode(options.secret ?? SECRET),
    options.issuedAt ?? NOW,
  );
const auth = async (options?: Parameters<typeof token>[0]) => ({ authorization: `Bearer ${await token(options)}` });
const json = { 'content-type': 'application/json' };
const newOrder = (customer: string) => ({ customer_name: customer, product_name: 'Pen', quantity: 1, amount: '1.00' });

function errorOf(response: { statusCode: number; json(): unknown }) {
  return { status: response.statusCode, code: errorBodySchema.parse(response.json()).error.code };
}

describe('with access control on, /api/*', () => {
  it.each([
    ['no Authorization header', async () => ({}), 'Bearer realm="orders-live"'],
    ['another scheme', async () => ({ authorization: 'Basic YWRhOnNlY3JldA==' }), 'Bearer realm="orders-live"'],
    ['a token that is not a JWT', async () => ({ authorization: 'Bearer not-a-jwt' }), 'error="invalid_token"'],
    [
      'a token signed with another secret',
      async () => auth({ secret: 'another-secret-that-is-32-bytes-long!' }),
      'error_description="the access token signature does not verify"',
    ],
    ['an expired token', async () => auth({ ttlSeconds: 60, issuedAt: NOW - 60_000 }), 'error_description="the access token has expired"'],
  ])('refuses %s with 401 E_UNAUTHORIZED and a challenge, before any query', async (_name, headers, challenge) => {
    const { app, statements } = setup();
    for (const [method, url] of [
      ['GET', '/api/orders'],
      ['GET', '/api/orders/1'],
      ['POST', '/api/orders'],
      ['PATCH', '/api/orders/1'],
      ['DELETE', '/api/orders/1'],
    ] as const) {
      const response = await app.inject({
        method,
        url,
        headers: { ...(await headers()), ...(method === 'POST' || method === 'PATCH' ? json : {}) },
        ...(method === 'POST' || method === 'PATCH' ? { payload: '{}' } : {}),
      });
      expect(errorOf(response), `${method} ${url}`).toEqual({ status: 401, code: 'E_UNAUTHORIZED' });
      expect(response.headers['www-authenticate']).toContain(challenge);
    }
    expect(statements).toEqual([]);
  });

  it('keeps the probes and the CORS preflight open', async () => {
    const { app } = setup();
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/readyz' })).statusCode).toBe(200);
    const preflight = await app.inject({
      method: 'OPTIONS',
      url: '/api/orders',
      headers: {
        origin: 'http://localhost:3000',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
  });

  it('serves a token without a pinned filter like access control off: every row, no transaction', async () => {
    const { app, sql } = setup();
    expect((await app.inject({ method: 'GET', url: '/api/orders/2', headers: await auth() })).statusCode).toBe(200);
    expect(
      (await app.inject({ method: 'POST', url: '/api/orders', headers: { ...(await auth()), ...json }, payload: newOrder('Bob') }))
        .statusCode,
    ).toBe(201);
    expect(sql()).toEqual(['SELECT', 'INSERT']);
  });
});

describe("a token pinned to a customer's orders", () => {
  it('lists only rows of the filter, in SQL', async () => {
    const { app, statements } = setup();
    const response = await app.inject({ method: 'GET', url: '/api/orders?status=pending', headers: await auth({ filter: ADA }) });
    expect(response.statusCode).toBe(200);
    expect(statements[0]!.text).toContain('WHERE status = $1 AND customer_name = $2::text');
    expect(statements[0]!.values).toEqual(['pending', 'Ada Lovelace', 51]);
  });

  it("reads its own order and gets 403 E_FORBIDDEN for another's (404 when there is none)", async () => {
    const { app } = setup();
    const headers = await auth({ filter: ADA });
    expect((await app.inject({ method: 'GET', url: '/api/orders/1', headers })).statusCode).toBe(200);
    expect(errorOf(await app.inject({ method: 'GET', url: '/api/orders/2', headers }))).toEqual({ status: 403, code: 'E_FORBIDDEN' });
    expect(errorOf(await app.inject({ method: 'GET', url: '/api/orders/9', headers }))).toEqual({ status: 404, code: 'E_NOT_FOUND' });
  });

  it("creates its own order in a transaction, and rolls back another customer's with 403", async () => {
    const own = setup();
    const headers = { ...(await auth({ filter: ADA })), ...json };
    expect((await own.app.inject({ method: 'POST', url: '/api/orders', headers, payload: newOrder('Ada Lovelace') })).statusCode).toBe(201);
    expect(own.sql()).toEqual(['BEGIN', 'INSERT', 'COMMIT']);
    const other = setup();
    expect(errorOf(await other.app.inject({ method: 'POST', url: '/api/orders', headers, payload: newOrder('Bob') }))).toEqual({
      status: 403,
      code: 'E_FORBIDDEN',
    });
    expect(other.sql()).toEqual(['BEGIN', 'INSERT', 'ROLLBACK']);
  });

  it("updates its own order; refuses another's before writing, and a change that gives its order away after, rolled back", async () => {
    const headers = { ...(await auth({ filter: ADA })), ...json };
    const own = setup();
    expect((await own.app.inject({ method: 'PATCH', url: '/api/orders/1', headers, payload: { status: 'shipped' } })).statusCode).toBe(200);
    expect(own.sql()).toEqual(['BEGIN', 'SELECT', 'UPDATE', 'COMMIT']);
    expect(own.statements[1]!.text).toMatch(/FOR UPDATE$/);
    const others = setup();
    expect(errorOf(await others.app.inject({ method: 'PATCH', url: '/api/orders/2', headers, payload: { status: 'shipped' } }))).toEqual({
      status: 403,
      code: 'E_FORBIDDEN',
    });
    expect(others.sql()).toEqual(['BEGIN', 'SELECT', 'ROLLBACK']);
    const giveAway = setup();
    expect(
      errorOf(await giveAway.app.inject({ method: 'PATCH', url: '/api/orders/1', headers, payload: { customer_name: 'Bob' } })),
    ).toEqual({ status: 403, code: 'E_FORBIDDEN' });
    expect(giveAway.sql()).toEqual(['BEGIN', 'SELECT', 'UPDATE', 'ROLLBACK']);
  });

  it("deletes its own order and gets 403 for another's, without deleting it", async () => {
    const headers = await auth({ filter: ADA });
    const own = setup();
    expect((await own.app.inject({ method: 'DELETE', url: '/api/orders/1', headers })).statusCode).toBe(204);
    expect(own.sql()).toEqual(['BEGIN', 'SELECT', 'DELETE', 'COMMIT']);
    const others = setup();
    expect(errorOf(await others.app.inject({ method: 'DELETE', url: '/api/orders/2', headers }))).toEqual({
      status: 403,
      code: 'E_FORBIDDEN',
    });
    expect(others.sql()).toEqual(['BEGIN', 'SELECT', 'ROLLBACK']);
  });
});

describe('a token of the tables claim', () => {
  it('is held to its filter on orders like orders_filter', async () => {
    const { app, statements } = setup();
    const headers = await auth({ tables: { orders: ADA, customers: {} } });
    expect((await app.inject({ method: 'GET', url: '/api/orders', headers })).statusCode).toBe(200);
    expect(statements[0]!.values).toContain('Ada Lovelace');
    expect(errorOf(await app.inject({ method: 'GET', url: '/api/orders/2', headers }))).toEqual({ status: 403, code: 'E_FORBIDDEN' });
  });

  it('serves every order when it grants orders with {}', async () => {
    const { app } = setup();
    const headers = await auth({ tables: { orders: {} } });
    expect((await app.inject({ method: 'GET', url: '/api/orders/2', headers })).statusCode).toBe(200);
  });

  it('gets 403 E_TABLE_NOT_GRANTED when it does not grant orders, before any statement or validation', async () => {
    const { app, statements } = setup();
    const headers = { ...(await auth({ tables: { customers: { tier: { eq: 'pro' } } } })), ...json };
    for (const [method, url] of [
      ['GET', '/api/orders'],
      ['GET', '/api/orders/1'],
      ['POST', '/api/orders'],
      ['DELETE', '/api/orders/not-a-number'],
    ] as const) {
      const response = await app.inject({ method, url, headers, ...(method === 'POST' ? { payload: newOrder('Ada Lovelace') } : {}) });
      expect(errorOf(response), `${method} ${url}`).toEqual({ status: 403, code: 'E_TABLE_NOT_GRANTED' });
    }
    expect(statements).toEqual([]);
  });

  it('gets 403 E_FORBIDDEN, never every row, when its orders filter names a column the API does not know', async () => {
    const { app, statements } = setup();
    const headers = await auth({ tables: { orders: { region: { eq: 'eu' } } } });
    expect(errorOf(await app.inject({ method: 'GET', url: '/api/orders', headers }))).toEqual({ status: 403, code: 'E_FORBIDDEN' });
    expect(statements).toEqual([]);
  });
});

describe('bearerToken', async () => {
  const { bearerToken } = await import('./authenticate.js');
  it.each([
    ['Bearer abc.def.ghi', 'abc.def.ghi'],
    ['bearer abc', 'abc'],
    ['Bearer  abc ', 'abc'],
    ['Basic abc', undefined],
    ['Bearer', undefined],
    ['Bearer a b', undefined],
    [undefined, undefined],
  ])('%j → %j', (header, expected) => {
    expect(bearerToken(header)).toBe(expected);
  });
});
