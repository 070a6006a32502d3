/**
 * Signs an access token (for the token CLI, demos and tests; real deployments have a login service
 * issue them with the same secret). The clock is an argument, so a test can mint an expired token.
 */
import { SignJWT } from 'jose';
import { rowFilterSchema, type RowFilter, type SubscriptionFilter } from '@orders-live/protocol';
import { ORDERS_FILTER_CLAIM, TABLES_CLAIM, TOKEN_ALGORITHM, tablesClaimSchema } from './access-token.js';

export interface TokenRequest {
  readonly subject: string;
  /** The orders_filter claim: the orders table only, pinned to this filter. */
  readonly filter?: RowFilter | undefined;
  /** The tables claim: exactly these tables, each pinned to its filter ({}: every row). Not with `filter`. */
  readonly tables?: Readonly<Record<string, SubscriptionFilter>> | undefined;
  readonly ttlSeconds: number;
  readonly issuer?: string | undefined;
  readonly audience?: string | undefined;
}

export async function signAccessToken(request: TokenRequest, secret: Uint8Array, nowMs: number): Promise<string> {
  if (request.subject === '') throw new Error('the subject (sub) must not be empty');
  if (!Number.isInteger(request.ttlSeconds) || request.ttlSeconds <= 0)
    throw new Error(`the lifetime must be a positive number of seconds, not ${request.ttlSeconds}`);
  const claims: Record<string, unknown> = {};
  // The services refuse a token with both (access-token.ts): never mint one.
  if (request.filter !== undefined && request.tables !== undefined)
    throw new Error(`a token carries ${TABLES_CLAIM} or ${ORDERS_FILTER_CLAIM} (filter), not both`);
  // A token that pinned a filter the services then refused would lock its holder out: refuse it here.
  if (request.filter !== undefined) claims[ORDERS_FILTER_CLAIM] = rowFilterSchema.parse(request.filter);
  if (request.tables !== undefined) claims[TABLES_CLAIM] = tablesClaimSchema.parse(request.tables);
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
