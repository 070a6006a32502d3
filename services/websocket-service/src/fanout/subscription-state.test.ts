/**
 * The subscription state machine, transition by transition: each state × event gives the next state
 * and exactly the actions the hub carries out, in order.
 */
import { describe, expect, it } from 'vitest';
import { ERROR_CODES, parseCursor, type Position } from '@orders-live/protocol';
import {
  begin,
  transition,
  type SubscriptionEvent,
  type SubscriptionKind,
  type SubscriptionState,
  type Transition,
} from './subscription-state.js';

const at = (cursor: string): Position => parseCursor(cursor)!;
const TIMEOUT_MS = 10_000;
const held: SubscriptionState = { phase: 'held', from: at('0:5'), cursor: '0:5', deadline: 1_000 + TIMEOUT_MS };
const waiting: SubscriptionState = { phase: 'waiting', reset: undefined };
const tooOld = { cursor: '0:1', reason: 'cursor-too-old' } as const;
const waitingToReset: SubscriptionState = { phase: 'waiting', reset: tooOld };
const live: SubscriptionState = { phase: 'live' };
const ended: SubscriptionState = { phase: 'ended' };
const advanced = (cursor: string, whole = true): SubscriptionEvent => ({ type: 'view-advanced', position: at(cursor), whole });
const problem = { code: ERROR_CODES.UNKNOWN_COLUMN, message: 'filter: the table has no column "customer_name"' };
const ENDED_WITH_ERROR = {
  type: 'send-error',
  code: ERROR_CODES.UNKNOWN_COLUMN,
  message: `filter: the table has no column "customer_name": the table's columns changed, so this subscription ended`,
};
const stays = (state: SubscriptionState): Transition => ({ state, actions: [] });

describe('begin', () => {
  it('opens a subscription at once when the replica has caught up: a snapshot, or the window', () => {
    expect(begin('table', { how: 'open', caughtUp: true })).toEqual({ state: live, actions: [{ type: 'send-snapshot' }] });
    expect(begin('window', { how: 'open', caughtUp: true })).toEqual({ state: live, actions: [{ type: 'open-window' }] });
  });

  it('sends the reset frame before the snapshot when the subscribe is a reset', () => {
    const reset = { cursor: '0:1', reason: 'columns-changed' } as const;
    expect(begin('table', { how: 'open', reset, caughtUp: true })).toEqual({
      state: live,
      actions: [{ type: 'send-reset', cursor: '0:1', reason: 'columns-changed' }, { type: 'send-snapshot' }],
    });
  });

  it('waits, sending nothing, while the replica has not caught up, and remembers a reset', () => {
    expect(begin('table', { how: 'open', caughtUp: false })).toEqual(stays(waiting));
    expect(begin('table', { how: 'open', reset: tooOld, caughtUp: false })).toEqual(stays(waitingToReset));
  });

  it('holds a cursor ahead of the view until a deadline, arming the hold timer', () => {
    expect(begin('window', { how: 'hold', from: at('0:5'), cursor: '0:5', now: 1_000, timeoutMs: TIMEOUT_MS })).toEqual({
      state: held,
      actions: [{ type: 'arm-hold-timer', ms: TIMEOUT_MS }],
    });
  });

  it('is live after a replay from the ring, which the runner sent', () => {
    expect(begin('table', { how: 'replayed' })).toEqual(stays(live));
  });
});

describe('caught-up', () => {
  const caughtUp: SubscriptionEvent = { type: 'caught-up' };

  it('sends a waiting subscription what it waited for: a snapshot, the window, or a reset and a snapshot', () => {
    expect(transition('table', waiting, caughtUp)).toEqual({ state: live, actions: [{ type: 'send-snapshot' }] });
    expect(transition('window', waiting, caughtUp)).toEqual({ state: live, actions: [{ type: 'open-window' }] });
    expect(transition('table', waitingToReset, caughtUp)).toEqual({
      state: live,
      actions: [{ type: 'send-reset', cursor: '0:1', reason: 'cursor-too-old' }, { type: 'send-snapshot' }],
    });
  });

  it('changes nothing in any other state', () => {
    for (const state of [held, live, ended]) expect(transition('table', state, caughtUp)).toEqual(stays(state));
  });
});

describe('view-advanced', () => {
  it('delivers the fetch to a live subscription, whether or not the view is whole', () => {
    for (const kind of ['table', 'window'] as const) {
      expect(transition(kind, live, advanced('0:9'))).toEqual({ state: live, actions: [{ type: 'deliver' }] });
      expect(transition(kind, live, advanced('0:9', false))).toEqual({ state: live, actions: [{ type: 'deliver' }] });
    }
  });

  it('sends a waiting or ended subscription nothing', () => {
    for (const state of [waiting, waitingToReset, ended]) expect(transition('table', state, advanced('0:9'))).toEqual(stays(state));
  });

  it('keeps holding while the view is before the cursor', () => {
    for (const kind of ['table', 'window'] as const) expect(transition(kind, held, advanced('0:4'))).toEqual(stays(held));
  });

  it('releases a held table subscription when the view reaches its cursor: resumed from it, then the rest of the fetch', () => {
    for (const cursor of ['0:5', '0:7']) {
      expect(transition('table', held, advanced(cursor, false))).toEqual({
        state: live,
        actions: [{ type: 'cancel-hold-timer' }, { type: 'send-resumed', from: at('0:5') }, { type: 'deliver' }],
      });
    }
  });

  it('opens a held window once the view reaches its cursor and is whole, not while the pipeline holds some of it back', () => {
    expect(transition('window', held, advanced('0:5'))).toEqual({
      state: live,
      actions: [{ type: 'cancel-hold-timer' }, { type: 'open-window' }],
    });
    expect(transition('window', held, advanced('0:5', false))).toEqual(stays(held));
  });
});

describe('hold-timeout', () => {
  it('resets a held subscription at its deadline with cursor-not-reached: then a snapshot, or the window', () => {
    const reset = { type: 'send-reset', cursor: '0:5', reason: 'cursor-not-reached' };
    expect(transition('table', held, { type: 'hold-timeout', now: 1_000 + TIMEOUT_MS })).toEqual({
      state: live,
      actions: [reset, { type: 'send-snapshot' }],
    });
    expect(transition('window', held, { type: 'hold-timeout', now: 1_000 + TIMEOUT_MS + 5 })).toEqual({
      state: live,
      actions: [reset, { type: 'open-window' }],
    });
  });

  it('arms the timer again for the rest when it fires before the deadline by the clock', () => {
    expect(transition('table', held, { type: 'hold-timeout', now: 1_000 + TIMEOUT_MS - 3 })).toEqual({
      state: held,
      actions: [{ type: 'arm-hold-timer', ms: 3 }],
    });
  });

  it('is ignored by a subscription no longer held (released in the meantime, or ended)', () => {
    for (const state of [waiting, live, ended]) {
      expect(transition('table', state, { type: 'hold-timeout', now: 1_000 + TIMEOUT_MS })).toEqual(stays(state));
    }
  });
});

describe('columns-changed', () => {
  it('sends a live subscription the new columns and its rows afresh: a snapshot, or the window', () => {
    const changed: SubscriptionEvent = { type: 'columns-changed', problem: undefined };
    expect(transition('table', live, changed)).toEqual({ state: live, actions: [{ type: 'send-snapshot' }] });
    expect(transition('window', live, changed)).toEqual({ state: live, actions: [{ type: 'open-window' }] });
  });

  it('sends a held or waiting subscription nothing: the columns come with its first rows', () => {
    const changed: SubscriptionEvent = { type: 'columns-changed', problem: undefined };
    for (const state of [held, waiting, ended]) expect(transition('window', state, changed)).toEqual(stays(state));
  });

  it('ends a subscription that names a column that is gone, in any state, with an error after the drop', () => {
    const changed: SubscriptionEvent = { type: 'columns-changed', problem };
    for (const state of [live, waiting, waitingToReset]) {
      expect(transition('table', state, changed)).toEqual({ state: ended, actions: [{ type: 'drop' }, ENDED_WITH_ERROR] });
    }
    expect(transition('window', held, changed)).toEqual({
      state: ended,
      actions: [{ type: 'cancel-hold-timer' }, { type: 'drop' }, ENDED_WITH_ERROR],
    });
    expect(transition('table', ended, changed)).toEqual(stays(ended));
  });
});

describe('unsubscribed', () => {
  it('drops the subscription, cancelling a hold timer first; an ended one stays ended', () => {
    for (const state of [live, waiting])
      expect(transition('window', state, { type: 'unsubscribed' })).toEqual({ state: ended, actions: [{ type: 'drop' }] });
    expect(transition('table', held, { type: 'unsubscribed' })).toEqual({
      state: ended,
      actions: [{ type: 'cancel-hold-timer' }, { type: 'drop' }],
    });
    expect(transition('table', ended, { type: 'unsubscribed' })).toEqual(stays(ended));
  });
});

describe('every state and event', () => {
  const states = [waiting, waitingToReset, held, live, ended];
  const events: SubscriptionEvent[] = [
    { type: 'caught-up' },
    advanced('0:9'),
    advanced('0:9', false),
    { type: 'hold-timeout', now: 1_000_000 },
    { type: 'columns-changed', problem: undefined },
    { type: 'columns-changed', problem },
    { type: 'unsubscribed' },
  ];
  const kinds: SubscriptionKind[] = ['table', 'window'];

  it('delivers a fetch only on view-advanced, sends a snapshot only to a table and opens a window only for a window', () => {
    for (const kind of kinds)
      for (const state of states)
        for (const event of events) {
          const types = transition(kind, state, event).actions.map((a) => a.type);
          if (event.type !== 'view-advanced') expect(types).not.toContain('deliver');
          expect(types).not.toContain(kind === 'table' ? 'open-window' : 'send-snapshot');
        }
  });

  it('never leaves ended, and never arms a hold timer outside held', () => {
    for (const kind of kinds)
      for (const state of states)
        for (const event of events) {
          const next = transition(kind, state, event);
          if (state.phase === 'ended') expect(next).toEqual(stays(ended));
          if (next.state.phase !== 'held') expect(next.actions.map((a) => a.type)).not.toContain('arm-hold-timer');
        }
  });
});
