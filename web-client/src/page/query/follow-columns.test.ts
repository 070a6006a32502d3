import { describe, expect, it } from 'vitest';
import { ERROR_CODES, ORDERS_COLUMNS, type ColumnInfo } from '@orders-live/protocol';
import { FollowColumns } from './follow-columns.js';
import { DEFAULT_QUERY, queryFromSearch, type TableQuery } from './table-query.js';

const WITH_NOTE: ColumnInfo[] = [...ORDERS_COLUMNS, { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true }];

function setup(start: TableQuery) {
  let query = start;
  const log: string[] = [];
  const follow = new FollowColumns({
    current: () => query,
    apply: (next) => {
      query = next;
      log.push(`apply sort=${next.sort.column}`);
    },
    probe: () => log.push('probe'),
    note: (text) => log.push(`note ${text ?? ''}`),
  });
  return { follow, log, query: () => query };
}

describe('FollowColumns', () => {
  it('leaves a query that fits the columns alone', () => {
    const { follow, log } = setup(queryFromSearch('?sort=note'));
    follow.columns(WITH_NOTE);
    expect(log).toEqual([]);
  });

  it('drops a sort on a column the columns no longer have, with a note', () => {
    const { follow, log, query } = setup(queryFromSearch('?sort=note&dir=desc'));
    follow.columns(ORDERS_COLUMNS);
    expect(log).toEqual(['note Not sorted by note: the table has no such column (any more).', 'apply sort=id']);
    expect(query()).toEqual(DEFAULT_QUERY);
  });

  it('on E_UNKNOWN_COLUMN probes once for the columns, then fits the query to them', () => {
    const { follow, log } = setup(queryFromSearch('?sort=nope'));
    follow.serverError(ERROR_CODES.BAD_WINDOW);
    expect(log).toEqual([]);
    follow.serverError(ERROR_CODES.UNKNOWN_COLUMN);
    follow.serverError(ERROR_CODES.UNKNOWN_COLUMN);
    expect(log).toEqual(['probe']);
    follow.columns(ORDERS_COLUMNS);
    expect(log).toEqual(['probe', 'note Not sorted by nope: the table has no such column (any more).', 'apply sort=id']);
  });

  it('subscribes the query again after a probe whose columns it fits (the column came back)', () => {
    const { follow, log } = setup(queryFromSearch('?sort=note'));
    follow.serverError(ERROR_CODES.UNKNOWN_COLUMN);
    follow.columns(WITH_NOTE);
    expect(log).toEqual(['probe', 'apply sort=note']);
  });
});
