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
  ])('rejects %s with %s', (text, code) => {
    const parsed = parseClientFrame(text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.code).toBe(code);
  });
});
