/**
 * What a cell reads for a value, by its column's kind (columns.ts gives each kind's wire form): the
 * text shown, and, where the text is shortened or reformatted, the exact value as its title. Pure.
 *
 *   int, bigint, float, decimal   as sent (a decimal keeps every digit: "1234.50")
 *   boolean                       true / false
 *   timestamptz                   in the reader's zone (format.ts), the exact instant in the title
 *   timestamp                     "2026-12-01 22:14:07.123456" (no zone: it has none)
 *   date, time, timetz, interval, uuid, enum, text   as sent (long text cut at MAX_CELL_CHARS)
 *   json                          the JSON text, compact, cut at MAX_CELL_CHARS
 *   bytes                         "\x48656c6c6f" (hex, as psql shows bytea), cut at MAX_HEX_BYTES
 *   array                         "{1, 2, 3}", each element by the element kind
 *   null                          "—" (and `null` true), absent (a row drawn before its new shape) ""
 */
import type { ColumnInfo, WireValue } from '@orders-live/protocol';
import { formatInstant } from '../format.js';

/** Longer text is cut (with "…"): a cell is one line; the title holds all of it. */
export const MAX_CELL_CHARS = 80;
/** Bytes shown of a bytea value: enough to recognise it. */
export const MAX_HEX_BYTES = 16;

export interface CellText {
  readonly text: string;
  /** The exact value, when the text is not it. */
  readonly title: string | undefined;
  readonly null: boolean;
}

function cut(text: string): string {
  return text.length > MAX_CELL_CHARS ? `${text.slice(0, MAX_CELL_CHARS - 1)}…` : text;
}

function hex(base64: string): string {
  let binary: string;
  try {
    binary = atob(base64);
  } catch {
    return base64;
  }
  const shown = Array.from(binary.slice(0, MAX_HEX_BYTES), (char) => char.charCodeAt(0).toString(16).padStart(2, '0')).join('');
  return binary.length > MAX_HEX_BYTES ? `\\x${shown}… (${binary.length} bytes)` : `\\x${shown}`;
}

function scalarText(
  kind: ColumnInfo['kind'],
  value: Exclude<WireValue, readonly WireValue[] | null>,
  zone: Intl.DateTimeFormat | undefined,
): string {
  const text = String(value);
  switch (kind) {
    case 'timestamptz':
      return formatInstant(text, zone);
    case 'timestamp':
      return text.replace('T', ' ');
    case 'json':
      return cut(text.replace(/\s*\n\s*/g, ' '));
    case 'bytes':
      return hex(text);
    default:
      return cut(text);
  }
}

/** The text of a value of a column of this kind; `zone` formats instants (the reader's by default). */
export function cellText(
  column: Pick<ColumnInfo, 'kind' | 'elementKind'>,
  value: WireValue | undefined,
  zone?: Intl.DateTimeFormat,
): CellText {
  if (value === undefined) return { text: '', title: undefined, null: false };
  if (value === null) return { text: '—', title: 'null', null: true };
  let text: string;
  if (Array.isArray(value)) {
    const element = column.elementKind ?? 'text';
    text = cut(
      `{${(value as readonly WireValue[]).map((item) => (item === null ? 'NULL' : Array.isArray(item) ? JSON.stringify(item) : scalarText(element, item as string, zone))).join(', ')}}`,
    );
  } else text = scalarText(column.kind, value as string | number | boolean, zone);
  const exact = Array.isArray(value) ? JSON.stringify(value) : String(value);
  return { text, title: text === exact ? undefined : exact, null: false };
}

/** The exact value as text (a cell's data-value, for tools and tests): the wire form, arrays as JSON. */
export function exactText(value: WireValue | undefined): string | undefined {
  if (value === undefined) return undefined;
  return Array.isArray(value) ? JSON.stringify(value) : String(value);
}
