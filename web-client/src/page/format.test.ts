import { describe, expect, it } from 'vitest';
import { DATE_TIME_PARTS, formatClock, formatConnectionState, formatDateTime, formatInstant, formatLatency } from './format.js';

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

describe('formatConnectionState', () => {
  it('names the state, and counts down the seconds to the next attempt', () => {
    expect(formatConnectionState({ name: 'live' }, 0)).toBe('live');
    expect(formatConnectionState({ name: 'offline', reason: 'network' }, 0)).toBe('offline');
    expect(formatConnectionState({ name: 'reconnecting', attempt: 3, retryAt: 10_000 }, 7_100)).toBe('reconnecting in 3s');
    expect(formatConnectionState({ name: 'reconnecting', attempt: 3, retryAt: 10_000 }, 10_000)).toBe('reconnecting');
  });
});

describe('formatClock', () => {
  it('reads an epoch time as a clock does', () => {
    const clock = new Intl.DateTimeFormat('en-GB', { timeStyle: 'medium', timeZone: 'UTC' });
    expect(formatClock(Date.UTC(2026, 0, 1, 14, 5, 9, 500), clock)).toBe('14:05:09');
  });
});

describe('formatDateTime', () => {
  it('gives the date and the zone, not only the time', () => {
    const utc = new Intl.DateTimeFormat('en-GB', { ...DATE_TIME_PARTS, timeZone: 'UTC' });
    expect(formatDateTime(Date.UTC(2026, 11, 1, 22, 14, 7), utc)).toBe('1 Dec, 22:14:07 UTC');
  });
});
