import { describe, expect, it } from 'vitest';
import { readinessUrl } from './service-urls.js';

describe('readinessUrl', () => {
  it('points at /readyz beside /ws', () => {
    expect(readinessUrl('ws://127.0.0.1:3001/ws')).toBe('http://127.0.0.1:3001/readyz');
    expect(readinessUrl('wss://orders.example.com/ws?x=1')).toBe('https://orders.example.com/readyz');
  });
});
