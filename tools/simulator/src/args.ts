/** Command-line options of `npm run simulate -- …`, parsed with node:util (no framework needed). */
import { UsageError, parseFlags } from '@orders-live/cli-kit';

export interface SimulatorOptions {
  /** --help: print USAGE and do nothing else. */
  readonly help: boolean;
  /** Transactions committed per second; each holds one to a few changes (see plan.ts). */
  readonly ratePerSecond: number;
  readonly durationSeconds: number;
  readonly databaseUrl: string;
}

export const USAGE = `usage: npm run simulate -- [--rate <transactions/s>] [--duration <s>] [--database-url <postgres://…>]
  --rate          transactions per second, each of one to a few changes (default 5)
  --duration      seconds to run; 0 runs until Ctrl-C (default 60)
  --database-url  where to write (default: the native stack as the orders_api role,
                  postgres://orders_api:$ORDERS_API_DB_PASSWORD@127.0.0.1:$STACK_PG_PORT/shop;
                  with docker compose use postgres://orders_api:orders_api@127.0.0.1:5432/shop)
  --help, -h      print this and exit`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): SimulatorOptions {
  const values = parseFlags(argv, {
    rate: { type: 'string' },
    duration: { type: 'string' },
    'database-url': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const rate = Number(values.rate ?? '5');
  const duration = Number(values.duration ?? '60');
  if (!(rate > 0 && rate <= 10_000)) throw new UsageError(`--rate must be a number in (0, 10000], not "${values.rate}"`);
  if (!(duration >= 0)) throw new UsageError(`--duration must be a number >= 0, not "${values.duration}"`);
  const password = encodeURIComponent(env['ORDERS_API_DB_PASSWORD'] ?? 'orders_api');
  const port = env['STACK_PG_PORT'] ?? '25432';
  return {
    help: values.help ?? false,
    ratePerSecond: rate,
    durationSeconds: duration,
    databaseUrl: values['database-url'] ?? `postgres://orders_api:${password}@127.0.0.1:${port}/shop`,
  };
}
