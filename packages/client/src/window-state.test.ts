import { describe, expect, it } from 'vitest';
import { clientFrameSchema, type DiffFrame, type SubscriptionFilter, type WindowFrame, type WindowQuery } from '@orders-live/protocol';
import { WindowState } from './window-state.js';
import { order } from './fixtures.js';

const query: WindowQuery = { orderBy: { column: 'amount', direction: 'desc' }, limit: 2 };
const counts = { pending: 2, shipped: 0, delivered: 0 };
const windowFrame = (id: string, cursor: string): WindowFrame => ({
  type: 'window',
  id,
  table: 'orders',
  rows: [order(1), order(2)],
  offset: 0,
  total: 2,
  counts,
  cursor,
});
const diff = (id: string, cursor: string, ops: DiffFrame['ops']): DiffFrame => ({
  type: 'diff',
  id,
  table: 'orders',
  ops,
  offset: 0,
  total: 3,
  counts: { ...counts, pending: 3 },
  txId: 7,
  commitTime: 5,
  kafkaTime: 6,
  sentAt: 7,
  cursor,
});

describe('WindowState', () => {
  it('subscribes with its query, takes the window, applies diffs once, and resumes with its cursor', () => {
    const state = new WindowState('w', query);
    expect(state.subscribe()).toEqual({ type: 'subscribe', id: 'w', table: 'orders', window: query });
    expect(state.apply(windowFrame('w', '0:5'))).toMatchObject({ kind: 'window', window: { total: 2 } });
    const outcome = state.apply(
      diff('w', '0:6', [
        { op: 'leave', key: { id: 2 } },
        { op: 'enter', row: order(3), index: 0 },
      ]),
    );
    expect(outcome).toMatchObject({ kind: 'diff', txId: 7, commitTime: 5 });
    expect(state.window?.rows.map((r) => r.id)).toEqual([3, 1]);
    expect(state.apply(diff('w', '0:6', []))).toEqual({ kind: 'duplicate', cursor: '0:6' });
    expect(state.subscribe()).toMatchObject({ cursor: '0:6' });
  });

  it('subscribes with a range filter as typed, which the protocol takes as it is', () => {
    const filter: SubscriptionFilter = { amount: { gt: '100' }, quantity: { gte: 2, lt: 10 } };
    const frame = new WindowState('w', query, filter).subscribe();
    expect(frame).toEqual({ type: 'subscribe', id: 'w', table: 'orders', filter, window: query });
    expect(clientFrameSchema.parse(frame)).toEqual(frame);
  });

  it('refuses a diff that does not fit, leaving the rows as they were', () => {
    const state = new WindowState('w', query);
    state.subscribe();
    state.apply(windowFrame('w', '0:5'));
    expect(state.apply(diff('w', '0:6', [{ op: 'leave', key: { id: 9 } }]))).toMatchObject({ kind: 'invalid' });
    expect(state.window?.rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it('moves to a new query under a new id, ignoring frames of the old one', () => {
    const state = new WindowState('w', query);
    state.subscribe();
    state.apply(windowFrame('w', '0:5'));
    expect(state.setQuery({ ...query, offset: 2 })).toBe('w');
    expect(state.subscribe()).toMatchObject({ id: 'w.1', window: { offset: 2 } });
    expect(state.apply(diff('w', '0:6', []))).toEqual({ kind: 'ignored', reason: 'other-subscription' });
    expect(state.apply(windowFrame('w.1', '0:7'))).toMatchObject({ kind: 'window' });
  });
});
