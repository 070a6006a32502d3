import { describe, expect, it } from 'vitest';
import { FrameJoiner, textFrame } from './text-frame.js';

describe('textFrame', () => {
  it('frames a payload as one final text frame, with the 16-bit length form past 125 bytes, once per payload', () => {
    const small = Buffer.from('{"type":"heartbeat"}');
    expect([...textFrame(small).subarray(0, 2)]).toEqual([0x81, small.length]);
    expect(textFrame(small).subarray(2).toString()).toBe('{"type":"heartbeat"}');
    const large = Buffer.from('x'.repeat(300));
    expect([...textFrame(large).subarray(0, 4)]).toEqual([0x81, 126, 300 >> 8, 300 & 0xff]);
    expect(textFrame(large)).toBe(textFrame(large));
  });
});

describe('FrameJoiner', () => {
  it('joins a sequence once and hands the same bytes to every socket sent the same payloads', () => {
    const joiner = new FrameJoiner();
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const first = joiner.join([a, b]);
    expect(joiner.join([a, b])).toBe(first);
    expect(first).toEqual(Buffer.concat([textFrame(a), textFrame(b)]));
  });

  it('tells sequences apart by their payloads, not their first one or their content', () => {
    const joiner = new FrameJoiner();
    const a = Buffer.from('a');
    const b = Buffer.from('b');
    const sameContentAsB = Buffer.from('b');
    const ab = joiner.join([a, b]);
    expect(joiner.join([a])).toEqual(textFrame(a));
    expect(joiner.join([a, b, b])).not.toBe(ab);
    const other = joiner.join([a, sameContentAsB]);
    expect(other).not.toBe(ab);
    expect(other).toEqual(ab);
  });
});
