/** kafkajs logs through the service's pino logger (the one the service kit creates). */
import { logLevel as KafkaLogLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@orders-live/service-kit';

export type { Logger };

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
