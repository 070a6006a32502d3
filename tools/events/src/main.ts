/**
 * `npm run events -- [--from-beginning] [--table <schema.table>]`: the raw change events of a streamed
 * table's topic (orders.public.orders by default), readably,
 * without Docker or Kafka UI. Each record: partition/offset, key, op, source position, before/after.
 */
import { runCli } from '@orders-live/cli-kit';
import { USAGE, parseOptions, type EventsOptions } from './args.js';
import { tailEvents } from './tail.js';

async function events(options: EventsOptions): Promise<void> {
  const tail = await tailEvents(options, (text) => process.stdout.write(`${text}\n`));
  const where = [...tail.startOffsets].map(([partition, offset]) => `partition ${partition} at offset ${offset}`).join(', ');
  process.stderr.write(
    `events: ${options.topic} on ${options.brokers.join(',')}, ${options.startAt === 'now' ? 'from now' : 'from the beginning'} (${where}); Ctrl-C stops\n`,
  );
  const stop = () => {
    tail.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

await runCli({ name: 'events', usage: USAGE, parse: parseOptions, run: events });
