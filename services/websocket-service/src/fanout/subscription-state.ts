/**
 * The lifecycle of one subscription on the server, as a pure state machine: states, the events the
 * hub feeds it, and transitions that return the next state and the actions for the hub to carry out.
 * No I/O and no timers: the clock (`now`) and positions come in as arguments; the hub keeps the
 * hold timer (armed and cancelled by actions) and feeds `hold-timeout` when it fires.
 *
 *   begin ── open, not caught up ──▶ waiting ── caught-up: [reset], snapshot | window ──▶ live ◀─┐
 *     │  ── open, caught up: [reset], snapshot | window ─────────────────────────────────▶ live  │
 *     │  ── replayed (the runner sent the ring's changes) ───────────────────────────────▶ live  │
 *     └──── cursor ahead of the view ──▶ held ── view-advanced (reached) ───────────────────────┤
 *                                         │      table: resumed, deliver   window: open-window  │
 *                                         └── hold-timeout (now ≥ deadline): reset, snapshot | window
 *
 *   live ── view-advanced ──▶ live: deliver the fetch's frames
 *   live ── columns-changed ──▶ live: the new columns and every row afresh (snapshot | window)
 *   any ── unsubscribed, or columns-changed naming a column that is gone (with an error) ──▶ ended
 *
 * - waiting: the replica has not caught up with its topic; it gets nothing, not a view that is still
 *   filling. It remembers what to send once it has: the snapshot or window, after a reset if the
 *   subscribe was one.
 * - held: the client's cursor is ahead of this replica's view. Released when the view reaches it —
 *   a window only when the view is whole (`whole`: the pipeline holds none of it back), as its index
 *   must see all of it — or reset after RESUME_HOLD_TIMEOUT_MS (`deadline`, by the hub's clock).
 * - A held or waiting subscription gets nothing on a column change: the columns come with its first
 *   rows, when it is released or opened.
 */
import type { ErrorCode, Position, ResetFrame } from '@orders-live/protocol';
import { isAfter } from '@orders-live/protocol';

export type SubscriptionKind = 'table' | 'window';

/** Why a subscription is reset (the reset frame's reason), and the client's cursor it names. */
export interface ResetCause {
  readonly cursor: string;
  readonly reason: ResetFrame['reason'];
}

export type SubscriptionState =
  /** Until the replica has caught up: then a snapshot or the window, after a reset when `reset` is set. */
  | { readonly phase: 'waiting'; readonly reset: ResetCause | undefined }
  /** Until the view reaches `from` (the client's `cursor`), or until `deadline` (epoch ms). */
  | { readonly phase: 'held'; readonly from: Position; readonly cursor: string; readonly deadline: number }
  | { readonly phase: 'live' }
  | { readonly phase: 'ended' };

export type SubscriptionEvent =
  | { readonly type: 'caught-up' }
  /** A broadcast: the view (what clients are now up to) is at `position`; `whole` when none of it is held back. */
  | { readonly type: 'view-advanced'; readonly position: Position; readonly whole: boolean }
  | { readonly type: 'hold-timeout'; readonly now: number }
  /** The table's columns changed; `problem` when what the subscription asked for names a column that is gone. */
  | { readonly type: 'columns-changed'; readonly problem: { readonly code: ErrorCode; readonly message: string } | undefined }
  | { readonly type: 'unsubscribed' };

/** How a subscription begins, as the subscribe plan (subscribe-planner.ts) decided. */
export type SubscriptionStart =
  /** A snapshot (table) or the window, after a reset when `reset` is set; `caughtUp`: the replica has caught up. */
  | { readonly how: 'open'; readonly reset?: ResetCause; readonly caughtUp: boolean }
  | { readonly how: 'hold'; readonly from: Position; readonly cursor: string; readonly now: number; readonly timeoutMs: number }
  /** The runner resumed it from the ring: it is live. */
  | { readonly how: 'replayed' };

export type SubscriptionAction =
  /** Columns, then the view's rows as of its position (a table subscription). */
  | { readonly type: 'send-snapshot' }
  /** Columns, then the window as of the view (a window subscription), acquiring it on first use. */
  | { readonly type: 'open-window' }
  | ({ readonly type: 'send-reset' } & ResetCause)
  /** Columns, then `resumed` from `from` with nothing replayed: a held table subscription released. */
  | { readonly type: 'send-resumed'; readonly from: Position }
  /** The frames of the fetch being broadcast, after the subscription's position. */
  | { readonly type: 'deliver' }
  | { readonly type: 'arm-hold-timer'; readonly ms: number }
  | { readonly type: 'cancel-hold-timer' }
  /** Forget the subscription and release its window. */
  | { readonly type: 'drop' }
  | { readonly type: 'send-error'; readonly code: ErrorCode; readonly message: string };

export interface Transition {
  readonly state: SubscriptionState;
  readonly actions: readonly SubscriptionAction[];
}

const LIVE: SubscriptionState = { phase: 'live' };
const ENDED: SubscriptionState = { phase: 'ended' };
// Shared results for the transitions every broadcast takes, so the hot path allocates nothing.
const LIVE_DELIVERS: Transition = { state: LIVE, actions: [{ type: 'deliver' }] };
const NONE: readonly SubscriptionAction[] = [];
const unchanged = (state: SubscriptionState): Transition => ({ state, actions: NONE });

/** A snapshot or the window, after the reset frame when there is one. */
function opening(kind: SubscriptionKind, reset: ResetCause | undefined): SubscriptionAction[] {
  const rows: SubscriptionAction = kind === 'table' ? { type: 'send-snapshot' } : { type: 'open-window' };
  return reset ? [{ type: 'send-reset', ...reset }, rows] : [rows];
}

/** The first state of a new subscription, and what to do at once. */
export function begin(kind: SubscriptionKind, start: SubscriptionStart): Transition {
  switch (start.how) {
    case 'open':
      return start.caughtUp ? { state: LIVE, actions: opening(kind, start.reset) } : unchanged({ phase: 'waiting', reset: start.reset });
    case 'hold':
      return {
        state: { phase: 'held', from: start.from, cursor: start.cursor, deadline: start.now + start.timeoutMs },
        actions: [{ type: 'arm-hold-timer', ms: start.timeoutMs }],
      };
    case 'replayed':
      return unchanged(LIVE);
  }
}

/** The view advanced: a live subscription gets the fetch; a held one is released once the view reaches its cursor. */
function viewAdvanced(kind: SubscriptionKind, state: SubscriptionState, position: Position, whole: boolean): Transition {
  if (state.phase === 'live') return LIVE_DELIVERS;
  if (state.phase !== 'held' || isAfter(state.from, position)) return unchanged(state);
  if (kind === 'table')
    return { state: LIVE, actions: [{ type: 'cancel-hold-timer' }, { type: 'send-resumed', from: state.from }, { type: 'deliver' }] };
  // A window is built from the registry's index, which must have the whole fetch.
  return whole ? { state: LIVE, actions: [{ type: 'cancel-hold-timer' }, { type: 'open-window' }] } : unchanged(state);
}

/** The hold timer fired: reset, unless the clock says the deadline is still ahead (the timer is armed again for the rest). */
function holdTimeout(kind: SubscriptionKind, state: SubscriptionState, now: number): Transition {
  if (state.phase !== 'held') return unchanged(state);
  if (now < state.deadline) return { state, actions: [{ type: 'arm-hold-timer', ms: state.deadline - now }] };
  return { state: LIVE, actions: opening(kind, { cursor: state.cursor, reason: 'cursor-not-reached' }) };
}

/** Leaves any state for ended: the hold timer cancelled, the subscription dropped, then `last` (an error) if any. */
function end(state: SubscriptionState, last?: SubscriptionAction): Transition {
  if (state.phase === 'ended') return unchanged(state);
  const actions: SubscriptionAction[] = state.phase === 'held' ? [{ type: 'cancel-hold-timer' }, { type: 'drop' }] : [{ type: 'drop' }];
  if (last) actions.push(last);
  return { state: ENDED, actions };
}

export function transition(kind: SubscriptionKind, state: SubscriptionState, event: SubscriptionEvent): Transition {
  switch (event.type) {
    case 'caught-up':
      return state.phase === 'waiting' ? { state: LIVE, actions: opening(kind, state.reset) } : unchanged(state);
    case 'view-advanced':
      return viewAdvanced(kind, state, event.position, event.whole);
    case 'hold-timeout':
      return holdTimeout(kind, state, event.now);
    case 'columns-changed': {
      const { problem } = event;
      if (problem) {
        const message = `${problem.message}: the table's columns changed, so this subscription ended`;
        return end(state, { type: 'send-error', code: problem.code, message });
      }
      return state.phase === 'live' ? { state, actions: opening(kind, undefined) } : unchanged(state);
    }
    case 'unsubscribed':
      return end(state);
  }
}
