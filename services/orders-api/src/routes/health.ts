/**
 * Probes. /healthz: the process is up (liveness). /readyz: Postgres answers `SELECT 1` (readiness);
 * 503 otherwise, so a load balancer sends no traffic to a replica that cannot serve it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { Database } from '../db.js';

export const PROBE_PATHS: ReadonlySet<string> = new Set(['/healthz', '/readyz']);

interface HealthRoutesOptions {
  readonly db: Database;
}

export const healthRoutes: FastifyPluginAsync<HealthRoutesOptions> = async (app, { db }) => {
  app.get('/healthz', async () => ({ status: 'ok' }));

  app.get('/readyz', async (request, reply) => {
    try {
      await db.query('SELECT 1');
      return { status: 'ok', database: 'reachable' };
    } catch (err) {
      request.log.warn({ err }, 'readiness check: database unreachable');
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
};
