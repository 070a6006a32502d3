import { describe, expect, it } from 'vitest';
import { UsageError } from '@orders-live/cli-kit';
import { USAGE, parseOptions } from './args.js';

describe('events options', () => {
  it('tails orders.public.orders on the native stack from now by default', () => {
    expect(parseOptions([], { STACK_KAFKA_PORT: '19102' })).toEqual({
      help: false,
      brokers: ['127.0.0.1:19102'],
      topic: 'orders.public.orders',
      startAt: 'now',
    });
    expect(parseOptions([], { KAFKA_BROKERS: 'a:1,b:2' }).brokers).toEqual(['a:1', 'b:2']);
  });

  it('starts from the beginning when asked, and answers --help', () => {
    expect(parseOptions(['--from-beginning', '--brokers', '127.0.0.1:9092'], {})).toMatchObject({
      startAt: 'beginning',
      brokers: ['127.0.0.1:9092'],
    });
    expect(parseOptions(['-h'], {}).help).toBe(true);
    expect(USAGE).toContain('--from-beginning');
  });

  it("reads a streamed table's topic by the table's name", () => {
    expect(parseOptions(['--table', 'public.order_lines'], {}).topic).toBe('orders.public.order_lines');
    expect(USAGE).toContain('--table');
  });

  it.each([
    [['--brokers', 'nohost']],
    [['--topic', 'bad topic']],
    [['--nope']],
    [['--table', 'customers']],
    [['--table', 'public.customers', '--topic', 'orders.public.customers']],
  ])('refuses %j', (argv) => {
    expect(() => parseOptions(argv, {})).toThrow(UsageError);
  });
});
