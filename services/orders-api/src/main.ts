/** Entry point: the service kit runs it (config, logger, listen, close on SIGTERM/SIGINT) with the real Postgres pool. */
import { runService } from '@orders-live/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';
import { createPool } from './db.js';

await runService({
  name: 'orders-api',
  loadConfig,
  build: (config, log) => {
    const pool = createPool(config.database, log);
    const app = buildApp(config, { pool, log });
    // In-flight requests finish first (fastify closes the server before onClose), then the pool ends.
    app.addHook('onClose', async () => {
      await pool.end();
    });
    return { listen: () => app.listen({ host: config.host, port: config.port }), close: () => app.close() };
  },
  describe: ({ port, database }) => ({
    port,
    database: { host: database.host, port: database.port, database: database.database, user: database.user },
  }),
});
