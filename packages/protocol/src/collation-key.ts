/**
 * A column value's collation key: a number or a string whose plain `<` order is the column's order
 * (comparatorFor in columns.ts), computed once per value. A sorted index compares keys, not values:
 * comparatorFor parses a decimal's text or an instant on every comparison, which made building an
 * index over 100,000 rows by `amount` or `created_at` take seconds; compared as keys it takes
 * milliseconds. collation-key.test.ts checks the two orders agree.
 *
 *   kind          key
 *   int, float…   the number itself
 *   decimal       sign class, then (for the magnitude) digit count, digits, fraction; mirrored digit
 *                 by digit for negatives, with a terminator that sorts after every digit
 *   timestamptz   the instant in UTC, "YYYY-MM-DDTHH:MM:SS.nnnnnnnnn" (years outside 0–9999 and
 *                 unparsable text get a leading mark that sorts them first or last)
 *   boolean       0, 1
 *   array         its JSON text
 *   other kinds   the text itself
 *
 * Null has no key (null): compareCollationKeys puts it after every value, as comparatorFor does.
 */
import { instantParts, type ColumnInfo, type ColumnValue } from './columns.js';

/** A value of another kind than its column's (a column whose type changed) is its own key. */
export type CollationKey = ColumnValue;

/** Ascending order of two keys of one column; null last. */
export function compareCollationKeys(a: CollationKey, b: CollationKey): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The function that maps a column's values to their keys. */
export function collationKeyFor(column: Pick<ColumnInfo, 'kind'>): (value: ColumnValue) => CollationKey {
  switch (column.kind) {
    case 'int':
    case 'bigint':
    case 'float':
      return (value) => value;
    case 'decimal':
      return (value) => (value === null ? null : decimalKey(String(value)));
    case 'timestamptz':
      return (value) => (value === null ? null : instantKey(String(value)));
    case 'boolean':
      return (value) => (value === null ? null : value ? 1 : 0);
    case 'array':
      return (value) => (value === null ? null : JSON.stringify(value));
    default:
      return (value) => value;
  }
}

/** Digits of the integer part's length: more than any decimal Postgres holds (131,072 digits). */
const LENGTH_DIGITS = 6;
/** Sign classes sort negatives, then zero, then positives (then text that is no decimal, by its text). */
function decimalKey(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const point = body.indexOf('.');
  const integer = (point < 0 ? body : body.slice(0, point)).replace(/^0+/, '');
  const fraction = point < 0 ? '' : body.slice(point + 1).replace(/0+$/, '');
  if (!/^\d*$/.test(integer) || !/^\d*$/.test(fraction)) return `3${text}`;
  if (integer === '' && fraction === '') return '1';
  const magnitude = `${String(integer.length).padStart(LENGTH_DIGITS, '0')}${integer}${fraction}`;
  if (!negative) return `2${magnitude}`;
  let mirrored = '0';
  for (let i = 0; i < magnitude.length; i++) mirrored += String(57 - magnitude.charCodeAt(i));
  // "~" sorts after every digit: -1.5 (…4~) before -1 (…~), as the larger magnitude must.
  return `${mirrored}~`;
}

const UTC_INSTANT = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/;
/** Epoch seconds of 0000-01-01 and 10000-01-01: the years a fixed-width ISO text can hold. */
const FIRST_SECOND = -62_167_219_200;
const END_SECOND = 253_402_300_800;
/** Shifts any epoch second Date can hold to a positive number of fixed width. */
const SECONDS_SHIFT = 1e13;

function instantKey(text: string): string {
  const utc = UTC_INSTANT.exec(text);
  if (utc) return `${utc[1]}.${(utc[2] ?? '').padEnd(9, '0')}`;
  const [seconds, nanos] = instantParts(text);
  if (Number.isNaN(seconds)) return `~${text}`;
  const fraction = String(nanos).padStart(9, '0');
  if (seconds < FIRST_SECOND) return `!${String(seconds + SECONDS_SHIFT).padStart(14, '0')}.${fraction}`;
  if (seconds >= END_SECOND) return `}${String(seconds + SECONDS_SHIFT).padStart(14, '0')}.${fraction}`;
  return `${new Date(seconds * 1000).toISOString().slice(0, 19)}.${fraction}`;
}
