/**
 * The columns of the streamed table as the change stream last described them: name, type kind,
 * nullability and default, in table order. A value object: built by the decoder from each record's
 * own schema, compared by its fingerprint, never mutated.
 *
 * The kinds are the protocol's (packages/protocol columns.ts, which also orders them and sends them
 * to clients in the columns frame). Each kind has one wire form (what a row's value looks like in
 * JSON), chosen so that nothing is rounded or reinterpreted on the way:
 *
 *   kind         Postgres                          wire form
 *   int          smallint, integer                 number
 *   bigint       bigint                            number (exact; a value past 2^53 is a decode error)
 *   float        real, double precision            number
 *   decimal      numeric, money                    string, the exact decimal text ("1234.50")
 *   boolean      boolean                           boolean
 *   text         text, varchar, char, name, xml…   string
 *   enum         a user-defined enum type          string
 *   uuid         uuid                              string
 *   json         json, jsonb                       string, the JSON text as Debezium read it
 *   bytes        bytea                             string, base64
 *   date         date                              string "YYYY-MM-DD"
 *   time         time                              string "HH:MM:SS.ffffff"
 *   timetz       time with time zone               string, ISO with offset
 *   timestamp    timestamp                         string "YYYY-MM-DDTHH:MM:SS.ffffff" (no offset)
 *   timestamptz  timestamp with time zone          string, ISO-8601 in UTC with a Z
 *   interval     interval                          string, ISO-8601 duration ("P1DT2H")
 *   array        T[] of any kind above             array of T's wire form
 *
 * Every kind is nullable on the wire when the column is.
 */

import type { ColumnKind, WireValue } from '@orders-live/protocol';

export { COLUMN_KINDS, type ColumnKind, type WireValue } from '@orders-live/protocol';

/** One column; the protocol's ColumnInfo (the columns frame) has exactly these fields. */
export interface Column {
  readonly name: string;
  readonly kind: ColumnKind;
  /** For arrays, the kind of each element. */
  readonly elementKind?: ColumnKind;
  /** Postgres' type name as Debezium reports it (e.g. "VARCHAR", "INT8"); null when the record did not say. */
  readonly sourceType: string | null;
  readonly nullable: boolean;
  /**
   * The column's constant default as the connector reports it, in wire form; absent when it has
   * none the connector can express (no default, or an expression such as now()).
   */
  readonly defaultValue?: WireValue;
}

export interface ColumnSet {
  readonly columns: readonly Column[];
  /** Canonical text of the columns: two sets are the same exactly when their fingerprints are. */
  readonly fingerprint: string;
}

export function columnSet(columns: readonly Column[]): ColumnSet {
  return Object.freeze({ columns: Object.freeze([...columns]), fingerprint: fingerprintOf(columns) });
}

function fingerprintOf(columns: readonly Column[]): string {
  return JSON.stringify(
    columns.map((c) => [
      c.name,
      c.kind,
      c.elementKind ?? null,
      c.sourceType,
      c.nullable,
      c.defaultValue === undefined ? [] : [c.defaultValue],
    ]),
  );
}

export function columnNames(set: ColumnSet): string[] {
  return set.columns.map((column) => column.name);
}

export function findColumn(set: ColumnSet, name: string): Column | undefined {
  return set.columns.find((column) => column.name === name);
}
