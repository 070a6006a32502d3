/**
 * What a failure from pg means for the caller: the database is unreachable (retry later), Postgres
 * refused a value (the request was invalid), or something else (a bug). Pure: looks at the error only.
 */

/** Socket-level failures reaching Postgres. */
const UNREACHABLE_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
]);

/** pg and pg-pool raise these as plain Errors without a code. */
const UNREACHABLE_MESSAGES = [
  'timeout exceeded when trying to connect', // pg-pool: no free connection within connectionTimeoutMillis
  'Connection terminated due to connection timeout', // pg-pool: the connection did not open in time
  'Connection terminated unexpectedly', // pg: the server or the network went away
  'Query read timeout', // pg: query_timeout passed
  'Client has encountered a connection error and is not queryable',
];

/** SQLSTATEs meaning "not now" rather than "never". */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, recovering)
  '53300', // too_many_connections
  '57014', // query_canceled: statement_timeout passed
  '28P01', // invalid_password: the service is misconfigured; the database is unavailable to it
  '28000', // invalid_authorization_specification
  '3D000', // invalid_catalog_name: no such database (yet)
]);
/** Class 08: connection exception. */
const UNAVAILABLE_SQLSTATE_CLASSES = ['08'];

/** SQLSTATEs for a value Postgres refused: the request's fault, if validation let it through. */
const REFUSED_VALUE_SQLSTATES = new Set([
  '23514', // check_violation
  '23502', // not_null_violation
  '22001', // string_data_right_truncation
  '22003', // numeric_value_out_of_range
  '22021', // character_not_in_repertoire (e.g. NUL in text)
]);

function property(err: unknown, name: string): unknown {
  return typeof err === 'object' && err !== null ? (err as Record<string, unknown>)[name] : undefined;
}

function stringProperty(err: unknown, name: string): string | undefined {
  const value = property(err, name);
  return typeof value === 'string' ? value : undefined;
}

export function isDatabaseUnavailable(err: unknown): boolean {
  const code = stringProperty(err, 'code');
  if (code !== undefined) {
    if (UNREACHABLE_NODE_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && UNAVAILABLE_SQLSTATE_CLASSES.includes(code.slice(0, 2))) return true;
  }
  const message = err instanceof Error ? err.message : undefined;
  if (message !== undefined && UNREACHABLE_MESSAGES.includes(message)) return true;
  // Node reports a failed connect to several addresses (localhost → ::1 and 127.0.0.1) as an AggregateError.
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(isDatabaseUnavailable);
  return false;
}

interface RefusedValue {
  /** The column, when Postgres names it or the constraint's name gives it away (orders_<column>_check). */
  readonly column: string | undefined;
  readonly sqlState: string;
  readonly constraint: string | undefined;
}

/** A value Postgres refused (CHECK, NOT NULL, out of range), or undefined for any other error. */
export function refusedValue(err: unknown): RefusedValue | undefined {
  const sqlState = stringProperty(err, 'code');
  if (sqlState === undefined || !REFUSED_VALUE_SQLSTATES.has(sqlState)) return undefined;
  const constraint = stringProperty(err, 'constraint');
  const column = stringProperty(err, 'column') ?? (constraint ? /^orders_(.+)_check$/.exec(constraint)?.[1] : undefined);
  return { column, sqlState, constraint };
}
