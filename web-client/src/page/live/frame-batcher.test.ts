import { describe, expect, it } from 'vitest';
import { FrameBatcher } from './frame-batcher.js';

describe('FrameBatcher', () => {
  it('hands everything since the last frame over at once, one frame request per frame', () => {
    const frames: (() => void)[] = [];
    const flushed: (readonly number[])[] = [];
    const batcher = new FrameBatcher<number>({
      requestFrame: (run) => frames.push(run),
      now: () => 5,
      flush: (items) => flushed.push(items),
    });
    for (let i = 0; i < 10_000; i++) batcher.add(i);
    expect(frames).toHaveLength(1);
    expect(batcher.pending).toBe(10_000);
    frames.shift()!();
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toHaveLength(10_000);
    batcher.add(1);
    batcher.clear();
    frames.shift()!();
    expect(flushed).toHaveLength(1);
  });
});
