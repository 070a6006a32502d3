import { describe, expect, it } from 'vitest';
import { nextStatus } from './status-flow.js';

describe('nextStatus', () => {
  it('moves an order one step along pending → shipped → delivered', () => {
    expect(nextStatus('pending')).toBe('shipped');
    expect(nextStatus('shipped')).toBe('delivered');
    expect(nextStatus('delivered')).toBeUndefined();
  });
});
