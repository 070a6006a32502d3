/**
 * Which row is which, in the page's table: a row's id under the table's primary key (row-id.ts in
 * the protocol: orders' bigint id, a customer's uuid, an order line's composite key as one string),
 * and the text that names it to a reader ("12", "3f2a…", "12/3"). Ids key the virtual table's rows,
 * the change marks, the row anchor, the activity log's links and keyset paging. Pure.
 */
import { DEFAULT_TABLE, rowIdFunction, type LiveRow, type RowId, type WireValue } from '@orders-live/protocol';

/** Orders' key: the page's table until the welcome frame names another's. */
export const ORDERS_KEY: readonly string[] = ['id'];
/** Between a composite key's values in the text that names a row ("12/3"). */
const LABEL_SEPARATOR = '/';
/** A composite key's parts are joined by NUL in its id (row-id.ts encodeKey). */
const PART_SEPARATOR = '\u0000';

export class RowIdentity {
  readonly table: string;
  readonly key: readonly string[];
  readonly #idOf: (row: LiveRow) => RowId;

  constructor(table: string = DEFAULT_TABLE, key: readonly string[] = ORDERS_KEY) {
    this.table = table;
    this.key = key;
    this.#idOf = rowIdFunction(key);
  }

  idOf(row: LiveRow): RowId {
    return this.#idOf(row);
  }

  /** The text that names a row's id to a reader: the key's values, "/" between them. */
  label(id: RowId): string {
    if (this.key.length === 1 || typeof id === 'number') return String(id);
    return decodeKey(id)
      .map((value) => (value === null ? 'null' : typeof value === 'string' ? value : JSON.stringify(value)))
      .join(LABEL_SEPARATOR);
  }

  /** The same identity (same table, same key). */
  same(other: RowIdentity): boolean {
    return this.table === other.table && this.key.join(PART_SEPARATOR) === other.key.join(PART_SEPARATOR);
  }
}

/** A composite key's values back from its id (the inverse of row-id.ts encodeKey, part by part). */
export function decodeKey(id: string): WireValue[] {
  return id.split(PART_SEPARATOR).map(decodePart);
}

function decodePart(part: string): WireValue {
  const rest = part.slice(1);
  switch (part[0]) {
    case '0':
      return Number(rest);
    case '-':
      return Number(rest) - Number.MAX_SAFE_INTEGER;
    case '~':
      return Number(rest);
    case 'b':
      return rest === '1';
    case 's':
      return rest;
    case 'j':
      return JSON.parse(rest) as WireValue;
    default:
      return null;
  }
}
