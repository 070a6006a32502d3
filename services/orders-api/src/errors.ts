/**
 * Every failure becomes one answer: an HTTP status and { error: { code, message, fields? } } with a
 * code from the shared catalogue (ERROR_CODES in @orders-live/protocol). Pure: the app's error
 * handler sends the answer and logs according to `log`.
 */
import type * as z from 'zod';
import { ERROR_CODES, type ErrorCode, type ErrorBody, type FieldError } from '@orders-live/protocol';
import { isDatabaseUnavailable, refusedValue } from './db-errors.js';

/** Where a refused value came from; names the root of the path when the whole thing is wrong. */
export type InputLocation = 'body' | 'query' | 'params';

/** An error this service raises on purpose, already carrying its answer. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly statusCode: number,
    readonly code: ErrorCode,
    message: string,
    readonly fields?: readonly FieldError[],
  ) {
    super(message);
  }
}

const LOCATION_NAMES: Record<InputLocation, string> = { body: 'request body', query: 'query string', params: 'path' };

/** zod issues as { path, message } per field; an unknown key is reported under its own name. */
export function fieldsFromIssues(issues: readonly z.core.$ZodIssue[], location: InputLocation): FieldError[] {
  const fields: FieldError[] = [];
  for (const issue of issues) {
    const base = issue.path.map(String);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) fields.push({ path: [...base, key].join('.'), message: 'unknown field' });
    } else {
      fields.push({ path: base.length > 0 ? base.join('.') : location, message: issue.message });
    }
  }
  return fields;
}

export function validationError(issues: readonly z.core.$ZodIssue[], location: InputLocation): ApiError {
  return new ApiError(400, ERROR_CODES.VALIDATION, `invalid ${LOCATION_NAMES[location]}`, fieldsFromIssues(issues, location));
}

export function notFound(message: string): ApiError {
  return new ApiError(404, ERROR_CODES.NOT_FOUND, message);
}

/** The access token's pinned filter does not allow this order. */
export function forbidden(message: string): ApiError {
  return new ApiError(403, ERROR_CODES.FORBIDDEN, message);
}

/** How the error handler should log: `none` for the client's own mistakes, `warn`/`error` with details. */
type LogAdvice =
  | { readonly level: 'none' }
  | { readonly level: 'warn'; readonly message: string; readonly details: Record<string, unknown>; readonly withErr: boolean }
  | { readonly level: 'error'; readonly message: string };

interface ErrorAnswer {
  readonly statusCode: number;
  readonly body: ErrorBody;
  readonly log: LogAdvice;
}

function answer(statusCode: number, code: ErrorCode, message: string, fields?: readonly FieldError[]): Omit<ErrorAnswer, 'log'> {
  const error: ErrorBody['error'] = fields && fields.length > 0 ? { code, message, fields: [...fields] } : { code, message };
  return { statusCode, body: { error } };
}

/** fastify's own errors for bodies it could not read, by their FST_ERR_* code. */
const FASTIFY_BODY_ERRORS: Record<string, { statusCode: number; code: ErrorCode; message: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { statusCode: 413, code: ERROR_CODES.BODY_TOO_LARGE, message: 'request body is larger than the limit' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    statusCode: 415,
    code: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
    message: 'expected content-type application/json',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: { statusCode: 400, code: ERROR_CODES.BAD_JSON, message: 'request body is not valid JSON' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { statusCode: 400, code: ERROR_CODES.BAD_JSON, message: 'request body is empty; expected JSON' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    statusCode: 400,
    code: ERROR_CODES.BAD_JSON,
    message: 'request body does not match its content-length',
  },
};

function errorCode(err: unknown): string | undefined {
  const code = typeof err === 'object' && err !== null ? (err as { code?: unknown }).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

function clientStatus(err: unknown): number | undefined {
  const statusCode = typeof err === 'object' && err !== null ? (err as { statusCode?: unknown }).statusCode : undefined;
  return typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500 ? statusCode : undefined;
}

/**
 * The answer to any error thrown while handling a request. `requestId` goes into the message of a
 * 500, so a user's report can be matched to the log line; nothing else of the error is shown.
 */
export function describeError(err: unknown, requestId: string): ErrorAnswer {
  if (err instanceof ApiError) {
    return { ...answer(err.statusCode, err.code, err.message, err.fields), log: { level: 'none' } };
  }
  const fastifyError = FASTIFY_BODY_ERRORS[errorCode(err) ?? ''];
  if (fastifyError) {
    return { ...answer(fastifyError.statusCode, fastifyError.code, fastifyError.message), log: { level: 'none' } };
  }
  if (isDatabaseUnavailable(err)) {
    return {
      ...answer(503, ERROR_CODES.DATABASE_UNAVAILABLE, 'the database is unavailable; retry later'),
      log: { level: 'warn', message: 'database unavailable', details: {}, withErr: true },
    };
  }
  const refused = refusedValue(err);
  if (refused) {
    // Validation should have caught it: worth a warning, but without the error's detail, which quotes the row.
    return {
      ...answer(400, ERROR_CODES.VALIDATION, 'the database refused a value', [
        { path: refused.column ?? 'body', message: 'refused by the database' },
      ]),
      log: {
        level: 'warn',
        message: 'the database refused a value that validation let through',
        details: { sqlState: refused.sqlState, constraint: refused.constraint, column: refused.column },
        withErr: false,
      },
    };
  }
  // Other fastify client errors (a malformed URL, for one): the request is at fault, nothing to log.
  const status = clientStatus(err);
  if (status !== undefined && errorCode(err)?.startsWith('FST_ERR_')) {
    const message = err instanceof Error ? err.message : 'bad request';
    return { ...answer(400, ERROR_CODES.VALIDATION, message), log: { level: 'none' } };
  }
  return {
    ...answer(500, ERROR_CODES.INTERNAL, `internal error; quote request id ${requestId} when reporting it`),
    log: { level: 'error', message: 'request failed' },
  };
}
