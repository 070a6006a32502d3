import { describe, expect, it } from 'vitest';
import { verifyAccessToken, signAccessToken } from '@orders-live/auth';
import { UsageError } from '@orders-live/cli-kit';
import { DEFAULT_TTL_SECONDS, parseOptions } from './args.js';

const env = { AUTH_JWT_SECRET: 'a-demo-secret-that-is-long-enough-32+' };

describe('npm run token options', () => {
  it('reads the subject, the filter and the lifetime', () => {
    const { request } = parseOptions(['--sub', 'ada', '--filter', '{"customer_name":{"eq":"Ada Lovelace"}}', '--ttl', '60'], env);
    expect(request).toEqual({
      subject: 'ada',
      filter: { customer_name: { eq: 'Ada Lovelace' } },
      tables: undefined,
      ttlSeconds: 60,
      issuer: undefined,
      audience: undefined,
    });
  });

  it('defaults to no filter and an hour, and takes iss/aud from the environment', () => {
    const { request } = parseOptions(['--sub', 'ops'], { ...env, AUTH_ISSUER: 'demo', AUTH_AUDIENCE: 'orders' });
    expect(request).toEqual({
      subject: 'ops',
      filter: undefined,
      tables: undefined,
      ttlSeconds: DEFAULT_TTL_SECONDS,
      issuer: 'demo',
      audience: 'orders',
    });
  });

  it.each([
    [[], env, /--sub is required/],
    [['--sub', 'ada', '--ttl', '0'], env, /--ttl/],
    [['--sub', 'ada', '--ttl', 'soon'], env, /--ttl/],
    [['--sub', 'ada', '--filter', '{customer_name'], env, /not JSON/],
    [['--sub', 'ada', '--filter', '{"colour":{"eq":"red"}}'], env, /not a row filter/],
    [['--sub', 'ada', '--bogus'], env, /bogus/],
    [['--sub', 'ada'], {}, /AUTH_JWT_SECRET is not set/],
    [['--sub', 'ada'], { AUTH_JWT_SECRET: 'short' }, /AUTH_JWT_SECRET: must be at least 32 bytes/],
  ])('refuses %j', (argv, environment, message) => {
    expect(() => parseOptions(argv, environment)).toThrow(UsageError);
    expect(() => parseOptions(argv, environment)).toThrow(message);
  });

  it('makes a token the services accept, pinned to the filter', async () => {
    const { request, settings } = parseOptions(['--sub', 'ada', '--filter', '{"customer_name":{"eq":"Ada Lovelace"}}'], env);
    const now = Date.UTC(2026, 0, 1);
    const check = await verifyAccessToken(await signAccessToken(request, settings.secret, now), settings, now);
    expect(check).toEqual({
      ok: true,
      access: {
        subject: 'ada',
        expiresAt: now + DEFAULT_TTL_SECONDS * 1000,
        tables: new Map([['orders', { customer_name: { eq: 'Ada Lovelace' } }]]),
      },
    });
  });

  it('reads --table, each with the --filter that follows it (none: every row), into the tables claim', () => {
    const argv = ['--sub', 'sales', '--table', 'customers', '--filter', '{"tier":{"eq":"pro"}}', '--table', 'orders', '--ttl', '60'];
    expect(parseOptions(argv, env).request).toMatchObject({
      subject: 'sales',
      filter: undefined,
      tables: { customers: { tier: { eq: 'pro' } }, orders: {} },
    });
  });

  it('makes a tables token the services accept, granting exactly those tables', async () => {
    const argv = ['--sub', 'sales', '--table', 'customers', '--filter', '{"tier":{"eq":"pro"}}'];
    const { request, settings } = parseOptions(argv, env);
    const now = Date.UTC(2026, 0, 1);
    const check = await verifyAccessToken(await signAccessToken(request, settings.secret, now), settings, now);
    expect(check.ok && check.access.tables).toEqual(new Map([['customers', { tier: { eq: 'pro' } }]]));
  });

  it.each([
    [['--sub', 'a', '--filter', '{}', '--table', 'customers'], /--filter comes after the --table/],
    [['--sub', 'a', '--table', 'customers', '--table', 'customers'], /given twice/],
    [['--sub', 'a', '--table', 'customers', '--filter', '{}', '--filter', '{}'], /two --filter/],
    [['--sub', 'a', '--table', 'Customers!'], /not a table name/],
    [['--sub', 'a', '--table', 'customers', '--filter', '{"tier":"pro"}'], /not a subscription filter/],
    [['--sub', 'a', '--filter', '{}', '--filter', '{}'], /given twice/],
  ])('refuses %j', (argv, message) => {
    expect(() => parseOptions(argv, env)).toThrow(message);
  });
});
