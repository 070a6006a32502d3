import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, ORDER_COLUMNS, type DegradedReport } from '@orders-live/protocol';
import { columnsDifference, describeColumns, describeStreamProblem } from './table-shape.js';

describe('describeStreamProblem', () => {
  it('says nothing while the stream is whole, and names the first gap while it is not', () => {
    expect(describeStreamProblem(null)).toBeUndefined();
    const report: DegradedReport = {
      code: 'STREAM_GAP',
      reason: '2 record(s) of the topic do not decode',
      openGaps: 2,
      gaps: [{ partition: 0, offset: '41', code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', row: 'id=7', at: 0 }],
    };
    expect(describeStreamProblem(report)).toBe('Stream problem: 2 changes could not be read (first: id=7, DBZ_NOT_JSON at 0:41); the rows they were for may be stale until they are written again.');
  });
});

describe('describeColumns', () => {
  it('says nothing while the table has the columns the page shows', () => {
    expect(describeColumns(undefined, ORDER_COLUMNS)).toBeUndefined();
    expect(describeColumns(ORDERS_COLUMNS, ORDER_COLUMNS)).toBeUndefined();
  });

  it('names columns a DDL added and shown columns it removed', () => {
    const columns = [...ORDERS_COLUMNS.filter((c) => c.name !== 'product_name'), { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true } as const];
    expect(columnsDifference(columns, ORDER_COLUMNS)).toEqual({ added: [columns.at(-1)], gone: ['product_name'] });
    expect(describeColumns(columns, ORDER_COLUMNS)).toBe('The table changed — new columns: note (text); no longer in the table: product_name.');
  });
});
