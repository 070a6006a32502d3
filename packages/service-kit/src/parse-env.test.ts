import { describe, expect, it } from 'vitest';
import * as z from 'zod';
import { ConfigError, commaList, envFields, parseEnv } from './parse-env.js';

const schema = z.object({ PORT: envFields.port.default(3000), LOG_LEVEL: envFields.logLevel });

describe('parseEnv', () => {
  it('returns the parsed values with their defaults', () => {
    expect(parseEnv(schema, {})).toEqual({ PORT: 3000, LOG_LEVEL: 'info' });
    expect(parseEnv(schema, { PORT: '8080', LOG_LEVEL: 'debug' })).toEqual({ PORT: 8080, LOG_LEVEL: 'debug' });
  });

  it('names every bad variable at once, with the problems of other readers of the environment', () => {
    const read = () => parseEnv(schema, { PORT: '70000', LOG_LEVEL: 'loud' }, { ok: false, problems: ['AUTH_JWT_SECRET: too short'] });
    expect(read).toThrow(ConfigError);
    expect(read).toThrow(/PORT: .*; LOG_LEVEL: .*; AUTH_JWT_SECRET: too short/);
  });

  it('fails on another reader’s problem even when the schema is satisfied', () => {
    expect(() => parseEnv(schema, {}, { ok: true }, { ok: false, problems: ['X: bad'] })).toThrow('invalid configuration: X: bad');
  });
});

describe('commaList', () => {
  it('trims entries and drops empty ones; unset is empty', () => {
    expect(commaList(' a, b ,,c,')).toEqual(['a', 'b', 'c']);
    expect(commaList('')).toEqual([]);
    expect(commaList(undefined)).toEqual([]);
  });
});
