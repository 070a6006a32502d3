/**
 * Verifies an access token with jose: HS256 only, signature, `exp` (required), `nbf`, and `iss`/`aud`
 * when configured, then the claims of access-token.ts. The clock is an argument, so a test fixes it.
 * No clock tolerance: issuer and services share a clock source (NTP), and a token is refused from
 * the second its `exp` names.
 */
import { errors, jwtVerify } from 'jose';
import { ORDERS_FILTER_CLAIM, TABLES_CLAIM, TOKEN_ALGORITHM, accessClaimsSchema, grantsOf, type Access } from './access-token.js';
import type { AuthSettings } from './auth-settings.js';

export const TOKEN_REFUSALS = [
  'missing',
  'malformed',
  'algorithm-not-allowed',
  'bad-signature',
  'expired',
  'not-yet-valid',
  'wrong-issuer',
  'wrong-audience',
  'bad-claims',
] as const;
export type TokenRefusal = (typeof TOKEN_REFUSALS)[number];

export type TokenCheck =
  { readonly ok: true; readonly access: Access } | { readonly ok: false; readonly refusal: TokenRefusal; readonly message: string };

const MESSAGES: Record<TokenRefusal, string> = {
  missing: 'an access token is required',
  malformed: 'the access token is not a well-formed JWT',
  'algorithm-not-allowed': `the access token is not signed with ${TOKEN_ALGORITHM}`,
  'bad-signature': 'the access token signature does not verify',
  expired: 'the access token has expired',
  'not-yet-valid': 'the access token is not valid yet (nbf)',
  'wrong-issuer': 'the access token was issued by another issuer (iss)',
  'wrong-audience': 'the access token is meant for another audience (aud)',
  'bad-claims': `the access token lacks sub or exp, carries an invalid ${TABLES_CLAIM} or ${ORDERS_FILTER_CLAIM}, or both`,
};

function refuse(refusal: TokenRefusal): TokenCheck {
  return { ok: false, refusal, message: MESSAGES[refusal] };
}

/** Which refusal a jose error is. Anything jose throws that is not listed means a malformed token. */
function refusalOf(err: unknown): TokenRefusal {
  if (err instanceof errors.JWTExpired) return 'expired';
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad-signature';
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm-not-allowed';
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'iss') return 'wrong-issuer';
    if (err.claim === 'aud') return 'wrong-audience';
    if (err.claim === 'nbf') return 'not-yet-valid';
    return 'bad-claims';
  }
  return 'malformed';
}

/** The access a token grants at `nowMs`, or why it is refused. Never throws for a bad token. */
export async function verifyAccessToken(token: string | undefined, settings: AuthSettings, nowMs: number): Promise<TokenCheck> {
  if (token === undefined || token === '') return refuse('missing');
  let payload: unknown;
  try {
    ({ payload } = await jwtVerify(token, settings.secret, {
      algorithms: [TOKEN_ALGORITHM],
      currentDate: new Date(nowMs),
      requiredClaims: ['exp', 'sub'],
      ...(settings.issuer !== undefined ? { issuer: settings.issuer } : {}),
      ...(settings.audience !== undefined ? { audience: settings.audience } : {}),
    }));
  } catch (err) {
    if (err instanceof errors.JOSEError) return refuse(refusalOf(err));
    throw err;
  }
  const claims = accessClaimsSchema.safeParse(payload);
  if (!claims.success) return refuse('bad-claims');
  const tables = grantsOf(claims.data);
  return { ok: true, access: Object.freeze({ subject: claims.data.sub, expiresAt: claims.data.exp * 1000, tables }) };
}
