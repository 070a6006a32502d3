/**
 * Access control settings, from the environment. Each service's config.ts calls readAuthSettings
 * once with process.env and keeps the result in its frozen config; nothing else reads them.
 *
 *   AUTH_JWT_SECRET  the HS256 shared secret, at least MIN_SECRET_BYTES bytes. Unset or empty: access
 *                    control is off (the compose demo), and the service says so once at start.
 *   AUTH_ISSUER      optional: tokens must carry this `iss`.
 *   AUTH_AUDIENCE    optional: tokens must carry this `aud` (or list it).
 *
 * AUTH_ISSUER or AUTH_AUDIENCE without a secret is refused: whoever set them believes access control
 * is on, and it would not be.
 */
import * as z from 'zod';

/** RFC 7518 §3.2: an HS256 key must be at least as long as the hash, 256 bits. */
export const MIN_SECRET_BYTES = 32;

export interface AuthSettings {
  /** The secret's UTF-8 bytes, as jose takes an HMAC key. */
  readonly secret: Uint8Array;
  readonly issuer: string | undefined;
  readonly audience: string | undefined;
}

const blankIsUnset = (value: string | undefined): string | undefined => (value === undefined || value.trim() === '' ? undefined : value);

const authEnvSchema = z
  .object({
    AUTH_JWT_SECRET: z
      .string()
      .optional()
      .transform(blankIsUnset)
      .refine((secret) => secret === undefined || Buffer.byteLength(secret, 'utf8') >= MIN_SECRET_BYTES, {
        error: `must be at least ${MIN_SECRET_BYTES} bytes (e.g. openssl rand -base64 48), or unset to turn access control off`,
      }),
    AUTH_ISSUER: z.string().optional().transform(blankIsUnset),
    AUTH_AUDIENCE: z.string().optional().transform(blankIsUnset),
  })
  .superRefine((env, context) => {
    if (env.AUTH_JWT_SECRET !== undefined) return;
    for (const name of ['AUTH_ISSUER', 'AUTH_AUDIENCE'] as const) {
      if (env[name] !== undefined)
        context.addIssue({ code: 'custom', path: [name], message: 'is set but AUTH_JWT_SECRET is not: access control would be off' });
    }
  });

export type AuthSettingsResult =
  /** `settings` undefined: access control is off. */
  { readonly ok: true; readonly settings: AuthSettings | undefined } | { readonly ok: false; readonly problems: readonly string[] };

/** The settings, or undefined when access control is off; problems name the variable. */
export function readAuthSettings(env: NodeJS.ProcessEnv): AuthSettingsResult {
  const parsed = authEnvSchema.safeParse(env);
  if (!parsed.success) return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  const { AUTH_JWT_SECRET: secret, AUTH_ISSUER: issuer, AUTH_AUDIENCE: audience } = parsed.data;
  if (secret === undefined) return { ok: true, settings: undefined };
  return { ok: true, settings: Object.freeze({ secret: new TextEncoder().encode(secret), issuer, audience }) };
}

/** The warning each service logs once at start when access control is off. */
export const AUTH_OFF_WARNING =
  'access control is OFF: AUTH_JWT_SECRET is not set, so anyone who reaches this service may use it (fine for the demo; set it for anything else)';
