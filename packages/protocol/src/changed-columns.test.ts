import { describe, expect, it } from 'vitest';
import { changedColumns, sameWireValue } from './changed-columns.js';

describe('changedColumns', () => {
  it('names the columns whose values differ, arrays by their elements, in the order asked', () => {
    const before = { id: 1, note: null, tags: ['a', 'b'], meta: '{"n":1}' };
    const after = { id: 1, note: 'new', tags: ['a', 'b'], meta: '{"n":2}' };
    expect(changedColumns(['id', 'meta', 'tags', 'note'], before, after)).toEqual(['meta', 'note']);
    expect(sameWireValue(['a', 'b'], ['a', 'b'])).toBe(true);
    expect(sameWireValue(['a'], 'a')).toBe(false);
    // A column one row lacks (not a column of it) differs from any value, null included.
    expect(changedColumns(['added'], { id: 1 }, { id: 1, added: null })).toEqual(['added']);
  });
});
