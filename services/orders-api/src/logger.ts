/** One pino root logger per process; modules take a child. Never log request bodies or whole rows at info. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'orders-api' } });
}
