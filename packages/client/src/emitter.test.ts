import { describe, expect, it, vi } from 'vitest';
import { Emitter } from './emitter.js';

interface Events {
  count: number;
  name: string;
}

describe('Emitter', () => {
  it('calls the listeners of an event with its payload until they unsubscribe', () => {
    const emitter = new Emitter<Events>();
    const counts: number[] = [];
    const names: string[] = [];
    const off = emitter.on('count', (n) => counts.push(n));
    emitter.on('name', (s) => names.push(s));
    emitter.emit('count', 1);
    emitter.emit('name', 'a');
    off();
    off();
    emitter.emit('count', 2);
    expect(counts).toEqual([1]);
    expect(names).toEqual(['a']);
  });

  it('keeps calling the other listeners when one throws, and rethrows its error on a microtask', async () => {
    const emitter = new Emitter<Events>();
    const seen: number[] = [];
    const boom = new Error('listener bug');
    const queued: (() => void)[] = [];
    const queue = vi.spyOn(globalThis, 'queueMicrotask').mockImplementation((task) => queued.push(task));
    try {
      emitter.on('count', () => {
        throw boom;
      });
      emitter.on('count', (n) => seen.push(n));
      expect(() => emitter.emit('count', 7)).not.toThrow();
      expect(seen).toEqual([7]);
      expect(queued).toHaveLength(1);
      expect(() => queued[0]?.()).toThrow(boom);
    } finally {
      queue.mockRestore();
    }
  });
});
