import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '@orders-live/protocol';
import { parseClientFrame } from './client-frames.js';

describe('parseClientFrame', () => {
  it('accepts subscribe and unsubscribe', () => {
    expect(parseClientFrame('{"type":"subscribe","id":"a","table":"orders"}')).toEqual({
      ok: true,
      frame: { type: 'subscribe', id: 'a', table: 'orders' },
    });
    expect(parseClientFrame('{"type":"unsubscribe","id":"a"}')).toEqual({ ok: true, frame: { type: 'unsubscribe', id: 'a' } });
    const window = { orderBy: { column: 'amount', direction: 'desc' }, limit: 100, after: { value: '12.50', id: 7 } };
    expect(
      parseClientFrame(
        JSON.stringify({ type: 'subscribe', id: 'w', table: 'orders', window, filter: { customer_name: { contains: 'Ada' } } }),
      ),
    ).toMatchObject({ ok: true, frame: { window } });
  });

  it.each([
    ['not json', ERROR_CODES.BAD_JSON],
    ['', ERROR_CODES.BAD_JSON],
    ['[]', ERROR_CODES.BAD_FRAME],
    ['null', ERROR_CODES.BAD_FRAME],
    ['{"type":"hello"}', ERROR_CODES.BAD_FRAME],
    ['{"type":"subscribe","table":"orders"}', ERROR_CODES.BAD_FRAME],
    ['{"type":"subscribe","id":"","table":"orders"}', ERROR_CODES.BAD_FRAME],
    ['{"type":"subscribe","id":"a","table":"orders","extra":1}', ERROR_CODES.BAD_FRAME],
    [`{"type":"subscribe","id":"${'x'.repeat(65)}","table":"orders"}`, ERROR_CODES.BAD_FRAME],
    ['{"type":"subscribe","id":"a","table":"orders","filter":{"quantity":{"prefix":""}}}', ERROR_CODES.BAD_FILTER],
    ['{"type":"subscribe","id":"a","table":"orders","filter":{"quantity":{"eq":{"n":1}}}}', ERROR_CODES.BAD_FILTER],
    [
      '{"type":"subscribe","id":"a","table":"orders","window":{"orderBy":{"column":"","direction":"asc"},"limit":5}}',
      ERROR_CODES.BAD_WINDOW,
    ],
    [
      '{"type":"subscribe","id":"a","table":"orders","window":{"orderBy":{"column":"id","direction":"asc"},"limit":1001}}',
      ERROR_CODES.BAD_WINDOW,
    ],
    [
      '{"type":"subscribe","id":"a","table":"orders","window":{"orderBy":{"column":"id","direction":"asc"},"limit":5,"offset":1,"after":{"value":1,"id":1}}}',
      ERROR_CODES.BAD_WINDOW,
    ],
  ])('rejects %s with %s', (text, code) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.code).toBe(code);
  });
});
