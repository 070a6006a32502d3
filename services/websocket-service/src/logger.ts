/** One pino root logger per process; modules take a child. kafkajs logs through it too. */
import { pino, type Logger } from 'pino';
import { logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({ level, base: { service: 'websocket-service' } });
}

/** Routes kafkajs' own log lines into pino, under a `kafkajs` child, keeping their level. */
export function kafkaLogCreator(root: Logger): logCreator {
  const log = root.child({ module: 'kafkajs' });
  return () =>
    ({ level, log: entry }) => {
      const { message, ...fields } = entry;
      switch (level) {
        case KafkaLogLevel.ERROR:
          log.error(fields, message);
          break;
        case KafkaLogLevel.WARN:
          log.warn(fields, message);
          break;
        case KafkaLogLevel.INFO:
          log.info(fields, message);
          break;
        default:
          log.debug(fields, message);
      }
    };
}
