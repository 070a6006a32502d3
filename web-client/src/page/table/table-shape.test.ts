import { describe, expect, it } from 'vitest';
import { columnsChange } from '@orders-live/client';
import { ORDERS_COLUMNS, type DegradedReport } from '@orders-live/protocol';
import { describeColumnsChange, describeStreamProblem } from './table-shape.js';

describe('describeStreamProblem', () => {
  it('says nothing while the stream is whole, and names the first gap while it is not', () => {
    expect(describeStreamProblem(null)).toBeUndefined();
    const report: DegradedReport = {
      code: 'STREAM_GAP',
      reason: '2 record(s) of the topic do not decode',
      openGaps: 2,
      gaps: [{ partition: 0, offset: '41', code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', row: 'id=7', at: 0 }],
    };
    expect(describeStreamProblem(report)).toBe(
      'Stream problem: 2 changes could not be read (first: id=7, DBZ_NOT_JSON at 0:41); the rows they were for may be stale until they are written again.',
    );
  });
});

describe('describeColumnsChange', () => {
  it('says nothing when the columns did not change', () => {
    expect(describeColumnsChange(columnsChange(undefined, ORDERS_COLUMNS))).toBeUndefined();
    expect(describeColumnsChange(columnsChange(ORDERS_COLUMNS, ORDERS_COLUMNS))).toBeUndefined();
  });

  it('names columns a DDL added, removed, renamed and retyped', () => {
    const note = { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true } as const;
    const columns = [
      ...ORDERS_COLUMNS.filter((c) => c.name !== 'amount').map((c) =>
        c.name === 'customer_name' ? { ...c, name: 'customer' } : c.name === 'quantity' ? { ...c, kind: 'bigint' as const } : c,
      ),
      note,
    ];
    expect(describeColumnsChange(columnsChange(ORDERS_COLUMNS, columns))).toBe(
      'The table changed: added note (text); removed amount; renamed customer_name → customer; changed quantity (int not null → bigint not null).',
    );
  });
});
