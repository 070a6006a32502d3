/**
 * What a window client's events mean for the page, applied per animation frame: every window event
 * since the last frame goes to the display at once (frame-batcher.ts), each diff with its hop times
 * (hops.ts) measured at that frame. Also the connection indicator, the status line and errors. No
 * DOM: it drives a WindowDisplay, so it is tested with a fake one.
 */
import type { ConnectionState, OrdersLiveClient, WindowEvent } from '@orders-live/client';
import { ERROR_CODES } from '@orders-live/protocol';
import { FrameBatcher } from './frame-batcher.js';
import { hopsOf, type Hops } from './hops.js';

/** While reconnecting, the "in Ns" countdown is redrawn this often. */
/** Server errors that end the page's subscription for good: reconnecting would get the same answer. */
const SUBSCRIPTION_ENDING_CODES: ReadonlySet<string> = new Set([ERROR_CODES.UNKNOWN_TABLE, ERROR_CODES.TABLE_NOT_GRANTED]);

export const COUNTDOWN_TICK_MS = 1_000;
/** A frame with this many changes, or with changes this late, means the page is behind: it says so. */
export const CATCHING_UP = Object.freeze({ minChanges: 500, lateMs: 1_000 });

/** One diff as shown: the event and where its time went. */
export interface ShownDiff {
  readonly event: WindowEvent;
  readonly hops: Hops;
}

export interface ShownFrame {
  /** The window as of the frame (the last event's). */
  readonly window: WindowEvent;
  /** True when a whole window replaced the previous one in this frame (subscribe, page, resume). */
  readonly replaced: boolean;
  /** The diffs applied since the last frame, in order, each with the rows it started from. */
  readonly diffs: readonly (ShownDiff & { readonly before: WindowEvent | undefined })[];
  readonly frameTime: number;
  /** Changes this frame applied when the page was behind (CATCHING_UP); 0 when it was not. */
  readonly catchingUp: number;
}

export interface Summary {
  /** The replica that answered, from its welcome frame. */
  readonly server: string | undefined;
  readonly invalidFrames: number;
  /** The last error frame ("code: message"), until the next connection is greeted. */
  readonly error: string | undefined;
  /** The last live (not replayed) diff's hops. */
  readonly lastHops: Hops | undefined;
  /** True once a window arrived. */
  readonly synced: boolean;
}

export interface WindowDisplay {
  showConnectionState(state: ConnectionState, now: number): void;
  showFrame(frame: ShownFrame): void;
  showSummary(summary: Summary): void;
  /** The window came afresh after a reconnect (the page was away): said for a while. */
  showReloaded(): void;
}

export type WindowSource = Pick<OrdersLiveClient, 'on' | 'state' | 'stats' | 'server' | 'window' | 'close'>;

/** The page's last live change, shared by its bindings: a new filter's client starts from it. */
export interface LastChange {
  hops: Hops | undefined;
}

export interface WindowBindingDeps {
  readonly display: WindowDisplay;
  /** Kept across bindings (a filter or search makes a new client); each binding its own when absent. */
  readonly lastChange?: LastChange;
  readonly now: () => number;
  readonly requestFrame: (run: () => void) => void;
  readonly warn: (message: string) => void;
  readonly setInterval: (run: () => void, intervalMs: number) => unknown;
  readonly clearInterval: (handle: unknown) => void;
}

/** Shows the client on the page from now on; returns the function that stops it. */
export function bindWindow(client: WindowSource, deps: WindowBindingDeps): () => void {
  const { display, now, warn, setInterval, clearInterval } = deps;
  let error: string | undefined;
  const lastChange: LastChange = deps.lastChange ?? { hops: undefined };
  let greetedAt: number | undefined;
  let greetings = 0;
  /** The next whole window is the first of its connection. */
  let firstOfConnection = false;
  let ticker: unknown;
  /** The last window event handed to the display. */
  let shown: WindowEvent | undefined;
  let stopped = false;

  const showSummary = () =>
    display.showSummary({
      server: client.server,
      invalidFrames: client.stats.invalidFrames,
      error,
      lastHops: lastChange.hops,
      synced: shown !== undefined,
    });

  const batcher = new FrameBatcher<WindowEvent>({
    requestFrame: deps.requestFrame,
    now,
    flush: (events, frameTime) => {
      if (stopped) return;
      let before = shown;
      let replaced = false;
      let changes = 0;
      const diffs: (ShownDiff & { before: WindowEvent | undefined })[] = [];
      for (const event of events) {
        if (event.ops === undefined) replaced = true;
        else {
          const hops = hopsOf(
            { commitTime: event.commitTime ?? 0, kafkaTime: event.kafkaTime ?? 0, sentAt: event.sentAt ?? 0 },
            frameTime,
            greetedAt,
          );
          diffs.push({ event, hops, before });
          changes += event.ops.length;
          if (!hops.replay) lastChange.hops = hops;
        }
        before = event;
      }
      shown = events[events.length - 1]!;
      const newest = diffs.at(-1)?.hops;
      const behind =
        changes >= CATCHING_UP.minChanges || (newest !== undefined && !newest.replay && newest.serviceToScreenMs > CATCHING_UP.lateMs);
      display.showFrame({ window: shown, replaced, diffs, frameTime, catchingUp: behind ? changes : 0 });
      showSummary();
    },
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
      greetedAt = now();
      greetings += 1;
      firstOfConnection = true;
      showSummary();
    }),
    client.on('window', (event) => {
      // A whole window on a later connection: the page was away, this is the state it missed.
      if (event.ops === undefined && firstOfConnection && greetings > 1) display.showReloaded();
      firstOfConnection = false;
      batcher.add(event);
    }),
    client.on('server-error', (frame) => {
      error = `${frame.code}: ${frame.message}`;
      // The table is not streamed (any more: removed from the list), or the token does not grant it:
      // nothing live will come on this subscription. The page says so, offline, rather than "live".
      if (frame.id !== undefined && SUBSCRIPTION_ENDING_CODES.has(frame.code)) client.close();
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
    stopped = true;
    batcher.clear();
    for (const unsubscribe of unsubscribes) unsubscribe();
    if (ticker !== undefined) clearInterval(ticker);
    ticker = undefined;
  };
}
