/**
 * The typed client (@orders-live/client) in Node, as the page uses it in the browser, recording
 * every change it applies so a test can check "exactly once, in order".
 */
import WebSocket from 'ws';
import { OrdersLiveClient, defaultDeps, type AppliedChange, type OrdersLiveClientOptions } from '@orders-live/client';
import { compareCursors } from '@orders-live/protocol';
import { waitFor } from './wait.js';

export interface RecordingClient {
  readonly client: OrdersLiveClient;
  readonly applied: AppliedChange[];
  /** Where the next (re)connect goes: change it to move the client to another replica. */
  target: string;
  waitLive(timeoutMs?: number): Promise<void>;
  /** Cursors of applied changes that are not strictly increasing (duplicates or out of order). */
  outOfOrder(): string[];
}

export function recordingClient(url: string, options: Partial<OrdersLiveClientOptions> = {}): RecordingClient {
  const recording: RecordingClient = {
    client: undefined as unknown as OrdersLiveClient,
    applied: [],
    target: url,
    async waitLive(timeoutMs = 30_000) {
      await waitFor('the client to be live', () => recording.client.state.name === 'live', timeoutMs);
    },
    outOfOrder() {
      const bad: string[] = [];
      for (let i = 1; i < recording.applied.length; i++) {
        const previous = recording.applied[i - 1]!.cursor;
        const current = recording.applied[i]!.cursor;
        if (compareCursors(current, previous) <= 0) bad.push(`${previous} → ${current}`);
      }
      return bad;
    },
  };
  const client = new OrdersLiveClient(
    // Short backoff: tests restart services on purpose and should not wait 10 s to notice.
    { url, backoff: { initialDelayMs: 100, maxDelayMs: 1_000 }, ...options },
    defaultDeps((_url, protocols) => new WebSocket(recording.target, protocols)),
  );
  (recording as { client: OrdersLiveClient }).client = client;
  client.on('change', (change) => {
    recording.applied.push(change);
  });
  return recording;
}
