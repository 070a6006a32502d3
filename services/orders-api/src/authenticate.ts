/**
 * Access control for /api/*: when AUTH_JWT_SECRET is set, every request carries
 * `Authorization: Bearer <token>`, verified with @orders-live/auth. A missing, malformed, badly
 * signed, expired or foreign token is a 401 E_UNAUTHORIZED with a WWW-Authenticate challenge
 * (RFC 6750), before the request is even validated. A good token's grant is on `request.access`;
 * the routes hold its pinned row filter against every row they read or write (pinned-orders.ts).
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { bearerChallenge, verifyAccessToken, type Access, type AuthSettings } from '@orders-live/auth';
import { ERROR_CODES } from '@orders-live/protocol';
import { ApiError } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** What the request's access token grants; null while access control is off. */
    access: Access | null;
  }
}

/** The token of an `Authorization: Bearer <token>` header (the scheme in any case); undefined otherwise. */
export function bearerToken(authorization: string | undefined): string | undefined {
  const match = /^Bearer +([^\s]+) *$/i.exec(authorization ?? '');
  return match?.[1];
}

/** An onRequest hook that refuses requests without a valid token and records the grant of the others. */
export function authenticate(settings: AuthSettings, now: () => number) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const check = await verifyAccessToken(bearerToken(request.headers.authorization), settings, now());
    if (!check.ok) {
      reply.header('www-authenticate', bearerChallenge(check.refusal, check.message));
      throw new ApiError(401, ERROR_CODES.UNAUTHORIZED, check.message);
    }
    request.access = check.access;
  };
}
