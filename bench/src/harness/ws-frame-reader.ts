/**
 * Server → client WebSocket frames from a TCP byte stream (RFC 6455 §5.2), for the benchmark's raw
 * clients. Pure: bytes in, one callback per frame out; no socket, no clock.
 *
 * It hands over only what a client of a benchmark needs: the opcode, the payload length, and views
 * of the payload's first HEAD and last TAIL bytes (the frame's type sits at the start of the JSON,
 * its cursor at the end). Payload bytes in between are skipped, not copied: at a million deliveries
 * a second, parsing every frame would measure the client, not the server.
 *
 * Optionally it also counts the occurrences of a byte string (a `needle`) in each payload, as it
 * passes: `"op":"` occurs once per change of a protocol v2 transaction (or window diff step), so the
 * count is the frame's changes, without parsing it.
 *
 * The views are valid only during the callback. Servers here never fragment messages or mask
 * frames; a continuation frame is reported as a frame of its own, a masked one is an error.
 */

/** `count`: occurrences of the reader's needle in the payload (0 without a needle). */
type FrameHandler = (opcode: number, length: number, head: Buffer, tail: Buffer, count: number) => void;

export const OPCODES = { CONTINUATION: 0x0, TEXT: 0x1, BINARY: 0x2, CLOSE: 0x8, PING: 0x9, PONG: 0xa } as const;

/** Control frames carry at most 125 bytes, so HEAD covers a ping's whole payload. */
const DEFAULT_HEAD_BYTES = 125;
const DEFAULT_TAIL_BYTES = 64;

const EMPTY = Buffer.alloc(0);

export class FrameReader {
  readonly #onFrame: FrameHandler;
  readonly #headBytes: number;
  readonly #tailBytes: number;
  /** A header split across chunks is gathered here. */
  readonly #header = Buffer.alloc(14);
  #headerLength = 0;
  /** A payload split across chunks: what is left of it, and its head and tail so far. */
  #inPayload = false;
  #opcode = 0;
  #length = 0;
  #remaining = 0;
  readonly #head: Buffer;
  #headLength = 0;
  readonly #tail: Buffer;
  #tailLength = 0;
  readonly #needle: Buffer | undefined;
  /** The last needle.length - 1 bytes of the payload so far: a needle may straddle two chunks. */
  #carry = Buffer.alloc(0);
  #count = 0;

  constructor(onFrame: FrameHandler, headBytes = DEFAULT_HEAD_BYTES, tailBytes = DEFAULT_TAIL_BYTES, needle?: Buffer) {
    this.#onFrame = onFrame;
    this.#needle = needle && needle.length > 0 ? needle : undefined;
    this.#headBytes = headBytes;
    this.#tailBytes = tailBytes;
    this.#head = Buffer.alloc(headBytes);
    this.#tail = Buffer.alloc(tailBytes);
  }

  push(chunk: Buffer): void {
    const end = chunk.length;
    let pos = 0;
    while (pos < end) {
      if (this.#inPayload) {
        pos = this.#continuePayload(chunk, pos);
        continue;
      }
      // Fast path: the whole header is in this chunk.
      if (this.#headerLength === 0 && end - pos >= 2) {
        const size = headerSize(chunk[pos + 1]!);
        if (end - pos >= size) {
          const opcode = chunk[pos]! & 0x0f;
          const length = payloadLength(chunk, pos);
          pos += size;
          if (end - pos >= length) {
            const headEnd = pos + Math.min(length, this.#headBytes);
            const tailStart = pos + length - Math.min(length, this.#tailBytes);
            const count = this.#needle ? occurrences(chunk, pos, pos + length, this.#needle) : 0;
            this.#onFrame(opcode, length, chunk.subarray(pos, headEnd), chunk.subarray(tailStart, pos + length), count);
            pos += length;
          } else {
            this.#startPayload(opcode, length);
          }
          continue;
        }
      }
      // Slow path: gather the header byte by byte across chunks.
      this.#header[this.#headerLength++] = chunk[pos++]!;
      if (this.#headerLength >= 2 && this.#headerLength === headerSize(this.#header[1]!)) {
        const opcode = this.#header[0]! & 0x0f;
        const length = payloadLength(this.#header, 0);
        this.#headerLength = 0;
        if (length === 0) this.#onFrame(opcode, 0, EMPTY, EMPTY, 0);
        else this.#startPayload(opcode, length);
      }
    }
  }

  #startPayload(opcode: number, length: number): void {
    this.#inPayload = true;
    this.#opcode = opcode;
    this.#length = length;
    this.#remaining = length;
    this.#headLength = 0;
    this.#tailLength = 0;
    this.#carry = EMPTY;
    this.#count = 0;
  }

  /** Counts the needle in chunk[start, end), including one that began in the previous chunk. */
  #countSegment(chunk: Buffer, start: number, end: number): void {
    const needle = this.#needle;
    if (!needle) return;
    const keep = needle.length - 1;
    if (this.#carry.length > 0) {
      // Every match in carry + the first `keep` bytes straddles the boundary: neither part can hold one alone.
      this.#count += occurrences(
        Buffer.concat([this.#carry, chunk.subarray(start, Math.min(end, start + keep))]),
        0,
        this.#carry.length + Math.min(end - start, keep),
        needle,
      );
    }
    this.#count += occurrences(chunk, start, end, needle);
    const joined = end - start >= keep ? chunk.subarray(end - keep, end) : Buffer.concat([this.#carry, chunk.subarray(start, end)]);
    this.#carry = Buffer.from(joined.subarray(Math.max(0, joined.length - keep)));
  }

  #continuePayload(chunk: Buffer, pos: number): number {
    const take = Math.min(this.#remaining, chunk.length - pos);
    this.#countSegment(chunk, pos, pos + take);
    if (this.#headLength < this.#headBytes) {
      const copy = Math.min(take, this.#headBytes - this.#headLength);
      chunk.copy(this.#head, this.#headLength, pos, pos + copy);
      this.#headLength += copy;
    }
    const tailBytes = this.#tailBytes;
    if (take >= tailBytes) {
      chunk.copy(this.#tail, 0, pos + take - tailBytes, pos + take);
      this.#tailLength = tailBytes;
    } else {
      const keep = Math.min(this.#tailLength, tailBytes - take);
      this.#tail.copy(this.#tail, 0, this.#tailLength - keep, this.#tailLength);
      chunk.copy(this.#tail, keep, pos, pos + take);
      this.#tailLength = keep + take;
    }
    this.#remaining -= take;
    if (this.#remaining === 0) {
      this.#inPayload = false;
      this.#onFrame(
        this.#opcode,
        this.#length,
        this.#head.subarray(0, this.#headLength),
        this.#tail.subarray(0, this.#tailLength),
        this.#count,
      );
    }
    return pos + take;
  }
}

/** Non-overlapping occurrences of `needle` in bytes[start, end). */
export function occurrences(bytes: Buffer, start: number, end: number, needle: Buffer): number {
  let count = 0;
  let at = bytes.indexOf(needle, start);
  while (at >= 0 && at + needle.length <= end) {
    count += 1;
    at = bytes.indexOf(needle, at + needle.length);
  }
  return count;
}

function headerSize(secondByte: number): number {
  if (secondByte & 0x80) throw new Error('a server sent a masked frame (RFC 6455 §5.1 forbids it)');
  const length7 = secondByte & 0x7f;
  return length7 === 126 ? 4 : length7 === 127 ? 10 : 2;
}

function payloadLength(bytes: Buffer, at: number): number {
  const length7 = bytes[at + 1]! & 0x7f;
  if (length7 === 126) return bytes.readUInt16BE(at + 2);
  if (length7 === 127) return bytes.readUInt32BE(at + 2) * 2 ** 32 + bytes.readUInt32BE(at + 6);
  return length7;
}

/** A client → server frame: masked, as RFC 6455 §5.3 requires. */
export function maskedFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const extra = length < 126 ? 0 : length < 65_536 ? 2 : 8;
  const frame = Buffer.alloc(2 + extra + 4 + length);
  frame[0] = 0x80 | opcode;
  if (extra === 0) {
    frame[1] = 0x80 | length;
  } else if (extra === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  const maskAt = 2 + extra;
  for (let i = 0; i < 4; i++) frame[maskAt + i] = Math.floor(Math.random() * 256);
  for (let i = 0; i < length; i++) frame[maskAt + 4 + i] = payload[i]! ^ frame[maskAt + (i & 3)]!;
  return frame;
}
