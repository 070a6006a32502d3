/**
 * Debezium Postgres change event → typed record. Pure: bytes in, a value out; no logger, no Kafka,
 * no clock. Expects the JsonConverter with schemas disabled (the worker's setting), so the value is
 * the envelope itself: { before, after, source: {ts_ms, lsn, txId, sequence, snapshot…}, op, ts_ms }.
 *
 * Everything that can be wrong with a record comes back as a DecodeError with a stable code; nothing
 * here throws. Numbers the JSON parser cannot hold exactly (ids, LSNs past 2^53) are rejected rather
 * than silently rounded; decimals arrive as strings (decimal.handling.mode=string) and stay strings.
 */
import * as z from 'zod';
import { orderKeySchema, orderRowSchema, type OrderKey, type OrderRow } from '@orders-live/protocol';

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
} as const;
export type DecodeErrorCode = (typeof DECODE_ERROR_CODES)[keyof typeof DECODE_ERROR_CODES];

export interface DecodeError {
  readonly code: DecodeErrorCode;
  readonly message: string;
}

/** Where a change sits in Postgres' WAL, as Debezium reports it. */
export interface SourcePosition {
  /** Commit time in Postgres, epoch ms (source.ts_ms). */
  readonly commitTimeMs: number;
  /** LSN of this event (source.lsn). */
  readonly lsn: number;
  /** LSN of the last commit before this event (first element of source.sequence); null in snapshots. */
  readonly commitLsn: number | null;
  readonly txId: number | null;
  /** True for rows read by the connector's initial snapshot. */
  readonly snapshot: boolean;
}

export type RowOp = 'read' | 'insert' | 'update' | 'delete';

export type DecodedRecord =
  | {
      readonly kind: 'row';
      readonly op: RowOp;
      readonly key: OrderKey;
      readonly before: OrderRow | null;
      readonly after: OrderRow | null;
      readonly source: SourcePosition;
    }
  /** The delete's follow-up with a null value: it lets compaction drop the key. */
  | { readonly kind: 'tombstone'; readonly key: OrderKey };

export type DecodeResult = { readonly ok: true; readonly record: DecodedRecord } | { readonly ok: false; readonly error: DecodeError };

const safeInt = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const lsnText = z.string().regex(/^\d{1,16}$/).transform(Number).pipe(safeInt);

const sourceSchema = z.object({
  ts_ms: safeInt,
  lsn: safeInt,
  txId: safeInt.nullable().optional(),
  // '["<last commit lsn>","<event lsn>"]', either element may be null.
  sequence: z.string().nullable().optional(),
  snapshot: z.enum(['true', 'first', 'first_in_data_collection', 'last_in_data_collection', 'last', 'false', 'incremental']).optional(),
});

const envelopeSchema = z.object({
  before: orderRowSchema.nullable(),
  after: orderRowSchema.nullable(),
  source: sourceSchema,
  op: z.string(),
});

const sequenceSchema = z.tuple([lsnText.nullable(), lsnText.nullable()]);

const OPS: Record<string, RowOp> = { r: 'read', c: 'insert', u: 'update', d: 'delete' };

function fail(code: DecodeErrorCode, message: string): DecodeResult {
  return { ok: false, error: { code, message } };
}

function parseJson(bytes: Uint8Array): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes)) };
  } catch {
    return { ok: false };
  }
}

function describe(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}

function decodeSource(source: z.infer<typeof sourceSchema>): SourcePosition | DecodeError {
  let commitLsn: number | null = null;
  if (source.sequence != null) {
    const parsed = parseJson(new TextEncoder().encode(source.sequence));
    const sequence = parsed.ok ? sequenceSchema.safeParse(parsed.value) : undefined;
    if (!sequence?.success) {
      return { code: DECODE_ERROR_CODES.BAD_ENVELOPE, message: `source.sequence is not [lsn, lsn]: ${source.sequence.slice(0, 80)}` };
    }
    commitLsn = sequence.data[0];
  }
  return {
    commitTimeMs: source.ts_ms,
    lsn: source.lsn,
    commitLsn,
    txId: source.txId ?? null,
    snapshot: source.snapshot !== undefined && source.snapshot !== 'false',
  };
}

/** Decodes one Kafka record of the orders topic. */
export function decodeRecord(keyBytes: Uint8Array | null, valueBytes: Uint8Array | null): DecodeResult {
  let key: OrderKey | null = null;
  if (keyBytes !== null) {
    const json = parseJson(keyBytes);
    if (!json.ok) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record key is not JSON');
    const parsedKey = orderKeySchema.safeParse(json.value);
    if (!parsedKey.success) return fail(DECODE_ERROR_CODES.BAD_KEY, `record key: ${describe(parsedKey.error)}`);
    key = parsedKey.data;
  }

  if (valueBytes === null) {
    if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'record has neither key nor value');
    return { ok: true, record: { kind: 'tombstone', key } };
  }

  const json = parseJson(valueBytes);
  if (!json.ok) return fail(DECODE_ERROR_CODES.NOT_JSON, 'record value is not JSON');
  const envelope = envelopeSchema.safeParse(json.value);
  if (!envelope.success) return fail(DECODE_ERROR_CODES.BAD_ENVELOPE, describe(envelope.error));
  const { before, after, op: rawOp } = envelope.data;

  const op = Object.hasOwn(OPS, rawOp) ? OPS[rawOp] : undefined;
  if (op === undefined) return fail(DECODE_ERROR_CODES.UNSUPPORTED_OP, `op "${rawOp.slice(0, 16)}" is not applied`);
  const source = decodeSource(envelope.data.source);
  if ('code' in source) return { ok: false, error: source };

  const shapeOk =
    (op === 'read' || op === 'insert') ? before === null && after !== null
    : op === 'update' ? after !== null
    : after === null && before !== null;
  if (!shapeOk) return fail(DECODE_ERROR_CODES.BAD_ENVELOPE, `op "${rawOp}" with before=${before ? 'row' : 'null'} and after=${after ? 'row' : 'null'}`);

  const row = (after ?? before)!;
  if (key === null) return fail(DECODE_ERROR_CODES.BAD_KEY, 'row change without a key');
  // An update that changes the primary key is emitted by Debezium as delete + create; the key is the new row's.
  if (row.id !== key.id) return fail(DECODE_ERROR_CODES.KEY_MISMATCH, `key id ${key.id} but row id ${row.id}`);

  return { ok: true, record: { kind: 'row', op, key, before, after, source } };
}
