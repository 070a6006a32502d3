import { describe, expect, it } from 'vitest';
import { MIN_SECRET_BYTES, readAuthSettings } from './auth-settings.js';

const SECRET = 's'.repeat(MIN_SECRET_BYTES);

describe('readAuthSettings', () => {
  it('is off when AUTH_JWT_SECRET is unset or empty (compose passes an empty value)', () => {
    expect(readAuthSettings({})).toEqual({ ok: true, settings: undefined });
    expect(readAuthSettings({ AUTH_JWT_SECRET: '' })).toEqual({ ok: true, settings: undefined });
    expect(readAuthSettings({ AUTH_JWT_SECRET: '', AUTH_ISSUER: '', AUTH_AUDIENCE: '' })).toEqual({ ok: true, settings: undefined });
  });

  it('is on with a secret of at least 32 bytes, with optional issuer and audience', () => {
    expect(readAuthSettings({ AUTH_JWT_SECRET: SECRET })).toEqual({
      ok: true,
      settings: { secret: new TextEncoder().encode(SECRET), issuer: undefined, audience: undefined },
    });
    const result = readAuthSettings({ AUTH_JWT_SECRET: SECRET, AUTH_ISSUER: 'https://login.example', AUTH_AUDIENCE: 'orders' });
    expect(result.ok && result.settings).toMatchObject({ issuer: 'https://login.example', audience: 'orders' });
  });

  it('refuses a short secret, naming the variable', () => {
    const result = readAuthSettings({ AUTH_JWT_SECRET: 's'.repeat(MIN_SECRET_BYTES - 1) });
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.problems.join()).toMatch(/^AUTH_JWT_SECRET: must be at least 32 bytes/);
  });

  it('refuses an issuer or audience without a secret: access control would silently be off', () => {
    const result = readAuthSettings({ AUTH_ISSUER: 'https://login.example', AUTH_AUDIENCE: 'orders' });
    expect(!result.ok && result.problems).toEqual([
      'AUTH_ISSUER: is set but AUTH_JWT_SECRET is not: access control would be off',
      'AUTH_AUDIENCE: is set but AUTH_JWT_SECRET is not: access control would be off',
    ]);
  });
});
