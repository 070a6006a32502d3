/**
 * Where the real stack is. Two sources, chosen by STACK_SOURCE:
 *   native  (default) the native stack of stack/up.sh: Debian's Postgres, Kafka, Connect + Debezium
 *           from Maven jars. Ports come from the same variables and defaults as stack/lib.sh.
 *   compose on a machine with a Docker engine: testcontainers starts this repo's docker-compose.yml
 *           and the same tests run against the containers (see global-setup.ts).
 */
import { readEnvFile } from './env-file.js';

export interface StackEndpoints {
  readonly source: 'native' | 'compose';
  readonly postgres: {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly superuser: string;
    readonly password: string;
  };
  readonly debeziumPassword: string;
  readonly kafkaBrokers: readonly string[];
  readonly connectUrl: string;
  readonly topic: string;
}

export type StackSource = StackEndpoints['source'];

export function stackSource(env: NodeJS.ProcessEnv = process.env): StackSource {
  const source = env['STACK_SOURCE'] ?? 'native';
  if (source !== 'native' && source !== 'compose') throw new Error(`STACK_SOURCE must be "native" or "compose", not "${source}"`);
  return source;
}

/** Endpoints of the stack, from the environment with stack/lib.sh's defaults (native) or compose's published ports. */
export function stackEndpoints(env: NodeJS.ProcessEnv = process.env): StackEndpoints {
  const file = readEnvFile();
  const pick = (name: string, fallback: string): string => env[name] ?? file[name] ?? fallback;
  const source = stackSource(env);
  const native = source === 'native';
  return {
    source,
    postgres: {
      host: '127.0.0.1',
      port: Number(native ? pick('STACK_PG_PORT', '25432') : pick('POSTGRES_HOST_PORT', '5432')),
      database: native ? pick('STACK_PG_DB', 'shop') : 'shop',
      superuser: 'postgres',
      password: pick('POSTGRES_PASSWORD', 'postgres'),
    },
    debeziumPassword: pick('DEBEZIUM_DB_PASSWORD', 'debezium'),
    kafkaBrokers: [native ? `127.0.0.1:${pick('STACK_KAFKA_PORT', '19092')}` : `127.0.0.1:${pick('KAFKA_HOST_PORT', '9092')}`],
    connectUrl: native
      ? `http://127.0.0.1:${pick('STACK_CONNECT_PORT', '18083')}`
      : `http://127.0.0.1:${pick('CONNECT_HOST_PORT', '8083')}`,
    topic: 'orders.public.orders',
  };
}
