/**
 * Vitest global setup for integration tests: makes sure the real stack is there and the connector
 * is RUNNING before any test starts.
 *   native:  runs stack/up.sh, which is idempotent (a running stack is left as it is).
 *   compose: starts docker-compose.yml with testcontainers and stops it afterwards, with
 *            compose.host-access.yml, since the tests reach Kafka and Connect from the host.
 */
import { REPO_ROOT } from './env-file.js';
import { startNativeStack, waitForConnector } from './ensure-stack.js';
import { stackEndpoints, stackSource } from './stack.js';

/** The compose stack pulls images and builds two: give it time on a cold machine. */
const COMPOSE_STARTUP_TIMEOUT_MS = 15 * 60_000;

export default async function setup(): Promise<() => Promise<void>> {
  let teardown = async (): Promise<void> => {};
  if (stackSource() === 'native') {
    startNativeStack();
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
  await waitForConnector(stackEndpoints().connectUrl);
  return teardown;
}
