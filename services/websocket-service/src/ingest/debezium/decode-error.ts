/** What can be wrong with a Debezium record: a stable code (DBZ_*) and a message naming the place. */
import type * as z from 'zod';

export const DECODE_ERROR_CODES = {
  /** Key or value bytes are not JSON (or not UTF-8 JSON). */
  NOT_JSON: 'DBZ_NOT_JSON',
  /** The key is not this table's primary key. */
  BAD_KEY: 'DBZ_BAD_KEY',
  /** The value is JSON but not a Debezium envelope for this table's rows. */
  BAD_ENVELOPE: 'DBZ_BAD_ENVELOPE',
  /**
   * An op this service does not apply: "m" (a logical decoding message) or "t" (a truncate; the
   * database refuses TRUNCATE on orders and a keyless truncate event cannot enter the compacted
   * topic, so one found there is forged or misrouted, and clearing every view on it would be wrong).
   */
  UNSUPPORTED_OP: 'DBZ_UNSUPPORTED_OP',
  /** The key names a different row than the envelope's before/after. */
  KEY_MISMATCH: 'DBZ_KEY_MISMATCH',
  /** The record's schema has a column type this service cannot represent exactly (e.g. a geometry). */
  UNSUPPORTED_TYPE: 'DBZ_UNSUPPORTED_TYPE',
  /** A column's value does not fit the type the record's own schema gives it. */
  BAD_VALUE: 'DBZ_BAD_VALUE',
} as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[keyof typeof DECODE_ERROR_CODES];

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly message: string;
}

/** The first few issues of a zod error, each with its path, for a DecodeError's message. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
