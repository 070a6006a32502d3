import { describe, expect, it } from 'vitest';
import { parseServerFrame } from './parse-frame.js';
import { order, rowChange, snapshot, transaction } from './fixtures.js';

describe('parseServerFrame', () => {
  it('accepts the frames of protocol v2', () => {
    expect(parseServerFrame(JSON.stringify(snapshot([order(1)], '0:3')))).toEqual({ ok: true, frame: snapshot([order(1)], '0:3') });
    expect(parseServerFrame('{"type":"heartbeat","table":"orders","cursor":"0:9"}')).toEqual({
      ok: true,
      frame: { type: 'heartbeat', table: 'orders', cursor: '0:9' },
    });
  });

  it('accepts a change and a window step with or without their LSN', () => {
    const withLsn = transaction([
      { ...rowChange('insert', order(1), null, '0:4'), lsn: 26422144 },
      rowChange('delete', null, order(2), '0:5'),
    ]);
    expect(parseServerFrame(JSON.stringify(withLsn))).toEqual({ ok: true, frame: withLsn });
    const diff = {
      ...{ type: 'diff', id: 'w', table: 'orders', offset: 0, total: 1, counts: {}, cursor: '0:4' },
      ...{ txId: 7, commitTime: 0, kafkaTime: 0, sentAt: 0 },
      ops: [
        { op: 'enter', row: order(1), index: 0, lsn: Number.MAX_SAFE_INTEGER },
        { op: 'leave', key: { id: 2 }, reason: 'moved' },
        { op: 'leave', key: { id: 3 }, reason: 'deleted', lsn: 9 },
      ],
    };
    expect(parseServerFrame(JSON.stringify(diff))).toEqual({ ok: true, frame: diff });
  });

  it.each([
    ['an LSN as text', '"0/1932B80"'],
    ['a negative LSN', '-1'],
    ['a fractional LSN', '1.5'],
    ['an LSN past 2^53', '9007199254740993'],
    ['a null LSN', 'null'],
  ])('rejects a change with %s', (_, lsn) => {
    const frame = JSON.stringify(transaction([rowChange('insert', order(1), null, '0:4')]));
    const parsed = parseServerFrame(frame.replace('"cursor":"0:4"', `"cursor":"0:4","lsn":${lsn}`));
    expect(parsed).toMatchObject({ ok: false, reason: expect.stringContaining('lsn') });
  });

  it.each([
    ['binary', new Uint8Array([123, 125])],
    ['not JSON', '{"type":'],
    ['an unknown type', '{"type":"mystery"}'],
    ['a row that is not an object', JSON.stringify({ ...snapshot([order(1)], '0:1'), rows: [7] })],
    ['a row that is an array', JSON.stringify({ ...snapshot([order(1)], '0:1'), rows: [[1, 'a']] })],
    ['a columns frame without columns', JSON.stringify({ type: 'columns', id: 'orders', table: 'orders', columns: [], cursor: '0:1' })],
    [
      'a stream-status of an unknown code',
      JSON.stringify({ type: 'stream-status', degraded: { code: 'OTHER', reason: 'x', openGaps: 1, gaps: [] } }),
    ],
    ['an extra field', JSON.stringify({ type: 'heartbeat', table: 'orders', cursor: '0:1', extra: true })],
  ])('rejects %s with a reason, without throwing', (_, data) => {
    const parsed = parseServerFrame(data);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.reason).not.toBe('');
  });
});
