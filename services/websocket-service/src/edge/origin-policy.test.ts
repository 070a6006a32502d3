import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin-policy.js';

const allowed = ['http://localhost:3000', 'https://orders.example'];

describe('originAllowed', () => {
  it('allows any origin, or none, when there is no allow-list', () => {
    expect(originAllowed('https://evil.example', undefined, false)).toBe(true);
    expect(originAllowed(undefined, undefined, false)).toBe(true);
  });

  it('allows the listed origins, compared without case, and refuses the others', () => {
    expect(originAllowed('http://localhost:3000', allowed, false)).toBe(true);
    expect(originAllowed('HTTPS://Orders.Example', allowed, true)).toBe(true);
    expect(originAllowed('https://evil.example', allowed, true)).toBe(false);
    expect(originAllowed('http://localhost:3001', allowed, true)).toBe(false);
    expect(originAllowed('https://localhost:3000', allowed, true)).toBe(false);
    expect(originAllowed('null', allowed, true)).toBe(false);
  });

  it('lets a client without Origin (not a browser) in only when access control is on', () => {
    expect(originAllowed(undefined, allowed, true)).toBe(true);
    expect(originAllowed(undefined, allowed, false)).toBe(false);
  });
});
