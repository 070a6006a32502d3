/**
 * The decision on a WebSocket upgrade request, taken before the socket opens: the Origin allow-list
 * (origin-policy.ts), then, when access control is on, the access token (@orders-live/auth). Pure
 * but for being async (jose verifies with WebCrypto); the clock is an argument.
 *
 *   Origin not allowed                      → 403 E_ORIGIN_NOT_ALLOWED
 *   access control off                      → allowed, every row, no expiry
 *   token missing/invalid/expired/…         → 401 E_UNAUTHORIZED with WWW-Authenticate
 *   token valid                             → allowed, with its granted tables (their pinned filters) and expiry
 *
 * The token comes in `Sec-WebSocket-Protocol: bearer, <token>` or else `?access_token=<token>`
 * (packages/protocol/src/access.ts).
 */
import type { IncomingHttpHeaders } from 'node:http';
import { bearerChallenge, verifyAccessToken, type AuthSettings, type TokenRefusal } from '@orders-live/auth';
import { ACCESS_TOKEN_QUERY_PARAMETER, BEARER_SUBPROTOCOL, ERROR_CODES, type ErrorCode } from '@orders-live/protocol';
import { OPEN_ACCESS, type ConnectionAccess } from './access.js';
import { originAllowed } from './origin-policy.js';

export interface UpgradePolicy {
  readonly auth: AuthSettings | undefined;
  readonly allowedOrigins: readonly string[] | undefined;
}

interface UpgradeRequest {
  readonly url?: string | undefined;
  readonly headers: IncomingHttpHeaders;
}

interface UpgradeRefusal {
  readonly ok: false;
  readonly status: 401 | 403;
  readonly code: ErrorCode;
  readonly message: string;
  /** For metrics and logs: `origin`, or why the token was refused. */
  readonly reason: 'origin' | TokenRefusal;
  readonly headers: Readonly<Record<string, string>>;
}

type UpgradeDecision = { readonly ok: true; readonly access: ConnectionAccess; readonly subject: string | undefined } | UpgradeRefusal;

/** The token of an upgrade request: the item after `bearer` in Sec-WebSocket-Protocol, else ?access_token=. */
export function tokenFromUpgrade(request: UpgradeRequest): string | undefined {
  const protocols = request.headers['sec-websocket-protocol'];
  if (protocols !== undefined) {
    const items = protocols.split(',').map((item) => item.trim());
    const at = items.indexOf(BEARER_SUBPROTOCOL);
    if (at >= 0) return items[at + 1] || undefined;
  }
  const url = request.url ?? '';
  const query = url.indexOf('?');
  if (query < 0) return undefined;
  return new URLSearchParams(url.slice(query + 1)).get(ACCESS_TOKEN_QUERY_PARAMETER) || undefined;
}

export async function decideUpgrade(request: UpgradeRequest, policy: UpgradePolicy, nowMs: number): Promise<UpgradeDecision> {
  const origin = request.headers.origin;
  if (!originAllowed(origin, policy.allowedOrigins, policy.auth !== undefined)) {
    const message = origin === undefined ? 'an Origin header is required' : `origin ${origin.slice(0, 200)} is not allowed`;
    return { ok: false, status: 403, code: ERROR_CODES.ORIGIN_NOT_ALLOWED, message, reason: 'origin', headers: {} };
  }
  if (policy.auth === undefined) return { ok: true, access: OPEN_ACCESS, subject: undefined };
  const check = await verifyAccessToken(tokenFromUpgrade(request), policy.auth, nowMs);
  if (!check.ok) {
    return {
      ok: false,
      status: 401,
      code: ERROR_CODES.UNAUTHORIZED,
      message: check.message,
      reason: check.refusal,
      headers: { 'WWW-Authenticate': bearerChallenge(check.refusal, check.message) },
    };
  }
  return { ok: true, access: { tables: check.access.tables, expiresAt: check.access.expiresAt }, subject: check.access.subject };
}

/** The raw HTTP response that refuses an upgrade: the status, the headers, and the API's error body. */
export function refusalResponse(refusal: UpgradeRefusal): string {
  const body = JSON.stringify({ error: { code: refusal.code, message: refusal.message } });
  const headers: Record<string, string | number> = {
    Connection: 'close',
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    ...refusal.headers,
  };
  const reason = refusal.status === 401 ? 'Unauthorized' : 'Forbidden';
  const lines = Object.entries(headers).map(([name, value]) => `${name}: ${value}`);
  return `HTTP/1.1 ${refusal.status} ${reason}\r\n${lines.join('\r\n')}\r\n\r\n${body}`;
}
