import { describe, expect, it } from 'vitest';
import { defaultCountBy } from './table-stream.js';

describe('defaultCountBy', () => {
  it('counts a table COUNT_BY does not name by its first enum or boolean column, and by none without one', () => {
    const column = (name: string, kind: string) => ({ name, kind });
    expect(defaultCountBy([column('id', 'bigint'), column('note', 'text'), column('mood', 'enum'), column('done', 'boolean')])).toBe(
      'mood',
    );
    expect(defaultCountBy([column('id', 'uuid'), column('done', 'boolean')])).toBe('done');
    expect(defaultCountBy([column('id', 'int'), column('kind', 'text')])).toBeNull();
  });
});
