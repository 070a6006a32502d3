// Over 300 lines: every refusal at the upgrade and every pinned filter, on one service started with auth on.
/**
 * Access control on the real stack: the service runs with AUTH_JWT_SECRET and WS_ALLOWED_ORIGINS,
 * rows are written with SQL as any writer would.
 *   - every refusal happens at the HTTP upgrade, before a socket opens: no token, a bad signature,
 *     an expired or malformed token → 401 E_UNAUTHORIZED; another Origin → 403 E_ORIGIN_NOT_ALLOWED;
 *   - a customer's token (orders_filter pins customer_name) sees only that customer's rows, in the
 *     snapshot, the changes (a row given to someone else arrives as leave) and a resume, and cannot
 *     widen its view by asking for another filter;
 *   - a connection is closed with 4001 when its token expires, and the typed client comes back with
 *     a fresh token and resumes.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type pg from 'pg';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAccessToken } from '@orders-live/auth';
import { BEARER_SUBPROTOCOL, CLOSE_CODES, PROTOCOL_SUBPROTOCOL, type RowFilter, type ServerFrame } from '@orders-live/protocol';
import {
  accessFixture,
  FrameClient,
  recordingClient,
  rowDifferences,
  selectOrders,
  spreadChanges,
  stackEndpoints,
  superuserPool,
  waitFor,
} from '@orders-live/testkit';
import { startApp, type RunningApp } from '../test-support.js';

const { secret: SECRET, key: secret, ada: ADA, bob: BOB, adaFilter } = accessFixture('websocket-service');
const ALLOWED_ORIGIN = 'http://allowed.example';

const stack = stackEndpoints();

let service: RunningApp;
let db: pg.Pool;

beforeAll(async () => {
  db = superuserPool(stack);
  service = await startApp(stack, { SERVER_ID: 'auth-test', AUTH_JWT_SECRET: SECRET, WS_ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  const ids = [
    await insertOrder(ADA, 'Ada first'),
    await insertOrder(ADA, 'Ada second'),
    await insertOrder(BOB, 'Bob first'),
    await insertOrder(BOB, 'Bob second'),
  ];
  // The snapshot test below reads these rows from the service: committed is not yet streamed.
  await waitFor('the rows in the service view', () => ids.every((id) => service.app.view.get(id) !== undefined));
});

afterAll(async () => {
  await db?.query('DELETE FROM orders WHERE customer_name = ANY($1::text[])', [[ADA, BOB]]);
  await service?.close();
  await db?.end();
});

async function insertOrder(customer: string, product: string): Promise<number> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO orders (customer_name, product_name, quantity, amount) VALUES ($1, $2, 1, 10) RETURNING id`,
    [customer, product],
  );
  return Number(rows[0]!.id);
}

const adaToken = (ttlSeconds = 300, nowMs = Date.now()) =>
  signAccessToken({ subject: 'ada', filter: adaFilter, ttlSeconds }, secret, nowMs);
const bearer = (token: string) => [BEARER_SUBPROTOCOL, token];

interface Refusal {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: unknown;
}

/** Attempts an upgrade that must be refused; resolves with the HTTP answer (rejects if a socket opens). */
function refusedUpgrade(url: string, protocols: string[] = [], headers: Record<string, string> = {}): Promise<Refusal> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, protocols, { headers });
    socket.on('open', () => {
      socket.close();
      reject(new Error('the upgrade was accepted'));
    });
    socket.on('unexpected-response', (_request, response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: JSON.parse(body) as unknown }));
    });
    socket.on('error', reject);
  });
}

async function refusedCount(reason: string): Promise<number> {
  const text = await (await fetch(`${service.httpUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`orders_ws_upgrades_refused_total{reason="${reason}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

/** A fence row for Ada: once a client has it, it has every commit before it. */
async function adaFence(client: FrameClient, id = 'orders'): Promise<number> {
  const fence = await insertOrder(ADA, 'Fence');
  await waitFor('the fence', () => client.changes().some((c) => c.id === id && c.key.id === fence));
  return fence;
}

describe('the WebSocket upgrade with access control on', () => {
  it.each([
    ['no token', async () => [] as string[], 'missing'],
    ['a bare bearer subprotocol', async () => [BEARER_SUBPROTOCOL], 'missing'],
    ['a token that is not a JWT', async () => bearer('not-a-jwt'), 'malformed'],
    [
      'a token signed with another secret',
      async () => bearer(await signAccessToken({ subject: 'ada', ttlSeconds: 300 }, new TextEncoder().encode('x'.repeat(40)), Date.now())),
      'bad-signature',
    ],
    ['an expired token', async () => bearer(await adaToken(60, Date.now() - 120_000)), 'expired'],
  ])('refuses %s with 401 E_UNAUTHORIZED before the socket opens', async (_name, protocols, reason) => {
    const before = await refusedCount(reason);
    const answer = await refusedUpgrade(service.wsUrl, await protocols(), { Origin: ALLOWED_ORIGIN });
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'E_UNAUTHORIZED' } });
    expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="orders-live"/);
    expect(service.app.hub.clientCount).toBe(0);
    expect(await refusedCount(reason)).toBe(before + 1);
  });

  it('refuses an expired token sent as ?access_token= too', async () => {
    const answer = await refusedUpgrade(`${service.wsUrl}?access_token=${await adaToken(60, Date.now() - 120_000)}`, [], {
      Origin: ALLOWED_ORIGIN,
    });
    expect(answer).toMatchObject({ status: 401, body: { error: { code: 'E_UNAUTHORIZED', message: 'the access token has expired' } } });
  });

  it('refuses another Origin with 403 E_ORIGIN_NOT_ALLOWED, even with a valid token', async () => {
    const answer = await refusedUpgrade(service.wsUrl, bearer(await adaToken()), { Origin: 'http://evil.example' });
    expect(answer).toMatchObject({ status: 403, body: { error: { code: 'E_ORIGIN_NOT_ALLOWED' } } });
    expect(service.app.hub.clientCount).toBe(0);
  });

  it('opens for a valid token from the allowed Origin, or from a program without Origin; in the header or the query', async () => {
    const fromPage = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()), headers: { Origin: ALLOWED_ORIGIN } });
    // The server selects the protocol version; the token is never echoed.
    expect(fromPage.socket.protocol).toBe(PROTOCOL_SUBPROTOCOL);
    const fromProgram = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    const fromQuery = await FrameClient.connect(`${service.wsUrl}?access_token=${await adaToken()}`);
    for (const client of [fromPage, fromProgram, fromQuery]) {
      await client.next('welcome', (f): f is Extract<ServerFrame, { type: 'welcome' }> => f.type === 'welcome');
      await client.close();
    }
  });
});

describe("a customer's token", () => {
  it('sees only their rows in the snapshot, equal to the database', async () => {
    const client = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    const { rows } = await client.subscribe();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(new Set(rows.map((row) => row.customer_name))).toEqual(new Set([ADA]));
    expect(rowDifferences(rows, await selectOrders(db, 'customer_name = $1', [ADA]))).toEqual([]);
    await client.close();
  });

  it("sees only their changes: another customer's are not sent, a row given away arrives as leave, one given to them as enter", async () => {
    const client = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    await client.subscribe();
    const from = client.frames.length;
    const adaNew = await insertOrder(ADA, 'Ada new');
    const bobNew = await insertOrder(BOB, 'Bob new');
    await db.query('UPDATE orders SET quantity = 7 WHERE id = $1', [bobNew]);
    await db.query('UPDATE orders SET customer_name = $1 WHERE id = $2', [ADA, bobNew]); // given to Ada
    await db.query('UPDATE orders SET customer_name = $1 WHERE id = $2', [BOB, adaNew]); // given away
    await db.query('DELETE FROM orders WHERE id = $1', [bobNew]);
    const bobOther = await insertOrder(BOB, 'Bob other');
    await db.query('DELETE FROM orders WHERE id = $1', [bobOther]);
    const fence = await adaFence(client);

    const changes = spreadChanges(client.frames.slice(from)).flatMap((f) => (f.type === 'change' ? [f] : []));
    expect(changes.map((c) => [c.op, c.key.id])).toEqual([
      ['insert', adaNew],
      ['enter', bobNew],
      ['leave', adaNew],
      ['delete', bobNew],
      ['insert', fence],
    ]);
    // Rows outside the token's filter are withheld: Bob's order before it was Ada's, Ada's after it became Bob's.
    expect(changes[1]).toMatchObject({ oldRow: null, row: { id: bobNew, customer_name: ADA } });
    expect(changes[2]).toMatchObject({ oldRow: { id: adaNew, customer_name: ADA }, row: null });
    expect(client.invalid).toEqual([]);
    await client.close();
  });

  it('cannot widen its view by asking for another filter: the filters are ANDed', async () => {
    const client = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    const asBob = await subscribeWith(client, 'bob', { customer_name: { eq: BOB } });
    const both = await subscribeWith(client, 'both', { customer_name: { in: [ADA, BOB] } });
    const anyStatus = await subscribeWith(client, 'status', { status: { in: ['pending', 'shipped', 'delivered'] } });
    const adaRows = await selectOrders(db, 'customer_name = $1', [ADA]);
    expect(asBob).toEqual([]);
    expect(rowDifferences(both, adaRows)).toEqual([]);
    expect(rowDifferences(anyStatus, adaRows)).toEqual([]);

    const from = client.frames.length;
    const bobRow = await insertOrder(BOB, 'Bob, again');
    await adaFence(client, 'both');
    await adaFence(client, 'status');
    const seen = spreadChanges(client.frames.slice(from)).flatMap((f) => (f.type === 'change' ? [[f.id, f.key.id]] : []));
    expect(seen.filter(([, id]) => id === bobRow)).toEqual([]);
    expect(seen.filter(([subscription]) => subscription === 'bob')).toEqual([]);
    await client.close();
  });

  it('resumes with only their rows among the changes it missed', async () => {
    const first = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    const { cursor } = await first.subscribe();
    await first.close();

    await insertOrder(BOB, 'Bob while away');
    const adaAway = await insertOrder(ADA, 'Ada while away');
    await db.query('UPDATE orders SET customer_name = $1 WHERE id = $2', [BOB, adaAway]);

    const second = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken()) });
    second.send({ type: 'subscribe', id: 'orders', table: 'orders', cursor });
    const fence = await adaFence(second);
    const frames = spreadChanges(second.frames).filter(
      (f) => f.type === 'resumed' || f.type === 'change' || f.type === 'snapshot' || f.type === 'reset',
    );
    expect(frames[0]).toMatchObject({ type: 'resumed', from: cursor });
    expect(frames.slice(1).map((f) => (f.type === 'change' ? [f.op, f.key.id] : [f.type]))).toEqual([
      ['insert', adaAway],
      ['leave', adaAway],
      ['insert', fence],
    ]);
    await second.close();
  });
});

describe('a token that expires while connected', () => {
  it('closes the connection with 4001', async () => {
    // 3 s: the issue time is rounded down to the second, and connecting and subscribing must fit in what is left.
    const client = await FrameClient.connect(service.wsUrl, { protocols: bearer(await adaToken(3)) });
    await client.subscribe();
    const closed = await waitFor('the close', () => client.closed, 10_000);
    expect(closed.code).toBe(CLOSE_CODES.TOKEN_EXPIRED);
  });

  it('the typed client reconnects with a fresh token, resumes, and its view stays equal to their rows in the database', async () => {
    let issued = 0;
    const recorder = recordingClient(service.wsUrl, {
      token: () => {
        issued += 1;
        return adaToken(2);
      },
    });
    recorder.client.connect();
    await recorder.waitLive();
    await waitFor('a resume after the token expired', () => recorder.client.stats.resumes >= 1, 15_000);
    await recorder.waitLive();
    expect(issued).toBeGreaterThanOrEqual(2);

    const fence = await insertOrder(ADA, 'Fence after refresh');
    await waitFor('the fence at the client', () => recorder.client.get(fence), 15_000);
    expect(rowDifferences(recorder.client.rows(), await selectOrders(db, 'customer_name = $1', [ADA]))).toEqual([]);
    expect(recorder.outOfOrder()).toEqual([]);
    recorder.client.close();
  });
});

describe('an Origin allow-list with access control off', () => {
  let open: RunningApp;
  beforeAll(async () => {
    open = await startApp(stack, { SERVER_ID: 'origin-test', WS_ALLOWED_ORIGINS: ALLOWED_ORIGIN });
  });
  afterAll(async () => {
    await open?.close();
  });

  it('lets the listed Origin in, and refuses another Origin or none with 403', async () => {
    const listed = await FrameClient.connect(open.wsUrl, { headers: { Origin: ALLOWED_ORIGIN } });
    await listed.close();
    expect(await refusedUpgrade(open.wsUrl, [], { Origin: 'http://evil.example' })).toMatchObject({
      status: 403,
      body: { error: { code: 'E_ORIGIN_NOT_ALLOWED' } },
    });
    expect(await refusedUpgrade(open.wsUrl)).toMatchObject({
      status: 403,
      body: { error: { code: 'E_ORIGIN_NOT_ALLOWED', message: 'an Origin header is required' } },
    });
  });
});

/** Subscribes with a filter and resolves with the whole snapshot. */
async function subscribeWith(client: FrameClient, id: string, filter: RowFilter) {
  const from = client.frames.length;
  client.send({ type: 'subscribe', id, table: 'orders', filter });
  await client.next(
    'the last snapshot chunk',
    (f): f is Extract<ServerFrame, { type: 'snapshot' }> => f.type === 'snapshot' && f.id === id && f.done,
    from,
  );
  return client.frames.slice(from).flatMap((f) => (f.type === 'snapshot' && f.id === id ? f.rows : []));
}
