import { describe, expect, it } from 'vitest';
import type { Position, SubscribeFrame } from '@orders-live/protocol';
import { planSubscribe } from './subscribe-planner.js';
import type { TableChange } from './view.js';

const at = (offset: number): Position => ({ partition: 0, offset: BigInt(offset) });
const change = (offset: number) => ({ position: at(offset), cursor: `0:${offset}` }) as TableChange;
/** A ring holding the changes after offset 4 (5…9), the view at 9. */
const since = (position: Position) => (position.offset < 4n ? undefined : [5, 6, 7, 8, 9].filter((o) => BigInt(o) > position.offset).map(change));
const plan = (frame: Partial<SubscribeFrame>, ids: string[] = []) =>
  planSubscribe({ frame: { type: 'subscribe', id: 's', table: 'orders', ...frame }, viewPosition: at(9), since, subscriptionIds: new Set(ids), maxSubscriptions: 2 });
const window = { orderBy: { column: 'quantity', direction: 'asc' }, limit: 10 } as const;

describe('planSubscribe', () => {
  it('snapshots a table and opens a window without a cursor', () => {
    expect(plan({})).toEqual({ action: 'snapshot' });
    expect(plan({ window })).toEqual({ action: 'window' });
  });

  it('replays a cursor the ring covers, resets an older one, holds one ahead of the view', () => {
    expect(plan({ cursor: '0:7' })).toMatchObject({ action: 'replay', changes: [{ cursor: '0:8' }, { cursor: '0:9' }] });
    expect(plan({ cursor: '0:2' })).toEqual({ action: 'reset', from: at(2) });
    expect(plan({ cursor: '0:12' })).toEqual({ action: 'hold', from: at(12) });
  });

  it('sends a window afresh for any cursor the view has reached, and holds one it has not', () => {
    expect(plan({ window, cursor: '0:2' })).toEqual({ action: 'window' });
    expect(plan({ window, cursor: '0:12' })).toEqual({ action: 'hold', from: at(12) });
  });

  it('refuses with a code: unknown table, duplicate id, too many, bad cursor, a keyset value of the wrong type', () => {
    expect(plan({ table: 'users' })).toMatchObject({ action: 'refuse', code: 'E_UNKNOWN_TABLE' });
    expect(plan({}, ['s'])).toMatchObject({ action: 'refuse', code: 'E_DUPLICATE_SUBSCRIPTION' });
    expect(plan({ id: 't' }, ['a', 'b'])).toMatchObject({ action: 'refuse', code: 'E_TOO_MANY_SUBSCRIPTIONS' });
    expect(plan({ cursor: 'x' })).toMatchObject({ action: 'refuse', code: 'E_BAD_CURSOR' });
    expect(plan({ window: { ...window, after: { value: 'ten', id: 1 } } })).toMatchObject({ action: 'refuse', code: 'E_BAD_WINDOW' });
    expect(plan({ window: { ...window, after: { value: 10, id: 1 } } })).toEqual({ action: 'window' });
  });
});
