import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has defaults that match docker-compose and the README', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ host: '0.0.0.0', port: 3001, kafka: { brokers: ['localhost:9092'], topic: 'orders.public.orders' } });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('keeps no checkpoint unless CHECKPOINT_DIR names a directory', () => {
    expect(loadConfig({}).checkpoint).toBeUndefined();
    expect(loadConfig({ CHECKPOINT_DIR: ' ' }).checkpoint).toBeUndefined();
    expect(loadConfig({ CHECKPOINT_DIR: '/var/lib/ws' }).checkpoint).toEqual({ dir: '/var/lib/ws', intervalMs: 60_000 });
    expect(loadConfig({ CHECKPOINT_DIR: '/d', CHECKPOINT_INTERVAL_MS: '5000' }).checkpoint?.intervalMs).toBe(5_000);
    expect(() => loadConfig({ CHECKPOINT_DIR: '/d', CHECKPOINT_INTERVAL_MS: '0' })).toThrow(/CHECKPOINT_INTERVAL_MS/);
  });

  it('splits a broker list', () => {
    expect(loadConfig({ KAFKA_BROKERS: 'a:1, b:2' }).kafka.brokers).toEqual(['a:1', 'b:2']);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ KAFKA_BROKERS: 'no-port' })).toThrow(/KAFKA_BROKERS/);
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
  });

  it('has access control off and any origin allowed by default (the compose demo)', () => {
    expect(loadConfig({})).toMatchObject({ auth: undefined, allowedOrigins: undefined });
    expect(loadConfig({ AUTH_JWT_SECRET: '', WS_ALLOWED_ORIGINS: '' })).toMatchObject({ auth: undefined, allowedOrigins: undefined });
  });

  it('turns access control on with AUTH_JWT_SECRET and reads the origin allow-list', () => {
    const config = loadConfig({
      AUTH_JWT_SECRET: 'x'.repeat(32),
      AUTH_AUDIENCE: 'orders',
      WS_ALLOWED_ORIGINS: 'http://localhost:3000, HTTPS://Orders.Example',
    });
    expect(config.auth).toMatchObject({ audience: 'orders', issuer: undefined });
    expect(config.allowedOrigins).toEqual(['http://localhost:3000', 'https://orders.example']);
  });

  it('refuses a short secret and an origin with a path, naming the variables', () => {
    expect(() => loadConfig({ AUTH_JWT_SECRET: 'short' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadConfig({ WS_ALLOWED_ORIGINS: 'http://localhost:3000/' })).toThrow(/WS_ALLOWED_ORIGINS/);
  });
});
