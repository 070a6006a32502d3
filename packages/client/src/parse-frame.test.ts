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
    ['a float amount', JSON.stringify({ ...snapshot([order(1)], '0:1'), rows: [{ ...order(1), amount: 12.5 }] })],
    ['an extra field', JSON.stringify({ type: 'heartbeat', cursor: '0:1', extra: true })],
  ])('rejects %s with a reason, without throwing', (_, data) => {
    const parsed = parseServerFrame(data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toBe('');
  });
});
