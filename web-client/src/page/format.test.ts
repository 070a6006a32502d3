import { describe, expect, it } from 'vitest';
import { formatInstant, formatLatency } from './format.js';

const utc = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' });

describe('formatInstant', () => {
  it('reads Postgres microsecond timestamps', () => {
    expect(formatInstant('2025-01-02T03:04:05.123456Z', utc)).toBe(utc.format(Date.UTC(2025, 0, 2, 3, 4, 5, 123)));
    expect(formatInstant('2025-01-02T03:04:05+01:00', utc)).toBe(utc.format(Date.UTC(2025, 0, 2, 2, 4, 5)));
  });

  it('shows text it cannot parse as it is', () => {
    expect(formatInstant('yesterday', utc)).toBe('yesterday');
  });
});

describe('formatLatency', () => {
  it('uses ms below a second, seconds above', () => {
    expect(formatLatency(42)).toBe('42 ms');
    expect(formatLatency(1530)).toBe('1.5 s');
  });
});
