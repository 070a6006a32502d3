/**
 * Browser-test fixtures: the websocket-service as a real process, started for every worker before its
 * first test whether or not the test names it (a test names `service` only to restart it; the
 * web-client and orders-api are started by playwright.config.ts's webServer), and the database.
 */
import { test as base } from '@playwright/test';
import type pg from 'pg';
import { REPO_ROOT, startServiceProcess, stackEndpoints, superuserPool, type ServiceProcess } from '@orders-live/testkit';
import { WS_PORT } from './ports.js';

export interface RestartableService {
  readonly current: ServiceProcess;
  /** SIGTERM (clients are told to reconnect), then a new process on the same port. */
  restart(between?: () => Promise<void>): Promise<void>;
}

export const test = base.extend<{ db: pg.Pool }, { service: RestartableService }>({
  service: [
    async ({}, use) => {
      const stack = stackEndpoints();
      const start = () =>
        startServiceProcess(stack, {
          env: { SERVER_ID: 'e2e', TABLES_FILE: `${REPO_ROOT}database/tables.list`, COUNT_BY: 'orders=status,customers=tier' },
          port: WS_PORT,
        });
      const service = { current: await start() };
      const restartable: RestartableService = {
        get current() {
          return service.current;
        },
        async restart(between) {
          await service.current.stop();
          await between?.();
          service.current = await start();
        },
      };
      await use(restartable);
      await service.current.stop();
    },
    { scope: 'worker', auto: true },
  ],
  db: async ({}, use) => {
    const pool = superuserPool(stackEndpoints());
    await use(pool);
    await pool.end();
  },
});

export { expect } from '@playwright/test';
