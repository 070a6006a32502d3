/** One pino root logger per process; modules take a child. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'web-client' } });
}
