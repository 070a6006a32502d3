/**
 * Signs an access token (for the token CLI, demos and tests; real deployments have a login service
 * issue them with the same secret). The clock is an argument, so a test can mint an expired token.
 */
import { SignJWT } from 'jose';
import { rowFilterSchema, type RowFilter } from '@orders-live/protocol';
import { ORDERS_FILTER_CLAIM, TOKEN_ALGORITHM } from './access-token.js';

export interface TokenRequest {
  readonly subject: string;
  /** Pins the rows the holder may see and touch; omit for all rows. */
  readonly filter?: RowFilter | undefined;
  readonly ttlSeconds: number;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

export async function signAccessToken(request: TokenRequest, secret: Uint8Array, nowMs: number): Promise<string> {
  if (request.subject === '') throw new Error('the subject (sub) must not be empty');
  if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds <= 0)
    throw new Error(`the lifetime must be a positive number of seconds, not ${request.ttlSeconds}`);
  const claims: Record<string, unknown> = {};
  // A token that pinned a filter the services then refused would lock its holder out: refuse it here.
  if (request.filter !== undefined) claims[ORDERS_FILTER_CLAIM] = rowFilterSchema.parse(request.filter);
  const issuedAt = Math.floor(nowMs / 1000);
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: TOKEN_ALGORITHM, typ: 'JWT' })
    .setSubject(request.subject)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + request.ttlSeconds);
  if (request.issuer !== undefined) jwt.setIssuer(request.issuer);
  if (request.audience !== undefined) jwt.setAudience(request.audience);
  return jwt.sign(secret);
}
