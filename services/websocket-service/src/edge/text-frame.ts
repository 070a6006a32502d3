/**
 * A server → client WebSocket text frame (RFC 6455 §5.2: header, then the unmasked payload) as one
 * Buffer, built once per payload and kept as long as the payload is: every socket that is sent
 * the same frame bytes (a subscription's frame, a heartbeat, a freshness frame) writes the same
 * framed Buffer, with no per-socket framing. The header is ws's own (Sender.frame, public in ws 8
 * though @types/ws does not declare it), so the bytes are what ws.send would have written.
 */
import * as ws from 'ws';

interface FrameOptions {
  readonly fin: boolean;
  readonly opcode: number;
  readonly mask: boolean;
  readonly readOnly: boolean;
  readonly rsv1: boolean;
}
type SenderStatic = { frame(data: Buffer, options: FrameOptions): Buffer[] };

const Sender = (ws as unknown as { Sender: SenderStatic }).Sender;
const TEXT_OPCODE = 0x1;
const TEXT_FRAME: FrameOptions = { fin: true, opcode: TEXT_OPCODE, mask: false, readOnly: true, rsv1: false };

const framed = new WeakMap<Buffer, Buffer>();

/** The whole frame of a text message whose UTF-8 payload is `payload`. */
export function textFrame(payload: Buffer): Buffer {
  let frame = framed.get(payload);
  if (!frame) {
    const parts = Sender.frame(payload, TEXT_FRAME);
    frame = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
    framed.set(payload, frame);
  }
  return frame;
}

/**
 * The frames of one flush pass joined, per distinct sequence of payloads: sockets that share a
 * subscription are sent the same payload Buffers in the same order, so a thousand of them take one
 * joined Buffer, built once, and one write each (a Node write per frame costs as much as the
 * syscall). Payloads compare by identity, not content. One joiner per pass: it holds its Buffers
 * until the pass ends.
 */
export class FrameJoiner {
  readonly #byFirst = new Map<Buffer, { readonly payloads: readonly Buffer[]; readonly bytes: Buffer }[]>();

  /** The payloads' text frames, back to back. */
  join(payloads: readonly Buffer[]): Buffer {
    const first = payloads[0]!;
    if (payloads.length === 1) return textFrame(first);
    let candidates = this.#byFirst.get(first);
    if (candidates) {
      for (const candidate of candidates) if (sameItems(candidate.payloads, payloads)) return candidate.bytes;
    } else {
      candidates = [];
      this.#byFirst.set(first, candidates);
    }
    const bytes = Buffer.concat(payloads.map(textFrame));
    candidates.push({ payloads, bytes });
    return bytes;
  }
}

function sameItems(a: readonly Buffer[], b: readonly Buffer[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
