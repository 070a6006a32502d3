/**
 * A model of how the Debezium Connect image turns its container environment into Kafka Connect
 * worker properties, so stack/compose.test.ts can check docker-compose.yml against
 * connectors/connect-worker.properties without running the image.
 *
 * Source: debezium/container-images, connect-base/3.7/docker-entrypoint.sh (the base of
 * quay.io/debezium/connect:3.7.x; its short-name handling is the 3.4 one plus Apicurio and Chronicle switches). Before it writes any property, the entrypoint
 *   1. gives a few short names a default when unset (`: ${GROUP_ID:=1}`, `: ${OFFSET_FLUSH_INTERVAL_MS:=60000}` …),
 *   2. exports a fixed CONNECT_* name from each short name (`export CONNECT_GROUP_ID=$GROUP_ID`),
 *      overwriting whatever that CONNECT_* variable held — so `CONNECT_OFFSET_FLUSH_INTERVAL_MS: 5000`
 *      in compose silently becomes 60000; STATUS_STORAGE_TOPIC is exported only when it is set;
 *   3. turns every CONNECT_A_B variable into the worker property a.b (lower case, `_` → `.`);
 *      CONNECT_LOG4J* variables go to the logging configuration instead.
 */

interface ShortName {
  /** The short variable the entrypoint reads. */
  readonly from: string;
  /** The value it falls back to when that variable is unset; undefined: exported empty. */
  readonly fallback?: string;
  /** Exported only when the short variable is set (STATUS_STORAGE_TOPIC). */
  readonly onlyWhenSet?: boolean;
}

/** Stands for the container's own address, which the entrypoint reads from `ip addr`. */
const CONTAINER_ADDRESS = '<container address>';

/** CONNECT_* name → the short name the entrypoint exports into it, in the script's order. */
const ENTRYPOINT_SHORT_NAMES: Readonly<Record<string, ShortName>> = Object.freeze({
  CONNECT_REST_ADVERTISED_PORT: { from: 'ADVERTISED_PORT', fallback: '8083' },
  CONNECT_REST_ADVERTISED_HOST_NAME: { from: 'ADVERTISED_HOST_NAME', fallback: CONTAINER_ADDRESS },
  CONNECT_REST_PORT: { from: 'REST_PORT', fallback: '8083' },
  CONNECT_REST_HOST_NAME: { from: 'REST_HOST_NAME', fallback: CONTAINER_ADDRESS },
  CONNECT_BOOTSTRAP_SERVERS: { from: 'BOOTSTRAP_SERVERS', fallback: '0.0.0.0:9092' },
  CONNECT_GROUP_ID: { from: 'GROUP_ID', fallback: '1' },
  CONNECT_CONFIG_STORAGE_TOPIC: { from: 'CONFIG_STORAGE_TOPIC' },
  CONNECT_OFFSET_STORAGE_TOPIC: { from: 'OFFSET_STORAGE_TOPIC' },
  CONNECT_STATUS_STORAGE_TOPIC: { from: 'STATUS_STORAGE_TOPIC', onlyWhenSet: true },
  CONNECT_KEY_CONVERTER: { from: 'KEY_CONVERTER', fallback: 'org.apache.kafka.connect.json.JsonConverter' },
  CONNECT_VALUE_CONVERTER: { from: 'VALUE_CONVERTER', fallback: 'org.apache.kafka.connect.json.JsonConverter' },
  CONNECT_TASK_SHUTDOWN_GRACEFUL_TIMEOUT_MS: { from: 'SHUTDOWN_TIMEOUT', fallback: '10000' },
  CONNECT_OFFSET_FLUSH_INTERVAL_MS: { from: 'OFFSET_FLUSH_INTERVAL_MS', fallback: '60000' },
  CONNECT_OFFSET_FLUSH_TIMEOUT_MS: { from: 'OFFSET_FLUSH_TIMEOUT_MS', fallback: '5000' },
});

interface EntrypointResult {
  /** The worker properties the entrypoint writes from the environment. */
  readonly properties: Record<string, string>;
  /** CONNECT_* variables the environment sets whose value the entrypoint throws away. */
  readonly overwritten: string[];
}

/** Applies the entrypoint's rule to a container environment (values as compose passes them). */
export function connectEntrypoint(environment: Readonly<Record<string, string>>): EntrypointResult {
  const env: Record<string, string> = { ...environment };
  const overwritten: string[] = [];
  for (const [target, rule] of Object.entries(ENTRYPOINT_SHORT_NAMES)) {
    const given = env[rule.from];
    if (rule.onlyWhenSet && given === undefined) continue;
    if (target in environment) overwritten.push(target);
    env[target] = given ?? rule.fallback ?? '';
  }
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('CONNECT_') || name.startsWith('CONNECT_LOG4J')) continue;
    properties[name.slice('CONNECT_'.length).toLowerCase().replaceAll('_', '.')] = value;
  }
  return { properties, overwritten };
}
