import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { comparatorFor, type ColumnInfo, type ColumnValue } from './columns.js';
import { collationKeyFor, compareCollationKeys } from './collation-key.js';

/** The keys' order must be the comparator's, sign for sign, on every pair. */
function agrees(kind: ColumnInfo['kind'], a: ColumnValue, b: ColumnValue): void {
  const key = collationKeyFor({ kind });
  const expected = Math.sign(comparatorFor({ kind })(a, b));
  expect(Math.sign(compareCollationKeys(key(a), key(b))), `${kind}: ${String(a)} vs ${String(b)}`).toBe(expected);
}

const digits = (max: number) => fc.string({ unit: fc.constantFrom('0', '0', '1', '5', '9'), minLength: 1, maxLength: max });
const decimal = fc
  .tuple(fc.boolean(), digits(8), fc.option(digits(6), { nil: undefined }))
  .map(([negative, integer, fraction]) => `${negative ? '-' : ''}${integer}${fraction === undefined ? '' : `.${fraction}`}`);

const instant = fc
  .tuple(
    fc.integer({ min: -62_000_000_000, max: 250_000_000_000 }),
    fc.option(fc.integer({ min: 0, max: 999_999 }), { nil: undefined }),
    fc.constantFrom('Z', '+02:00', '-05:30'),
  )
  .map(([seconds, micros, zone]) => {
    const shift = zone === 'Z' ? 0 : zone === '+02:00' ? 7_200 : -19_800;
    const text = new Date((seconds + shift) * 1000).toISOString().slice(0, 19);
    return `${text}${micros === undefined ? '' : `.${String(micros).padStart(6, '0')}`}${zone}`;
  })
  .filter((text) => /^\d{4}-/.test(text));

describe('collation keys', () => {
  it('order decimals as compareDecimalStrings does (signs, zeros, leading and trailing zeros, lengths)', () => {
    fc.assert(fc.property(decimal, decimal, (a, b) => agrees('decimal', a, b)));
    for (const [a, b] of [
      ['-0.00', '0'],
      ['-1.5', '-1'],
      ['-12', '-9'],
      ['007', '7'],
      ['100', '1'],
      ['10', '10.0'],
      ['0.5', '0.50'],
      ['-0.5', '-0.51'],
      ['123456789012345678901234567890.01', '123456789012345678901234567890.1'],
    ] as const)
      agrees('decimal', a, b);
  });

  it('order instants as compareInstants does (offsets, microseconds, years before 1970)', () => {
    fc.assert(fc.property(instant, instant, (a, b) => agrees('timestamptz', a, b)));
    agrees('timestamptz', '2026-01-01T01:00:00+01:00', '2026-01-01T00:00:00Z');
    agrees('timestamptz', '2026-01-01T00:00:00.000001Z', '2026-01-01T00:00:00Z');
    agrees('timestamptz', '2026-01-01T00:00:00.000001Z', '2026-01-01T00:00:00.000000002Z');
  });

  it('order numbers, booleans and text as their comparators do, null last', () => {
    const value = fc.oneof(fc.integer(), fc.constant(null));
    fc.assert(fc.property(value, value, (a, b) => agrees('int', a, b)));
    fc.assert(fc.property(fc.string(), fc.option(fc.string(), { nil: null }), (a, b) => agrees('text', a, b)));
    agrees('boolean', false, true);
    agrees('boolean', true, null);
    agrees('decimal', null, '-5');
  });
});
