/**
 * The client fleet: a child process (forked by fleet.ts) holding N raw WebSocket clients of one
 * server, counting what they receive and, in latency runs, when each change reached each client.
 * Commands arrive over IPC (fleet-protocol.ts); the process exits when its parent goes away.
 */
import { io } from 'socket.io-client';
import { LatencyHistogram } from './stats.js';
import { wallMicros } from './clock.js';
import { RawWebSocket } from './raw-ws-client.js';
import { OPCODES } from './ws-frame-reader.js';
import type { ConnectResult, FleetProtocol, FleetReply, FleetRequest, FleetStats, LatencyResult } from './fleet-protocol.js';

import { PROTOCOL_SUBPROTOCOL } from '@orders-live/protocol';

/** Protocol v2: a frame per transaction; a delivery is one change in it (each carries `"op":"`). */
const TRANSACTION_PREFIX = Buffer.from('{"type":"transaction"');
/** A window subscription: complete at its window frame; a diff frame is one delivery. */
const WINDOW_PREFIX = Buffer.from('{"type":"window"');
const DIFF_PREFIX = Buffer.from('{"type":"diff"');
const CHANGE_NEEDLE = Buffer.from('"op":"');
const SNAPSHOT_PREFIX = Buffer.from('{"type":"snapshot"');
const SNAPSHOT_DONE_SUFFIX = Buffer.from('"done":true}');
const CURSOR_MARK = '"cursor":"';
/** Engine.IO v4 packet types (first character), Socket.IO v5 packet types (second). */
const EIO_OPEN = 0x30; // '0'
const EIO_PING = 0x32; // '2'
const EIO_MESSAGE = 0x34; // '4'
const SIO_CONNECT = 0x30; // '0'
const SIO_EVENT = 0x32; // '2'

const PATHS: Record<Exclude<FleetProtocol, 'socketio-client'>, string> = {
  orders: '/ws',
  socketio: '/socket.io/?EIO=4&transport=websocket',
};

interface Client {
  readonly destroy: () => void;
  ready: boolean;
  open: boolean;
}

const clients: Client[] = [];
const closes: Record<string, number> = {};
let deliveries = 0;
let bytes = 0;
let firstUs = 0;
let lastUs = 0;
let recording: Map<string, { times: Float64Array; n: number }> | undefined;
let recordCapacity = 0;
/** ms from open to ready, per client that became ready (raw clients). */
let readyTimes: number[] = [];

function startsWith(bytesIn: Buffer, prefix: Buffer): boolean {
  return bytesIn.length >= prefix.length && prefix.compare(bytesIn, 0, prefix.length) === 0;
}

function endsWith(bytesIn: Buffer, suffix: Buffer): boolean {
  return bytesIn.length >= suffix.length && suffix.compare(bytesIn, bytesIn.length - suffix.length) === 0;
}

function delivered(length: number, receivedUs: number, changes = 1): void {
  deliveries += changes;
  bytes += length;
  if (firstUs === 0) firstUs = receivedUs;
  lastUs = receivedUs;
}

function recordArrival(tail: Buffer, receivedUs: number): void {
  const text = tail.toString('latin1');
  const at = text.lastIndexOf(CURSOR_MARK);
  if (at < 0) return;
  const cursor = text.slice(at + CURSOR_MARK.length, text.length - 2);
  let entry = recording!.get(cursor);
  if (!entry) {
    entry = { times: new Float64Array(recordCapacity), n: 0 };
    recording!.set(cursor, entry);
  }
  if (entry.n < entry.times.length) entry.times[entry.n++] = receivedUs;
}

/** The official client, as an app would use it: every event parsed and handed to a listener. */
function openOfficialSocketIo(host: string, port: number, onSettled: (error: string | undefined) => void): Client {
  let settled = false;
  const settle = (error: string | undefined) => {
    if (settled) return;
    settled = true;
    onSettled(error);
  };
  const socket = io(`http://${host}:${port}`, { transports: ['websocket'], reconnection: false, forceNew: true, timeout: 60_000 });
  const client: Client = { ready: false, open: false, destroy: () => socket.disconnect() };
  socket.on('connect', () => {
    client.open = true;
    client.ready = true;
    settle(undefined);
  });
  socket.on('change', (payload: string) => delivered(payload.length, wallMicros()));
  socket.on('connect_error', (err) => settle(err.message));
  socket.on('disconnect', (reason) => {
    client.open = false;
    const key = `socket.io: ${reason}`;
    if (reason !== 'io client disconnect') closes[key] = (closes[key] ?? 0) + 1;
    settle(`disconnected (${reason}) before it was ready`);
  });
  return client;
}

interface ClientPlan {
  readonly protocol: FleetProtocol;
  /** The subscribe frame (orders protocol). */
  readonly subscribe: string;
  /** This client times its arrivals (one of the sample). */
  readonly timed: boolean;
}

function openClient(host: string, port: number, plan: ClientPlan, onSettled: (error: string | undefined) => void): Client {
  const { protocol } = plan;
  if (protocol === 'socketio-client') return openOfficialSocketIo(host, port, onSettled);
  let settled = false;
  const settle = (error: string | undefined) => {
    if (settled) return;
    settled = true;
    onSettled(error);
  };
  const client: Client = { ready: false, open: false, destroy: () => socket.destroy() };
  let openedAt = 0;
  const becameReady = () => {
    client.ready = true;
    readyTimes.push(performance.now() - openedAt);
    settle(undefined);
  };
  const rawOptions = protocol === 'orders' ? { subprotocols: [PROTOCOL_SUBPROTOCOL], needle: CHANGE_NEEDLE } : {};
  const socket: RawWebSocket = new RawWebSocket(
    host,
    port,
    PATHS[protocol],
    {
      onOpen: () => {
        client.open = true;
        openedAt = performance.now();
        if (protocol === 'orders') socket.sendText(plan.subscribe);
      },
      onFrame: (opcode, length, head, tail, receivedUs, count) => {
        if (opcode !== OPCODES.TEXT) return;
        if (protocol === 'orders') {
          if (startsWith(head, TRANSACTION_PREFIX)) {
            delivered(length, receivedUs, count);
            if (plan.timed && recording) recordArrival(tail, receivedUs);
          } else if (startsWith(head, DIFF_PREFIX)) {
            delivered(length, receivedUs);
          } else if (!client.ready && startsWith(head, SNAPSHOT_PREFIX) && endsWith(tail, SNAPSHOT_DONE_SUFFIX)) {
            becameReady();
          } else if (!client.ready && startsWith(head, WINDOW_PREFIX)) {
            becameReady();
          }
          return;
        }
        const type = head[0];
        if (type === EIO_MESSAGE && head[1] === SIO_EVENT) delivered(length, receivedUs);
        else if (type === EIO_PING) socket.sendText('3');
        else if (type === EIO_OPEN) socket.sendText('40');
        else if (type === EIO_MESSAGE && head[1] === SIO_CONNECT && !client.ready) becameReady();
      },
      onClose: (code, error) => {
        client.open = false;
        const key = code === undefined ? 'none' : String(code);
        closes[key] = (closes[key] ?? 0) + 1;
        settle(error?.message ?? `closed (${key}) before it was ready`);
      },
    },
    rawOptions,
  );
  return client;
}

async function connectAll(request: Extract<FleetRequest, { cmd: 'connect' }>): Promise<ConnectResult> {
  const started = Date.now();
  const tableSubscribe = JSON.stringify({
    type: 'subscribe',
    id: 's',
    table: 'orders',
    ...(request.filter ? { filter: request.filter } : {}),
  });
  const subscribes = request.subscribes?.map((frame) => JSON.stringify(frame));
  readyTimes = [];
  recordCapacity = request.record > 0 ? Math.ceil(request.count / request.record) : 0;
  if (request.record > 0) recording = new Map();
  let ready = 0;
  let failed = 0;
  let firstError: string | undefined;
  let next = 0;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      failed += request.count - ready - failed;
      firstError ??= `not ready within ${request.timeoutMs} ms`;
      resolve();
    }, request.timeoutMs);
    const launch = () => {
      if (next >= request.count) return;
      const timed = request.record > 0 && next % request.record === 0;
      next += 1;
      clients.push(
        openClient(
          request.host,
          request.port,
          { protocol: request.protocol, subscribe: subscribes?.[next % subscribes.length] ?? tableSubscribe, timed },
          (error) => {
            if (error === undefined) ready += 1;
            else {
              failed += 1;
              firstError ??= error;
            }
            if (ready + failed >= request.count) {
              clearTimeout(timer);
              resolve();
            } else {
              launch();
            }
          },
        ),
      );
    };
    for (let i = 0; i < Math.min(request.parallel, request.count); i++) launch();
  });
  return { ready, readyMs: readyTimes, failed, elapsedMs: Date.now() - started, firstError };
}

function stats(): FleetStats {
  return { deliveries, bytes, firstUs, lastUs, open: clients.filter((c) => c.open).length, closes: { ...closes } };
}

function latency(commits: readonly (readonly [string, number])[]): LatencyResult {
  const histogram = new LatencyHistogram();
  const perChange: [string, number, number, number][] = [];
  for (const [cursor, commitUs] of commits) {
    const entry = recording?.get(cursor);
    if (!entry || entry.n === 0) {
      perChange.push([cursor, 0, 0, 0]);
      continue;
    }
    let first = Infinity;
    let last = -Infinity;
    for (let i = 0; i < entry.n; i++) {
      const at = entry.times[i]!;
      histogram.record((at - commitUs) / 1_000);
      if (at < first) first = at;
      if (at > last) last = at;
    }
    perChange.push([cursor, first, last, entry.n]);
  }
  return { summary: histogram.summary(), quantiles: histogram.quantiles(), perChange };
}

async function handle(request: FleetRequest): Promise<unknown> {
  switch (request.cmd) {
    case 'connect':
      return connectAll(request);
    case 'reset':
      deliveries = 0;
      bytes = 0;
      firstUs = 0;
      lastUs = 0;
      if (recording) recording = new Map();
      return stats();
    case 'stats':
      return stats();
    case 'latency':
      return latency(request.commits);
    case 'close':
      for (const client of clients) client.destroy();
      setTimeout(() => process.exit(0), 50);
      return { closed: clients.length };
  }
}

process.on('message', (message: { id: number; request: FleetRequest }) => {
  handle(message.request).then(
    (result) => process.send!({ id: message.id, ok: true, result } satisfies FleetReply),
    (err: unknown) =>
      process.send!({ id: message.id, ok: false, error: err instanceof Error ? err.message : String(err) } satisfies FleetReply),
  );
});
// The benchmark is gone (finished, crashed or killed): so is the fleet.
process.on('disconnect', () => process.exit(0));
