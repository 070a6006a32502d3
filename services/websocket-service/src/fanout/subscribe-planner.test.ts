import { describe, expect, it } from 'vitest';
import { ORDERS_COLUMNS, ORIGIN, columnLookup, type ColumnInfo, type Position, type SubscribeFrame } from '@orders-live/protocol';
import { planSubscribe } from './subscribe-planner.js';
import type { TableChange } from '../table/table-view.js';

const at = (offset: number): Position => ({ partition: 0, offset: BigInt(offset) });
const change = (offset: number) => ({ position: at(offset), cursor: `0:${offset}` }) as TableChange;
/** A ring holding the changes after offset 4 (5…9), the view at 9. */
const since = (position: Position) =>
  position.offset < 4n ? undefined : [5, 6, 7, 8, 9].filter((o) => BigInt(o) > position.offset).map(change);
/** The table with a column added by a DDL, and an array column. */
const COLUMNS: readonly ColumnInfo[] = [
  ...ORDERS_COLUMNS,
  { name: 'paid', kind: 'boolean', sourceType: 'BOOL', nullable: true },
  { name: 'tags', kind: 'array', elementKind: 'text', sourceType: '_TEXT', nullable: true },
];
const plan = (frame: Partial<SubscribeFrame>, ids: string[] = [], columnsSince: Position = ORIGIN) =>
  planSubscribe({
    frame: { type: 'subscribe', id: 's', table: 'orders', ...frame },
    viewPosition: at(9),
    since,
    subscriptionIds: new Set(ids),
    maxSubscriptions: 2,
    columns: columnLookup(COLUMNS),
    columnsSince,
  });
const window = { orderBy: { column: 'quantity', direction: 'asc' }, limit: 10 } as const;

describe('planSubscribe', () => {
  it('snapshots a table and opens a window without a cursor', () => {
    expect(plan({})).toEqual({ action: 'snapshot' });
    expect(plan({ window })).toEqual({ action: 'window' });
  });

  it('replays a cursor the ring covers, resets an older one, holds one ahead of the view', () => {
    expect(plan({ cursor: '0:7' })).toMatchObject({ action: 'replay', changes: [{ cursor: '0:8' }, { cursor: '0:9' }] });
    expect(plan({ cursor: '0:2' })).toEqual({ action: 'reset', from: at(2), reason: 'cursor-too-old' });
    expect(plan({ cursor: '0:12' })).toEqual({ action: 'hold', from: at(12) });
  });

  it('sends a window afresh for any cursor the view has reached, and holds one it has not', () => {
    expect(plan({ window, cursor: '0:2' })).toEqual({ action: 'window' });
    expect(plan({ window, cursor: '0:12' })).toEqual({ action: 'hold', from: at(12) });
  });

  it('refuses with a code: duplicate id, too many, bad cursor, a keyset value of the wrong type (an unknown table: the hub)', () => {
    expect(plan({}, ['s'])).toMatchObject({ action: 'refuse', code: 'E_DUPLICATE_SUBSCRIPTION' });
    expect(plan({ id: 't' }, ['a', 'b'])).toMatchObject({ action: 'refuse', code: 'E_TOO_MANY_SUBSCRIPTIONS' });
    expect(plan({ cursor: 'x' })).toMatchObject({ action: 'refuse', code: 'E_BAD_CURSOR' });
    expect(plan({ window: { ...window, after: { value: 'ten', id: 1 } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_WINDOW' });
    expect(plan({ window: { ...window, after: { value: 10, id: 1 } } })).toEqual({ action: 'window' });
  });

  it('accepts only columns the table has, values of their kind, and sorts by sortable ones', () => {
    expect(plan({ filter: { colour: { eq: 'red' } } })).toMatchObject({ action: 'refuse', code: 'E_UNKNOWN_COLUMN' });
    expect(plan({ window: { ...window, orderBy: { column: 'colour', direction: 'asc' } } })).toMatchObject({
      action: 'refuse',
      code: 'E_UNKNOWN_COLUMN',
    });
    expect(plan({ filter: { paid: { eq: true } } })).toEqual({ action: 'snapshot' });
    expect(plan({ filter: { paid: { eq: 'yes' } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_FILTER' });
    expect(plan({ filter: { quantity: { prefix: '1' } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_FILTER' });
    expect(plan({ filter: { amount: { eq: 1.5 } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_FILTER' });
    expect(plan({ filter: { amount: { in: ['1.50', '2'] } } })).toEqual({ action: 'snapshot' });
    expect(plan({ window: { ...window, orderBy: { column: 'paid', direction: 'desc' }, after: { value: false, id: 3 } } })).toEqual({
      action: 'window',
    });
    expect(plan({ window: { ...window, orderBy: { column: 'tags', direction: 'asc' } } })).toMatchObject({
      action: 'refuse',
      code: 'E_BAD_WINDOW',
    });
    expect(plan({ filter: { tags: { eq: 'a' } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_FILTER' });
  });

  it('resets a resume from before the last schema change: the client holds rows of the old shape', () => {
    expect(plan({ cursor: '0:7' }, [], at(8))).toEqual({ action: 'reset', from: at(7), reason: 'columns-changed' });
    expect(plan({ cursor: '0:8' }, [], at(8))).toMatchObject({ action: 'replay', changes: [{ cursor: '0:9' }] });
    // A window is sent afresh anyway, in the columns of now.
    expect(plan({ window, cursor: '0:7' }, [], at(8))).toEqual({ action: 'window' });
  });
});
