/**
 * The service's configuration: parsed once from the environment, validated, frozen, passed down.
 * Nothing else in the service reads process.env. A bad value fails start-up naming the variable.
 *
 * The database is addressed with libpq's own variable names (PGHOST, PGPORT, PGDATABASE, PGUSER,
 * PGPASSWORD), read here and handed to pg explicitly. There is no DATABASE_URL: one scheme only.
 */
import * as z from 'zod';
import { readAuthSettings, type AuthSettings } from '@orders-live/auth';
import { commaList, envFields, listenConfig, listenEnv, parseEnv, type ListenConfig } from '@orders-live/service-kit';

export { ConfigError } from '@orders-live/service-kit';

/** An order is a few hundred bytes; two 200-character names fully \u-escaped stay under 5 KiB. */
export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;
/**
 * The page (web-client) is served on port 3000 in development and in docker-compose, and a browser
 * names its origin after the address the user typed: localhost and 127.0.0.1 are two origins.
 */
const DEFAULT_CORS_ORIGINS = 'http://localhost:3000,http://127.0.0.1:3000';
/** Postgres' default port; the native stack of stack/up.sh listens on 25432 instead. */
const DEFAULT_PGPORT = 5432;

const { port, positiveInt, origin } = envFields;

const envSchema = z.object({
  ...listenEnv(3002),
  PGHOST: z.string().min(1).default('localhost'),
  PGPORT: port.default(DEFAULT_PGPORT),
  PGDATABASE: z.string().min(1).default('shop'),
  PGUSER: z.string().min(1).default('orders_api'),
  // No default: a secret never lives in the code.
  PGPASSWORD: z.string({ error: 'required (the password of the PGUSER role)' }).min(1, 'required (the password of the PGUSER role)'),
  CORS_ORIGINS: z.string().default(DEFAULT_CORS_ORIGINS).transform(commaList).pipe(z.array(origin).min(1, 'expected at least one origin')),
  BODY_LIMIT_BYTES: positiveInt.default(DEFAULT_BODY_LIMIT_BYTES),
});

export interface DatabaseConfig {
  readonly host: string;
  readonly port: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export interface Config extends ListenConfig {
  readonly database: DatabaseConfig;
  readonly corsOrigins: readonly string[];
  readonly bodyLimitBytes: number;
  /** Access tokens (AUTH_JWT_SECRET, AUTH_ISSUER, AUTH_AUDIENCE); undefined: access control is off. */
  readonly auth: AuthSettings | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const auth = readAuthSettings(env);
  const e = parseEnv(envSchema, env, auth);
  return Object.freeze({
    ...listenConfig(e),
    database: Object.freeze({ host: e.PGHOST, port: e.PGPORT, database: e.PGDATABASE, user: e.PGUSER, password: e.PGPASSWORD }),
    corsOrigins: Object.freeze(e.CORS_ORIGINS),
    bodyLimitBytes: e.BODY_LIMIT_BYTES,
    auth: auth.ok ? auth.settings : undefined,
  });
}
