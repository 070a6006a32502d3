/**
 * A minimal WebSocket client over a raw TCP socket, for benchmarks: handshake, masked text frames
 * out, frames in through FrameReader (type and cursor only, no JSON parsing), ping → pong, close.
 * It costs the client process a fraction of what `ws` or a browser would per frame, so one
 * process can hold 10,000 of them and still read faster than a server writes.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { wallMicros } from './clock.js';
import { FrameReader, OPCODES, maskedFrame } from './ws-frame-reader.js';

interface RawWebSocketEvents {
  /** The server accepted the upgrade. */
  readonly onOpen: () => void;
  /** A data frame (ping, pong and close are handled here). `receivedUs`: when its chunk arrived. */
  /** `count`: occurrences of the options' needle in the payload. */
  readonly onFrame: (opcode: number, length: number, head: Buffer, tail: Buffer, receivedUs: number, count: number) => void;
  /** Closed by either side or failed; `code` is the server's close code when it sent one. */
  readonly onClose: (code: number | undefined, error: Error | undefined) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');
/** A handshake response larger than this is not a WebSocket server talking. */
const MAX_HANDSHAKE_BYTES = 16_384;

export class RawWebSocket {
  readonly #socket: Socket;
  readonly #events: RawWebSocketEvents;
  readonly #reader: FrameReader;
  #handshake: Buffer | undefined = Buffer.alloc(0);
  #receivedUs = 0;
  #closeCode: number | undefined;
  #closed = false;

  /** `options.subprotocols`: Sec-WebSocket-Protocol items; `options.needle`: counted in each payload (ws-frame-reader.ts). */
  constructor(
    host: string,
    port: number,
    path: string,
    events: RawWebSocketEvents,
    options: { subprotocols?: readonly string[]; needle?: Buffer } = {},
  ) {
    this.#events = events;
    this.#reader = new FrameReader(
      (opcode, length, head, tail, count) => this.#onFrame(opcode, length, head, tail, count),
      undefined,
      undefined,
      options.needle,
    );
    const protocolHeader = options.subprotocols?.length ? `Sec-WebSocket-Protocol: ${options.subprotocols.join(', ')}\r\n` : '';
    const socket = connect({ host, port, noDelay: true });
    this.#socket = socket;
    socket.once('connect', () => {
      const key = randomBytes(16).toString('base64');
      socket.write(
        `GET ${path} HTTP/1.1\r\nHost: ${host}:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n${protocolHeader}\r\n`,
      );
    });
    socket.on('data', (chunk: Buffer) => this.#onData(chunk));
    socket.on('error', (err) => this.#finish(err));
    socket.on('close', () => this.#finish(undefined));
  }

  sendText(text: string): void {
    if (!this.#closed) this.#socket.write(maskedFrame(OPCODES.TEXT, Buffer.from(text)));
  }

  /** Drops the connection without a close handshake (what a closing benchmark wants). */
  destroy(): void {
    this.#socket.destroy();
  }

  #onData(chunk: Buffer): void {
    this.#receivedUs = wallMicros();
    if (this.#handshake === undefined) {
      this.#push(chunk);
      return;
    }
    const buffered = Buffer.concat([this.#handshake, chunk]);
    const end = buffered.indexOf(HEADER_END);
    if (end < 0) {
      if (buffered.length > MAX_HANDSHAKE_BYTES) this.#fail('handshake response too large');
      else this.#handshake = buffered;
      return;
    }
    const statusLine = buffered.subarray(0, buffered.indexOf('\r\n')).toString('latin1');
    if (!/^HTTP\/1\.1 101 /.test(statusLine)) {
      this.#fail(`upgrade refused: ${statusLine}`);
      return;
    }
    this.#handshake = undefined;
    this.#events.onOpen();
    const rest = buffered.subarray(end + HEADER_END.length);
    if (rest.length > 0) this.#push(rest);
  }

  #push(bytes: Buffer): void {
    try {
      this.#reader.push(bytes);
    } catch (err) {
      this.#socket.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #onFrame(opcode: number, length: number, head: Buffer, tail: Buffer, count: number): void {
    switch (opcode) {
      case OPCODES.PING:
        if (!this.#closed) this.#socket.write(maskedFrame(OPCODES.PONG, Buffer.from(head)));
        return;
      case OPCODES.PONG:
        return;
      case OPCODES.CLOSE:
        this.#closeCode = length >= 2 ? head.readUInt16BE(0) : undefined;
        this.#socket.end(maskedFrame(OPCODES.CLOSE, Buffer.from(head.subarray(0, 2))));
        return;
      default:
        this.#events.onFrame(opcode, length, head, tail, this.#receivedUs, count);
    }
  }

  #fail(message: string): void {
    this.#socket.destroy(new Error(message));
  }

  #finish(error: Error | undefined): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#events.onClose(this.#closeCode, error);
  }
}
