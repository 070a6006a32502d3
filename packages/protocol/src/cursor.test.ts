import { describe, expect, it } from 'vitest';
import { ORIGIN_CURSOR, compareCursors, formatCursor, parseCursor } from './cursor.js';

describe('cursors', () => {
  it('round-trip through their text form', () => {
    expect(formatCursor({ partition: 0, offset: 42n })).toBe('0:42');
    expect(parseCursor('0:42')).toEqual({ partition: 0, offset: 42n });
    expect(parseCursor(ORIGIN_CURSOR)).toEqual({ partition: 0, offset: -1n });
  });

  it('order by offset, beyond 2^53', () => {
    expect(compareCursors('0:9', '0:10')).toBeLessThan(0);
    expect(compareCursors('0:9007199254740993', '0:9007199254740992')).toBeGreaterThan(0);
    expect(compareCursors('0:5', '0:5')).toBe(0);
  });

  it.each(['', '0', '0:', ':1', '0:01', '0:-2', 'a:1', '0:1 ', '0:1e3', '0:99999999999999999999'])('rejects %j', (text) => {
    expect(parseCursor(text)).toBeUndefined();
  });
});
