/**
 * A row as the stream delivers it, whatever DDL the table has been through: every column of the
 * last `columns` frame under its name, in its kind's wire form (columns.ts). The
 * table's original columns are not promised: a DDL may drop, rename or retype any of them, so a
 * program reads them through the kinds the columns frame gives, or narrows with isOrderRow(), which
 * checks that the row has every original column with its original type. Pure.
 *
 * rowProblem() is what a client checks each row against: exactly the columns' names, and each value
 * of its column's kind (or null: a retype the service cannot convert exactly leaves nulls behind).
 */
import type { ColumnInfo, ColumnKind, WireValue } from './columns.js';
import { ORDER_COLUMNS, orderRowSchema, type OrderRow } from './orders.js';
import type { RowId } from './row-id.js';

/** A row: the value of every column under its name (undefined: not a column of it). */
export interface LiveRow {
  readonly [column: string]: WireValue | undefined;
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^(-?\d+(\.\d+)?([eE][-+]?\d+)?|NaN|-?Infinity)$/;
const FLOAT_WORDS: ReadonlySet<string> = new Set(['NaN', 'Infinity', '-Infinity']);
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const DATE = /^[+-]?\d{4,}-\d\d-\d\d$/;
const TIME = /^\d\d:\d\d:\d\d(\.\d{1,9})?$/;
const TIMETZ = /^\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d(:?\d\d)?)$/;
const TIMESTAMP = /^[+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?$/;
const TIMESTAMPTZ = /^[+-]?\d{4,}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{1,9})?)?(Z|[+-]\d\d:\d\d)$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isSafeInteger(value: WireValue): boolean {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function matches(pattern: RegExp): (value: WireValue) => boolean {
  return (value) => typeof value === 'string' && pattern.test(value);
}

function isJsonText(value: WireValue): boolean {
  if (typeof value !== 'string') return false;
  try {
    JSON.parse(value);
    return true;
  } catch {
    return false;
  }
}

/** Per kind: whether a non-null value has that kind's wire form, and how the form is named in a problem. */
const WIRE_FORMS: Readonly<Record<Exclude<ColumnKind, 'array'>, { readonly test: (value: WireValue) => boolean; readonly form: string }>> =
  {
    int: { test: isSafeInteger, form: 'an exact integer' },
    bigint: { test: isSafeInteger, form: 'an exact integer' },
    float: { test: (v) => typeof v === 'number' || (typeof v === 'string' && FLOAT_WORDS.has(v)), form: 'a number' },
    decimal: { test: (v) => typeof v === 'string' && (INTEGER.test(v) || DECIMAL.test(v)), form: 'decimal text' },
    boolean: { test: (v) => typeof v === 'boolean', form: 'a boolean' },
    text: { test: (v) => typeof v === 'string', form: 'a string' },
    enum: { test: (v) => typeof v === 'string', form: 'a string' },
    uuid: { test: matches(UUID), form: 'a uuid' },
    json: { test: isJsonText, form: 'JSON text' },
    bytes: { test: matches(BASE64), form: 'base64 text' },
    date: { test: matches(DATE), form: 'a date YYYY-MM-DD' },
    time: { test: matches(TIME), form: 'a time HH:MM:SS' },
    timetz: { test: matches(TIMETZ), form: 'a time with an offset' },
    timestamp: { test: matches(TIMESTAMP), form: 'a timestamp YYYY-MM-DDTHH:MM:SS' },
    timestamptz: { test: matches(TIMESTAMPTZ), form: 'an ISO-8601 instant with an offset' },
    interval: { test: (v) => typeof v === 'string', form: 'an ISO-8601 duration' },
  };

function describeValue(value: WireValue): string {
  if (Array.isArray(value)) return 'an array';
  const text = JSON.stringify(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Why a value is not of its column's kind; undefined when it is (null always is). */
export function valueProblem(column: Pick<ColumnInfo, 'kind' | 'elementKind'>, value: WireValue): string | undefined {
  if (value === null) return undefined;
  if (column.kind === 'array') {
    if (!Array.isArray(value)) return `expected an array, got ${describeValue(value)}`;
    const element = { kind: column.elementKind ?? 'text' } as const;
    if (element.kind === 'array') return 'arrays of arrays are not part of the protocol';
    for (const [index, item] of (value as readonly WireValue[]).entries()) {
      const problem = valueProblem(element, item);
      if (problem !== undefined) return `element ${index}: ${problem}`;
    }
    return undefined;
  }
  const form = WIRE_FORMS[column.kind];
  return form.test(value) ? undefined : `expected ${form.form} (${column.kind}), got ${describeValue(value)}`;
}

/** What is wrong with a row under these columns, or undefined when nothing is. */
export type RowProblem =
  /** A column of the frame is missing from the row, or the row has one the frame does not list. */
  | { readonly kind: 'columns'; readonly message: string }
  /** A value is not of its column's kind. */
  | { readonly kind: 'value'; readonly message: string };

/** An orders row's id, which names it in a problem when the caller gives no row id. */
function orderId(row: LiveRow): RowId | undefined {
  const id = row['id'];
  return typeof id === 'number' || typeof id === 'string' ? id : undefined;
}

/** Checks a row against the columns it should have (the last columns frame's); `id` names it in the problem. */
export function rowProblem(row: LiveRow, columns: readonly ColumnInfo[], id: RowId | undefined = orderId(row)): RowProblem | undefined {
  const label = id === undefined ? 'a row' : `row ${String(id)}`;
  const names = new Set<string>();
  for (const column of columns) {
    names.add(column.name);
    const value = row[column.name];
    if (value === undefined) return { kind: 'columns', message: `${label} lacks column ${column.name}` };
    const problem = valueProblem(column, value);
    if (problem !== undefined) return { kind: 'value', message: `${label}, column ${column.name}: ${problem}` };
  }
  for (const name of Object.keys(row)) {
    if (!names.has(name)) return { kind: 'columns', message: `${label} has column ${name}, which the columns frame does not list` };
  }
  return undefined;
}

/** Whether the row has every original column of orders with its original type (so it reads as an OrderRow). */
export function isOrderRow(row: LiveRow): row is LiveRow & OrderRow {
  return ORDER_COLUMNS.every((column) => orderRowSchema.shape[column].safeParse(row[column]).success);
}
