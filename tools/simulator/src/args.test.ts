import { describe, expect, it } from 'vitest';
import { UsageError } from '@orders-live/cli-kit';
import { USAGE, parseOptions } from './args.js';

describe('simulator options', () => {
  it('defaults to 5 transactions/s for 60 s against the native stack as orders_api', () => {
    expect(parseOptions([], { STACK_PG_PORT: '25442', ORDERS_API_DB_PASSWORD: 'p@ss' })).toEqual({
      help: false,
      ratePerSecond: 5,
      durationSeconds: 60,
      databaseUrl: 'postgres://orders_api:p%40ss@127.0.0.1:25442/shop',
    });
  });

  it('answers --help and -h instead of calling them unknown', () => {
    expect(parseOptions(['--help'], {}).help).toBe(true);
    expect(parseOptions(['-h'], {}).help).toBe(true);
    expect(USAGE).toContain('--help');
  });

  it('speaks of one rate unit, transactions per second', () => {
    expect(USAGE).toContain('--rate <transactions/s>');
    expect(USAGE).not.toMatch(/changes\/s/);
    expect(parseOptions(['--rate', '2.5'], {}).ratePerSecond).toBe(2.5);
  });

  it.each([
    [['--rate', '0'], /--rate/],
    [['--duration', '-1'], /--duration/],
    [['--nope'], /Unknown option/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOptions(argv, {})).toThrow(UsageError);
    expect(() => parseOptions(argv, {})).toThrow(message);
  });
});
