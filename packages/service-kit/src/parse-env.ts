/**
 * Configuration from the environment, the one way every service reads it: a zod schema parsed once,
 * every problem collected into one ConfigError that names each variable, so a bad start-up says all
 * that is wrong at once. The service freezes what it builds from the result and passes it down.
 */
import * as z from 'zod';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** The outcome of another reader of the environment (e.g. @orders-live/auth's readAuthSettings). */
export type EnvReading = { readonly ok: true } | { readonly ok: false; readonly problems: readonly string[] };

/**
 * Parses `env` with `schema`; throws a ConfigError listing the schema's problems and those of
 * `others` (read from the same environment) when there are any.
 */
export function parseEnv<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, ...others: readonly EnvReading[]): z.output<S> {
  const parsed = schema.safeParse(env);
  const problems = [
    ...(parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)),
    ...others.flatMap((other) => (other.ok ? [] : other.problems)),
  ];
  if (!parsed.success || problems.length > 0) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return parsed.data;
}

/** A comma-separated variable's entries, trimmed, empty ones dropped ("a, b,," → ["a", "b"]); unset → []. */
export function commaList(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
}

/** Field schemas the services share. */
export const envFields = {
  port: z.coerce.number().int().min(0).max(65_535),
  positiveInt: z.coerce.number().int().positive(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** scheme://host[:port], exactly what a browser sends in the Origin header (no path, no slash). */
  origin: z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected an origin such as http://localhost:3000'),
} as const;

/** What every service's configuration starts with: where it listens and how much it logs. */
export interface ListenConfig {
  readonly host: string;
  readonly port: number;
  readonly logLevel: string;
}

/** The variables behind ListenConfig, for a service's env schema: HOST (all interfaces by default), PORT, LOG_LEVEL. */
export function listenEnv(defaultPort: number) {
  return { HOST: z.string().min(1).default('0.0.0.0'), PORT: envFields.port.default(defaultPort), LOG_LEVEL: envFields.logLevel };
}

/** ListenConfig from the parsed variables of listenEnv(). */
export function listenConfig(e: { readonly HOST: string; readonly PORT: number; readonly LOG_LEVEL: string }): ListenConfig {
  return { host: e.HOST, port: e.PORT, logLevel: e.LOG_LEVEL };
}
