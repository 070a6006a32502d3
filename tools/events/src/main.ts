/**
 * `npm run events -- [--from-beginning]`: the raw change events of orders.public.orders, readably,
 * without Docker or Kafka UI. Each record: partition/offset, key, op, source position, before/after.
 */
import { USAGE, UsageError, parseOptions } from './args.js';
import { tailEvents } from './tail.js';

async function main(): Promise<void> {
  let options;
  try {
    options = parseOptions(process.argv.slice(2), process.env);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`events: ${err.message}\n${USAGE}\n`);
      process.exitCode = 2;
      return;
    }
    throw err;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const tail = await tailEvents(options, (text) => process.stdout.write(`${text}\n`));
  const where = [...tail.startOffsets].map(([partition, offset]) => `partition ${partition} at offset ${offset}`).join(', ');
  process.stderr.write(`events: ${options.topic} on ${options.brokers.join(',')}, ${options.startAt === 'now' ? 'from now' : 'from the beginning'} (${where}); Ctrl-C stops\n`);
  const stop = () => {
    tail.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`events: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
