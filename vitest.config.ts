import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

/**
 * Test tiers by file name (STYLE.md):
 *   *.test.ts              pure and fast, no network            → project "unit"
 *   *.integration.test.ts  against the real stack (native or compose) → project "integration"
 * Browser tests (*.browser.test.ts) run under Playwright, see web-client/playwright.config.ts.
 */
const common = ['**/node_modules/**', '**/dist/**'];

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  // Tests run the workspace packages from source, so they never depend on a stale build.
  resolve: {
    alias: {
      '@orders-live/protocol': source('./packages/protocol/src/index.ts'),
      '@orders-live/auth': source('./packages/auth/src/index.ts'),
      '@orders-live/client': source('./packages/client/src/index.ts'),
      // Before the package's own entry: an alias matches a prefix, and the first that matches wins.
      '@orders-live/testkit/rows': source('./packages/testkit/src/rows.ts'),
      '@orders-live/testkit': source('./packages/testkit/src/index.ts'),
      '@orders-live/service-kit': source('./packages/service-kit/src/index.ts'),
      '@orders-live/cli-kit': source('./packages/cli-kit/src/index.ts'),
    },
  },
  test: {
    // The tests' own Kafka clients: Node 24 reports kafkajs 2.2.4's negative timer delay as a warning on
    // every connection (kafkajs issue #1751; the delay becomes 1 ms, as kafkajs means). Silenced, as in
    // the services, so a test's stderr shows real problems.
    execArgv: ['--disable-warning=TimeoutNegativeWarning'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...common, '**/*.integration.test.ts', '**/*.browser.test.ts'],
          // Units wait on nothing, so a timeout only catches a hang; the property tests' fixed case
          // counts take a few CPU seconds, several times that while the other files run beside them
          // on a 2-core CI machine (vitest's 5 s default failed one there).
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['**/*.integration.test.ts'],
          exclude: common,
          globalSetup: ['packages/testkit/src/global-setup.ts'],
          // One stack is shared: integration files run one at a time so they never see each other's rows.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
