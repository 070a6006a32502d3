import { describe, expect, it, vi } from 'vitest';
import { ORDERS_COLUMNS, type ColumnInfo, type DegradedReport, type OrderRow } from '@orders-live/protocol';
import { INVALID_FRAME_CODES } from './index.js';
import { START, live, setup, useFakeClock } from './client-harness.js';
import { insert, order, resumed, snapshot } from './fixtures.js';

useFakeClock();

describe('OrdersLiveClient: columns and stream status', () => {
  const WITH_NOTE: ColumnInfo[] = [...ORDERS_COLUMNS, { name: 'note', kind: 'text', sourceType: 'TEXT', nullable: true }];
  const columns = (list: readonly ColumnInfo[], cursor: string, id = 'orders') => ({
    type: 'columns',
    id,
    table: 'orders',
    columns: list,
    key: ['id'],
    cursor,
  });

  it('exposes the columns of its subscription, and after a schema change the new columns, then the rows afresh', () => {
    const context = setup();
    const { client, events, last } = context;
    client.connect();
    last().open();
    expect(client.columns).toBeUndefined();
    last().receive(columns(ORDERS_COLUMNS, '0:10'));
    last().receive(snapshot([order(1)], '0:10'));
    expect(client.columns).toEqual(ORDERS_COLUMNS);
    // A DDL: the new columns, then every row in the new shape (a snapshot the server chose to send).
    last().receive(columns(WITH_NOTE, '0:11'));
    const noted = { ...order(1), note: 'hi' };
    last().receive(snapshot([noted], '0:11'));
    expect(client.columns).toEqual(WITH_NOTE);
    expect(events.columns.map((e) => [e.columns.length, e.cursor])).toEqual([
      [ORDERS_COLUMNS.length, '0:10'],
      [WITH_NOTE.length, '0:11'],
    ]);
    expect(events.columns[0]?.change).toEqual({ added: [], removed: [], renamed: [], retyped: [] });
    expect(events.columns[1]?.change).toEqual({ added: [WITH_NOTE.at(-1)], removed: [], renamed: [], retyped: [] });
    expect(client.rows()).toEqual([noted]);
    // Another subscription's columns are not this view's.
    last().receive(columns(ORDERS_COLUMNS, '0:12', 'other'));
    expect(client.columns).toEqual(WITH_NOTE);
  });

  it('exposes the stream status: degraded with its gaps, then whole again', () => {
    const { client, events, last } = live();
    expect(client.degraded).toBeNull();
    const report: DegradedReport = {
      code: 'STREAM_GAP',
      reason: '1 record(s) of the topic do not decode',
      openGaps: 1,
      gaps: [{ partition: 0, offset: '41', code: 'DBZ_NOT_JSON', reason: 'record value is not JSON', row: 'id=1', at: START }],
    };
    last().receive({ type: 'stream-status', degraded: report });
    expect(client.degraded).toEqual(report);
    last().receive({ type: 'stream-status', degraded: null });
    expect(client.degraded).toBeNull();
    expect(events['stream-status']).toEqual([{ degraded: report }, { degraded: null }]);
    expect(events['invalid-frame']).toEqual([]);
  });

  it('refuses rows that do not fit the columns, with a stable code, and never applies them', () => {
    const { client, events, last } = live();
    // Rows before any columns frame are checked against the table as created.
    last().receive(insert({ ...order(3), note: 'x' } as never, '0:11'));
    expect(events['invalid-frame'].at(-1)).toMatchObject({ code: INVALID_FRAME_CODES.ROW_COLUMNS, reason: expect.stringMatching(/note/) });
    expect(client.get(3)).toBeUndefined();

    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(WITH_NOTE, '0:10'));
    last().receive(resumed('0:10', 0));
    expect(client.state.name).toBe('live');
    // A value not of its column's kind: a number for a decimal, a string for an int.
    last().receive(insert({ ...order(4), amount: 12.5, note: null } as never, '0:12'));
    expect(events['invalid-frame'].at(-1)).toMatchObject({
      code: INVALID_FRAME_CODES.VALUE_KIND,
      reason: 'transaction 0:12: row 4, column amount: expected decimal text (decimal), got 12.5',
    });
    expect(client.get(4)).toBeUndefined();
    expect(client.cursor).toBe('0:10');

    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(WITH_NOTE, '0:10'));
    last().receive(resumed('0:10', 1));
    last().receive(insert({ ...order(4), note: 'fits' } as OrderRow, '0:12'));
    expect(client.get(4)).toMatchObject({ id: 4, note: 'fits' });
  });

  it("checks a window subscription's rows too, and reports a rename as one", () => {
    const query = { orderBy: { column: 'id', direction: 'asc' }, limit: 10 } as const;
    const { client, events, last } = setup({ window: query });
    client.connect();
    last().open();
    const renamed = ORDERS_COLUMNS.map((column) => (column.name === 'product_name' ? { ...column, name: 'product' } : column));
    last().receive(columns(ORDERS_COLUMNS, '0:1'));
    last().receive(columns(renamed, '0:2'));
    expect(events.columns[1]?.change.renamed).toEqual([{ from: 'product_name', to: renamed[2] }]);
    const window = (rows: unknown[]) => ({
      type: 'window',
      id: 'orders',
      table: 'orders',
      rows,
      offset: 0,
      total: rows.length,
      counts: {},
      cursor: '0:2',
    });
    last().receive(window([order(1)]));
    expect(events['invalid-frame'].at(-1)).toMatchObject({ code: INVALID_FRAME_CODES.ROW_COLUMNS });
    expect(client.window).toBeUndefined();
    vi.runOnlyPendingTimers();
    last().open();
    last().receive(columns(renamed, '0:2'));
    const { product_name: product, ...rest } = order(1);
    last().receive(window([{ ...rest, product }]));
    expect(client.rows()).toEqual([{ ...rest, product }]);
    expect(client.state.name).toBe('live');
  });
});
