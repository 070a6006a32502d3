/**
 * One client's socket, written once: liveness (ping/pong), token expiry, its frame budget,
 * backpressure with the slow-consumer bound, coalescing of writes, and closing. The hub decides what
 * to send; this decides when and whether the socket can take it.
 *
 * Writes. With a FlushScheduler (the service's), every frame queues and the connection's queue
 * leaves in the scheduler's next pass over all connections, as one write to the kernel of
 * pre-framed bytes (text-frame.ts: framed and joined once per pass for every socket sent the same
 * frames): under load a socket takes one write per pass however many frames it carries. Without one (a hub on its
 * own), a frame is written at once while the socket keeps up (nothing waiting in its buffer); once
 * writes back up, frames queue and leave together at most every COALESCE_INTERVAL_MS. Order is kept
 * either way: while frames queue, every frame queues.
 *
 * Backpressure is judged when live frames are offered: a socket holding more unsent bytes in ws'
 * buffer (minus exempt bursts) than the bound is closed with CLOSE_CODES.SLOW_CONSUMER (the client
 * resumes from its cursor; nobody else waits). The coalescing queue is not counted: it holds at most
 * COALESCE_INTERVAL_MS of frames, so a slow socket holds at most the bound plus one flush. Snapshots,
 * resume replays, fresh windows and a live frame larger than the bound are bursts: exempt until the
 * socket has taken them.
 */
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import { CLOSE_CODES, ERROR_CODES, type ErrorFrame } from '@orders-live/protocol';
import type { ConnectionAccess } from './access.js';
import { FrameBudget } from './frame-budget.js';
import type { Flushable, FlushScheduler } from './flush-scheduler.js';
import { FrameJoiner } from './text-frame.js';
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';

/** Longest a backed-up socket's frames wait to be written together: a few ms of latency buys one write per flush. */
const COALESCE_INTERVAL_MS = 4;
/**
 * How many bounds' worth of big transactions (each over the bound) may wait unwritten, exempt: a
 * client that keeps up takes a burst of them (a 20,000-row transaction is ~6 MB, the default bound
 * 1 MiB); one that reads nothing is past it within a few.
 */
const OVERSIZED_ALLOWANCE = 16;
/** setTimeout's longest delay (about 24.8 days); a later expiry is waited for in steps. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

interface ConnectionDeps {
  readonly metrics: Metrics;
  readonly log: Logger;
  readonly now: () => number;
  /** Unsent bytes the socket may hold (beyond bursts in flight) before it is closed as slow. */
  readonly maxBufferedBytes: number;
  /** Present: frames leave in its passes over all connections (see above); absent: at once. */
  readonly flushes?: FlushScheduler;
  /** A text frame from the client, within its budget. */
  readonly onText: (connection: Connection, text: string) => void;
  /** The connection ended (closed by either side): forget it and its subscriptions. */
  readonly onGone: (connection: Connection) => void;
}

export class Connection<S = unknown> implements Flushable {
  readonly socket: WebSocket;
  readonly access: ConnectionAccess;
  readonly subscriptions = new Map<string, S>();
  readonly #deps: ConnectionDeps;
  readonly #budget: FrameBudget;
  #expiry: NodeJS.Timeout | undefined;
  /** Cleared on every ping, set by the pong: a socket still false at the next tick is dead. */
  #alive = true;
  /** Set once we decided to close it: nothing more is written. */
  #closing = false;
  #gone = false;
  /** Burst bytes handed to ws but not yet written out: exempt from the bound. */
  #burstBytes = 0;
  /** Bytes of exempt oversized live frames offered and not yet written out. */
  #oversizedPending = 0;
  readonly #queue: { data: Buffer; burst: boolean; oversized?: boolean }[] = [];
  /** Bytes of counted (not exempt) frames waiting in the queue. */
  #queuedBytes = 0;
  #flushTimer: NodeJS.Timeout | undefined;

  constructor(socket: WebSocket, access: ConnectionAccess, deps: ConnectionDeps) {
    this.socket = socket;
    this.access = access;
    this.#deps = deps;
    this.#budget = new FrameBudget(deps.now());
    socket.on('pong', () => {
      this.#alive = true;
    });
    socket.on('message', (data, isBinary) => {
      if (this.#closing) return;
      if (!this.#budget.take(deps.now())) {
        deps.metrics.floodCloses.inc();
        deps.log.info('closing a connection that sent frames past its budget');
        this.close(CLOSE_CODES.POLICY_VIOLATION, 'too many frames');
        return;
      }
      if (isBinary) {
        this.sendError(ERROR_CODES.BAD_FRAME, 'binary frames are not part of the protocol');
        return;
      }
      // A text message: ws hands it over as one Buffer (fragments joined, the default binaryType).
      deps.onText(this, (data as Buffer).toString('utf8'));
    });
    socket.on('close', () => this.#forget());
    socket.on('error', (err) => deps.log.debug({ err }, 'socket error'));
    this.#watchExpiry();
  }

  /** Pings, and terminates a socket that did not answer the last ping. False when it was dead. */
  checkAlive(): boolean {
    if (this.#closing) return false;
    if (!this.#alive) {
      this.#deps.log.info('closing a connection that missed its pong');
      this.#closing = true;
      this.#forget();
      this.socket.terminate();
      return false;
    }
    this.#alive = false;
    this.socket.ping();
    return true;
  }

  /** Bytes queued here or held by the socket, not yet taken by the client (bursts included). */
  get unsentBytes(): number {
    return this.socket.bufferedAmount + this.#queuedBytes;
  }

  /**
   * Closes the connection as a slow consumer when the socket holds more unsent bytes (beyond exempt
   * bursts) than the bound. True when it is closed or closing (now, or before): send it nothing more.
   */
  closeIfSlow(): boolean {
    return !this.#keepsUp();
  }

  #keepsUp(): boolean {
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return false;
    // What ws holds beyond exempt bursts, and what waits here to be coalesced into the next write.
    const unsent = this.socket.bufferedAmount - this.#burstBytes + this.#queuedBytes;
    if (unsent <= this.#deps.maxBufferedBytes) return true;
    this.#deps.metrics.slowConsumerCloses.inc();
    this.#deps.log.info({ unsentBytes: unsent, bound: this.#deps.maxBufferedBytes }, 'closing a slow consumer');
    this.close(CLOSE_CODES.SLOW_CONSUMER, 'slow consumer: reconnect and resume from your cursor');
    return false;
  }

  /**
   * A live frame (transaction, diff): callers check closeIfSlow() first. A frame larger than the
   * bound on its own (one big transaction) is exempt, like a burst, until written: its size is not the
   * client's slowness, and what follows it still counts. Big transactions back to back are exempt up
   * to OVERSIZED_ALLOWANCE bounds' worth unwritten (the first always): past that they count, so a
   * client that reads nothing is cut off even when every transaction is larger than the bound.
   */
  sendLive(data: Buffer | string): void {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    const oversized =
      bytes.length > this.#deps.maxBufferedBytes &&
      (this.#oversizedPending === 0 || this.#oversizedPending + bytes.length <= OVERSIZED_ALLOWANCE * this.#deps.maxBufferedBytes);
    if (oversized) this.#oversizedPending += bytes.length;
    this.#offer(bytes, oversized, oversized);
  }

  /** A snapshot chunk, a replayed transaction or a fresh window: exempt from the bound until written. */
  sendBurst(data: Buffer | string): void {
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return;
    this.#offer(typeof data === 'string' ? Buffer.from(data) : data, true);
  }

  /** A control frame (welcome, status, heartbeat, error): sent unless the socket is past its bound, which closes it. */
  sendControl(data: Buffer | string): void {
    if (!this.closeIfSlow()) this.sendLive(data);
  }

  sendError(code: string, message: string, id?: string): void {
    const frame: ErrorFrame = id === undefined ? { type: 'error', code, message } : { type: 'error', code, message, id };
    this.sendControl(JSON.stringify(frame));
  }

  /** Runs `write` with the socket corked, so what it sends leaves in one write to the kernel. */
  corked(write: () => void): void {
    // Under a flush scheduler nothing is written until the pass, which writes once anyway.
    if (this.#deps.flushes) {
      write();
      return;
    }
    const raw = rawSocket(this.socket);
    raw?.cork();
    try {
      write();
    } finally {
      raw?.uncork();
    }
  }

  close(code: number, reason: string): void {
    if (this.#closing) return;
    this.#closing = true;
    this.#forget();
    this.socket.close(code, reason);
  }

  #offer(data: Buffer, burst: boolean, oversized = false): void {
    if (this.#closing) return;
    const flushes = this.#deps.flushes;
    if (!flushes && this.#queue.length === 0 && this.socket.bufferedAmount === 0) {
      this.#write(data, burst, oversized);
      return;
    }
    this.#queue.push({ data, burst, oversized });
    if (!burst) this.#queuedBytes += data.length;
    if (flushes) flushes.request(this);
    else this.#flushTimer ??= setTimeout(() => this.flush(), COALESCE_INTERVAL_MS);
  }

  /** Writes every queued frame, in order, in one write to the kernel (`joiner`: the pass's, shared by every connection in it). */
  flush(joiner: FrameJoiner = new FrameJoiner()): void {
    this.#flushTimer = undefined;
    if (this.#queue.length === 0) return;
    const queued = this.#queue.splice(0);
    this.#queuedBytes = 0;
    // Closing (by us or by the client's close frame): nothing may follow the close frame.
    if (this.#closing || this.socket.readyState !== this.socket.OPEN) return;
    const raw = rawSocket(this.socket);
    if (!raw) {
      this.corked(() => {
        for (const { data, burst, oversized } of queued) this.#write(data, burst, oversized);
      });
      return;
    }
    this.#writeFramed(raw, queued, joiner);
  }

  /**
   * The queue's frames straight to the TCP socket, after whatever ws wrote before: one write of
   * the joined frames (shared with every socket sent the same ones in this pass).
   */
  #writeFramed(raw: Socket, queued: readonly { data: Buffer; burst: boolean; oversized?: boolean }[], joiner: FrameJoiner): void {
    let payloadBytes = 0;
    let burstBytes = 0;
    let oversizedBytes = 0;
    const payloads: Buffer[] = [];
    for (const { data, burst, oversized } of queued) {
      payloads.push(data);
      payloadBytes += data.length;
      if (burst) burstBytes += data.length;
      if (oversized) oversizedBytes += data.length;
    }
    const bytes = joiner.join(payloads);
    if (burstBytes === 0) {
      raw.write(bytes);
    } else {
      this.#burstBytes += burstBytes;
      raw.write(bytes, () => {
        this.#burstBytes -= burstBytes;
        this.#oversizedPending -= oversizedBytes;
      });
    }
    this.#deps.metrics.framesSent.inc(queued.length);
    this.#deps.metrics.bytesSent.inc(payloadBytes);
  }

  #write(data: Buffer, burst: boolean, oversized = false): void {
    if (burst) {
      this.#burstBytes += data.length;
      this.socket.send(data, { binary: false }, () => {
        this.#burstBytes -= data.length;
        if (oversized) this.#oversizedPending -= data.length;
      });
    } else {
      this.socket.send(data, { binary: false });
    }
    this.#deps.metrics.framesSent.inc();
    this.#deps.metrics.bytesSent.inc(data.length);
  }

  /** Closes the connection with TOKEN_EXPIRED once its token's expiry has come. */
  #watchExpiry(): void {
    const { expiresAt } = this.access;
    if (expiresAt === undefined || this.#closing) return;
    const remainingMs = expiresAt - this.#deps.now();
    if (remainingMs > 0) {
      this.#expiry = setTimeout(() => this.#watchExpiry(), Math.min(remainingMs, MAX_TIMER_DELAY_MS));
      this.#expiry.unref();
      return;
    }
    this.#deps.log.info('closing a connection whose access token expired');
    this.close(CLOSE_CODES.TOKEN_EXPIRED, 'access token expired: reconnect with a fresh token and resume');
  }

  #forget(): void {
    if (this.#gone) return;
    this.#gone = true;
    clearTimeout(this.#expiry);
    clearTimeout(this.#flushTimer);
    this.#deps.flushes?.forget(this);
    this.#deps.onGone(this);
  }
}

/**
 * The net.Socket under a ws WebSocket, to cork it. ws has no public cork or batch-send API (its
 * Sender writes each frame on its own) and keeps the stream in the undocumented but long-stable
 * `_socket` field; without it, frames are simply written one by one.
 */
function rawSocket(socket: WebSocket): Socket | undefined {
  return (socket as unknown as { _socket?: Socket })._socket;
}
