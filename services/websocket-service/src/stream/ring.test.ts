import { describe, expect, it } from 'vitest';
import { formatCursor, type Position } from '@orders-live/protocol';
import { ChangeRing } from './ring.js';
import type { TableChange } from '../table/table-view.js';

const at = (offset: number): Position => ({ partition: 0, offset: BigInt(offset) });
const change = (offset: number): TableChange => ({
  op: 'delete',
  key: { id: offset },
  id: offset,
  row: null,
  oldRow: null,
  changed: [],
  commitTime: 0,
  kafkaTime: 0,
  txId: null,
  lsn: null,
  position: at(offset),
  cursor: formatCursor(at(offset)),
});
const offsets = (changes: TableChange[] | undefined) => changes?.map((c) => Number(c.position.offset));

describe('ChangeRing', () => {
  it('returns exactly the changes after a position it still covers', () => {
    const ring = new ChangeRing(3);
    [2, 5, 9].forEach((o) => ring.push(change(o)));
    expect(offsets(ring.since(at(-1)))).toEqual([2, 5, 9]);
    expect(offsets(ring.since(at(5)))).toEqual([9]);
    expect(offsets(ring.since(at(6)))).toEqual([9]);
    expect(offsets(ring.since(at(9)))).toEqual([]);
  });

  it('says when a position is older than what it keeps', () => {
    const ring = new ChangeRing(3);
    [1, 2, 3, 4, 5].forEach((o) => ring.push(change(o)));
    expect(ring.size).toBe(3);
    expect(ring.floor).toEqual(at(2));
    expect(ring.since(at(1))).toBeUndefined();
    expect(offsets(ring.since(at(2)))).toEqual([3, 4, 5]);
  });

  it('stays correct across many evictions', () => {
    const ring = new ChangeRing(4);
    for (let o = 0; o < 1_000; o++) ring.push(change(o));
    expect(ring.size).toBe(4);
    expect(offsets(ring.since(at(995)))).toEqual([996, 997, 998, 999]);
    expect(ring.since(at(994))).toBeUndefined();
  });

  it('refuses a capacity that is not a positive integer', () => {
    expect(() => new ChangeRing(0)).toThrow(RangeError);
  });
});
