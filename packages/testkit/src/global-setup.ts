/**
 * Vitest global setup for integration tests: makes sure the real stack is there and the connector
 * is RUNNING before any test starts.
 *   native:  runs stack/up.sh, which is idempotent (a running stack is left as it is).
 *   compose: starts docker-compose.yml with testcontainers and stops it afterwards, with
 *            compose.host-access.yml, since the tests reach Kafka and Connect from the host.
 */
import { execFileSync } from 'node:child_process';
import { REPO_ROOT } from './env-file.js';
import { connectorStatus, isRunning } from './connector.js';
import { stackEndpoints, stackSource } from './stack.js';
import { waitFor } from './wait.js';

/** The compose stack pulls images and builds two: give it time on a cold machine. */
const COMPOSE_STARTUP_TIMEOUT_MS = 15 * 60_000;
const CONNECTOR_RUNNING_TIMEOUT_MS = 120_000;

export default async function setup(): Promise<() => Promise<void>> {
  let teardown = async (): Promise<void> => {};
  if (stackSource() === 'native') {
    execFileSync('bash', [`${REPO_ROOT}stack/up.sh`], { stdio: ['ignore', 'ignore', 'inherit'] });
  } else {
    const { DockerComposeEnvironment, Wait } = await import('testcontainers');
    const environment = await new DockerComposeEnvironment(REPO_ROOT, ['docker-compose.yml', 'compose.host-access.yml'])
      .withWaitStrategy('register-connector', Wait.forOneShotStartup())
      .withStartupTimeout(COMPOSE_STARTUP_TIMEOUT_MS)
      .up();
    teardown = async () => {
      await environment.down();
    };
  }
  const { connectUrl } = stackEndpoints();
  await waitFor('the orders connector to be RUNNING', async () => isRunning(await connectorStatus(connectUrl)), CONNECTOR_RUNNING_TIMEOUT_MS);
  return teardown;
}
