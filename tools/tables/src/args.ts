/** Command-line options of `npm run tables -- add|remove <schema.table> …`. */
import { fileURLToPath } from 'node:url';
import { UsageError, parseFlags } from '@orders-live/cli-kit';
import { TABLE_NAME } from './list.js';

export interface TablesOptions {
  /** --help: print USAGE and do nothing else. */
  readonly help: boolean;
  readonly command: 'add' | 'remove';
  readonly table: string;
  readonly databaseUrl: string;
  readonly connectUrl: string;
  readonly brokers: readonly string[];
  readonly tablesFile: string;
  readonly connectorFile: string;
}

/** The repository's root, from dist/ or src/ of this tool. */
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export const USAGE = `usage: npm run tables -- add|remove <schema.table> [--database-url <postgres://…>] [--connect-url <url>]
                            [--brokers <host:port,…>] [--tables-file <path>]
  add     streams the table: checks it exists, has a primary key and is the publication owner's;
          sets REPLICA IDENTITY FULL, grants the connector's role SELECT, adds it to the
          publication, appends it to the list and puts it in the running connector's
          table.include.list, then asks the connector for a blocking snapshot of it: its rows
          reach the topic orders.<schema>.<table>, and its changes follow.
  remove  undoes each of those (the topic and its records stay).
  --database-url  as the tables' owner (default: the native stack,
                  postgres://orders_owner:$ORDERS_OWNER_PASSWORD@127.0.0.1:$STACK_PG_PORT/shop;
                  with docker compose use postgres://orders_owner:orders_owner@127.0.0.1:5432/shop)
  --connect-url   Kafka Connect's REST API (default http://127.0.0.1:$STACK_CONNECT_PORT; with docker
                  compose add compose.host-access.yml and use http://127.0.0.1:8083)
  --brokers       Kafka, for the snapshot's signal (default: $KAFKA_BROKERS, else 127.0.0.1:$STACK_KAFKA_PORT;
                  with docker compose and compose.host-access.yml, 127.0.0.1:9092)
  --tables-file   the list of streamed tables (default database/tables.list)
  --help, -h      print this and exit`;

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): TablesOptions {
  const [command, table, ...rest] = argv;
  if (command === '--help' || command === '-h' || argv.length === 0) return { ...defaults(env), help: true, command: 'add', table: '' };
  if (command !== 'add' && command !== 'remove') throw new UsageError(`the command is add or remove, not "${command}"`);
  if (table === undefined || !TABLE_NAME.test(table)) {
    throw new UsageError(`${command} needs a table as schema.table in lower case (e.g. public.customers), not "${table ?? ''}"`);
  }
  const values = parseFlags(rest, {
    'database-url': { type: 'string' },
    'connect-url': { type: 'string' },
    brokers: { type: 'string' },
    'tables-file': { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const base = defaults(env);
  return {
    help: values.help ?? false,
    command,
    table,
    databaseUrl: values['database-url'] ?? base.databaseUrl,
    connectUrl: values['connect-url'] ?? base.connectUrl,
    brokers: brokerList(values.brokers ?? base.brokers.join(',')),
    tablesFile: values['tables-file'] ?? base.tablesFile,
    connectorFile: base.connectorFile,
  };
}

function brokerList(text: string): string[] {
  const brokers = text
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  if (brokers.length === 0 || brokers.some((b) => !/^[^\s:]+:\d+$/.test(b))) {
    throw new UsageError(`--brokers expects host:port[,host:port…], not "${text}"`);
  }
  return brokers;
}

function defaults(env: NodeJS.ProcessEnv): Pick<TablesOptions, 'databaseUrl' | 'connectUrl' | 'brokers' | 'tablesFile' | 'connectorFile'> {
  const password = encodeURIComponent(env['ORDERS_OWNER_PASSWORD'] ?? 'orders_owner');
  return {
    databaseUrl: `postgres://orders_owner:${password}@127.0.0.1:${env['STACK_PG_PORT'] ?? '25432'}/${env['STACK_PG_DB'] ?? 'shop'}`,
    connectUrl: `http://127.0.0.1:${env['STACK_CONNECT_PORT'] ?? '18083'}`,
    brokers: (env['KAFKA_BROKERS'] ?? `127.0.0.1:${env['STACK_KAFKA_PORT'] ?? '19092'}`).split(','),
    tablesFile: `${REPO_ROOT}database/tables.list`,
    connectorFile: `${REPO_ROOT}register-orders-connector.json`,
  };
}
