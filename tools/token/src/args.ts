/** Command-line options of `npm run token -- …`, parsed with node:util. Pure: argv and env in, options out. */
import { UsageError, parseFlags } from '@orders-live/cli-kit';
import { readAuthSettings, type AuthSettings, type TokenRequest } from '@orders-live/auth';
import { rowFilterSchema } from '@orders-live/protocol';

/** An hour: long enough for a demo, short enough that a pasted token goes stale. */
export const DEFAULT_TTL_SECONDS = 3_600;

export const USAGE = `usage: npm run token -- --sub <subject> [--filter '<row filter JSON>'] [--ttl <seconds>]
  --sub     who the token is for (its sub claim), e.g. ada
  --filter  pins the rows the holder may see and touch (the orders_filter claim), a row filter of the
            wire protocol, e.g. '{"customer_name":{"eq":"Ada Lovelace"}}'; omit for every row
  --ttl     lifetime in seconds (default ${DEFAULT_TTL_SECONDS})
Signs with AUTH_JWT_SECRET (the environment, else ./.env), and sets iss/aud from AUTH_ISSUER/AUTH_AUDIENCE
when they are set. Prints the token on stdout.`;

export interface TokenOptions {
  readonly request: TokenRequest;
  readonly settings: AuthSettings;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): TokenOptions {
  const values = parseFlags(argv, { sub: { type: 'string' }, filter: { type: 'string' }, ttl: { type: 'string' } });
  if (values.sub === undefined || values.sub === '') throw new UsageError('--sub is required');
  const ttl = Number(values.ttl ?? DEFAULT_TTL_SECONDS);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError(`--ttl must be a positive whole number of seconds, not "${values.ttl}"`);
  let filter;
  if (values.filter !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(values.filter);
    } catch {
      throw new UsageError(`--filter is not JSON: ${values.filter}`);
    }
    const parsed = rowFilterSchema.safeParse(json);
    if (!parsed.success)
      throw new UsageError(
        `--filter is not a row filter: ${parsed.error.issues.map((issue) => `${issue.path.join('.') || 'filter'}: ${issue.message}`).join('; ')}`,
      );
    filter = parsed.data;
  }
  const auth = readAuthSettings(env);
  if (!auth.ok) throw new UsageError(auth.problems.join('; '));
  if (!auth.settings) throw new UsageError('AUTH_JWT_SECRET is not set (in the environment or ./.env): there is nothing to sign with');
  const { issuer, audience } = auth.settings;
  return { request: { subject: values.sub, filter, ttlSeconds: ttl, issuer, audience }, settings: auth.settings };
}
