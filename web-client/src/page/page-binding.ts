/**
 * What the client's events mean for the page: the table, the connection indicator and the status
 * line. No DOM: it drives a Display (render.ts), so it is tested with a fake one.
 */
import type { AppliedChange, ConnectionState, OrdersLiveClient } from '@orders-live/client';
import type { OrderRow } from '@orders-live/protocol';
import type { GapStatus } from './format.js';

/** While reconnecting, the "in Ns" countdown is redrawn this often. */
export const COUNTDOWN_TICK_MS = 1_000;

export interface Summary {
  readonly rows: number;
  /** The cursor the view is at; undefined before the first snapshot. */
  readonly cursor: string | undefined;
  /** Commit → screen: now() minus the commit time of the last change shown. */
  readonly latencyMs: number | undefined;
  readonly invalidFrames: number;
  /** The replica that answered, from its welcome frame. */
  readonly server: string | undefined;
  /** The last error frame ("code: message"), until the next connection is greeted. */
  readonly error: string | undefined;
  readonly gap: GapStatus;
}

export interface Display {
  showConnectionState(state: ConnectionState, now: number): void;
  /** The whole view was replaced: rows in id order. */
  replaceRows(rows: readonly OrderRow[]): void;
  /** One change, shown at `shownAt` (epoch ms): its commit → screen latency is shownAt - commitTime. */
  applyChange(change: AppliedChange, shownAt: number): void;
  showSummary(summary: Summary): void;
}

/** The part of the client the page reads. */
export type LiveSource = Pick<OrdersLiveClient, 'on' | 'state' | 'size' | 'cursor' | 'stats' | 'server'>;

export interface PageBindingDeps {
  readonly display: Display;
  /** Epoch milliseconds, as Date.now. */
  readonly now: () => number;
  /** Where invalid frames are reported for a developer (the console in the browser). */
  readonly warn: (message: string) => void;
  readonly setInterval: (run: () => void, intervalMs: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

/** Shows the client's state on the page from now on; returns the function that stops it. */
export function bindPage(client: LiveSource, deps: PageBindingDeps): () => void {
  const { display, now, warn, setInterval, clearInterval } = deps;
  let latencyMs: number | undefined;
  let error: string | undefined;
  let gap: GapStatus = { kind: 'none' };
  let ticker: unknown;

  const showSummary = () =>
    display.showSummary({
      rows: client.size,
      cursor: client.cursor,
      latencyMs,
      invalidFrames: client.stats.invalidFrames,
      server: client.server,
      error,
      gap,
    });

  const showState = (state: ConnectionState) => {
    display.showConnectionState(state, now());
    if (state.name === 'reconnecting' && ticker === undefined) {
      ticker = setInterval(() => display.showConnectionState(client.state, now()), COUNTDOWN_TICK_MS);
    } else if (state.name !== 'reconnecting' && ticker !== undefined) {
      clearInterval(ticker);
      ticker = undefined;
    }
  };

  const unsubscribes = [
    client.on('state', showState),
    client.on('welcome', () => {
      error = undefined;
      showSummary();
    }),
    client.on('snapshot', ({ rows }) => {
      display.replaceRows(rows);
      showSummary();
    }),
    // A transaction is shown at once: all its changes, then one summary.
    client.on('transaction', (transaction) => {
      const shownAt = now();
      for (const change of transaction.changes) display.applyChange(change, shownAt);
      latencyMs = shownAt - transaction.commitTime;
      showSummary();
    }),
    client.on('resumed', ({ replayed }) => {
      gap = { kind: 'resumed', replayed };
      showSummary();
    }),
    client.on('reset', () => {
      gap = { kind: 'reloaded' };
      showSummary();
    }),
    client.on('server-error', (frame) => {
      error = `${frame.code}: ${frame.message}`;
      showSummary();
    }),
    client.on('invalid-frame', ({ reason }) => {
      warn(`orders-live: ignored an invalid frame (${reason})`);
      showSummary();
    }),
  ];
  showState(client.state);
  showSummary();

  return () => {
    for (const unsubscribe of unsubscribes) unsubscribe();
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
  };
}
