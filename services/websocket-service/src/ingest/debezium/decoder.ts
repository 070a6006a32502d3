/**
 * Debezium Postgres change event → typed record. Pure: bytes in, a value out; no logger, no Kafka,
 * no clock. The value is what the JsonConverter writes with schemas enabled (the worker's setting):
 * { schema, payload } where payload is the envelope { before, after, source: {ts_ms, lsn, txId,
 * sequence, snapshot…}, op } and schema says the type of every column of before/after. Each record
 * is decoded by its own schema, so records written before a DDL (older shapes, still in the
 * compacted topic) and after it decode alike, and a new column is typed as faithfully as an old one.
 * Records written with schemas disabled (a topic from before that setting) carry no types; they
 * decode by the table's original columns (LEGACY_COLUMNS) and nothing else.
 *
 * Everything that can be wrong with a record comes back as a DecodeError with a stable code; nothing
 * here throws. Numbers the JSON parser cannot hold exactly (ids, LSNs past 2^53) are rejected rather
 * than silently rounded; decimals arrive as strings (decimal.handling.mode=string) and stay strings.
 */
import * as z from 'zod';
import type { RowKey } from '@orders-live/protocol';
import type { RowCodec } from './connect-schema.js';
import { DECODE_ERROR_CODES, describeIssues, type DecodeErrorCode } from './decode-error.js';
import type { DecodeResult, RowOp, TableRow } from './decoded-record.js';
import { LEGACY_CODEC, splitEnvelope, splitEnvelopeBytes } from './envelope-split.js';
import { parseText, utf8 } from './json-text.js';
import { RowCodecCache } from './row-codec-cache.js';
import { decodeSource, sourceSchema } from './source-position.js';
import { transactionPlaceSchema } from './transaction-marker.js';

// What the decoder's callers and tests name, from the one module they import.
export { DECODE_ERROR_CODES } from './decode-error.js';
export type { DecodedRecord, DecodeResult, SourcePosition, TableRow, TransactionPlace } from './decoded-record.js';
export { RowCodecCache } from './row-codec-cache.js';

/**
 * A record key: the primary key's columns and their values (Debezium's key struct, in key order).
 * Numbers must be exact: a key past 2^53 would be rounded into another row's.
 */
const keySchema = z
  .record(
    z.string().min(1).max(63),
    z.union([z.string(), z.boolean(), z.number().refine((n) => !Number.isInteger(n) || Number.isSafeInteger(n), 'not an exact integer')]),
  )
  .refine((key) => Object.keys(key).length > 0, 'a key has at least one column');

const envelopeSchema = z.object({
  before: z.unknown(),
  after: z.unknown(),
  source: sourceSchema,
  op: z.string(),
  transaction: transactionPlaceSchema.nullish(),
});

const defaultCache = new RowCodecCache();

const OPS: Record<string, RowOp> = { r: 'read', c: 'insert', u: 'update', d: 'delete' };

function fail(code: DecodeErrorCode, message: string): DecodeResult {
  return { ok: false, error: { code, message } };
}

/** Decodes one Kafka record of a table's topic. */
export function decodeRecord(
  keyBytes: Uint8Array | null,
  valueBytes: Uint8Array | null,
  cache: RowCodecCache = defaultCache,
): DecodeResult {
  let key: RowKey | null = null;
  if (keyBytes !== null) {
    const keyText = utf8(keyBytes);
    const json = keyText === undefined ? ({ ok: false } as const) : parseText(keyText);
    if (!json.ok) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record key is not JSON');
    const parsedKey = keySchema.safeParse(json.value);
    if (!parsedKey.success) return fail(DECODE_ERROR_CODES.BAD_KEY, `record key: ${describeIssues(parsedKey.error)}`);
    key = parsedKey.data;
  }

  if (valueBytes === null) {
    if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'record has neither key nor value');
    return { ok: true, record: { kind: 'tombstone', key } };
  }

  let split = splitEnvelopeBytes(valueBytes, cache);
  if (!split) {
    const text = utf8(valueBytes);
    if (text === undefined) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record value is not UTF-8');
    split = splitEnvelope(text, cache);
  }
  if (!split.ok) return { ok: false, error: split.error };
  const { codec, payload } = split;

  const envelope = envelopeSchema.safeParse(payload);
  if (!envelope.success) return fail(DECODE_ERROR_CODES.BAD_ENVELOPE, describeIssues(envelope.error));
  const { op: rawOp } = envelope.data;

  const op = Object.hasOwn(OPS, rawOp) ? OPS[rawOp] : undefined;
  if (op === undefined) return fail(DECODE_ERROR_CODES.UNSUPPORTED_OP, `op "${rawOp.slice(0, 16)}" is not applied`);
  const source = decodeSource(envelope.data.source);
  if ('code' in source) return { ok: false, error: source };

  let before: TableRow | null;
  let after: TableRow | null;
  try {
    before = readRow(codec, envelope.data.before);
    after = readRow(codec, envelope.data.after);
  } catch (err) {
    const code = codec === LEGACY_CODEC ? DECODE_ERROR_CODES.BAD_ENVELOPE : DECODE_ERROR_CODES.BAD_VALUE;
    return fail(code, err instanceof Error ? err.message : String(err));
  }

  const shapeOk =
    op === 'read' || op === 'insert'
      ? before === null && after !== null
      : op === 'update'
        ? after !== null
        : after === null && before !== null;
  if (!shapeOk)
    return fail(
      DECODE_ERROR_CODES.BAD_ENVELOPE,
      `op "${rawOp}" with before=${before ? 'row' : 'null'} and after=${after ? 'row' : 'null'}`,
    );

  const row = (after ?? before)!;
  if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'row change without a key');
  // An update that changes the primary key is emitted by Debezium as delete + create; the key is the new row's.
  for (const [column, value] of Object.entries(key)) {
    if (row[column] !== value)
      return fail(
        DECODE_ERROR_CODES.KEY_MISMATCH,
        `key ${column}=${String(value)} but the row's ${column} is ${JSON.stringify(row[column] ?? null)}`,
      );
  }

  const transaction = envelope.data.transaction ?? null;
  return { ok: true, record: { kind: 'row', op, key, before, after, source, transaction, columns: codec.columns } };
}

function readRow(codec: RowCodec, value: unknown): TableRow | null {
  if (value === null) return null;
  return codec.read(value);
}
