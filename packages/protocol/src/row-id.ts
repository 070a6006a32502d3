/**
 * A row's identity in a table of any primary key, in one value both sides compute alike. Pure.
 *
 * A table's `key` (welcome's tables) names its primary-key columns in key order. A row's id is
 *   one key column     that column's value: a number (int, bigint) or a string (text, uuid, …)
 *   several columns    one string that orders as the key's values do, column by column (encodeKey)
 * Windows break ties on it, keyset positions (SortKey.id) carry it, and window diffs name the rows
 * they move or drop by it (`key: {id}`). Orders' id stays its bigint id.
 */
import * as z from 'zod';
import type { WireValue } from './columns.js';

export type RowId = number | string;

/** A row id on the wire: an exact integer or a string (a composite key's is longer than its parts). */
export const rowIdSchema = z.union([z.number().int().min(-Number.MAX_SAFE_INTEGER).max(Number.MAX_SAFE_INTEGER), z.string().max(1024)]);

/** Digits of Number.MAX_SAFE_INTEGER: every safe integer fits this many, zero-padded. */
const DIGITS = 16;

/**
 * One part of a composite key as text that sorts like the value: integers zero-padded behind a sign
 * mark (negatives offset so larger magnitudes sort first), booleans as 0/1, strings as they are.
 * Parts are joined by NUL, which no Postgres text holds and which sorts below every character, so a
 * shorter part sorts before a longer one it starts (as in the key's own order).
 */
function encodePart(value: WireValue): string {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) return `~${String(value)}`;
    return value < 0 ? `-${String(Number.MAX_SAFE_INTEGER + value).padStart(DIGITS, '0')}` : `0${String(value).padStart(DIGITS, '0')}`;
  }
  if (typeof value === 'boolean') return value ? 'b1' : 'b0';
  if (typeof value === 'string') return `s${value}`;
  return value === null ? 'n' : `j${JSON.stringify(value)}`;
}

/** The id of a composite key's values, in key order. */
export function encodeKey(values: readonly WireValue[]): string {
  return values.map(encodePart).join('\u0000');
}

/** A function that gives a row's id under `key` (made once per key, for hot paths). */
export function rowIdFunction(key: readonly string[]): (row: Readonly<Record<string, WireValue | undefined>>) => RowId {
  if (key.length === 1) {
    const column = key[0]!;
    return (row) => {
      const value = row[column];
      return typeof value === 'number' || typeof value === 'string' ? value : encodeKey([value ?? null]);
    };
  }
  return (row) => encodeKey(key.map((column) => row[column] ?? null));
}

/** A row's id under a table's key (its primary-key columns); a single number or string key is its own id. */
export function rowIdOf(key: readonly string[], row: Readonly<Record<string, WireValue | undefined>>): RowId {
  return rowIdFunction(key)(row);
}

/** The order of row ids of one table: numbers by value, strings by UTF-16 code unit. */
export function compareRowIds(a: RowId, b: RowId): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The primary key's values of a row, by column (a table subscription's `key`). */
export function keyValuesOf(key: readonly string[], row: Readonly<Record<string, WireValue | undefined>>): Record<string, WireValue> {
  const values: Record<string, WireValue> = {};
  for (const column of key) values[column] = row[column] ?? null;
  return values;
}
