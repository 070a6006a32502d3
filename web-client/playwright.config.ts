/**
 * Browser tests: Debian's Chromium (never a downloaded browser) driven by Playwright, against the
 * real system: the native stack (or compose, see packages/testkit), the built websocket-service and
 * web-client started as real processes and awaited on their health endpoints, and Debian's Adminer
 * (stack/adminer.sh) for the workflow test.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { chromiumLaunchOptions, readEnvFile, stackEndpoints } from '@orders-live/testkit';
import { ADMINER_PORT, API_PORT, WEB_PORT, WS_PORT } from './e2e/ports.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const stack = stackEndpoints();
/** Catching up with the topic is quick here; the stack itself is already up (global setup). */
const SERVICE_START_TIMEOUT_MS = 120_000;

/** A server the browser tests need, started from the repository's root and awaited on its health URL. */
function server(command: string, url: string, env: Record<string, string>, stderr: 'pipe' | 'ignore' = 'pipe') {
  return {
    command,
    cwd: repoRoot,
    url,
    timeout: SERVICE_START_TIMEOUT_MS,
    reuseExistingServer: false,
    gracefulShutdown: { signal: 'SIGTERM' as const, timeout: 10_000 },
    stdout: 'ignore' as const,
    stderr,
    env,
  };
}

// The test workers' own Kafka clients (a poison record, testkit/poison.ts): Node 24 reports kafkajs
// 2.2.4's negative timer delay as a warning on every connection (kafkajs issue #1751). Silenced, as in the
// services, so a test's stderr shows real problems; the workers inherit this environment.
process.env['NODE_OPTIONS'] = [process.env['NODE_OPTIONS'], '--disable-warning=TimeoutNegativeWarning'].filter(Boolean).join(' ');

export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.browser.test.ts',
  outputDir: '../test-results/browser',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 15_000 },
  globalSetup: fileURLToPath(new URL('./e2e/global-setup.ts', import.meta.url)),
  use: {
    baseURL: `http://127.0.0.1:${WEB_PORT}`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
  },
  // The websocket-service is started by the `service` fixture (e2e/fixtures.ts) so tests can restart it.
  webServer: [
    server('node services/orders-api/dist/main.js', `http://127.0.0.1:${API_PORT}/readyz`, {
      PORT: String(API_PORT),
      HOST: '127.0.0.1',
      PGHOST: stack.postgres.host,
      PGPORT: String(stack.postgres.port),
      PGDATABASE: stack.postgres.database,
      PGUSER: 'orders_api',
      PGPASSWORD: readEnvFile()['ORDERS_API_DB_PASSWORD'] ?? 'orders_api',
      CORS_ORIGINS: `http://127.0.0.1:${WEB_PORT},http://localhost:${WEB_PORT}`,
      LOG_LEVEL: 'warn',
    }),
    server('node web-client/dist/server/main.js', `http://127.0.0.1:${WEB_PORT}/healthz`, {
      PORT: String(WEB_PORT),
      HOST: '127.0.0.1',
      WEBSOCKET_URL: `ws://127.0.0.1:${WS_PORT}/ws`,
      ORDERS_API_URL: `http://127.0.0.1:${API_PORT}`,
      LOG_LEVEL: 'warn',
    }),
    // PHP's built-in server logs every request to stderr; a failing test shows Adminer's page instead.
    server('bash stack/adminer.sh', `http://127.0.0.1:${ADMINER_PORT}/`, { ADMINER_PORT: String(ADMINER_PORT) }, 'ignore'),
  ],
});
