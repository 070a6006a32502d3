/** One pino root logger per process, named after its service; modules take a child. */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(service: string, level: string): Logger {
  return pino({ level, base: { service } });
}
