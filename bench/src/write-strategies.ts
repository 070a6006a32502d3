/**
 * `node bench/dist/write-strategies.js [--clients 1000 --frames 5 --batches 400]`: what one batch of
 * change frames costs the server per socket, for the ways a fan-out can write it — measured here, on
 * real sockets, with the client fleet in its own process. Not one of the benchmarks: the evidence
 * behind the service changes suggested in bench/README.md, to re-run after changing the hub.
 *
 *   per-frame-send   what hub.ts does now: cork, socket.send(frame) for each frame (+ two
 *                    prom-client counter increments per frame), uncork
 *   per-frame-plain  the same without the per-frame counters
 *   batch-preframed  frame every change once per batch (WebSocket.Sender.frame), concatenate,
 *                    write that one buffer to each socket (ws's net.Socket; frames unchanged on the wire)
 *   batch-message    one protocol message per batch (an array of changes) sent with socket.send
 *                    (would need a protocol addition)
 */
import { createServer } from 'node:http';
import type { Socket } from 'node:net';
import { Counter, Registry } from 'prom-client';
import WebSocket, * as wsModule from 'ws';
import { WebSocketServer } from 'ws';
import { freePort } from '@orders-live/testkit';
import { num, type Options } from './args.js';
import { sleep } from './clock.js';
import { Fleet } from './fleet.js';
import { table } from './results.js';
import { log, runCommand } from './main-support.js';

const OPTIONS = {
  clients: num(1_000, 'client sockets', 1),
  frames: num(5, 'change frames per batch (500 changes/s with a 10 ms Debezium poll ≈ 5)', 1),
  batches: num(400, 'batches per strategy', 1),
};

type Strategy = 'per-frame-send' | 'per-frame-plain' | 'batch-preframed' | 'batch-message';
const STRATEGIES: Strategy[] = ['per-frame-send', 'per-frame-plain', 'batch-preframed', 'batch-message'];
const SNAPSHOT = JSON.stringify({ type: 'snapshot', id: 's', table: 'orders', rows: [], cursor: '0:0', done: true });

/** A change frame the size and shape the service sends (an update with the old row). */
function changeFrame(offset: number): Record<string, unknown> {
  const row = {
    id: 1_000 + (offset % 500),
    customer_name: 'orders-live-bench 20261121110536-12345',
    product_name: 'Noise-cancelling headphones',
    status: 'pending',
    quantity: 1 + (offset % 9),
    amount: '123.45',
    created_at: '2026-11-21T11:05:36.123456Z',
    updated_at: '2026-11-21T11:05:37.654321Z',
  };
  return { type: 'change', id: 's', table: 'orders', op: 'update', key: { id: row.id }, row, oldRow: { ...row, quantity: row.quantity === 1 ? 9 : row.quantity - 1 }, changed: ['quantity', 'updated_at'], commitTime: 1_795_258_000_000 + offset, cursor: `0:${offset}` };
}

const FRAME_OPTIONS = { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false } as const;
type SenderWithFrame = { frame(data: Buffer, options: typeof FRAME_OPTIONS): Buffer[] };

async function run(options: Options<typeof OPTIONS>, fleet: Fleet, sockets: WebSocket[], strategy: Strategy): Promise<(string | number)[]> {
  const registry = new Registry();
  const framesSent = new Counter({ name: 'frames', help: 'frames', registers: [registry] });
  const bytesSent = new Counter({ name: 'bytes', help: 'bytes', registers: [registry] });
  await fleet.reset();
  let offset = 0;
  let cpuUs = 0;
  const started = performance.now();
  for (let b = 0; b < options.batches; b++) {
    const frames = Array.from({ length: options.frames }, () => Buffer.from(JSON.stringify(changeFrame(offset++))));
    const cpu = process.cpuUsage();
    if (strategy === 'per-frame-send' || strategy === 'per-frame-plain') {
      const count = strategy === 'per-frame-send';
      for (const socket of sockets) {
        const raw = (socket as unknown as { _socket: Socket })._socket;
        raw.cork();
        for (const frame of frames) {
          socket.send(frame, { binary: false });
          if (count) {
            framesSent.inc();
            bytesSent.inc(frame.length);
          }
        }
        raw.uncork();
      }
    } else if (strategy === 'batch-preframed') {
      // ws exports Sender (its frame() is public, made for broadcasts); @types/ws does not declare it.
      const sender = (wsModule as unknown as { Sender: SenderWithFrame }).Sender;
      const framed = Buffer.concat(frames.flatMap((frame) => sender.frame(frame, FRAME_OPTIONS)));
      for (const socket of sockets) (socket as unknown as { _socket: Socket })._socket.write(framed);
      framesSent.inc(frames.length * sockets.length);
      bytesSent.inc(framed.length * sockets.length);
    } else {
      // Starts like a change frame, so the fleet counts it (as one delivery: × frames below).
      const message = Buffer.from(`{"type":"change","id":"s","batch":[${frames.join(',')}]}`);
      for (const socket of sockets) socket.send(message, { binary: false });
      framesSent.inc(sockets.length);
      bytesSent.inc(message.length * sockets.length);
    }
    const used = process.cpuUsage(cpu);
    cpuUs += used.user + used.system;
    await new Promise((resolve) => setImmediate(resolve));
  }
  const writeMs = performance.now() - started;
  // Deliveries: change frames at the clients (batch-message: one message per batch).
  const expected = options.batches * sockets.length * (strategy === 'batch-message' ? 1 : options.frames);
  let stats = await fleet.stats();
  for (let quiet = 0; stats.deliveries < expected && quiet < 50; quiet++) {
    await sleep(100);
    const next = await fleet.stats();
    if (next.deliveries !== stats.deliveries) quiet = 0;
    stats = next;
  }
  const changesDelivered = strategy === 'batch-message' ? stats.deliveries * options.frames : stats.deliveries;
  const wallSeconds = (stats.lastUs - stats.firstUs) / 1e6;
  const socketBatches = options.batches * sockets.length;
  return [strategy, cpuUs / socketBatches, (cpuUs / 1e6 / (options.batches * sockets.length * options.frames)) * 1e6, Math.round(changesDelivered / wallSeconds), changesDelivered, writeMs];
}

await runCommand('write-strategies', OPTIONS, async (options, cleanup) => {
  const port = await freePort();
  const http = createServer();
  const wss = new WebSocketServer({ server: http, path: '/ws', perMessageDeflate: false, clientTracking: false });
  const sockets: WebSocket[] = [];
  wss.on('connection', (socket) => {
    sockets.push(socket);
    socket.on('message', () => socket.send(SNAPSHOT));
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  cleanup.add('close the server', () => new Promise<void>((resolve) => {
    for (const socket of sockets) socket.terminate();
    http.close(() => resolve());
  }));
  const fleet = Fleet.start();
  cleanup.add('stop the client fleet', () => fleet.close());
  const connected = await fleet.connect('127.0.0.1', port, 'orders', options.clients);
  log(`${connected.ready} clients connected; ${options.batches} batches of ${options.frames} frames per strategy`);
  const rows: (string | number)[][] = [['strategy', 'server µs CPU per socket-batch', 'server µs CPU per delivery', 'deliveries/s at the clients', 'deliveries', 'write ms']];
  for (const strategy of STRATEGIES) {
    rows.push(await run(options, fleet, sockets, strategy));
    log(`  ${strategy} done`);
  }
  process.stdout.write(`\n${table(rows)}\n`);
});
