import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, type ColumnInfo } from '@orders-live/protocol';
import { fitQuery } from './query-columns.js';
import { DEFAULT_QUERY, queryFromSearch } from './table-query.js';

const WITH_NOTE: ColumnInfo[] = [...ORDERS_COLUMNS, { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true }];

describe('fitQuery', () => {
  it('keeps a query whose columns all exist, new ones included', () => {
    const query = queryFromSearch('?sort=note&dir=desc&q=hi&in=note&status=pending');
    expect(fitQuery(query, WITH_NOTE)).toEqual({ query, notes: [] });
  });

  it('drops a sort, a search and the chips naming columns the table lacks, saying so', () => {
    const query = queryFromSearch('?sort=note&dir=desc&q=hi&in=note&status=pending');
    const withoutStatus = ORDERS_COLUMNS.filter((column) => column.name !== 'status');
    expect(fitQuery(query, withoutStatus)).toEqual({
      query: DEFAULT_QUERY,
      notes: [
        'Not sorted by note: the table has no such column (any more).',
        'Search for "hi" dropped: the table has no column note (any more).',
        'Status filter dropped: the table has no status column (any more).',
      ],
    });
  });

  it('drops a sort on an array column and a search in a non-text column', () => {
    const columns: ColumnInfo[] = [
      ...ORDERS_COLUMNS,
      { name: 'tags', kind: 'array', elementKind: 'text', sourceType: '_TEXT', nullable: true },
    ];
    const fitted = fitQuery(queryFromSearch('?sort=tags&q=3&in=quantity'), columns);
    expect(fitted.query).toEqual(DEFAULT_QUERY);
    expect(fitted.notes).toEqual([
      'Not sorted by tags: a column of kind array cannot be sorted.',
      'Search for "3" dropped: Qty is not a text column.',
    ]);
  });

  it("drops another table's chips when their column is gone, saying so", () => {
    const customers = [
      { name: 'id', kind: 'uuid', sourceType: null, nullable: false },
      { name: 'name', kind: 'text', sourceType: null, nullable: false },
    ] as ColumnInfo[];
    const query = {
      ...DEFAULT_QUERY,
      sort: { column: 'id', direction: 'desc' as const },
      search: { ...DEFAULT_QUERY.search, column: 'name' },
      chips: { column: 'tier', kind: 'text' as const, values: ['pro'] },
    };
    expect(fitQuery(query, customers)).toEqual({
      query: { ...query, chips: { ...query.chips, values: [] } },
      notes: ['tier filter dropped: the table has no tier column (any more).'],
    });
    expect(fitQuery(query, [...customers, { name: 'tier', kind: 'text', sourceType: null, nullable: false }])).toEqual({
      query,
      notes: [],
    });
  });
});
