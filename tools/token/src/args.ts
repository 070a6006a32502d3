/** Command-line options of `npm run token -- …`, parsed with node:util. Pure: argv and env in, options out. */
import { parseArgs } from 'node:util';
import { UsageError } from '@orders-live/cli-kit';
import { readAuthSettings, type AuthSettings, type TokenRequest } from '@orders-live/auth';
import { rowFilterSchema, subscriptionFilterSchema, tableNameSchema, type SubscriptionFilter } from '@orders-live/protocol';

/** An hour: long enough for a demo, short enough that a pasted token goes stale. */
export const DEFAULT_TTL_SECONDS = 3_600;

export const USAGE = `usage: npm run token -- --sub <subject> [--table <table> [--filter '<filter JSON>']]… [--ttl <seconds>]
       npm run token -- --sub <subject> [--filter '<orders row filter JSON>'] [--ttl <seconds>]
  --sub     who the token is for (its sub claim), e.g. ada
  --table   grants a table (the tables claim), repeated for each; the token then grants exactly these
            tables, each pinned to the --filter that follows it (none: every row of it), e.g.
            --table customers --filter '{"tier":{"eq":"pro"}}' --table orders
  --filter  after --table: that table's row filter, a subscription filter of its columns;
            without --table: pins the orders table only (the orders_filter claim), a row filter of the
            orders columns, e.g. '{"customer_name":{"eq":"Ada Lovelace"}}'
            Neither --table nor --filter: every table, every row.
  --ttl     lifetime in seconds (default ${DEFAULT_TTL_SECONDS})
Signs with AUTH_JWT_SECRET (the environment, else ./.env), and sets iss/aud from AUTH_ISSUER/AUTH_AUDIENCE
when they are set. Prints the token on stdout.`;

export interface TokenOptions {
  readonly request: TokenRequest;
  readonly settings: AuthSettings;
}

const OPTIONS = {
  sub: { type: 'string' },
  table: { type: 'string', multiple: true },
  filter: { type: 'string', multiple: true },
  ttl: { type: 'string' },
} as const;

/** What filterArgument needs of a zod schema (this tool does not depend on zod itself). */
interface Schema<T> {
  safeParse(
    input: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] } };
}

/** A --filter's JSON, checked with `schema`; `what` names it in the error. */
function filterArgument<T>(text: string, schema: Schema<T>, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError(`--filter is not JSON: ${text}`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success)
    throw new UsageError(
      `--filter is not ${what}: ${parsed.error.issues.map((issue) => `${issue.path.map(String).join('.') || 'filter'}: ${issue.message}`).join('; ')}`,
    );
  return parsed.data;
}

/** The tables claim of --table/--filter pairs, in argv order: each --filter belongs to the --table before it. */
function tablesOf(tokens: readonly { kind: string; name?: string; value?: string | undefined }[]): Record<string, SubscriptionFilter> {
  const tables: Record<string, SubscriptionFilter> = {};
  let current: string | undefined;
  let filtered = false;
  for (const token of tokens) {
    if (token.kind !== 'option') continue;
    if (token.name === 'table') {
      const name = tableNameSchema.safeParse(token.value);
      if (!name.success) throw new UsageError(`--table: "${token.value}" is not a table name such as "orders" or "schema.table"`);
      if (Object.hasOwn(tables, name.data)) throw new UsageError(`--table ${name.data} is given twice`);
      current = name.data;
      filtered = false;
      tables[current] = {};
    } else if (token.name === 'filter') {
      if (current === undefined) throw new UsageError('--filter comes after the --table it pins, once --table is used');
      if (filtered) throw new UsageError(`--table ${current} has two --filter`);
      tables[current] = filterArgument(token.value ?? '', subscriptionFilterSchema, 'a subscription filter');
      filtered = true;
    }
  }
  return tables;
}

export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): TokenOptions {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false, tokens: true });
  } catch (err) {
    throw new UsageError(err instanceof Error ? err.message : String(err));
  }
  const { values, tokens } = parsed;
  if (values.sub === undefined || values.sub === '') throw new UsageError('--sub is required');
  const ttl = Number(values.ttl ?? DEFAULT_TTL_SECONDS);
  if (!Number.isInteger(ttl) || ttl <= 0) throw new UsageError(`--ttl must be a positive whole number of seconds, not "${values.ttl}"`);
  let filter;
  let tables;
  if (values.table !== undefined) tables = tablesOf(tokens);
  else if (values.filter !== undefined) {
    if (values.filter.length > 1) throw new UsageError('--filter is given twice (without --table it pins the orders table only)');
    filter = filterArgument(values.filter[0]!, rowFilterSchema, 'a row filter');
  }
  const auth = readAuthSettings(env);
  if (!auth.ok) throw new UsageError(auth.problems.join('; '));
  if (!auth.settings) throw new UsageError('AUTH_JWT_SECRET is not set (in the environment or ./.env): there is nothing to sign with');
  const { issuer, audience } = auth.settings;
  return { request: { subject: values.sub, filter, tables, ttlSeconds: ttl, issuer, audience }, settings: auth.settings };
}
