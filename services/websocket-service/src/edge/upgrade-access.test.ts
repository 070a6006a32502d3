/** The upgrade decision with a fixed clock: every refusal, where the token may come from, what it grants. */
import { describe, expect, it } from 'vitest';
import { signAccessToken, type AuthSettings } from '@orders-live/auth';
import { decideUpgrade, refusalResponse, tokenFromUpgrade, type UpgradePolicy } from './upgrade-access.js';

const SECRET = new TextEncoder().encode('websocket-service-test-secret-32-bytes');
const auth: AuthSettings = { secret: SECRET, issuer: undefined, audience: undefined };
const NOW = Date.UTC(2026, 0, 1);
const ADA = { customer_name: { eq: 'Ada Lovelace' } };
const on: UpgradePolicy = { auth, allowedOrigins: ['http://localhost:3000'] };
const token = (ttlSeconds = 60, secret = SECRET) => signAccessToken({ subject: 'ada', filter: ADA, ttlSeconds }, secret, NOW);
const request = (headers: Record<string, string>, url = '/ws') => ({ url, headers });

describe('tokenFromUpgrade', () => {
  it('reads the item after `bearer` in Sec-WebSocket-Protocol', () => {
    expect(tokenFromUpgrade(request({ 'sec-websocket-protocol': 'bearer, abc.def.ghi' }))).toBe('abc.def.ghi');
    expect(tokenFromUpgrade(request({ 'sec-websocket-protocol': 'other,bearer,abc' }))).toBe('abc');
  });

  it('reads ?access_token= when the header has none, and prefers the header', () => {
    expect(tokenFromUpgrade(request({}, '/ws?access_token=abc&x=1'))).toBe('abc');
    expect(tokenFromUpgrade(request({ 'sec-websocket-protocol': 'bearer, fromheader' }, '/ws?access_token=fromquery'))).toBe('fromheader');
  });

  it('finds none in a bare `bearer`, an empty parameter or a plain URL', () => {
    expect(tokenFromUpgrade(request({ 'sec-websocket-protocol': 'bearer' }))).toBeUndefined();
    expect(tokenFromUpgrade(request({}, '/ws?access_token='))).toBeUndefined();
    expect(tokenFromUpgrade(request({}))).toBeUndefined();
  });
});

describe('decideUpgrade', () => {
  it('allows everything with every row and no expiry when access control is off and no allow-list is set', async () => {
    expect(await decideUpgrade(request({ origin: 'https://evil.example' }), { auth: undefined, allowedOrigins: undefined }, NOW)).toEqual({
      ok: true,
      access: { tables: undefined, expiresAt: undefined },
      subject: undefined,
    });
  });

  it('grants a valid token its tables (orders_filter: orders, pinned) and expiry, from the header or the query', async () => {
    const good = await token();
    const expected = { ok: true, access: { tables: new Map([['orders', ADA]]), expiresAt: NOW + 60_000 }, subject: 'ada' };
    expect(await decideUpgrade(request({ origin: 'http://localhost:3000', 'sec-websocket-protocol': `bearer, ${good}` }), on, NOW)).toEqual(
      expected,
    );
    expect(await decideUpgrade(request({ origin: 'http://localhost:3000' }, `/ws?access_token=${good}`), on, NOW)).toEqual(expected);
  });

  it('refuses another origin with 403 before looking at the token', async () => {
    const decision = await decideUpgrade(
      request({ origin: 'https://evil.example', 'sec-websocket-protocol': `bearer, ${await token()}` }),
      on,
      NOW,
    );
    expect(decision).toMatchObject({ ok: false, status: 403, code: 'E_ORIGIN_NOT_ALLOWED', reason: 'origin' });
  });

  it('lets a client without Origin in with a valid token only; with access control off, an allow-list refuses it', async () => {
    expect(await decideUpgrade(request({ 'sec-websocket-protocol': `bearer, ${await token()}` }), on, NOW)).toMatchObject({ ok: true });
    expect(await decideUpgrade(request({}), on, NOW)).toMatchObject({ ok: false, status: 401 });
    expect(await decideUpgrade(request({}), { auth: undefined, allowedOrigins: ['http://localhost:3000'] }, NOW)).toMatchObject({
      ok: false,
      status: 403,
      code: 'E_ORIGIN_NOT_ALLOWED',
    });
  });

  it.each([
    ['no token', async () => undefined, 'missing', 'Bearer realm="orders-live"'],
    ['garbage', async () => 'garbage', 'malformed', 'error="invalid_token"'],
    [
      'a bad signature',
      async () => token(60, new TextEncoder().encode('an-attacker-s-own-secret-of-32-bytes')),
      'bad-signature',
      'error="invalid_token"',
    ],
    [
      'an expired token',
      async () => signAccessToken({ subject: 'ada', ttlSeconds: 60 }, SECRET, NOW - 60_000),
      'expired',
      'error_description="the access token has expired"',
    ],
  ])('refuses %s with 401 E_UNAUTHORIZED and a WWW-Authenticate challenge', async (_name, make, reason, challenge) => {
    const value = await make();
    const headers: Record<string, string> = {
      origin: 'http://localhost:3000',
      ...(value === undefined ? {} : { 'sec-websocket-protocol': `bearer, ${value}` }),
    };
    const decision = await decideUpgrade(request(headers), on, NOW);
    expect(decision).toMatchObject({ ok: false, status: 401, code: 'E_UNAUTHORIZED', reason });
    expect(!decision.ok && decision.headers['WWW-Authenticate']).toContain(challenge);
  });
});

describe('refusalResponse', () => {
  it('is an HTTP response with the status, the challenge and the error body, then the connection closes', () => {
    const text = refusalResponse({
      ok: false,
      status: 401,
      code: 'E_UNAUTHORIZED',
      message: 'the access token has expired',
      reason: 'expired',
      headers: { 'WWW-Authenticate': 'Bearer realm="orders-live"' },
    });
    const [head, body] = text.split('\r\n\r\n');
    expect(head!.split('\r\n')).toEqual([
      'HTTP/1.1 401 Unauthorized',
      'Connection: close',
      'Content-Type: application/json; charset=utf-8',
      `Content-Length: ${Buffer.byteLength(body!)}`,
      'Cache-Control: no-store',
      'WWW-Authenticate: Bearer realm="orders-live"',
    ]);
    expect(JSON.parse(body!)).toEqual({ error: { code: 'E_UNAUTHORIZED', message: 'the access token has expired' } });
  });
});
