import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_BODY_LIMIT_BYTES, loadConfig } from './config.js';

const required = { PGPASSWORD: 'secret' };

describe('loadConfig', () => {
  it('has defaults that match docker-compose and the README', () => {
    const config = loadConfig(required);
    expect(config).toEqual({
      host: '0.0.0.0',
      port: 3002,
      logLevel: 'info',
      database: { host: 'localhost', port: 5432, database: 'shop', user: 'orders_api', password: 'secret' },
      corsOrigins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
      bodyLimitBytes: DEFAULT_BODY_LIMIT_BYTES,
    });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.database)).toBe(true);
    expect(Object.isFrozen(config.corsOrigins)).toBe(true);
  });

  it('reads the database from the PG* variables', () => {
    const config = loadConfig({ PGHOST: 'postgres', PGPORT: '55432', PGDATABASE: 'db', PGUSER: 'u', PGPASSWORD: 'p' });
    expect(config.database).toEqual({ host: 'postgres', port: 55432, database: 'db', user: 'u', password: 'p' });
  });

  it('requires a password and has none of its own', () => {
    expect(() => loadConfig({})).toThrow(ConfigError);
    expect(() => loadConfig({})).toThrow(/PGPASSWORD/);
    expect(() => loadConfig({ PGPASSWORD: '' })).toThrow(/PGPASSWORD/);
  });

  it('splits a list of origins', () => {
    expect(loadConfig({ ...required, CORS_ORIGINS: 'http://a.example, https://b.example:8443' }).corsOrigins).toEqual([
      'http://a.example',
      'https://b.example:8443',
    ]);
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ...required, PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ ...required, PGPORT: '99999' })).toThrow(/PGPORT/);
    expect(() => loadConfig({ ...required, LOG_LEVEL: 'loud' })).toThrow(/LOG_LEVEL/);
    expect(() => loadConfig({ ...required, BODY_LIMIT_BYTES: '0' })).toThrow(/BODY_LIMIT_BYTES/);
    expect(() => loadConfig({ ...required, CORS_ORIGINS: 'http://a.example/path' })).toThrow(/CORS_ORIGINS/);
    expect(() => loadConfig({ ...required, CORS_ORIGINS: ' , ' })).toThrow(/CORS_ORIGINS/);
  });

  it('never puts the password in its message', () => {
    expect(() => loadConfig({ PGPASSWORD: 'hunter2', PORT: 'x' })).not.toThrow(/hunter2/);
  });

  it('has access control off unless AUTH_JWT_SECRET is set (compose passes it empty)', () => {
    expect(loadConfig(required).auth).toBeUndefined();
    expect(loadConfig({ ...required, AUTH_JWT_SECRET: '' }).auth).toBeUndefined();
    expect(loadConfig({ ...required, AUTH_JWT_SECRET: 'x'.repeat(32), AUTH_ISSUER: 'login' }).auth).toMatchObject({
      issuer: 'login',
      audience: undefined,
    });
  });

  it('refuses a short secret, never quoting it', () => {
    expect(() => loadConfig({ ...required, AUTH_JWT_SECRET: 'hunter2' })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadConfig({ ...required, AUTH_JWT_SECRET: 'hunter2' })).not.toThrow(/hunter2/);
  });
});
