import { describe, expect, it } from 'vitest';
import { OrdersApi, type RequestLike, type ResponseLike } from './api-client.js';

interface Call {
  readonly url: string;
  readonly init: RequestLike;
}

/** A fake fetch: records requests, answers with the queued responses (or throws the queued errors). */
function fakeFetch(...answers: (ResponseLike | Error)[]) {
  const calls: Call[] = [];
  const fetch = async (url: string, init: RequestLike): Promise<ResponseLike> => {
    calls.push({ url, init });
    const answer = answers.shift();
    if (!answer) throw new Error('unexpected request');
    if (answer instanceof Error) throw answer;
    return answer;
  };
  return { fetch, calls };
}

function respond(status: number, body?: unknown): ResponseLike {
  return {
    status,
    ok: status >= 200 && status < 300,
    json: async () => {
      if (body === undefined) throw new SyntaxError('Unexpected end of JSON input');
      return body;
    },
  };
}

const row = {
  id: 7,
  customer_name: 'Ada',
  product_name: 'Pen',
  status: 'pending',
  quantity: 1,
  amount: '2.50',
  created_at: '2026-01-01T00:00:00Z',
  updated_at: '2026-01-01T00:00:00Z',
};

describe('OrdersApi', () => {
  it('POSTs a new order as JSON to /api/orders and reads the id of the row written', async () => {
    const { fetch, calls } = fakeFetch(respond(201, row));
    const api = new OrdersApi('http://api.test:3002', { fetch });
    const result = await api.create({ customer_name: 'Ada', product_name: 'Pen', quantity: 1, amount: '2.50' });
    expect(result).toEqual({ ok: true, value: { id: '7' } });
    expect(calls).toEqual([
      {
        url: 'http://api.test:3002/api/orders',
        init: {
          method: 'POST',
          headers: { accept: 'application/json', 'content-type': 'application/json' },
          body: '{"customer_name":"Ada","product_name":"Pen","quantity":1,"amount":"2.50"}',
        },
      },
    ]);
  });

  it('PATCHes /api/orders/:id with only the fields given, keeping a path prefix of the base URL', async () => {
    const { fetch, calls } = fakeFetch(respond(200, { ...row, status: 'shipped' }));
    const api = new OrdersApi('https://example.com/orders-api/', { fetch });
    expect(await api.update(7, { status: 'shipped' })).toEqual({ ok: true, value: { id: '7' } });
    expect(calls[0]).toMatchObject({
      url: 'https://example.com/orders-api/api/orders/7',
      init: { method: 'PATCH', body: '{"status":"shipped"}' },
    });
  });

  it('DELETEs without a body or a content-type, and takes 204 as done', async () => {
    const { fetch, calls } = fakeFetch(respond(204));
    const api = new OrdersApi('http://api.test', { fetch });
    expect(await api.remove(7)).toEqual({ ok: true, value: undefined });
    expect(calls[0]).toEqual({ url: 'http://api.test/api/orders/7', init: { method: 'DELETE', headers: { accept: 'application/json' } } });
  });

  it("passes on the API's error code, message and field errors", async () => {
    const body = {
      error: {
        code: 'E_VALIDATION',
        message: 'invalid body',
        fields: [
          { path: 'amount', message: 'expected a decimal string' },
          { path: ['body', 'quantity'], message: 'must be > 0' },
        ],
      },
    };
    const { fetch } = fakeFetch(respond(400, body));
    const result = await new OrdersApi('http://api.test', { fetch }).create({
      customer_name: 'A',
      product_name: 'B',
      quantity: 0,
      amount: 'x',
    });
    expect(result).toEqual({
      ok: false,
      error: {
        status: 400,
        code: 'E_VALIDATION',
        message: 'invalid body',
        fields: [
          { path: 'amount', message: 'expected a decimal string' },
          { path: 'body.quantity', message: 'must be > 0' },
        ],
      },
    });
  });

  it('reads 404 and 503 error bodies the same way', async () => {
    const { fetch } = fakeFetch(
      respond(404, { error: { code: 'E_NOT_FOUND', message: 'no order 7' } }),
      respond(503, { error: { code: 'E_DATABASE_UNAVAILABLE', message: 'try again' } }),
    );
    const api = new OrdersApi('http://api.test', { fetch });
    expect(await api.remove(7)).toEqual({ ok: false, error: { status: 404, code: 'E_NOT_FOUND', message: 'no order 7', fields: [] } });
    expect(await api.update(7, { quantity: 2 })).toMatchObject({ ok: false, error: { status: 503, code: 'E_DATABASE_UNAVAILABLE' } });
  });

  it('names an HTTP error without an error body by its status', async () => {
    const { fetch } = fakeFetch(respond(502), respond(500, { message: 'not our shape' }));
    const api = new OrdersApi('http://api.test', { fetch });
    expect(await api.remove(1)).toMatchObject({ ok: false, error: { status: 502, code: 'HTTP_502' } });
    expect(await api.remove(1)).toMatchObject({ ok: false, error: { status: 500, code: 'HTTP_500' } });
  });

  it('turns a failed or timed-out request into E_NETWORK / E_TIMEOUT, never a rejection', async () => {
    const timeout = Object.assign(new Error('signal timed out'), { name: 'TimeoutError' });
    const { fetch } = fakeFetch(new TypeError('Failed to fetch'), timeout);
    const api = new OrdersApi('http://api.test', { fetch });
    expect(await api.remove(1)).toMatchObject({ ok: false, error: { status: undefined, code: 'E_NETWORK' } });
    expect(await api.remove(1)).toMatchObject({ ok: false, error: { status: undefined, code: 'E_TIMEOUT' } });
  });

  it('reports a success answer without the row as E_BAD_RESPONSE', async () => {
    const { fetch } = fakeFetch(respond(201, { ok: true }));
    expect(
      await new OrdersApi('http://api.test', { fetch }).create({ customer_name: 'A', product_name: 'B', quantity: 1, amount: '1' }),
    ).toMatchObject({
      ok: false,
      error: { status: 201, code: 'E_BAD_RESPONSE' },
    });
  });

  it('sends the access token as Authorization: Bearer on every call when it has one', async () => {
    const { fetch, calls } = fakeFetch(respond(201, row), respond(200, row), respond(204));
    const api = new OrdersApi('http://api.test', { fetch, token: 'abc.def.ghi' });
    await api.create({ customer_name: 'Ada', product_name: 'Pen', quantity: 1, amount: '2.50' });
    await api.update(7, { status: 'shipped' });
    await api.remove(7);
    expect(calls.map((call) => call.init.headers['authorization'])).toEqual([
      'Bearer abc.def.ghi',
      'Bearer abc.def.ghi',
      'Bearer abc.def.ghi',
    ]);
  });

  it('reads a 401 or 403 of access control like any error body', async () => {
    const { fetch } = fakeFetch(
      respond(401, { error: { code: 'E_UNAUTHORIZED', message: 'the access token has expired' } }),
      respond(403, { error: { code: 'E_FORBIDDEN', message: 'order 7 is not among the orders your access token allows' } }),
    );
    const api = new OrdersApi('http://api.test', { fetch, token: 'old' });
    expect(await api.remove(7)).toMatchObject({
      ok: false,
      error: { status: 401, code: 'E_UNAUTHORIZED', message: 'the access token has expired' },
    });
    expect(await api.remove(7)).toMatchObject({ ok: false, error: { status: 403, code: 'E_FORBIDDEN' } });
  });

  it('passes a timeout signal when given a way to make one', async () => {
    const { fetch, calls } = fakeFetch(respond(204));
    const controller = new AbortController();
    const asked: number[] = [];
    const api = new OrdersApi('http://api.test', {
      fetch,
      timeoutSignal: (ms) => {
        asked.push(ms);
        return controller.signal;
      },
    });
    await api.remove(1);
    expect(asked).toEqual([10_000]);
    expect(calls[0]?.init.signal).toBe(controller.signal);
  });
});
