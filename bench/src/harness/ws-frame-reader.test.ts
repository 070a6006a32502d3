import { describe, expect, it } from 'vitest';
import { FrameReader, OPCODES, maskedFrame } from './ws-frame-reader.js';

/** An unmasked server frame. */
function serverFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const header = length < 126 ? Buffer.from([0x80 | opcode, length]) : length < 65_536 ? Buffer.alloc(4) : Buffer.alloc(10);
  if (length >= 126 && length < 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
  } else if (length >= 65_536) {
    header[0] = 0x80 | opcode;
    header[1] = 127;
    header.writeUInt32BE(0, 2);
    header.writeUInt32BE(length, 6);
  }
  return Buffer.concat([header, payload]);
}

interface Seen {
  opcode: number;
  length: number;
  head: string;
  tail: string;
}

function reader(headBytes: number, tailBytes: number): { reader: FrameReader; seen: Seen[] } {
  const seen: Seen[] = [];
  const frameReader = new FrameReader((opcode, length, head, tail) => {
    seen.push({ opcode, length, head: head.toString('latin1'), tail: tail.toString('latin1') });
  }, headBytes, tailBytes);
  return { reader: frameReader, seen };
}

const payloads = [
  Buffer.from('{"type":"change","id":"s","cursor":"0:42"}'),
  Buffer.alloc(0),
  Buffer.from('x'.repeat(300) + '"cursor":"0:43"}'),
  Buffer.from('y'.repeat(70_000) + '"cursor":"0:44"}'),
];
const stream = Buffer.concat([...payloads.map((p) => serverFrame(OPCODES.TEXT, p)), serverFrame(OPCODES.PING, Buffer.from('hi'))]);

function expected(headBytes: number, tailBytes: number): Seen[] {
  return [
    ...payloads.map((p) => ({
      opcode: OPCODES.TEXT,
      length: p.length,
      head: p.subarray(0, Math.min(p.length, headBytes)).toString('latin1'),
      tail: p.subarray(p.length - Math.min(p.length, tailBytes)).toString('latin1'),
    })),
    { opcode: OPCODES.PING, length: 2, head: 'hi', tail: 'hi' },
  ];
}

describe('FrameReader', () => {
  it('reads frames of every length encoding from one chunk', () => {
    const { reader: r, seen } = reader(16, 20);
    r.push(stream);
    expect(seen).toEqual(expected(16, 20));
  });

  it('gives the same frames however the stream is cut into chunks', () => {
    for (const cut of [1, 2, 3, 5, 7, 13, 100, 4_096]) {
      const { reader: r, seen } = reader(16, 20);
      for (let at = 0; at < stream.length; at += cut) r.push(stream.subarray(at, at + cut));
      expect(seen, `chunks of ${cut} bytes`).toEqual(expected(16, 20));
    }
  });

  it('refuses masked server frames', () => {
    const { reader: r } = reader(16, 20);
    expect(() => r.push(maskedFrame(OPCODES.TEXT, Buffer.from('hi')))).toThrow(/masked/);
  });
});

describe('maskedFrame', () => {
  it('masks the payload with the key it carries', () => {
    for (const size of [5, 200, 70_000]) {
      const payload = Buffer.alloc(size, 'a');
      const frame = maskedFrame(OPCODES.TEXT, payload);
      const extra = size < 126 ? 0 : size < 65_536 ? 2 : 8;
      const key = frame.subarray(2 + extra, 6 + extra);
      const unmasked = Buffer.from(frame.subarray(6 + extra).map((byte, i) => byte ^ key[i & 3]!));
      expect(frame[0]).toBe(0x81);
      expect(frame[1]! & 0x80).toBe(0x80);
      expect(unmasked.equals(payload)).toBe(true);
    }
  });
});

describe('FrameReader needle counts', () => {
  it('counts a needle in each payload, also across chunk boundaries', () => {
    const needle = Buffer.from('"op":"');
    const payload = Buffer.from(`{"type":"transaction","changes":[${Array.from({ length: 7 }, (_, i) => `{"op":"insert","key":{"id":${i}}}`).join(',')}]}`);
    const frame = Buffer.concat([Buffer.from([0x81, 126, payload.length >> 8, payload.length & 0xff]), payload]);
    for (const split of [1, 3, 5, 7, 50]) {
      const counts: number[] = [];
      const reader = new FrameReader((_op, _len, _head, _tail, count) => counts.push(count), 16, 16, needle);
      for (let at = 0; at < frame.length; at += split) reader.push(frame.subarray(at, at + split));
      reader.push(frame);
      expect(counts).toEqual([7, 7]);
    }
  });
});
