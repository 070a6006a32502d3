import { describe, expect, it } from 'vitest';
import type { LiveRow } from '@orders-live/protocol';
import { anchorShift } from './row-anchor.js';

const rows = (...ids: number[]) => ids.map((id) => ({ id }));
const idOf = (row: LiveRow) => row['id'] as number;

describe('anchorShift', () => {
  it('counts the rows that came above the anchor, by its rank before and after', () => {
    // Newest first: 3 new orders (103–101) came above order 100.
    expect(anchorShift({ offset: 0, rows: rows(100, 99, 98) }, { offset: 0, rows: rows(103, 102, 101, 100, 99) }, [99], idOf)).toBe(3);
    // A window further down: ranks, not positions in the window, are compared.
    expect(anchorShift({ offset: 40, rows: rows(10, 9) }, { offset: 40, rows: rows(11, 10, 9) }, [9], idOf)).toBe(1);
    // Rows that went above it: negative.
    expect(anchorShift({ offset: 0, rows: rows(5, 4, 3) }, { offset: 0, rows: rows(4, 3) }, [3], idOf)).toBe(-1);
  });

  it('takes the first candidate both windows hold (the pointer’s row deleted: the next row on screen)', () => {
    const before = { offset: 0, rows: rows(7, 6, 5) };
    const after = { offset: 0, rows: rows(9, 8, 7, 5) };
    expect(anchorShift(before, after, [6, 5], idOf)).toBe(1);
    expect(anchorShift(before, after, [42, 7], idOf)).toBe(2);
    expect(anchorShift(before, after, [6], idOf)).toBeUndefined();
    expect(anchorShift(before, after, [], idOf)).toBeUndefined();
  });
});
