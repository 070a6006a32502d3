import { runInNewContext } from 'node:vm';
import { fileURLToPath } from 'node:url';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp, contentSecurityPolicy } from './app.js';
import { loadConfig } from './config.js';

// The source public/ holds the same index.html that the build copies to dist/public.
const publicDir = fileURLToPath(new URL('../../public/', import.meta.url));
const config = loadConfig({ WEBSOCKET_URL: 'wss://orders.example.com/ws', ORDERS_API_URL: 'https://api.example.com:8443/base/' });
const app = buildApp(config, { log: pino({ level: 'silent' }), publicDir });

afterAll(() => app.close());

describe('web-client server', () => {
  it('serves the run-time config as a script that sets the page global', async () => {
    const response = await app.inject({ method: 'GET', url: '/config.js' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/javascript/);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toBe(
      'window.__ORDERS_LIVE_CONFIG__ = {"websocketUrl":"wss://orders.example.com/ws","apiUrl":"https://api.example.com:8443/base/"};\n',
    );

    const window: Record<string, unknown> = {};
    runInNewContext(response.body, { window });
    expect(window['__ORDERS_LIVE_CONFIG__']).toEqual({
      websocketUrl: 'wss://orders.example.com/ws',
      apiUrl: 'https://api.example.com:8443/base/',
    });
  });

  it("lets the page fetch from the orders API's origin and the websocket-service's /readyz only (no paths), besides its own", () => {
    expect(contentSecurityPolicy({ ordersApiUrl: 'http://localhost:3002', websocketUrl: 'ws://localhost:3001/ws' })).toContain(
      "connect-src 'self' http://localhost:3002 http://localhost:3001 ws: wss:;",
    );
    expect(contentSecurityPolicy({ ordersApiUrl: 'https://api.example.com/v1/', websocketUrl: 'wss://orders.example.com/ws' })).toContain(
      "connect-src 'self' https://api.example.com https://orders.example.com ws: wss:;",
    );
    expect(
      contentSecurityPolicy({ ordersApiUrl: 'https://api.example.com', websocketUrl: 'wss://orders.example.com:8443/ws?x=1' }),
    ).toContain(' https://orders.example.com:8443 ');
  });

  it('answers /healthz', async () => {
    const response = await app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ok' });
  });

  it('serves index.html at / with a Content-Security-Policy', async () => {
    const response = await app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.headers['content-security-policy']).toBe(
      "default-src 'self'; connect-src 'self' https://api.example.com:8443 https://orders.example.com ws: wss:; style-src 'self'; script-src 'self'",
    );
    expect(response.body).toContain('<title>Orders — live</title>');
    expect(response.body.indexOf('src="/config.js"')).toBeLessThan(response.body.indexOf('src="/app.js"'));
  });

  it('serves the stylesheet without a CSP (it applies to documents)', async () => {
    const response = await app.inject({ method: 'GET', url: '/styles.css' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/css/);
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers 404 for files that are not there', async () => {
    const response = await app.inject({ method: 'GET', url: '/nope.js' });
    expect(response.statusCode).toBe(404);
  });
});
