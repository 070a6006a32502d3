/**
 * `npm run tables -- add|remove <schema.table>`: streams a table of the running system, or stops
 * streaming it, with no restart but the connector task's own (see tables.ts and docs/operations.md).
 */
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import pg from 'pg';
import { runCli } from '@orders-live/cli-kit';
import { USAGE, parseOptions, type TablesOptions } from './args.js';
import { addTable, removeTable } from './tables.js';

/** Long enough for Connect to stop the task, start it with the new config and Debezium to reconnect. */
const CONNECTOR_TIMEOUT_MS = 120_000;

/** ./.env's settings (what both stacks read) under the environment's own. */
function environment(): NodeJS.ProcessEnv {
  const file = existsSync('.env') ? parseEnv(readFileSync('.env', 'utf8')) : {};
  return { ...file, ...process.env };
}

async function tables(options: TablesOptions): Promise<void> {
  const db = new pg.Client({ connectionString: options.databaseUrl });
  await db.connect();
  try {
    const ctx = {
      db,
      connectUrl: options.connectUrl,
      brokers: options.brokers,
      tablesFile: options.tablesFile,
      connectorFile: options.connectorFile,
      connectorTimeoutMs: CONNECTOR_TIMEOUT_MS,
      say: (line: string) => process.stdout.write(`tables: ${line}\n`),
    };
    if (options.command === 'add') await addTable(ctx, options.table);
    else await removeTable(ctx, options.table);
  } finally {
    await db.end();
  }
}

await runCli({ name: 'tables', usage: USAGE, parse: (argv) => parseOptions(argv, environment()), run: tables });
