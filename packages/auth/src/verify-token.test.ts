/** Token verification with a fixed clock: every refusal, and what a good token grants. */
import { SignJWT, UnsecuredJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { tableGrant } from './access-token.js';
import type { AuthSettings } from './auth-settings.js';
import { signAccessToken } from './sign-token.js';
import { verifyAccessToken } from './verify-token.js';

const encode = (text: string) => new TextEncoder().encode(text);
const SECRET = encode('a-test-secret-of-at-least-32-bytes!!');
const OTHER_SECRET = encode('another-secret-also-32-bytes-long!!!');
const settings: AuthSettings = { secret: SECRET, issuer: undefined, audience: undefined };
/** 2026-01-01T00:00:00Z: every token here is minted and checked against this clock. */
const NOW = Date.UTC(2026, 0, 1);
const ADA = { customer_name: { eq: 'Ada Lovelace' } } as const;
const PRO = { tier: { eq: 'pro' } } as const;

describe('verifyAccessToken', () => {
  it('grants the subject, the expiry and the pinned filter of a good token', async () => {
    const token = await signAccessToken({ subject: 'ada', filter: ADA, ttlSeconds: 60 }, SECRET, NOW);
    expect(await verifyAccessToken(token, settings, NOW)).toEqual({
      ok: true,
      access: { subject: 'ada', expiresAt: NOW + 60_000, tables: new Map([['orders', ADA]]) },
    });
  });

  it('grants every table, every row, when the token carries neither tables nor orders_filter', async () => {
    const token = await signAccessToken({ subject: 'ops', ttlSeconds: 60 }, SECRET, NOW);
    const check = await verifyAccessToken(token, settings, NOW);
    expect(check.ok && check.access.tables).toBeUndefined();
    expect(check.ok && tableGrant(check.access.tables, 'order_lines')).toEqual({ granted: true, filter: undefined });
  });

  it('grants exactly the tables of the tables claim, each pinned to its filter', async () => {
    const tables = { customers: PRO, orders: {} };
    const token = await signAccessToken({ subject: 'sales', tables, ttlSeconds: 60 }, SECRET, NOW);
    const check = await verifyAccessToken(token, settings, NOW);
    expect(check).toEqual({ ok: true, access: { subject: 'sales', expiresAt: NOW + 60_000, tables: new Map(Object.entries(tables)) } });
    const granted = check.ok ? check.access.tables : undefined;
    expect(tableGrant(granted, 'customers')).toEqual({ granted: true, filter: PRO });
    // {} pins nothing: every row of orders.
    expect(tableGrant(granted, 'orders')).toEqual({ granted: true, filter: undefined });
    expect(tableGrant(granted, 'order_lines')).toEqual({ granted: false });
    // Names of Object.prototype are names like any other: not granted.
    expect(tableGrant(granted, 'constructor')).toEqual({ granted: false });
  });

  it('grants no table at all under an empty tables claim', async () => {
    const token = await signAccessToken({ subject: 'nobody', tables: {}, ttlSeconds: 60 }, SECRET, NOW);
    const check = await verifyAccessToken(token, settings, NOW);
    expect(check.ok && tableGrant(check.access.tables, 'orders')).toEqual({ granted: false });
  });

  it('refuses a token with both tables and orders_filter, rather than choosing one', async () => {
    const token = await new SignJWT({ sub: 'ada', orders_filter: ADA, tables: { customers: PRO } })
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(NOW / 1000 + 60)
      .sign(SECRET);
    expect(await verifyAccessToken(token, settings, NOW)).toMatchObject({ ok: false, refusal: 'bad-claims' });
  });

  it('refuses a token whose tables claim is not a map of table names to subscription filters', async () => {
    for (const tables of [
      ['customers'],
      { customers: null },
      { customers: { tier: 'pro' } },
      { customers: { tier: { like: 'p%' } } },
      { 'Not A Table': {} },
      'customers',
    ]) {
      const token = await new SignJWT({ sub: 'ada', tables })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(NOW / 1000 + 60)
        .sign(SECRET);
      expect(await verifyAccessToken(token, settings, NOW), JSON.stringify(tables)).toMatchObject({ ok: false, refusal: 'bad-claims' });
    }
  });

  it('accepts the token until the second before exp, and refuses it from exp on', async () => {
    const token = await signAccessToken({ subject: 'ada', ttlSeconds: 60 }, SECRET, NOW);
    expect((await verifyAccessToken(token, settings, NOW + 59_999)).ok).toBe(true);
    expect(await verifyAccessToken(token, settings, NOW + 60_000)).toMatchObject({
      ok: false,
      refusal: 'expired',
      message: 'the access token has expired',
    });
  });

  it.each([
    ['missing', undefined],
    ['missing', ''],
    ['malformed', 'not-a-jwt'],
    ['malformed', 'a.b.c'],
  ] as const)('refuses as %s: %j', async (refusal, token) => {
    expect(await verifyAccessToken(token, settings, NOW)).toMatchObject({ ok: false, refusal });
  });

  it('refuses a token signed with another secret', async () => {
    const token = await signAccessToken({ subject: 'ada', ttlSeconds: 60 }, OTHER_SECRET, NOW);
    expect(await verifyAccessToken(token, settings, NOW)).toMatchObject({ ok: false, refusal: 'bad-signature' });
  });

  it('refuses a token whose payload was changed after signing (a widened filter)', async () => {
    const token = await signAccessToken({ subject: 'ada', filter: ADA, ttlSeconds: 60 }, SECRET, NOW);
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ sub: 'ada', exp: NOW / 1000 + 60 })).toString('base64url');
    expect(await verifyAccessToken(`${header}.${payload}.${signature}`, settings, NOW)).toMatchObject({
      ok: false,
      refusal: 'bad-signature',
    });
  });

  it('refuses an unsigned token (alg none) and another algorithm', async () => {
    const unsigned = new UnsecuredJWT({ sub: 'ada' }).setExpirationTime(NOW / 1000 + 60).encode();
    expect(await verifyAccessToken(unsigned, settings, NOW)).toMatchObject({ ok: false });
    const hs512 = await new SignJWT({ sub: 'ada' })
      .setProtectedHeader({ alg: 'HS512' })
      .setExpirationTime(NOW / 1000 + 60)
      .sign(encode('x'.repeat(64)));
    expect(await verifyAccessToken(hs512, settings, NOW)).toMatchObject({ ok: false, refusal: 'algorithm-not-allowed' });
  });

  it('refuses a token without exp or without sub', async () => {
    const noExp = await new SignJWT({ sub: 'ada' }).setProtectedHeader({ alg: 'HS256' }).sign(SECRET);
    expect(await verifyAccessToken(noExp, settings, NOW)).toMatchObject({ ok: false, refusal: 'bad-claims' });
    const noSub = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setExpirationTime(NOW / 1000 + 60)
      .sign(SECRET);
    expect(await verifyAccessToken(noSub, settings, NOW)).toMatchObject({ ok: false, refusal: 'bad-claims' });
  });

  it('refuses a token not valid yet (nbf)', async () => {
    const token = await new SignJWT({ sub: 'ada' })
      .setProtectedHeader({ alg: 'HS256' })
      .setNotBefore(NOW / 1000 + 30)
      .setExpirationTime(NOW / 1000 + 60)
      .sign(SECRET);
    expect(await verifyAccessToken(token, settings, NOW)).toMatchObject({ ok: false, refusal: 'not-yet-valid' });
    expect((await verifyAccessToken(token, settings, NOW + 30_000)).ok).toBe(true);
  });

  it('refuses a token whose orders_filter is not a valid filter, rather than taking it for unpinned', async () => {
    for (const filter of [
      { customer_name: 'Ada Lovelace' },
      { colour: { eq: 'red' } },
      { quantity: { eq: '1' } },
      'customer_name=Ada',
      null,
    ]) {
      const token = await new SignJWT({ sub: 'ada', orders_filter: filter })
        .setProtectedHeader({ alg: 'HS256' })
        .setExpirationTime(NOW / 1000 + 60)
        .sign(SECRET);
      expect(await verifyAccessToken(token, settings, NOW), JSON.stringify(filter)).toMatchObject({ ok: false, refusal: 'bad-claims' });
    }
  });

  it('checks iss and aud when configured', async () => {
    const strict: AuthSettings = { secret: SECRET, issuer: 'https://login.example', audience: 'orders' };
    const good = await signAccessToken(
      { subject: 'ada', ttlSeconds: 60, issuer: 'https://login.example', audience: 'orders' },
      SECRET,
      NOW,
    );
    expect((await verifyAccessToken(good, strict, NOW)).ok).toBe(true);
    const otherIssuer = await signAccessToken(
      { subject: 'ada', ttlSeconds: 60, issuer: 'https://evil.example', audience: 'orders' },
      SECRET,
      NOW,
    );
    expect(await verifyAccessToken(otherIssuer, strict, NOW)).toMatchObject({ ok: false, refusal: 'wrong-issuer' });
    const otherAudience = await signAccessToken(
      { subject: 'ada', ttlSeconds: 60, issuer: 'https://login.example', audience: 'billing' },
      SECRET,
      NOW,
    );
    expect(await verifyAccessToken(otherAudience, strict, NOW)).toMatchObject({ ok: false, refusal: 'wrong-audience' });
    const neither = await signAccessToken({ subject: 'ada', ttlSeconds: 60 }, SECRET, NOW);
    expect(await verifyAccessToken(neither, strict, NOW)).toMatchObject({ ok: false });
  });
});

describe('signAccessToken', () => {
  it('refuses to sign an invalid filter or tables claim, both claims, an empty subject or a lifetime that is not positive', async () => {
    await expect(
      signAccessToken({ subject: 'ada', filter: { colour: { eq: 1 } } as never, ttlSeconds: 60 }, SECRET, NOW),
    ).rejects.toThrow();
    await expect(
      signAccessToken({ subject: 'ada', tables: { customers: { tier: 'pro' } } as never, ttlSeconds: 60 }, SECRET, NOW),
    ).rejects.toThrow();
    await expect(signAccessToken({ subject: 'ada', filter: ADA, tables: { customers: PRO }, ttlSeconds: 60 }, SECRET, NOW)).rejects.toThrow(
      /not both/,
    );
    await expect(signAccessToken({ subject: '', ttlSeconds: 60 }, SECRET, NOW)).rejects.toThrow(/subject/);
    await expect(signAccessToken({ subject: 'ada', ttlSeconds: 0 }, SECRET, NOW)).rejects.toThrow(/lifetime/);
  });
});
