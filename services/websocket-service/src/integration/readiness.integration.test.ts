/**
 * /readyz's `status` on the real stack: which part users are waiting on, readable from the page's
 * origin. The connector's silence is seen from its topics standing still, and ends with a change.
 */
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { stackEndpoints, superuserPool, waitFor } from '@orders-live/testkit';
import { CONNECTOR_WATCH_INTERVAL_MS } from '../ingest/connector-watch.js';
import type { PipelineStatus } from '../health.js';
import { startApp, type RunningApp } from '../test-support.js';

const stack = stackEndpoints();
/** Short, so that a quiet table (no heartbeats watched, see below) reads as silent within a look or two. */
const TEST_SILENT_AFTER_MS = 3_000;
let db: pg.Pool;
const started: RunningApp[] = [];

beforeAll(() => {
  db = superuserPool(stack);
});

afterAll(async () => {
  await Promise.all(started.map((s) => s.close()));
  await db?.end();
});

async function readiness(
  service: RunningApp,
  origin?: string,
): Promise<{ headers: Headers; body: { ready: boolean; status: PipelineStatus } }> {
  const response = await fetch(`${service.httpUrl}/readyz`, origin ? { headers: { origin } } : {});
  return { headers: response.headers, body: (await response.json()) as { ready: boolean; status: PipelineStatus } };
}

describe('/readyz status', () => {
  it('says Kafka answers, the connector streams and the replica is live; any page may read it', async () => {
    const service = await startApp(stack, { SERVER_ID: 'readiness-test' });
    started.push(service);
    const { headers, body } = await readiness(service, 'http://localhost:3000');
    expect(headers.get('access-control-allow-origin')).toBe('*');
    expect(body.ready).toBe(true);
    expect(body.status).toMatchObject({
      kafka: { code: 'KAFKA_OK' },
      connector: { code: 'CONNECTOR_STREAMING' },
      lag: { code: 'LAG_LIVE' },
    });
  });

  it('lets only an allowed origin read it when origins are restricted', async () => {
    const service = await startApp(stack, { SERVER_ID: 'readiness-origins', WS_ALLOWED_ORIGINS: 'http://localhost:3000' });
    started.push(service);
    expect((await readiness(service, 'http://localhost:3000')).headers.get('access-control-allow-origin')).toBe('http://localhost:3000');
    expect((await readiness(service, 'http://elsewhere.example')).headers.get('access-control-allow-origin')).toBeNull();
  });

  it('calls the connector silent while its topics stand still, and streaming again once a change arrives', async () => {
    // Watching a heartbeat topic that does not exist: only the table's topic counts, and nothing
    // writes to it unless this test does.
    const service = await startApp(stack, {
      SERVER_ID: 'readiness-silent',
      CONNECTOR_HEARTBEAT_TOPIC: '__no-such-heartbeat-topic',
      CONNECTOR_SILENT_AFTER_MS: String(TEST_SILENT_AFTER_MS),
    });
    started.push(service);
    const timeout = 4 * CONNECTOR_WATCH_INTERVAL_MS;
    await waitFor(
      'the connector to read as silent',
      async () => (await readiness(service)).body.status.connector.code === 'CONNECTOR_SILENT',
      timeout,
    );
    const silent = (await readiness(service)).body.status.connector;
    expect(silent.silentForMs).toBeGreaterThan(TEST_SILENT_AFTER_MS);
    // The replica still serves what it has: silence upstream does not make it unready.
    expect((await readiness(service)).body.ready).toBe(true);

    // A change reaches the topic: the next look sees it grow.
    await db.query(
      `INSERT INTO orders (customer_name, product_name, status, quantity, amount) VALUES ('Readiness probe', 'Probe', 'pending', 1, 1)`,
    );
    await waitFor(
      'the connector to read as streaming again',
      async () => {
        const { connector } = (await readiness(service)).body.status;
        return (
          connector.code === 'CONNECTOR_STREAMING' &&
          connector.silentForMs !== null &&
          connector.silentForMs < CONNECTOR_WATCH_INTERVAL_MS + TEST_SILENT_AFTER_MS
        );
      },
      timeout,
    );
    await db.query(`DELETE FROM orders WHERE customer_name = 'Readiness probe'`);
  }, 60_000);
});
