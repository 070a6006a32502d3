import { describe, expect, it } from 'vitest';
import { formatLsn, lsnSchema, parseLsn } from './lsn.js';

describe('formatLsn', () => {
  it('prints the LSN as Postgres does: high/low 32 bits in upper-case hex, unpadded', () => {
    expect(formatLsn(0)).toBe('0/0');
    expect(formatLsn(23803720)).toBe('0/16B3748');
    expect(formatLsn(0xffff_ffff)).toBe('0/FFFFFFFF');
    expect(formatLsn(0x1_0000_0000)).toBe('1/0');
    expect(formatLsn(0x2_0000_00ab)).toBe('2/AB');
    expect(formatLsn(Number.MAX_SAFE_INTEGER)).toBe('1FFFFF/FFFFFFFF');
  });

  it('round-trips through parseLsn', () => {
    for (const lsn of [0, 1, 26422144, 0xffff_ffff, 0x1_0000_0000, 0x3_1234_5678, Number.MAX_SAFE_INTEGER]) {
      expect(parseLsn(formatLsn(lsn))).toBe(lsn);
    }
  });
});

describe('parseLsn', () => {
  it('reads either case', () => {
    expect(parseLsn('0/16b3748')).toBe(23803720);
  });

  it('rejects what is not a pg_lsn or does not fit a safe integer', () => {
    for (const text of ['', '16B3748', '0/', '/1', '0/1/2', 'G/0', '0/123456789', ' 0/1', '200000/0']) {
      expect(parseLsn(text)).toBeUndefined();
    }
  });
});

describe('lsnSchema', () => {
  it('accepts a WAL position as a safe non-negative integer', () => {
    expect(lsnSchema.safeParse(26422144).success).toBe(true);
    expect(lsnSchema.safeParse(Number.MAX_SAFE_INTEGER).success).toBe(true);
  });

  it('rejects text, fractions, negatives and numbers past 2^53', () => {
    for (const value of ['0/16B3748', '26422144', 1.5, -1, Number.MAX_SAFE_INTEGER + 1, null]) {
      expect(lsnSchema.safeParse(value).success).toBe(false);
    }
  });
});
