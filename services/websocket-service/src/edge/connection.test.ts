import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { WebSocket } from 'ws';
import { Metrics } from '../metrics.js';
import { Connection } from './connection.js';
import { FlushScheduler, type FlushClock } from './flush-scheduler.js';
import { OPEN_ACCESS } from './access.js';

/** The TCP socket under a ws WebSocket: what was written, in which cork/uncork group. */
class FakeRawSocket {
  corks = 0;
  readonly writes: Buffer[] = [];
  readonly groups: Buffer[][] = [];
  #group: Buffer[] | undefined;
  readonly callbacks: (() => void)[] = [];
  cork(): void {
    this.corks += 1;
    this.#group ??= [];
  }
  uncork(): void {
    this.corks -= 1;
    if (this.corks === 0 && this.#group) {
      this.groups.push(this.#group);
      this.#group = undefined;
    }
  }
  write(data: Buffer, callback?: () => void): boolean {
    this.writes.push(data);
    if (this.#group) this.#group.push(data);
    else this.groups.push([data]);
    if (callback) this.callbacks.push(callback);
    return true;
  }
}

class FakeWebSocket extends EventEmitter {
  readonly OPEN = 1;
  readyState = 1;
  readonly _socket = new FakeRawSocket();
  get bufferedAmount(): number {
    return 0;
  }
  send(): void {
    throw new Error('with a flush scheduler, frames are written framed to the TCP socket, not through ws.send');
  }
  close(): void {
    this.readyState = 2;
  }
}

function metrics(): Metrics {
  const zero = () => 0;
  return new Metrics({
    clients: zero,
    subscriptions: zero,
    viewRows: zero,
    consumerLag: zero,
    ringSize: zero,
    openGaps: zero,
    freshnessLagMs: zero,
    receivingEvents: zero,
  });
}

function setup() {
  const passes: (() => void)[] = [];
  const clock: FlushClock = { now: () => 0, schedule: (run) => passes.push(run) };
  const flushes = new FlushScheduler(clock);
  const socket = new FakeWebSocket();
  const connection = new Connection(socket as unknown as WebSocket, OPEN_ACCESS, {
    metrics: metrics(),
    log: pino({ level: 'silent' }),
    now: () => 0,
    maxBufferedBytes: 1_000,
    flushes,
    onText: () => undefined,
    onGone: () => undefined,
  });
  return { socket, connection, runPass: () => passes.shift()?.() };
}

/** The payloads of a byte stream of unmasked server frames (RFC 6455 §5.2), checking each is a final text frame. */
function textPayloads(bytes: Buffer): string[] {
  const out: string[] = [];
  let at = 0;
  while (at < bytes.length) {
    expect(bytes[at]).toBe(0x81);
    let length = bytes[at + 1]! & 0x7f;
    let header = 2;
    if (length === 126) {
      length = bytes.readUInt16BE(at + 2);
      header = 4;
    }
    out.push(bytes.subarray(at + header, at + header + length).toString('utf8'));
    at += header + length;
  }
  return out;
}

describe('Connection with a flush scheduler', () => {
  it('queues frames until the pass, then writes them framed, in order, in one corked write', () => {
    const { socket, connection, runPass } = setup();
    const shared = Buffer.from('{"type":"transaction","n":2}');
    connection.sendLive('{"type":"transaction","n":1}');
    connection.sendLive(shared);
    connection.sendControl('{"type":"heartbeat"}');
    connection.sendLive('x'.repeat(300));
    expect(socket._socket.writes).toEqual([]);
    runPass();
    expect(socket._socket.groups).toHaveLength(1);
    expect(textPayloads(Buffer.concat(socket._socket.writes))).toEqual([
      '{"type":"transaction","n":1}',
      '{"type":"transaction","n":2}',
      '{"type":"heartbeat"}',
      'x'.repeat(300),
    ]);
  });

  it('counts queued frames as unsent until written, and bursts until the socket took them', () => {
    const { socket, connection, runPass } = setup();
    connection.sendLive('a'.repeat(100));
    connection.sendBurst('b'.repeat(500));
    expect(connection.unsentBytes).toBe(100);
    expect(connection.closeIfSlow()).toBe(false);
    runPass();
    expect(connection.unsentBytes).toBe(0);
    expect(socket._socket.callbacks).toHaveLength(1);
  });

  it('writes nothing once the socket is closing, and drops what was queued', () => {
    const { socket, connection, runPass } = setup();
    connection.sendLive('{"type":"transaction"}');
    socket.readyState = 2;
    runPass();
    expect(socket._socket.writes).toEqual([]);
    expect(connection.unsentBytes).toBe(0);
  });
});
