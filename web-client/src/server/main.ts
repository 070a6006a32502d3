/** Entry point: the service kit runs it (config, logger, listen, close on SIGTERM/SIGINT). */
import { runService } from '@orders-live/service-kit';
import { buildApp } from './app.js';
import { loadConfig } from './config.js';

await runService({
  name: 'web-client',
  loadConfig,
  build: (config, log) => {
    const app = buildApp(config, { log });
    return { listen: () => app.listen({ host: config.host, port: config.port }), close: () => app.close() };
  },
  describe: ({ port, websocketUrl, ordersApiUrl }) => ({ port, websocketUrl, ordersApiUrl }),
});
