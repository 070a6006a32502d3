/**
 * "Is it serving again?" for each target, asked of the component itself rather than of the script
 * that restarted it: Postgres answers a query, Kafka gives the topic's end offsets (a leader is up),
 * Connect reports the connector's task RUNNING, a replica answers /readyz with 200.
 */
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import type { StackEndpoints } from '@orders-live/testkit';
import type { Target } from './schedule.js';

/** How often a restarted target is asked: fine enough for second-scale figures, cheap enough for 2 cores. */
export const PROBE_INTERVAL_MS = 200;
/** Each question gets this long; a component that takes longer is not serving yet. */
const PROBE_TIMEOUT_MS = 1_000;

export type Probe = (target: Target) => Promise<boolean>;

/** A question not answered by then counts as "no" (a client library's close can hang on a dead peer). */
const PROBE_GIVE_UP_MS = 3 * PROBE_TIMEOUT_MS;

export function serviceProbe(stack: StackEndpoints, replicaUrl: (name: 'ws-a' | 'ws-b') => string): Probe {
  const ask = async (target: Target): Promise<boolean> => {
    switch (target) {
      case 'postgres':
        return postgresAnswers(stack);
      case 'kafka':
        return kafkaAnswers(stack);
      case 'connect':
        return connectorTaskRunning(stack);
      default:
        return (await fetch(`${replicaUrl(target)}/readyz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })).ok;
    }
  };
  return async (target) => {
    let timer: NodeJS.Timeout | undefined;
    const giveUp = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), PROBE_GIVE_UP_MS)));
    try {
      return await Promise.race([ask(target).catch(() => false), giveUp]);
    } finally {
      clearTimeout(timer);
    }
  };
}

async function postgresAnswers(stack: StackEndpoints): Promise<boolean> {
  const { host, port, database, superuser, password } = stack.postgres;
  const client = new pg.Client({ host, port, database, user: superuser, password, connectionTimeoutMillis: PROBE_TIMEOUT_MS });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } finally {
    // Not awaited: ending a client whose connection never opened can wait forever.
    void client.end().catch(() => undefined);
  }
}

async function kafkaAnswers(stack: StackEndpoints): Promise<boolean> {
  const kafka = new Kafka({
    clientId: 'chaos-probe',
    brokers: [...stack.kafkaBrokers],
    connectionTimeout: PROBE_TIMEOUT_MS,
    requestTimeout: PROBE_TIMEOUT_MS,
    retry: { retries: 0 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    const offsets = await admin.fetchTopicOffsets(stack.topic);
    return offsets.length > 0;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

async function connectorTaskRunning(stack: StackEndpoints): Promise<boolean> {
  const response = await fetch(`${stack.connectUrl}/connectors/orders/status`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
  if (!response.ok) return false;
  const status = (await response.json()) as { tasks?: { state?: string }[] };
  return (status.tasks ?? []).some((task) => task.state === 'RUNNING');
}
