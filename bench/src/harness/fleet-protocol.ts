/**
 * Messages between a benchmark and its client fleet (a child process holding the WebSocket
 * clients, so their work never runs on the measured server's core or the benchmark's event loop).
 */

/**
 * `orders`: our /ws protocol (subscribe, snapshot, change frames), raw client.
 * `socketio`: Engine.IO v4 + Socket.IO v5 over a WebSocket, raw client (same per-frame cost as `orders`).
 * `socketio-client`: the official socket.io-client (websocket transport), parsing every event as an app would.
 */
export type FleetProtocol = 'orders' | 'socketio' | 'socketio-client';

export type FleetRequest =
  | {
      readonly cmd: 'connect';
      readonly host: string;
      readonly port: number;
      readonly protocol: FleetProtocol;
      readonly count: number;
      /** Handshakes in flight at once. */
      readonly parallel: number;
      /** Keep change frames' arrival times by cursor (latency runs), at every `record`-th client (0: none). */
      readonly record: number;
      /** The row filter of each client's subscription (orders protocol); absent: the whole table. */
      readonly filter?: Record<string, unknown>;
      /**
       * Subscribe frames (orders protocol) handed out round-robin, one per client, instead of the
       * table subscription: window subscriptions are ready at their window frame, and each diff
       * frame is a delivery.
       */
      readonly subscribes?: readonly Record<string, unknown>[];
      readonly timeoutMs: number;
    }
  | { readonly cmd: 'reset' }
  | { readonly cmd: 'stats' }
  | { readonly cmd: 'latency'; readonly commits: readonly (readonly [cursor: string, commitUs: number])[] }
  | { readonly cmd: 'close' };

export interface ConnectResult {
  readonly ready: number;
  /** Per ready client, ms from its socket opening to its snapshot or window complete. */
  readonly readyMs: readonly number[];
  readonly failed: number;
  readonly elapsedMs: number;
  readonly firstError: string | undefined;
}

export interface FleetStats {
  /** Changes of transaction frames and diff frames (orders) or events (socketio) received since the last reset, over all clients. */
  readonly deliveries: number;
  readonly bytes: number;
  /** Wall-clock µs of the first and last delivery since the last reset (0 when none). */
  readonly firstUs: number;
  readonly lastUs: number;
  readonly open: number;
  /** Closes since the fleet started, by close code ("none" when the server sent none). */
  readonly closes: Record<string, number>;
}

export interface LatencyResult {
  /** Summary and chart quantiles of commit → client received over every delivery of the given commits. */
  readonly summary: import('./stats.js').Summary;
  readonly quantiles: [number, number][];
  /** Per change: first and last arrival over all clients, and at how many clients it arrived. */
  readonly perChange: (readonly [cursor: string, firstUs: number, lastUs: number, clients: number])[];
}

export type FleetReply =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
