/**
 * The seed-style fan-out baseline: what the project's first seed did, a plain `ws` server that,
 * for every change and every subscribed client, `JSON.stringify`s the change and `socket.send`s it.
 * Nothing is shared between clients (each gets its own serialisation and its own frame), nothing
 * is batched (a frame per change), no backpressure. It reads the topic as the Socket.IO baseline
 * does (baseline-source.ts).
 *
 * It speaks just enough of our protocol for the benchmark's raw clients (harness/client-fleet.ts,
 * protocol `orders`) to count it the way they count our service: a `subscribe` frame is answered
 * with an empty snapshot, `{"type":"snapshot",…,"done":true}` (the benchmark measures changes, not
 * snapshots), and each change goes out as `{"type":"transaction",…,"changes":[{"op":"u",…}]}`,
 * one change per frame: the fleet counts the `"op":"` in each frame, so one delivery per frame.
 *
 *   PORT, KAFKA_BROKERS, KAFKA_TOPIC and GET /readyz: see baseline-source.ts. WebSocket on /ws.
 */
import { WebSocketServer, type WebSocket } from 'ws';
import { runBaseline } from './baseline-source.js';

interface Subscription {
  readonly id: string;
  readonly table: string;
}

function subscribeRequest(data: unknown): Subscription | null {
  try {
    const request = JSON.parse(String(data)) as { type?: unknown; id?: unknown; table?: unknown };
    return request.type === 'subscribe' ? { id: String(request.id), table: String(request.table) } : null;
  } catch {
    return null; // not JSON: ignored, as the seed ignored what it did not understand
  }
}

runBaseline('seed-baseline', (http) => {
  const wss = new WebSocketServer({ server: http, path: '/ws' });
  const subscribed = new Map<WebSocket, Subscription>();
  wss.on('connection', (socket) => {
    socket.on('message', (data) => {
      const subscription = subscribeRequest(data);
      if (!subscription) return;
      subscribed.set(socket, subscription);
      socket.send(JSON.stringify({ type: 'snapshot', id: subscription.id, table: subscription.table, rows: [], done: true }));
    });
    socket.on('close', () => subscribed.delete(socket));
    socket.on('error', () => socket.terminate()); // a reset client: 'close' follows
  });
  return {
    onChange: (change) => {
      // The seed's loop: one JSON.stringify and one send per change per client.
      for (const [socket, subscription] of subscribed)
        socket.send(JSON.stringify({ type: 'transaction', id: subscription.id, table: subscription.table, changes: [change] }));
    },
    close: () => wss.close(),
  };
});
