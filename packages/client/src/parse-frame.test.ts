import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './parse-frame.js';
import { order, snapshot } from './fixtures.js';

describe('parseServerFrame', () => {
  it('accepts the frames of protocol v2', () => {
    expect(parseServerFrame(JSON.stringify(snapshot([order(1)], '0:3')))).toEqual({ ok: true, frame: snapshot([order(1)], '0:3') });
    expect(parseServerFrame('{"type":"heartbeat","cursor":"0:9"}')).toEqual({ ok: true, frame: { type: 'heartbeat', cursor: '0:9' } });
  });

  it.each([
    ['binary', new Uint8Array([123, 125])],
    ['not JSON', '{"type":'],
    ['an unknown type', '{"type":"mystery"}'],
    ['a row without an id', JSON.stringify({ ...snapshot([order(1)], '0:1'), rows: [{ ...order(1), id: undefined }] })],
    ['a row with a text id', JSON.stringify({ ...snapshot([order(1)], '0:1'), rows: [{ ...order(1), id: '1' }] })],
    ['a columns frame without columns', JSON.stringify({ type: 'columns', id: 'orders', table: 'orders', columns: [], cursor: '0:1' })],
    ['a stream-status of an unknown code', JSON.stringify({ type: 'stream-status', degraded: { code: 'OTHER', reason: 'x', openGaps: 1, gaps: [] } })],
    ['an extra field', JSON.stringify({ type: 'heartbeat', cursor: '0:1', extra: true })],
  ])('rejects %s with a reason, without throwing', (_, data) => {
    const parsed = parseServerFrame(data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toBe('');
  });
});
