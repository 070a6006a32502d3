/**
 * The WWW-Authenticate value of a 401 (RFC 6750 §3): a bare challenge when no token was given, with
 * error="invalid_token" and a description when one was refused.
 */
import type { TokenRefusal } from './verify-token.js';

/** The protection space named in challenges. */
export const AUTH_REALM = 'orders-live';

export function bearerChallenge(refusal: TokenRefusal, message: string): string {
  if (refusal === 'missing') return `Bearer realm="${AUTH_REALM}"`;
  // Descriptions are our own fixed texts; quotes and backslashes are escaped all the same.
  return `Bearer realm="${AUTH_REALM}", error="invalid_token", error_description="${message.replace(/["\\]/g, '\\$&')}"`;
}
