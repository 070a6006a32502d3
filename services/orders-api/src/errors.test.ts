import { describe, expect, it } from 'vitest';
import { ERROR_CODES, errorBodySchema } from '@orders-live/protocol';
import { ApiError, describeError } from './errors.js';
import { isDatabaseUnavailable, refusedValue } from './db-errors.js';

/** Errors shaped as pg and Node raise them (see the integration test for the real ones). */
const withCode = (code: string, message = 'boom', extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), { code, ...extra });

describe('describeError', () => {
  it('answers an ApiError as it says, without logging', () => {
    const answer = describeError(new ApiError(404, ERROR_CODES.NOT_FOUND, 'no order with id 9'), 'req-1');
    expect(answer).toEqual({
      statusCode: 404,
      body: { error: { code: 'E_NOT_FOUND', message: 'no order with id 9' } },
      log: { level: 'none' },
    });
  });

  it.each([
    ['FST_ERR_CTP_BODY_TOO_LARGE', 413, ERROR_CODES.BODY_TOO_LARGE],
    ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 415, ERROR_CODES.UNSUPPORTED_MEDIA_TYPE],
    ['FST_ERR_CTP_INVALID_JSON_BODY', 400, ERROR_CODES.BAD_JSON],
    ['FST_ERR_CTP_EMPTY_JSON_BODY', 400, ERROR_CODES.BAD_JSON],
    ['FST_ERR_CTP_INVALID_CONTENT_LENGTH', 400, ERROR_CODES.BAD_JSON],
  ])('maps fastify %s to %i %s', (fastifyCode, statusCode, code) => {
    const answer = describeError(withCode(fastifyCode, 'x', { statusCode }), 'req-1');
    expect(answer.statusCode).toBe(statusCode);
    expect(answer.body.error.code).toBe(code);
    expect(answer.log.level).toBe('none');
  });

  it.each([
    ['connection refused', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432')],
    ['unknown host', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND postgres')],
    ['pool checkout timeout', new Error('timeout exceeded when trying to connect')],
    ['connect timeout', new Error('Connection terminated due to connection timeout')],
    ['server gone', new Error('Connection terminated unexpectedly')],
    ['statement timeout', withCode('57014', 'canceling statement due to statement timeout')],
    ['shutting down', withCode('57P01', 'terminating connection due to administrator command')],
    ['starting up', withCode('57P03', 'the database system is starting up')],
    ['connection exception class', withCode('08006', 'connection failure')],
    ['wrong password', withCode('28P01', 'password authentication failed')],
    ['every address refused', new AggregateError([withCode('ECONNREFUSED'), withCode('ECONNREFUSED')])],
  ])('answers 503 E_DATABASE_UNAVAILABLE for %s, logging the error at warn', (_what, err) => {
    const answer = describeError(err, 'req-1');
    expect(answer.statusCode).toBe(503);
    expect(answer.body.error.code).toBe(ERROR_CODES.DATABASE_UNAVAILABLE);
    expect(answer.log).toMatchObject({ level: 'warn', withErr: true });
  });

  it('answers a CHECK violation as 400 E_VALIDATION naming the column, logging no row', () => {
    const err = withCode('23514', 'new row for relation "orders" violates check constraint "orders_quantity_check"', {
      constraint: 'orders_quantity_check',
      detail: 'Failing row contains (72, secret name, b, pending, 0, 1.00, …).',
    });
    const answer = describeError(err, 'req-1');
    expect(answer.statusCode).toBe(400);
    expect(answer.body).toEqual({
      error: {
        code: 'E_VALIDATION',
        message: 'the database refused a value',
        fields: [{ path: 'quantity', message: 'refused by the database' }],
      },
    });
    expect(answer.log).toMatchObject({ level: 'warn', withErr: false });
    expect(JSON.stringify(answer)).not.toContain('secret name');
  });

  it('answers anything else 500 E_INTERNAL with a generic message carrying the request id, logged at error', () => {
    const answer = describeError(withCode('42501', 'permission denied for table orders'), 'req-7');
    expect(answer.statusCode).toBe(500);
    expect(answer.body.error.code).toBe(ERROR_CODES.INTERNAL);
    expect(answer.body.error.message).toContain('req-7');
    expect(answer.body.error.message).not.toContain('permission');
    expect(answer.log.level).toBe('error');
    expect(describeError(new TypeError('x is undefined'), 'req-8').statusCode).toBe(500);
    expect(describeError('a thrown string', 'req-9').statusCode).toBe(500);
  });

  it('always produces a body in the documented shape', () => {
    for (const err of [
      new ApiError(400, ERROR_CODES.VALIDATION, 'bad', [{ path: 'amount', message: 'm' }]),
      withCode('ECONNREFUSED'),
      new Error('x'),
    ]) {
      expect(errorBodySchema.safeParse(describeError(err, 'r').body).success).toBe(true);
    }
  });
});

describe('db-errors', () => {
  it('tells unavailable from other database errors', () => {
    expect(isDatabaseUnavailable(withCode('23505'))).toBe(false);
    expect(isDatabaseUnavailable(withCode('42P01'))).toBe(false);
    expect(isDatabaseUnavailable(new Error('something else'))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
  });

  it('finds the column of a refused value', () => {
    expect(refusedValue(withCode('23502', 'null value', { column: 'amount' }))).toMatchObject({ column: 'amount' });
    expect(refusedValue(withCode('23514', 'check', { constraint: 'orders_customer_name_check' }))).toMatchObject({
      column: 'customer_name',
    });
    expect(refusedValue(withCode('22003', 'numeric field overflow'))).toMatchObject({ column: undefined, sqlState: '22003' });
    expect(refusedValue(withCode('23505', 'duplicate key'))).toBeUndefined();
  });
});
